package vigie_test

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// bombs are system files nested depth deep, in the shapes a parser builds a
// tree for: YAML block sequences on one line, flow sequences, JSON objects.
func bombs(depth int) map[string][]byte {
	return map[string][]byte{
		"yaml-dashes": []byte("schema: vigie/system/v1\nname: x\nevidence:\n" + strings.Repeat("- ", depth) + "x\n"),
		"flow":        []byte("schema: vigie/system/v1\nname: x\nevidence: " + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "\n"),
		"json":        []byte(`{"schema": "vigie/system/v1", "name": "x", "evidence": ` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + "}"),
	}
}

// TestNestingBombRefusedCheaply parses files nested 20,000 and 60,000 deep
// (40 KB to 300 KB): each is refused naming its line, and the whole parse
// allocates under 50 MB (the parser alone took over 1 GB at 20,000).
func TestNestingBombRefusedCheaply(t *testing.T) {
	for _, depth := range []int{20000, 60000} {
		for name, b := range bombs(depth) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := vigie.ParseSystem("bomb.yaml", b)
			runtime.ReadMemStats(&after)
			if vigie.ErrorCode(err) != vigie.EINVALID {
				t.Fatalf("%s %d: want EINVALID, got %v", name, depth, err)
			}
			var e *vigie.Error
			errors.As(err, &e)
			if e.Line == 0 || !strings.Contains(e.Message, "imbrication trop profonde") || !strings.Contains(e.Message, "nesting too deep") {
				t.Errorf("%s %d: message does not name the line and the fault: %+v", name, depth, e)
			}
			if len(e.Message) > 300 {
				t.Errorf("%s %d: message of %d bytes copies the value", name, depth, len(e.Message))
			}
			if extra := after.TotalAlloc - before.TotalAlloc; extra > 50<<20 {
				t.Errorf("%s %d: %d MB allocated to refuse it", name, depth, extra>>20)
			}
		}
	}
}

// TestNestingWithinBound: real files, and nesting just under the bound, parse
// or fail on their own merits, not on depth.
func TestNestingWithinBound(t *testing.T) {
	for _, f := range caseFiles(t) {
		b, _ := os.ReadFile(f)
		if _, err := vigie.ParseSystem(f, b); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	ok := []string{
		"schema: vigie/system/v1\nname: \"a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ b\"\ndescription: |\n" + strings.Repeat("  ", 1) + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n" + "  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n",
		"schema: vigie/system/v1\nname: 'it''s [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[['\n# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
		`{"schema": "vigie/system/v1", "name": "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{", "evidence": [{"fact": "name", "source": "workers", "document": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]}`,
	}
	for _, s := range ok {
		if _, err := vigie.ParseSystem("ok.yaml", []byte(s)); err != nil {
			t.Errorf("refused:\n%s\n%v", s, err)
		}
	}
	deep := "schema: vigie/system/v1\nname: x\nevidence: " + strings.Repeat("[", vigie.MaxDepth) + strings.Repeat("]", vigie.MaxDepth) + "\n"
	if _, err := vigie.ParseSystem("deep.yaml", []byte(deep)); err == nil || !strings.Contains(err.Error(), "nesting too deep") {
		t.Errorf("depth %d: %v", vigie.MaxDepth+1, err)
	}
}

func parseErr(t *testing.T, src string) *vigie.Error {
	t.Helper()
	_, err := vigie.ParseSystem("f.yaml", []byte(src))
	var e *vigie.Error
	if !errors.As(err, &e) || e.Code != vigie.EINVALID {
		t.Fatalf("want EINVALID for\n%q\ngot %v", src, err)
	}
	return e
}

// TestLatin1Refused: a file saved in Latin-1 is refused with its line, never
// stored with U+FFFD; decoded as Windows-1252 when asked, it reads right.
func TestLatin1Refused(t *testing.T) {
	src := "schema: vigie/system/v1\nname: Planificateur\nvendor: Soci\xe9t\xe9 g\xe9n\xe9rale\n"
	e := parseErr(t, src)
	if e.Line != 3 || !strings.Contains(e.Message, "f.yaml:3:") || !strings.Contains(e.Message, "UTF-8") {
		t.Errorf("want line 3 and UTF-8 named: %+v", e)
	}
	b, err := vigie.DecodeSystemFile([]byte(src), vigie.EncodingWindows1252)
	if err != nil {
		t.Fatal(err)
	}
	s, err := vigie.ParseSystem("f.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Vendor != "Société générale" {
		t.Errorf("vendor = %q", s.Vendor)
	}
	if _, err := vigie.DecodeSystemFile([]byte(src), "ebcdic"); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("unknown encoding: %v", err)
	}
}

// TestNumberBounds: every count has bounds, and the message says them.
func TestNumberBounds(t *testing.T) {
	head := "schema: vigie/system/v1\nname: x\n"
	for _, c := range []struct{ src, path, bound string }{
		{"organisation:\n  headcount: 1000000000000\n", "organisation.headcount", "10000000"},
		{"organisation:\n  headcount: 10000001\n", "organisation.headcount", "10000000"},
		{"deployment:\n  workers_affected: 99999999999999999999999\n", "deployment.workers_affected", "10000000"},
		{"data:\n  persons_concerned: -4\n", "data.persons_concerned", "10000000"},
		{"usage:\n  working_days_per_year: 400\n", "usage.working_days_per_year", "366"},
		{"usage:\n  params_active_b: -1.5\n", "usage.params_active_b", "100000"},
		{"usage:\n  params_total_b: 1e300\n", "usage.params_total_b", "100000"},
	} {
		e := parseErr(t, head+c.src)
		if e.Field != c.path || !strings.Contains(e.Message, c.bound) || e.Line == 0 {
			t.Errorf("%q: want %s, the bound %s and a line: %+v", c.src, c.path, c.bound, e)
		}
	}
	if _, err := vigie.ParseSystem("f.yaml", []byte(head+"organisation:\n  headcount: 10000000\ndeployment:\n  workers_affected: 0\n")); err != nil {
		t.Errorf("bounds themselves refused: %v", err)
	}
}

// TestCountry: the server's country is an ISO 3166 code.
func TestCountry(t *testing.T) {
	head := "schema: vigie/system/v1\nname: x\nusage:\n  zone: "
	for _, z := range []string{"FRA", "fra", "WOR", "EEE", "USA", "unknown"} {
		if _, err := vigie.ParseSystem("f.yaml", []byte(head+z+"\n")); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	for _, z := range []string{"XXX", "France", "FR", "<script>"} {
		e := parseErr(t, head+"'"+z+"'\n")
		if e.Field != "usage.zone" || !strings.Contains(e.Message, "ISO 3166") {
			t.Errorf("%s: %+v", z, e)
		}
	}
}

// TestControlCharactersAndLength: single-line facts refuse control
// characters (CR, LF, ESC, C1); the description keeps its lines; texts are
// bounded; a message never copies a long value.
func TestControlCharactersAndLength(t *testing.T) {
	head := "schema: vigie/system/v1\n"
	for _, c := range []struct{ src, path string }{
		{`name: "a\nb"`, "name"},
		{`name: "a\rb"`, "name"},
		{`name: "\e[2Jx"`, "name"},
		{`name: "a\u0085b"`, "name"},
		{"name: x\nvendor: \"a\\u2028b\"", "vendor"},
		{"name: x\ndeployment:\n  units: [\"a\\nb\"]", "deployment.units[0]"},
		{"name: x\nusage:\n  model: \"m\\x07\"", "usage.model"},
		{"name: x\ndescription: \"a\\x1b]0;title\\x07\"", "description"},
		{"name: " + strings.Repeat("n", vigie.MaxLineRunes+1), "name"},
		{"name: x\ndescription: " + strings.Repeat("d", vigie.MaxTextRunes+1), "description"},
	} {
		e := parseErr(t, head+c.src+"\n")
		if e.Field != c.path {
			t.Errorf("%q: want %s, got %+v", c.src, c.path, e)
		}
		if len(e.Message) > 400 {
			t.Errorf("%q: message of %d bytes", c.src, len(e.Message))
		}
	}
	s, err := vigie.ParseSystem("f.yaml", []byte(head+"name: Planificateur\ndescription: |\n  Ligne un\n  \tligne deux\n"))
	if err != nil || !strings.Contains(s.Description, "\n") {
		t.Errorf("multi-line description: %v %+v", err, s)
	}
	big := head + "name: x\nunknown_" + strings.Repeat("k", 5000) + ": 1\n"
	if e := parseErr(t, big); len(e.Message) > 400 {
		t.Errorf("unknown key: message of %d bytes", len(e.Message))
	}
}

// UpperFirst capitalises the first letter, not the first byte: an accented
// start (two bytes in UTF-8) comes out whole and capitalised.
func TestUpperFirst(t *testing.T) {
	for in, want := range map[string]string{
		"égal à 1,0": "Égal à 1,0", "être signalé": "Être signalé", "à quelle date": "À quelle date",
		"indéfini": "Indéfini", "undefined": "Undefined", "über": "Über", "œuvre": "Œuvre",
		"12,5 %": "12,5 %", "": "", "Déjà": "Déjà", "\xff abc": "\xff abc",
	} {
		if got := vigie.UpperFirst(in); got != want {
			t.Errorf("UpperFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
