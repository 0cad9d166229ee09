// Package ods writes OpenDocument spreadsheets (.ods) that LibreOffice,
// Calc and other office suites open: one or more sheets of strings and
// numbers, with a bold header row. It uses only the standard library: the
// package is a zip (archive/zip) whose first entry is the uncompressed
// mimetype, then content.xml built from a template, styles.xml, meta.xml
// and META-INF/manifest.xml (OpenDocument 1.2, part 3, section 3).
package ods

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
	"text/template"
)

// MediaType is the media type of an OpenDocument spreadsheet, also the
// content of its mimetype entry.
const MediaType = "application/vnd.oasis.opendocument.spreadsheet"

// Cell is one cell: a string, or a number when Number is set.
type Cell struct {
	Text   string
	Number *float64
}

// Text returns a string cell.
func Text(s string) Cell { return Cell{Text: s} }

// Int returns a number cell.
func Int(n int) Cell {
	f := float64(n)
	return Cell{Text: strconv.Itoa(n), Number: &f}
}

// Sheet is one table of the spreadsheet: a header row, then the rows.
type Sheet struct {
	Name   string
	Header []string
	Rows   [][]Cell
	// Widths are the column widths in centimetres (optional).
	Widths []float64
}

// Entries are the names of the entries of a written file, in order.
var Entries = []string{"mimetype", "content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"}

// Write writes the sheets as an .ods file.
func Write(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return errors.New("ods: no sheet")
	}
	var content bytes.Buffer
	if err := contentTmpl.Execute(&content, sheets); err != nil {
		return err
	}
	z := zip.NewWriter(w)
	// The mimetype first, stored, without extra field or data descriptor,
	// so that its bytes sit at offset 38 of the file.
	mt := []byte(MediaType)
	fw, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(mt), CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))})
	if err != nil {
		return err
	}
	if _, err := fw.Write(mt); err != nil {
		return err
	}
	for _, e := range []struct {
		name string
		b    []byte
	}{
		{"content.xml", content.Bytes()},
		{"styles.xml", []byte(stylesXML)},
		{"meta.xml", []byte(metaXML)},
		{"META-INF/manifest.xml", []byte(manifestXML)},
	} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.b); err != nil {
			return err
		}
	}
	return z.Close()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

var contentTmpl = template.Must(template.New("content").Funcs(template.FuncMap{
	"x":     esc,
	"num":   func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) },
	"cm":    func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) + "cm" },
	"lines": func(s string) []string { return strings.Split(s, "\n") },
	"deref": func(f *float64) float64 { return *f },
}).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles>
<style:style style:name="hdr" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="txt" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>
{{range $i, $s := .}}{{range $j, $w := $s.Widths}}<style:style style:name="co{{$i}}_{{$j}}" style:family="table-column"><style:table-column-properties style:column-width="{{cm $w}}"/></style:style>
{{end}}{{end}}</office:automatic-styles>
<office:body>
<office:spreadsheet>
{{range $i, $s := .}}<table:table table:name="{{x $s.Name}}">
{{if $s.Widths}}{{range $j, $w := $s.Widths}}<table:table-column table:style-name="co{{$i}}_{{$j}}"/>{{end}}{{else}}<table:table-column table:number-columns-repeated="{{len $s.Header}}"/>{{end}}
<table:table-header-rows><table:table-row>{{range $s.Header}}<table:table-cell table:style-name="hdr" office:value-type="string"><text:p>{{x .}}</text:p></table:table-cell>{{end}}</table:table-row></table:table-header-rows>
{{range $s.Rows}}<table:table-row>{{range .}}{{if .Number}}<table:table-cell office:value-type="float" office:value="{{num (deref .Number)}}"><text:p>{{x .Text}}</text:p></table:table-cell>{{else}}<table:table-cell table:style-name="txt" office:value-type="string">{{range lines .Text}}<text:p>{{x .}}</text:p>{{end}}</table:table-cell>{{end}}{{end}}</table:table-row>
{{end}}</table:table>
{{end}}</office:spreadsheet>
</office:body>
</office:document-content>
`))

const stylesXML = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:styles>
<style:default-style style:family="table-cell"><style:text-properties fo:font-size="10pt"/></style:default-style>
</office:styles>
</office:document-styles>
`

const metaXML = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">
<office:meta><meta:generator>vigie</meta:generator></office:meta>
</office:document-meta>
`

const manifestXML = `<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
`
