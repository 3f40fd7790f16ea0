package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
	ledgerv1 "github.com/zoneledger/zoneledger/proto/zoneledger/ledger/v1"
)

// itemChunk is how many items one RegisterItems call of 'items import' carries.
const itemChunk = 1000

func (a *app) itemsCmd() *cobra.Command {
	return group("items", "Register and list the items (book lines) of a book",
		a.itemsRegisterCmd(), a.itemsImportCmd(), a.itemsListCmd())
}

func (a *app) itemsRegisterCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "register", method: ledgerv1.LedgerService_RegisterItems_FullMethodName,
		short: "Register one item",
		more:  `The command registers one item.`,
		example: `  zonectl items register --book H12345678901 --code 1 --unit KGM --scale 3 \
      --name "Copper cathode" --attr hs_code=7403110000`,
		bind: "code=items.code unit=items.unit scale=items.scale name=items.name attr=items.attributes"}, itemView)
}

// readInput opens file (- for standard input) and reads it with read; a
// file read refuses is a usage error.
func readInput[T any](a *app, file string, read func(r io.Reader) (T, error)) (T, error) {
	var zero T
	r, err := a.openInput(file)
	if err != nil {
		return zero, err
	}
	defer r.Close()
	v, err := read(r)
	if err != nil {
		return zero, asUsage(err)
	}
	return v, nil
}

// openInput opens --file; "-" is standard input.
func (a *app) openInput(path string) (io.ReadCloser, error) {
	if path == "-" {
		return io.NopCloser(a.stdin), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, asUsage(err)
	}
	return f, nil
}

var itemsField = regexp.MustCompile(`^items\[([0-9]+)\]`)

func (a *app) itemsImportCmd() *cobra.Command {
	var book, file string
	var noProgress bool
	c := &cobra.Command{
		Use:   "import",
		Short: "Register items in bulk from a CSV file",
		Long: `Register the items of a CSV file, in chunks of 1000 per RegisterItems call
(each chunk all or nothing), with a progress bar on stderr when there is more
than one chunk.

The header names the columns, in any order: code, unit, scale (required) and
name; columns named attr:KEY (e.g. attr:hs_code) become item attributes.
scale is the number of decimal places allowed in quantities (0 to 5).

	code,unit,scale,name,attr:hs_code
	1,KGM,3,Copper cathode,7403110000
	2,PCE,0,Circuit board,8534009000

The whole file is checked before anything is sent. Re-registering an item with
the same unit and scale changes nothing, so re-running the same file after a
failure is safe.`,
		Example: "  zonectl items import --book H12345678901 --file items.csv",
		Args:    exactArgs(0, "no arguments"),
		RunE: a.act(func(cmd *cobra.Command, _ []string) error {
			rows, err := readInput(a, file, func(r io.Reader) ([]input.ItemRow, error) { return input.ReadItemsCSV(r, file) })
			if err != nil {
				return err
			}
			registered, err := chunks[input.ItemRow]{file: file, what: "items", verb: "registered", size: itemChunk, noProgress: noProgress,
				send: func(ctx context.Context, c *clients, chunk []input.ItemRow) error {
					req := &ledgerv1.RegisterItemsRequest{BookId: book, Items: make([]*ledgerv1.Item, len(chunk))}
					for i, row := range chunk {
						req.Items[i] = row.Item
					}
					_, err := c.ledger.RegisterItems(ctx, req)
					return err
				},
				where: func(chunk []input.ItemRow, field string) string {
					if m := itemsField.FindStringSubmatch(field); m != nil {
						if k, _ := strconv.Atoi(m[1]); k < len(chunk) {
							return fmt.Sprintf("row %d", chunk[k].Row)
						}
					}
					return fmt.Sprintf("rows %d-%d", chunk[0].Row, chunk[len(chunk)-1].Row)
				}}.run(a, cmd, rows)
			if err != nil {
				return err
			}
			a.note("%d items registered in book %s", registered, book)
			return nil
		}),
	}
	c.Flags().StringVar(&book, "book", "", "book identifier (required)")
	c.Flags().StringVarP(&file, "file", "f", "", "CSV file of items, - for standard input (required)")
	c.Flags().BoolVar(&noProgress, "no-progress", false, "never show the progress bar")
	required(c, "book", "file")
	return c
}

func (a *app) itemsListCmd() *cobra.Command {
	return rpcCmd(a, rpcSpec{use: "list", method: ledgerv1.LedgerService_ListItems_FullMethodName,
		short: "List the items of a book (all pages, ordered by code)", example: "  zonectl items list --book H12345678901 -o csv",
		bind: "book=book_id"}, itemView)
}
