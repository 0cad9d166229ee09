package ods_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/ods"
)

func sample(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	err := ods.Write(&buf, ods.Sheet{
		Name:   "DUERP <1> & co",
		Header: []string{"Unité", "Gravité", "Mesures"},
		Rows: [][]ods.Cell{
			{ods.Text("Plateau « appels » & <équipe>"), ods.Int(4), ods.Text("ligne 1\nligne 2")},
			{ods.Text("=1+1"), ods.Int(0), ods.Text("")},
		},
		Widths: []float64{6, 2, 10},
	}, ods.Sheet{Name: "Deux", Header: []string{"a"}})
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestStructure checks what LibreOffice needs: a zip whose first entry is
// the mimetype, stored uncompressed with no extra field, its bytes at
// offset 38; the manifest naming the media type; every XML part
// well-formed.
func TestStructure(t *testing.T) {
	b := sample(t)
	if string(b[0:4]) != "PK\x03\x04" {
		t.Fatal("not a zip")
	}
	if m := binary.LittleEndian.Uint16(b[8:10]); m != 0 {
		t.Errorf("mimetype compression method %d, want 0 (stored)", m)
	}
	if n := binary.LittleEndian.Uint16(b[26:28]); n != 8 {
		t.Errorf("first entry name length %d", n)
	}
	if x := binary.LittleEndian.Uint16(b[28:30]); x != 0 {
		t.Errorf("mimetype has an extra field of %d bytes", x)
	}
	if fl := binary.LittleEndian.Uint16(b[6:8]); fl&0x8 != 0 {
		t.Errorf("mimetype uses a data descriptor (flags %#x)", fl)
	}
	if got := string(b[30:38]); got != "mimetype" {
		t.Errorf("first entry %q", got)
	}
	if got := string(b[38 : 38+len(ods.MediaType)]); got != ods.MediaType {
		t.Errorf("mimetype content %q", got)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if f.Name == "mimetype" {
			if f.Method != zip.Store || string(data) != ods.MediaType {
				t.Errorf("mimetype: method %d, %q", f.Method, data)
			}
			continue
		}
		wellFormed(t, f.Name, data)
		if f.Name == "META-INF/manifest.xml" && !strings.Contains(string(data), `manifest:full-path="/" manifest:version="1.2" manifest:media-type="`+ods.MediaType+`"`) {
			t.Errorf("manifest lacks the root entry:\n%s", data)
		}
		if f.Name == "META-INF/manifest.xml" && !strings.Contains(string(data), `manifest:full-path="content.xml"`) {
			t.Errorf("manifest lacks content.xml")
		}
	}
	if !slices.Equal(names, ods.Entries) {
		t.Errorf("entries %v, want %v", names, ods.Entries)
	}
}

func wellFormed(t *testing.T, name string, data []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// TestCells reads content.xml back: the sheets, their names and the cells
// in order, with their types.
func TestCells(t *testing.T) {
	tables, err := ods.Read(sample(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || tables[0].Name != "DUERP <1> & co" || tables[1].Name != "Deux" {
		t.Fatalf("tables %+v", tables)
	}
	want := [][]string{
		{"Unité", "Gravité", "Mesures"},
		{"Plateau « appels » & <équipe>", "4", "ligne 1\nligne 2"},
		{"'=1+1", "0", ""},
	}
	if got := tables[0].Rows; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if got := tables[0].Types[1]; !slices.Equal(got, []string{"string", "float", "string"}) {
		t.Errorf("types %v", got)
	}
	if got := tables[1].Rows; len(got) != 1 || got[0][0] != "a" {
		t.Errorf("second sheet %q", got)
	}
}

func TestNoSheet(t *testing.T) {
	if err := ods.Write(io.Discard); err == nil {
		t.Error("no error for no sheet")
	}
}

// TestNeutralised: a text cell (or header) that starts like a formula is
// kept as text with a leading apostrophe, as in the project's CSV files;
// a number cell keeps its sign.
func TestNeutralised(t *testing.T) {
	hostile := []string{"=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"}
	var row []ods.Cell
	for _, h := range hostile {
		row = append(row, ods.Text(h))
	}
	row = append(row, ods.Int(-3))
	var buf bytes.Buffer
	if err := ods.Write(&buf, ods.Sheet{Name: "s", Header: []string{"=h"}, Rows: [][]ods.Cell{row}}); err != nil {
		t.Fatal(err)
	}
	tables, err := ods.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	got := tables[0].Rows
	if got[0][0] != "'=h" {
		t.Errorf("header %q", got[0][0])
	}
	for i, h := range hostile {
		if got[1][i] != "'"+h {
			t.Errorf("cell %q read back as %q", h, got[1][i])
		}
	}
	if got[1][len(hostile)] != "-3" || tables[0].Types[1][len(hostile)] != "float" {
		t.Errorf("number cell %q", got[1][len(hostile)])
	}
}

// TestWriterRowByRow writes two sheets row by row and reads them back.
func TestWriterRowByRow(t *testing.T) {
	var buf bytes.Buffer
	w, err := ods.NewWriter(&buf, ods.Sheet{Name: "a", Header: []string{"n"}}, ods.Sheet{Name: "b", Header: []string{"m"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 1000; i++ {
		if err := w.WriteRow([]ods.Cell{ods.Int(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tables, err := ods.Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || len(tables[0].Rows) != 1001 || tables[0].Rows[1000][0] != "999" || len(tables[1].Rows) != 1 {
		t.Fatalf("read back %d tables", len(tables))
	}
}
