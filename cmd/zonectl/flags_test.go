package main

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// flagCmd is a command built the way zonectl's are: a flag table, a date
// flag, flags it gives, run through act.
func flagCmd(ran *bool) *cobra.Command {
	var (
		book, on, until string
		good            int32
		parts           []string
	)
	a := &app{}
	c := leaf(&cobra.Command{
		Use:         "t",
		Annotations: gives("book", "good", "part"),
		RunE:        a.act(func(*cobra.Command, []string) error { *ran = true; return nil }),
	}, flagSpec{&book, "book", "book number"}, flagSpec{&good, "good", "goods number"},
		flagSpec{&parts, "part", "parts"}, flagSpec{ymd(&on), "on", "day (required)"}, flagSpec{ymd(&until), "until", "last day"})
	c.SetOut(io.Discard)
	c.SetErr(io.Discard)
	c.SilenceErrors, c.SilenceUsage = true, true
	return c
}

func TestFlagTableGivesAndDates(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // "" when the command runs
	}{
		{"all given", []string{"--book", "B", "--good", "1", "--part", "p", "--on", "2026-01-31"}, ""},
		{"optional date empty", []string{"--book", "B", "--good", "1", "--part", "p", "--on", "2026-01-31", "--until", ""}, ""},
		{"no book", []string{"--good", "1", "--part", "p", "--on", "2026-01-31"}, "give --book, --good and at least one --part"},
		{"good below 1", []string{"--book", "B", "--good", "0", "--part", "p", "--on", "2026-01-31"}, "give --book, --good and at least one --part"},
		{"no part", []string{"--book", "B", "--good", "2", "--on", "2026-01-31"}, "give --book, --good and at least one --part"},
		{"bad date", []string{"--book", "B", "--good", "1", "--part", "p", "--on", "31.1.2026"}, `--on "31.1.2026": write YYYY-MM-DD`},
		{"bad optional date", []string{"--book", "B", "--good", "1", "--part", "p", "--on", "2026-01-31", "--until", "2026-1-1"}, `--until "2026-1-1": write YYYY-MM-DD`},
		{"required date empty", []string{"--book", "B", "--good", "1", "--part", "p", "--on", ""}, `--on "": write YYYY-MM-DD`},
		{"given flags before dates", []string{"--on", "x"}, "give --book, --good and at least one --part"},
		{"an argument", []string{"extra", "--book", "B", "--good", "1", "--part", "p", "--on", "2026-01-31"}, "expected no arguments, got 1 argument(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ran := false
			c := flagCmd(&ran)
			c.SetArgs(tc.args)
			err := c.Execute()
			if tc.want == "" {
				if err != nil || !ran {
					t.Fatalf("ran %v, err %v; want it to run", ran, err)
				}
				return
			}
			if ran {
				t.Fatal("the command ran; want it refused before it runs")
			}
			var ue *usageError
			if !errors.As(err, &ue) {
				t.Fatalf("err %v (%T); want a usage error", err, err)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v; want it to say %q", err, tc.want)
			}
		})
	}
}

// A required date flag not given at all is cobra's required-flag error,
// and the command does not run.
func TestRequiredDateFlagMissing(t *testing.T) {
	ran := false
	c := flagCmd(&ran)
	c.SetArgs([]string{"--book", "B", "--good", "1", "--part", "p"})
	if err := c.Execute(); err == nil || ran || !strings.Contains(err.Error(), `"on" not set`) {
		t.Fatalf("ran %v, err %v; want the required flag named", ran, err)
	}
}
