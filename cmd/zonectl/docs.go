package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/output"
	errorsv1 "github.com/zoneledger/zoneledger/proto/zoneledger/errors/v1"
)

// This file holds what the commands that file documents share: the flags of
// a command that sends the documents of a file, their printer (docPrinter),
// filing a file one call each (fileDocs), a status change on each document
// named (actOn) and enum flags written by name (parseEnum).

// fileFlags are the flags of a command that sends the documents of a file.
type fileFlags struct {
	file, format       string
	dryRun, noProgress bool
	quiet              bool
}

func (f *fileFlags) register(c *cobra.Command, what string, csv bool) {
	c.Flags().StringVarP(&f.file, "file", "f", "", what+" file, - for standard input (required)")
	if csv {
		c.Flags().StringVar(&f.format, "format", "auto", "file format: auto (by extension, else the first character), json or csv")
	}
	c.Flags().BoolVar(&f.dryRun, "dry-run", false, "only check the file; send nothing (needs no token)")
	c.Flags().BoolVar(&f.noProgress, "no-progress", false, "never show the progress bar")
	required(c, "file")
}

// addQuiet adds -q: print only the numbers the zone assigned, one per line.
func addQuiet(c *cobra.Command, quiet *bool, what string) {
	c.Flags().BoolVarP(quiet, "quiet", "q", false, "print only the "+what+" number(s), one per line (for scripts)")
}

func (f *fileFlags) fileFormat() (input.FileFormat, error) {
	if f.format == "" {
		return input.Auto, nil
	}
	ff, err := input.ParseFileFormat(f.format)
	return ff, asUsage(err)
}

// readFileFlag reads the --file of ff, in its --format, with read.
func readFileFlag[T any](a *app, ff *fileFlags, read func(r io.Reader, name string, f input.FileFormat) (T, error)) (T, error) {
	format, err := ff.fileFormat()
	if err != nil {
		var zero T
		return zero, err
	}
	return readInput(a, ff.file, func(r io.Reader) (T, error) { return read(r, ff.file, format) })
}

// noteDryRun says that --dry-run found n well-formed things in file and
// sent nothing.
func (a *app) noteDryRun(file string, n int, what string) {
	a.note("%s: %d %s, well-formed; nothing sent (--dry-run)", file, n, what)
}

// docPrinter prints the documents a command returns as they come: one
// object (table, CSV) for a single document, a list for several; with
// quiet, only their numbers.
type docPrinter[T proto.Message] struct {
	a      *app
	single bool
	quiet  bool
	header []string
	rows   func(T) [][]string
	number func(T) string
	l      *output.List
}

func newDocPrinter[T proto.Message](a *app, n int, quiet bool, header []string, rows func(T) [][]string, number func(T) string) *docPrinter[T] {
	p := &docPrinter[T]{a: a, single: n == 1, quiet: quiet, header: header, rows: rows, number: number}
	if !quiet && !p.single {
		p.l = output.NewList(a.stdout, a.format, header)
	}
	return p
}

func (p *docPrinter[T]) add(m T) error {
	switch {
	case p.quiet:
		_, err := fmt.Fprintln(p.a.stdout, p.number(m))
		return err
	case p.single:
		return output.One(p.a.stdout, p.a.format, m, p.header, p.rows(m)...)
	}
	return p.l.Add(m, p.rows(m)...)
}

// close ends the output and returns err (or the output's error).
func (p *docPrinter[T]) close(err error) error {
	if p.l == nil {
		return err
	}
	return closeList(p.l, err)
}

// one wraps a one-row view for docPrinter.
func one[T any](row func(T) []string) func(T) [][]string {
	return func(m T) [][]string { return [][]string{row(m)} }
}

// docProgressMin is the number of documents from which filing a file shows
// a progress bar.
const docProgressMin = 20

// fileDocs sends the documents of a file one call each, in file order. A
// refusal stops the run: what was filed before is printed, and the note
// names the document at fault (for CSV the row of the line the server
// blamed).
func fileDocs[Req, Res proto.Message](a *app, ctx context.Context, ff fileFlags, what string, docs []input.Doc[Req],
	key func(Req) string, send func(ctx context.Context, c *clients, req Req) (Res, error), p *docPrinter[Res]) error {
	c, err := a.connect()
	if err != nil {
		return err
	}
	set, end := a.progress(!ff.noProgress && len(docs) >= docProgressMin, len(docs), what)
	defer end()
	for i, d := range docs {
		cctx, cancel := a.callCtx(ctx)
		res, err := send(cctx, c, d.Req)
		cancel()
		if err != nil {
			end()
			a.note("%s: %d of %d %s filed before; the one at %s (inner_no %q) was refused; re-running the file is safe: %s filed already come back unchanged",
				ff.file, i, len(docs), what, d.Locate(errorsv1.FieldOf(err)), key(d.Req), what)
			return p.close(err)
		}
		if err := p.add(res); err != nil {
			return p.close(err)
		}
		set(i + 1)
	}
	return p.close(nil)
}

// actOn runs a status change on each document named, in order, printing the
// documents as changed; it stops at the first refusal.
func actOn[T proto.Message](a *app, cmd *cobra.Command, nos []string, v view[T],
	f func(ctx context.Context, c *clients, no string) (T, error)) error {
	p := newDocPrinter(a, len(nos), false, v.header, v.rows, nil)
	for _, no := range nos {
		m, err := call(a, cmd.Context(), func(ctx context.Context, c *clients) (T, error) { return f(ctx, c, no) })
		if err != nil {
			if len(nos) > 1 {
				err = fmt.Errorf("%s: %w", no, err)
			}
			return p.close(err)
		}
		if err := p.add(m); err != nil {
			return p.close(err)
		}
	}
	return p.close(nil)
}

// parseEnum reads an enum flag or argument (label names it: "--kind",
// "STATUS"): the value's name, any case, with or without its prefix ("zone",
// "BOOK_KIND_ZONE"); the unspecified value is refused.
func parseEnum(label, s string, values map[string]int32, prefix string) (int32, error) {
	name := prefix + strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), prefix)
	if v, ok := values[name]; ok && v != 0 {
		return v, nil
	}
	var names []string
	for n, v := range values {
		if v != 0 {
			names = append(names, strings.ToLower(strings.TrimPrefix(n, prefix)))
		}
	}
	sort.Slice(names, func(i, j int) bool {
		return values[prefix+strings.ToUpper(names[i])] < values[prefix+strings.ToUpper(names[j])]
	})
	last := len(names) - 1
	return 0, usagef("%s %q: use %s or %s", label, s, strings.Join(names[:last], ", "), names[last])
}
