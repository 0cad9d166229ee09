package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

func fptr(f float64) *float64 { return &f }

// testFiles lists the test inputs with a configuration that uses them.
func testFiles() map[string]Config {
	return map[string]Config{
		"adult.data": {Groups: []string{"sex", "race"}, Intersect: true, Score: "education-num", Threshold: fptr(13),
			Label: "Y", LabelPositive: []string{">50K"}, Direction: Favourable},
		"adult.test": {Groups: []string{"race", "sex", "native-country"}, Intersect: true, Score: "Y", Positive: []string{">50K."},
			Recode: map[string]map[string]string{"native-country": {"United-States": "US", "*": "non-US"}}},
		"german.data": {Groups: []string{"Status/sex"}, Score: "target", Positive: []string{"1"},
			Cut: map[string][]float64{}, Direction: Favourable},
		"quoted.csv":    {Groups: []string{"groupe, texte", "note"}, Intersect: true, Score: "score", Threshold: fptr(0.5), Label: "label"},
		"cp1252.csv":    {Groups: []string{"sexe", "origine"}, Score: "décision", Positive: []string{"refusé"}},
		"semicolon.csv": {Groups: []string{"sexe"}, Score: "score", Threshold: fptr(0.5)},
		"tab.tsv":       {Groups: []string{"groupe"}, Score: "score", Threshold: fptr(0.5), Label: "label"},
		"dupheader.csv": {Groups: []string{"groupe", "groupe.2"}, Score: "score", Threshold: fptr(0.5)},
	}
}

func runBytes(t testing.TB, data []byte, cfg Config) *Report {
	t.Helper()
	r, err := Run(context.Background(), bytes.NewReader(data), cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return r
}

// countsJSON is the report without the fields that name the reader.
func countsJSON(t testing.TB, r *Report) string {
	t.Helper()
	c := *r
	c.Input.Reader = ""
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFastCarefulIdentical: the parallel block reader and the sequential
// RFC 4180 reader give the same report on every test file, whatever the
// block size (small blocks force records across blocks and buffer growth).
func TestFastCarefulIdentical(t *testing.T) {
	for name, cfg := range testFiles() {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		seq := cfg
		seq.Reader = ReaderSequential
		want := runBytes(t, data, seq)
		if want.Input.Reader != "sequential" {
			t.Fatalf("%s: reader %q", name, want.Input.Reader)
		}
		wantJ := countsJSON(t, want)
		slow := seq
		slow.slowAdd = true
		if g := countsJSON(t, runBytes(t, data, slow)); g != wantJ {
			t.Errorf("%s: the fast counting path and the full one differ", name)
		}
		for _, bs := range []int{512, 777, 4096, 1 << 16} {
			for _, w := range []int{2, 3} {
				par := cfg
				par.Reader = ReaderParallel
				par.Workers = w
				par.blockSize = bs
				got := runBytes(t, data, par)
				if got.Input.Reader != "parallel" {
					t.Fatalf("%s: reader %q", name, got.Input.Reader)
				}
				if g := countsJSON(t, got); g != wantJ {
					t.Errorf("%s block %d workers %d: parallel and sequential differ\nseq %s\npar %s", name, bs, w, wantJ, g)
				}
			}
		}
	}
}

func TestDetection(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	files := testFiles()
	r := runBytes(t, read("cp1252.csv"), files["cp1252.csv"])
	if r.Input.Encoding != "windows-1252" || r.Input.Delimiter != ";" {
		t.Errorf("cp1252.csv: encoding %q delimiter %q", r.Input.Encoding, r.Input.Delimiter)
	}
	vals := map[string]int64{}
	for _, g := range r.Attributes[0].Groups {
		vals[g.Value] = g.N
	}
	if vals["Féminin"]+vals["Masculin"] != 300 || vals["Féminin"] == 0 {
		t.Errorf("cp1252.csv: groups %v", vals)
	}
	var flagged int64
	for _, g := range r.Attributes[0].Groups {
		flagged += g.Counts.Flagged
	}
	if flagged == 0 || flagged == 300 {
		t.Errorf("cp1252.csv: --positive refusé matched %d rows", flagged)
	}
	// the same count from the raw bytes
	if want := int64(bytes.Count(read("cp1252.csv"), []byte(";refus\xe9"))); flagged != want {
		t.Errorf("cp1252.csv: flagged %d, want %d", flagged, want)
	}

	r = runBytes(t, read("semicolon.csv"), files["semicolon.csv"])
	if r.Input.Delimiter != ";" || r.Input.Encoding != "utf-8" || r.Input.Columns[0] != "id" || r.Input.Rows != 300 {
		t.Errorf("semicolon.csv (BOM): %+v", r.Input)
	}
	r = runBytes(t, read("tab.tsv"), files["tab.tsv"])
	if r.Input.Delimiter != "tab" || r.Input.Rows != 300 {
		t.Errorf("tab.tsv: %+v", r.Input)
	}
	r = runBytes(t, read("dupheader.csv"), files["dupheader.csv"])
	if r.Input.Columns[3] != "groupe.2" || len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "groupe.2") {
		t.Errorf("dupheader.csv: columns %v warnings %v", r.Input.Columns, r.Warnings)
	}
	if len(r.Attributes[1].Groups) != 2 || (r.Attributes[1].Groups[0].Value != "x" && r.Attributes[1].Groups[0].Value != "y") {
		t.Errorf("dupheader.csv: second groupe column not read: %+v", r.Attributes[1].Groups)
	}
	r = runBytes(t, read("german.data"), files["german.data"])
	if r.Input.Delimiter != "space" || r.Input.Rows != 1000 || len(r.Input.Columns) != 21 {
		t.Errorf("german.data: %+v", r.Input)
	}
}

func TestQuotedFields(t *testing.T) {
	data, _ := os.ReadFile("testdata/quoted.csv")
	cfg := testFiles()["quoted.csv"]
	r := runBytes(t, data, cfg)
	if r.Input.Rows != 600 {
		t.Errorf("rows %d, want 600", r.Input.Rows)
	}
	got := map[string]bool{}
	for _, g := range r.Attributes[0].Groups {
		got[g.Value] = true
	}
	if !got["Non, binaire"] || !got["Femme"] || !got["Homme"] || len(got) != 3 {
		t.Errorf("groups %v", got)
	}
	notes := map[string]bool{}
	for _, g := range r.Attributes[1].Groups {
		notes[g.Value] = true
	}
	for _, want := range []string{"ok", `dit "non"`, "ligne1\nligne2", "a,b", "espaces"} {
		if !notes[want] {
			t.Errorf("note %q missing from %v", want, notes)
		}
	}
}

// TestGrammar pins small cases of the CSV grammar on both readers.
func TestGrammar(t *testing.T) {
	cases := []struct {
		in   string
		rows int64
		vals []string // group values, sorted
	}{
		{"g,s\na,1\nb,0\n", 2, []string{"a", "b"}},
		{"g,s\r\na,1\r\n\r\nb,0", 2, []string{"a", "b"}},
		{"g,s\n  a  , 1 \n\"b \",0\n", 2, []string{"a", "b "}},
		{"g,s\n\"x\"\"y\",1\n\"p\nq\",0\n", 2, []string{"p\nq", "x\"y"}},
		{"g,s\na\"b,1\n\"c\" d ,0\n", 2, []string{"a\"b", "c d"}},
		{"g,s\n\"unterminated,1\nz,0\n", 1, nil},
	}
	for _, c := range cases {
		for _, mode := range []ReaderMode{ReaderSequential, ReaderParallel} {
			for _, bs := range []int{8, 16, 1024} {
				cfg := Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Reader: mode, blockSize: bs}
				tl, err := scanCSV(context.Background(), strings.NewReader(c.in), withDefaults(cfg))
				if err != nil {
					t.Fatalf("%q: %v", c.in, err)
				}
				if tl.rows != c.rows {
					t.Errorf("%q %s/%d: rows %d, want %d", c.in, mode, bs, tl.rows, c.rows)
				}
				if c.vals != nil {
					vs := append([]string{}, tl.attrVals[0]...)
					sortStrings(vs)
					if strings.Join(vs, "|") != strings.Join(c.vals, "|") {
						t.Errorf("%q %s/%d: values %q, want %q", c.in, mode, bs, vs, c.vals)
					}
				}
			}
		}
	}
}

func withDefaults(c Config) *Config {
	c.defaults()
	return &c
}

func TestReadHeader(t *testing.T) {
	f, err := os.Open("testdata/cp1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := ReadHeader(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h.Columns, ",") != "id,sexe,origine,décision" || h.Encoding != "windows-1252" || len(h.Sample) != 5 {
		t.Errorf("header %+v", h)
	}
	h, err = ReadHeaderFile("testdata/adult.data")
	if err != nil || len(h.Columns) != 15 || h.Columns[14] != "Y" || h.Sample[0][9] != "Male" {
		t.Errorf("adult header %+v %v", h, err)
	}
}

func errCode(err error) string { return vigieCode(err) }

func sortStrings(s []string) { sort.Strings(s) }

func TestParseNum(t *testing.T) {
	for _, s := range []string{"0", "0.5", "-0.25", "+3", "12.", ".5", "0,75", "1e3", "123456789012345678", "0.1234567890123456", "9007199254740993",
		"3.14159", "-0", "00012.500"} {
		got, ok := parseNum([]byte(s))
		want, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if !ok || err != nil || got != want {
			t.Errorf("parseNum(%q) = %v %v, want %v %v", s, got, ok, want, err)
		}
	}
	for _, s := range []string{"", "-", ".", "abc", "1.2.3", "NaN", "Inf", "1,2,3", "0x10", " 1"} {
		if v, ok := parseNum([]byte(s)); ok {
			t.Errorf("parseNum(%q) = %v, want an error", s, v)
		}
	}
}

// TestRecordLimit: an unclosed quote does not make either reader hold the
// rest of the input: past the record limit both stop with a clear error.
func TestRecordLimit(t *testing.T) {
	data := "g,s\na,1\n\"never closed," + strings.Repeat("x", 10000) + "\nb,0\n"
	for _, mode := range []ReaderMode{ReaderSequential, ReaderParallel} {
		cfg := Config{Groups: []string{"g"}, Score: "s", Threshold: fptr(1), Reader: mode, blockSize: 512, maxRec: 2048}
		_, err := Run(context.Background(), strings.NewReader(data), cfg)
		if err == nil || !strings.Contains(err.Error(), "guillemet non fermé") {
			t.Errorf("%s: %v", mode, err)
		}
		// within the limit the field simply runs to the end of input: one
		// short row out of two
		cfg.maxRec = 1 << 20
		if _, err := Run(context.Background(), strings.NewReader(data), cfg); err == nil || !strings.Contains(err.Error(), "moins de colonnes") {
			t.Errorf("%s, large limit: %v", mode, err)
		}
	}
}
