package sheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/sheet"
)

// Hostile are values that start with each character a spreadsheet reads
// as the start of a formula or a command.
var Hostile = []string{"=1+1", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", `=HYPERLINK("http://x","y")`}

func TestNeutralise(t *testing.T) {
	for _, v := range Hostile {
		got := sheet.Neutralise(v)
		if got != "'"+v {
			t.Errorf("Neutralise(%q) = %q, want a leading apostrophe", v, got)
		}
	}
	for _, v := range []string{"", "Plateau 1", "3", "'déjà", " =espace", "a=b", "é=", "\n="} {
		if got := sheet.Neutralise(v); got != v {
			t.Errorf("Neutralise(%q) = %q, want it unchanged", v, got)
		}
	}
}

func TestFrenchCSV(t *testing.T) {
	var b bytes.Buffer
	w := sheet.NewCSV(&b, sheet.French)
	rec := []string{"Unité", "=1+1"}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(append([]string{}, Hostile...)); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if rec[1] != "=1+1" {
		t.Error("Write changed the caller's record")
	}
	out := b.String()
	if !strings.HasPrefix(out, sheet.BOM+"Unité;'=1+1\r\n") {
		t.Fatalf("start %q, want the byte-order mark, semicolons and CRLF", out[:min(len(out), 40)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, sheet.BOM)))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// With CRLF line ends, encoding/csv drops a lone carriage return:
	// the apostrophe stays first.
	for i, v := range Hostile {
		if want := "'" + strings.ReplaceAll(v, "\r", ""); rows[1][i] != want {
			t.Errorf("cell %d = %q, want %q", i, rows[1][i], want)
		}
	}
}

func TestRFC4180(t *testing.T) {
	var b bytes.Buffer
	w := sheet.NewCSV(&b, sheet.RFC4180)
	_ = w.Write([]string{"a", "@b"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "a,'@b\r\n" {
		t.Errorf("got %q", got)
	}
}

func TestEmptyFrenchCSVHasItsBOM(t *testing.T) {
	var b bytes.Buffer
	if err := sheet.NewCSV(&b, sheet.French).Flush(); err != nil {
		t.Fatal(err)
	}
	if b.String() != sheet.BOM {
		t.Errorf("got %q", b.String())
	}
}
