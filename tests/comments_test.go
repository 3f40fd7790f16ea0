package tests

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sourceFile is one of the module's Go files, parsed with its comments.
type sourceFile struct {
	path string // relative to the module root
	fset *token.FileSet
	file *ast.File
}

// moduleSources parses every Go file of the module except generated
// protobuf code and the vendored protovalidate protos.
func moduleSources(t *testing.T) []sourceFile {
	t.Helper()
	var out []sourceFile
	err := filepath.WalkDir(bins.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(bins.root, p)
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && rel != "." || rel == filepath.Join("proto", "buf") || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".pb.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		out = append(out, sourceFile{path: rel, fset: fset, file: f})
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("reading the module's sources under %s: %v (%d files)", bins.root, err, len(out))
	}
	return out
}

// Patterns of what belongs in a README, not in a code comment: a commit
// hash, and a figure someone measured (a rate, or a duration, size or
// share in a sentence that says it was measured).
var (
	commitHash   = regexp.MustCompile(`(?:^|[^0-9A-Za-z_])([0-9a-f]{7,40})(?:$|[^0-9A-Za-z_])`)
	rateFigure   = regexp.MustCompile(`\d\s*(?:journals|orders|ops|requests|calls|transactions|batches|documents|lists)/s\b|\d\s*tps\b|\btps\s*(?:of\s*)?\d|\d\s*[x×]\s*pgbench`)
	amountFigure = regexp.MustCompile(`\d\s*(?:ns|us|µs|ms|s|KiB|MiB|GiB|kB|MB|GB|%)(?:$|[^0-9A-Za-z_])`)
	measuredWord = regexp.MustCompile(`(?i)\b(?:measured|took|takes about|showed|faster|slower|costs? about|cost \d+|peak)\b|~\s?\d`)
	perUnitTime  = regexp.MustCompile(`\d\s*(?:ns|us|µs|ms)\s+(?:a|per)\s+(?:batch|journal|order|call|request)\b`)
)

// TestCommentsHoldNoFiguresOrHashes keeps measurements and commit hashes
// out of code comments: they go stale there unseen, and belong in the
// README that documents the benchmark or load command, with the command.
// A comment says what the code does and why, and points to the README for
// the figures.
func TestCommentsHoldNoFiguresOrHashes(t *testing.T) {
	for _, sf := range moduleSources(t) {
		for _, cg := range sf.file.Comments {
			for _, sentence := range sentences(cg.Text()) {
				var why string
				switch {
				case hasCommitHash(sentence):
					why = "a commit hash"
				case rateFigure.MatchString(sentence):
					why = "a measured rate"
				case perUnitTime.MatchString(sentence):
					why = "a measured time per unit"
				case amountFigure.MatchString(sentence) && measuredWord.MatchString(sentence):
					why = "a measured figure"
				default:
					continue
				}
				t.Errorf("%s: a comment holds %s: %q; move the figure to the README that documents it and say there how to reproduce it",
					sf.fset.Position(cg.Pos()), why, sentence)
			}
		}
	}
}

// hasCommitHash reports whether s holds a word of 7 to 40 lower-case hex
// digits with both a letter and a digit (numbers, and words such as
// "deadbeef", are not hashes of ours).
func hasCommitHash(s string) bool {
	for _, m := range commitHash.FindAllStringSubmatch(s, -1) {
		if strings.ContainsAny(m[1], "0123456789") && strings.ContainsAny(m[1], "abcdef") {
			return true
		}
	}
	return false
}

// sentences splits a comment's text into sentences, with its lines joined.
func sentences(text string) []string {
	flat := strings.Join(strings.Fields(text), " ")
	var out []string
	for _, s := range regexp.MustCompile(`[.!?;:]\s+`).Split(flat, -1) {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// properNouns are capitalized words a package comment may use mid-sentence
// that name no Go identifier.
var properNouns = map[string]bool{"PostgreSQL": true, "CockroachDB": true, "Debian": true, "Linux": true, "Chinese": true, "Ctrl": true}

// TestPackageDocsNameWhatExists keeps each package's doc comment true to
// its code: a capitalized word in the middle of a sentence is the name of
// something, and it must be a name the package declares or uses, an RPC or
// message of the API, or a proper noun (properNouns). Headings (# ...) and
// indented code blocks are not checked.
func TestPackageDocsNameWhatExists(t *testing.T) {
	files := moduleSources(t)
	names := map[string]map[string]bool{} // package directory -> identifiers in its code
	api := map[string]bool{}              // identifiers of the generated API code
	for _, sf := range files {
		dir := filepath.Dir(sf.path)
		if names[dir] == nil {
			names[dir] = map[string]bool{}
		}
		ast.Inspect(sf.file, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				names[dir][id.Name] = true
			}
			return true
		})
	}
	gen, err := filepath.Glob(filepath.Join(bins.root, "proto", "zoneledger", "*", "v1", "*.pb.go"))
	if err != nil || len(gen) == 0 {
		t.Fatalf("the generated API code under proto/zoneledger: %v (%d files)", err, len(gen))
	}
	word := regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)
	for _, p := range gen {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range word.FindAllString(string(b), -1) {
			api[w] = true
		}
	}
	capital := regexp.MustCompile(`\b[A-Z][A-Za-z0-9]*\b`)
	checked := 0
	for _, sf := range files {
		if sf.file.Doc == nil {
			continue
		}
		checked++
		var prose []string
		for _, line := range strings.Split(sf.file.Doc.Text(), "\n") {
			if strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, " ") {
				prose = append(prose, ".") // a heading or code ends the sentence before it
				continue
			}
			prose = append(prose, line)
		}
		text := strings.Join(prose, " ")
		for _, loc := range capital.FindAllStringIndex(text, -1) {
			w := text[loc[0]:loc[1]]
			before := strings.TrimRight(text[:loc[0]], " \t(\"'`“")
			if len(w) > 1 && strings.ToUpper(w[:2]) == w[:2] || before == "" || strings.ContainsAny(before[len(before)-1:], ".:;!?") ||
				strings.HasSuffix(before, "—") || strings.HasSuffix(before, "。") {
				continue // an acronym (SIGKILLed, IDs too), or the start of a sentence
			}
			if names[filepath.Dir(sf.path)][w] || api[w] || properNouns[w] {
				continue
			}
			t.Errorf("%s: the package comment names %s, which package %s neither declares nor uses; name what exists",
				sf.fset.Position(sf.file.Doc.Pos()), w, sf.file.Name.Name)
		}
	}
	if checked == 0 {
		t.Fatal("found no package comment to check")
	}
}
