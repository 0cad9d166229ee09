// Package ods writes OpenDocument spreadsheets (.ods) that LibreOffice,
// Calc and other office suites open: one or more sheets of strings and
// numbers, with a bold header row, written row by row. The file is a zip
// whose first entry is the uncompressed mimetype, then content.xml,
// styles.xml, meta.xml and META-INF/manifest.xml (OpenDocument 1.2, part
// 3, section 3).
package ods

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"hash/crc32"
	"io"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie/sheet"
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
	sw, err := NewWriter(w, sheets...)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if i > 0 {
			if err := sw.NextSheet(); err != nil {
				return err
			}
		}
		for _, row := range s.Rows {
			if err := sw.WriteRow(row); err != nil {
				return err
			}
		}
	}
	return sw.Close()
}

// Writer writes an .ods file row by row: the sheets' names, headers and
// widths are given first, then the rows of the first sheet, NextSheet,
// the rows of the second, and so on. Its memory does not grow with the
// number of rows, so that a table of any length streams to a client.
//
// Every text cell (and header) goes through sheet.Neutralise, as in every
// CSV the project writes: a value is data, never a formula.
type Writer struct {
	z      *zip.Writer
	b      *bufio.Writer
	sheets []Sheet
	cur    int
	err    error
}

// NewWriter starts an .ods file on w with the sheets given (their Rows
// are not written: use WriteRow).
func NewWriter(w io.Writer, sheets ...Sheet) (*Writer, error) {
	if len(sheets) == 0 {
		return nil, errors.New("ods: no sheet")
	}
	z := zip.NewWriter(w)
	// The mimetype first, stored, without extra field or data descriptor,
	// so that its bytes sit at offset 38 of the file.
	mt := []byte(MediaType)
	fw, err := z.CreateRaw(&zip.FileHeader{Name: "mimetype", Method: zip.Store,
		CRC32: crc32.ChecksumIEEE(mt), CompressedSize64: uint64(len(mt)), UncompressedSize64: uint64(len(mt))})
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(mt); err != nil {
		return nil, err
	}
	cw, err := z.CreateHeader(&zip.FileHeader{Name: "content.xml", Method: zip.Deflate})
	if err != nil {
		return nil, err
	}
	sw := &Writer{z: z, b: bufio.NewWriterSize(cw, 16<<10), sheets: sheets}
	sw.prolog()
	sw.startSheet()
	return sw, sw.err
}

func (w *Writer) str(s string) {
	if w.err == nil {
		_, w.err = w.b.WriteString(s)
	}
}

// text writes s escaped for XML; characters XML cannot hold become U+FFFD.
func (w *Writer) text(s string) {
	if w.err == nil {
		w.err = xml.EscapeText(w.b, []byte(s))
	}
}

func (w *Writer) prolog() {
	w.str(`<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2">
<office:automatic-styles>
<style:style style:name="hdr" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="txt" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>
`)
	for i, s := range w.sheets {
		for j, wd := range s.Widths {
			w.str(`<style:style style:name="co` + strconv.Itoa(i) + "_" + strconv.Itoa(j) + `" style:family="table-column"><style:table-column-properties style:column-width="` +
				strconv.FormatFloat(wd, 'f', 2, 64) + `cm"/></style:style>` + "\n")
		}
	}
	w.str("</office:automatic-styles>\n<office:body>\n<office:spreadsheet>\n")
}

func (w *Writer) startSheet() {
	s := w.sheets[w.cur]
	w.str(`<table:table table:name="`)
	w.text(s.Name)
	w.str("\">\n")
	if len(s.Widths) > 0 {
		for j := range s.Widths {
			w.str(`<table:table-column table:style-name="co` + strconv.Itoa(w.cur) + "_" + strconv.Itoa(j) + `"/>`)
		}
	} else {
		w.str(`<table:table-column table:number-columns-repeated="` + strconv.Itoa(max(len(s.Header), 1)) + `"/>`)
	}
	w.str("\n<table:table-header-rows><table:table-row>")
	for _, h := range s.Header {
		w.str(`<table:table-cell table:style-name="hdr" office:value-type="string"><text:p>`)
		w.text(sheet.Neutralise(h))
		w.str(`</text:p></table:table-cell>`)
	}
	w.str("</table:table-row></table:table-header-rows>\n")
}

// WriteRow writes one row of the current sheet.
func (w *Writer) WriteRow(cells []Cell) error {
	w.str("<table:table-row>")
	for _, c := range cells {
		if c.Number != nil {
			w.str(`<table:table-cell office:value-type="float" office:value="` + strconv.FormatFloat(*c.Number, 'f', -1, 64) + `"><text:p>`)
			w.text(c.Text)
			w.str(`</text:p></table:table-cell>`)
			continue
		}
		w.str(`<table:table-cell table:style-name="txt" office:value-type="string">`)
		for _, line := range strings.Split(sheet.Neutralise(c.Text), "\n") {
			w.str("<text:p>")
			w.text(line)
			w.str("</text:p>")
		}
		w.str(`</table:table-cell>`)
	}
	w.str("</table:table-row>\n")
	return w.err
}

// NextSheet ends the current sheet and starts the next one given to
// NewWriter.
func (w *Writer) NextSheet() error {
	if w.cur+1 >= len(w.sheets) {
		return errors.New("ods: no more sheets")
	}
	w.str("</table:table>\n")
	w.cur++
	w.startSheet()
	return w.err
}

// Close ends the current sheet, writes the sheets not started (with their
// headers only) and the other parts of the file, and closes the zip; it
// does not close the underlying writer.
func (w *Writer) Close() error {
	for w.cur+1 < len(w.sheets) && w.err == nil {
		_ = w.NextSheet()
	}
	w.str("</table:table>\n</office:spreadsheet>\n</office:body>\n</office:document-content>\n")
	if w.err == nil {
		w.err = w.b.Flush()
	}
	if w.err != nil {
		return w.err
	}
	for _, e := range []struct {
		name string
		b    string
	}{
		{"styles.xml", stylesXML},
		{"meta.xml", metaXML},
		{"META-INF/manifest.xml", manifestXML},
	} {
		fw, err := w.z.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, e.b); err != nil {
			return err
		}
	}
	return w.z.Close()
}

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
