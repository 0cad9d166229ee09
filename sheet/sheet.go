// Package sheet holds what every table vigie writes for a spreadsheet
// shares: the neutralisation of cells that a spreadsheet would read as a
// formula (Neutralise), and a CSV writer that applies it to every cell,
// in the dialect French spreadsheets open as they are (UTF-8 with a
// byte-order mark, semicolons, CRLF) or in plain RFC 4180.
//
// Every CSV and OpenDocument spreadsheet of the project goes through
// Neutralise: the register, the DUERP lines, open data and testimony
// results. A value is data, never a formula.
package sheet

import (
	"encoding/csv"
	"io"
)

// Neutralise returns s with a leading apostrophe when its first character
// would make a spreadsheet read the cell as a formula or a command: =, +,
// -, @, a tab or a carriage return (OWASP, "CSV injection"). LibreOffice
// and Excel show such a cell as the text it is. Any other value is
// returned unchanged.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Dialect is the flavour of CSV a Writer writes.
type Dialect int

const (
	// French is what LibreOffice and Excel set to French open with a
	// double click: a UTF-8 byte-order mark, semicolons, CRLF line ends.
	French Dialect = iota
	// RFC4180 is plain CSV for programs: commas, CRLF, no byte-order mark.
	RFC4180
)

// BOM is the UTF-8 byte-order mark that starts a French CSV.
const BOM = "\ufeff"

// Writer writes CSV records one by one, each cell neutralised. It buffers
// a few kilobytes at most: a table of any length streams through it.
type Writer struct {
	w       io.Writer
	cw      *csv.Writer
	bom     bool
	started bool
	cells   []string
}

// NewCSV returns a Writer of dialect d on w.
func NewCSV(w io.Writer, d Dialect) *Writer {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if d == French {
		cw.Comma = ';'
	}
	return &Writer{w: w, cw: cw, bom: d == French}
}

// Write writes one record, every cell through Neutralise; the record
// itself is left as it is.
func (w *Writer) Write(record []string) error {
	if !w.started {
		w.started = true
		if w.bom {
			if _, err := io.WriteString(w.w, BOM); err != nil {
				return err
			}
		}
	}
	w.cells = w.cells[:0]
	for _, c := range record {
		w.cells = append(w.cells, Neutralise(c))
	}
	return w.cw.Write(w.cells)
}

// Flush writes what is buffered to the underlying writer and returns the
// first error met, if any. A table that has no record yet still gets its
// byte-order mark.
func (w *Writer) Flush() error {
	if !w.started {
		w.started = true
		if w.bom {
			if _, err := io.WriteString(w.w, BOM); err != nil {
				return err
			}
		}
	}
	w.cw.Flush()
	return w.cw.Error()
}
