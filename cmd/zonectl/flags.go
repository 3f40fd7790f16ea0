package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"google.golang.org/protobuf/proto"

	"github.com/zoneledger/zoneledger/cmd/zonectl/internal/input"
)

// This file holds the flags of a command: its flag table (bind, leaf), the
// date flags and the flags it gives, which act checks before it runs, and
// the check of a request built from flags with the protos' rules.

// flagSpec binds one flag to a variable, usually a field of the request
// the command sends: p is a *string, *bool, *int, *int32, *uint32, *int64,
// *[]string (repeatable, comma-separated) or a ymd(*string). A flag whose usage ends in
// "(required)" is required.
type flagSpec struct {
	p           any
	name, usage string
}

// isoDate is how a date is written: YYYY-MM-DD.
var isoDate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// dateValue is a flag written YYYY-MM-DD, held in a *string (ymd). act
// checks it before the command runs, so that a bad one is the usage error
// "--FLAG "VALUE": write YYYY-MM-DD"; an optional one may be left empty.
type dateValue struct{ p *string }

// ymd makes p a date flag (a flagSpec's p, or c.Flags().Var's value).
func ymd(p *string) *dateValue { return &dateValue{p} }

// Set implements pflag.Value; the check is act's.
func (d *dateValue) Set(s string) error { *d.p = s; return nil }

// String implements pflag.Value.
func (d *dateValue) String() string { return *d.p }

// Type implements pflag.Value: help says "string", as for any text flag.
func (d *dateValue) Type() string { return "string" }

// checkDates refuses a date flag given and not written YYYY-MM-DD (empty is
// allowed unless the flag is required).
func checkDates(flags *pflag.FlagSet) error {
	var err error
	flags.Visit(func(f *pflag.Flag) {
		d, ok := f.Value.(*dateValue)
		if !ok || err != nil || isoDate.MatchString(*d.p) || (*d.p == "" && f.Annotations[cobra.BashCompOneRequiredFlag] == nil) {
			return
		}
		err = usagef("--%s %q: write YYYY-MM-DD", f.Name, *d.p)
	})
	return err
}

// bind adds the flags of a binding table to c. A required flag that the
// command gives (checks itself) is not required by cobra.
func bind(c *cobra.Command, flags ...flagSpec) {
	f := c.Flags()
	for _, fl := range flags {
		switch p := fl.p.(type) {
		case *string:
			f.StringVar(p, fl.name, "", fl.usage)
		case *bool:
			f.BoolVar(p, fl.name, false, fl.usage)
		case *int32:
			f.Int32Var(p, fl.name, 0, fl.usage)
		case *uint32:
			f.Uint32Var(p, fl.name, 0, fl.usage)
		case *int64:
			f.Int64Var(p, fl.name, 0, fl.usage)
		case *int:
			f.IntVar(p, fl.name, 0, fl.usage)
		case *[]string:
			f.StringSliceVar(p, fl.name, nil, fl.usage)
		case *dateValue:
			f.Var(p, fl.name, fl.usage)
		default:
			panic(fmt.Sprintf("bind --%s: unsupported %T", fl.name, fl.p)) // a programming error
		}
		if strings.HasSuffix(fl.usage, "(required)") && !slices.Contains(strings.Fields(c.Annotations[givesKey]), fl.name) {
			required(c, fl.name)
		}
	}
}

// checkFlags refuses, before anything is sent, a request built from flags
// and arguments that the protos' rules refuse: a usage error naming the
// flag or argument as the user wrote it (names maps request fields to
// "--book" or "ORDER"; an element's field is named after its list's flag)
// or else the field.
func checkFlags(req proto.Message, names map[string]string) error {
	field, msg := input.Validate(req)
	list, _, _ := strings.Cut(field, "[") // an element's field: "lines[0].quantity"
	switch {
	case msg == "":
		return nil
	case names[field] != "":
		return usagef("%s: %s", names[field], msg)
	case names[list] != "":
		return usagef("%s: %s: %s", names[list], field, msg)
	case field != "":
		return usagef("%s: %s", field, msg)
	}
	return usagef("%s", msg)
}

// leaf finishes a command that does the work: its flags bound (bind), and
// no arguments unless it says otherwise in Args.
func leaf(c *cobra.Command, flags ...flagSpec) *cobra.Command {
	if c.Args == nil {
		c.Args = exactArgs(0, "no arguments")
	}
	bind(c, flags...)
	return c
}

// givesKey is the annotation that holds the flags of gives.
const givesKey = "zonectl/gives"

// gives is the Annotations of a command that needs the flags named, checked
// by act before the command runs (not by cobra): a flag is not given when
// it is empty, a number below 1 or a list without an element, and then the
// command is refused with "give --a, --b and at least one --c".
func gives(flags ...string) map[string]string {
	return map[string]string{givesKey: strings.Join(flags, " ")}
}

// checkGives refuses a command that lacks a flag of its gives.
func checkGives(cmd *cobra.Command) error {
	names := strings.Fields(cmd.Annotations[givesKey])
	words, missing := make([]string, len(names)), false
	for i, name := range names {
		f := cmd.Flags().Lookup(name)
		words[i] = "--" + name
		if s, ok := f.Value.(pflag.SliceValue); ok {
			words[i] = "at least one --" + name
			missing = missing || len(s.GetSlice()) == 0
		} else if n, err := strconv.ParseInt(f.Value.String(), 10, 64); err == nil && strings.HasPrefix(f.Value.Type(), "int") {
			missing = missing || n < 1
		} else {
			missing = missing || f.Value.String() == ""
		}
	}
	if !missing {
		return nil
	}
	if n := len(words); n > 1 {
		words = append(words[:n-2], words[n-2]+" and "+words[n-1])
	}
	return usagef("give %s", strings.Join(words, ", "))
}
