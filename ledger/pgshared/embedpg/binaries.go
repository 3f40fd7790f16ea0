package embedpg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// debianPostgresRoot is where Debian's postgresql-<N> packages put their
// server binaries, one <N>/bin directory per major version.
const debianPostgresRoot = "/usr/lib/postgresql"

// requiredBinaries are the programs Start runs.
var requiredBinaries = []string{"initdb", "postgres"}

// installHint tells the user how to get the server binaries.
const installHint = "install Debian's postgresql package (apt-get install -y postgresql)"

// ErrNoBinaries is returned (wrapped) when no directory holds PostgreSQL's
// server binaries.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found")

// FindBinaries returns the directory holding PostgreSQL's server binaries
// (initdb and postgres): the first directory on PATH that holds both, else
// the highest-versioned Debian directory /usr/lib/postgresql/<N>/bin that
// does. The error wraps ErrNoBinaries and says how to install them.
func FindBinaries() (dir string, err error) {
	var candidates []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if d != "" {
			candidates = append(candidates, d)
		}
	}
	candidates = append(candidates, debianBinDirs(debianPostgresRoot)...)
	for _, d := range candidates {
		if checkBinDir(d) == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("%w on PATH or in %s/<version>/bin: %s, or put PostgreSQL's bin directory on PATH",
		ErrNoBinaries, debianPostgresRoot, installHint)
}

// checkBinDir reports whether dir holds every required binary as an
// executable file; the error names the first one missing.
func checkBinDir(dir string) error {
	for _, name := range requiredBinaries {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%w: no %s in %s", ErrNoBinaries, name, dir)
		}
		if !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%w: %s is not an executable file", ErrNoBinaries, p)
		}
	}
	return nil
}

// debianBinDirs lists root/<version>/bin directories, highest version first.
// Versions are compared numerically part by part ("9.6" < "10" < "15").
func debianBinDirs(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	type versioned struct {
		parts []int
		dir   string
	}
	var found []versioned
	for _, e := range entries {
		parts, ok := parseVersion(e.Name())
		if !ok {
			continue
		}
		found = append(found, versioned{parts, filepath.Join(root, e.Name(), "bin")})
	}
	slices.SortFunc(found, func(a, b versioned) int { return -slices.Compare(a.parts, b.parts) })
	dirs := make([]string, 0, len(found))
	for _, v := range found {
		dirs = append(dirs, v.dir)
	}
	return dirs
}

// parseVersion parses "15" or "9.6" into its numeric parts.
func parseVersion(s string) ([]int, bool) {
	var parts []int
	for _, f := range strings.Split(s, ".") {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return nil, false
		}
		parts = append(parts, n)
	}
	return parts, true
}
