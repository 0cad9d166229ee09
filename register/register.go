// Package register writes an organisation's register of AI systems, one
// system at a time, so that a register of any size streams in constant
// memory:
//
//   - for a spreadsheet (CSV or ODS), in the language of the reader:
//     headers and values in words (French first, English second), in the
//     French CSV dialect that LibreOffice and Excel open as they are (a
//     UTF-8 byte-order mark, semicolons); every cell neutralised against
//     formulas (package sheet);
//   - with the attribute names of the Eurocities Algorithmic
//     Transparency Standard 0.3.1 (package ats): JSON always, and CSV when
//     Columns is ColumnsATS, for programs that read those names.
//
// The package is pure: entries in, bytes out. The labels come from the
// caller (the web interface's message catalogues).
package register

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/ats"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/sheet"
)

// Entry is one system of the register with what the export shows beside
// its facts.
type Entry struct {
	System *vigie.SystemRecord
	// Workplace is where the system is used; nil when none.
	Workplace *vigie.Workplace
	// Tier is the AI Act tier (prohibited, high, transparency, minimal),
	// "" when not known.
	Tier string
	// Unmet is the number of the employer's obligations not met, -1 when
	// not known.
	Unmet int
	// Next is the next due date of the system, zero when there is none.
	Next vigie.Date
}

// Labels translate message ids: the web interface's catalogues.
type Labels interface {
	T(id string, kv ...any) string
	Has(id string) bool
}

// The formats.
const (
	CSV  = "csv"
	ODS  = "ods"
	JSON = "json"
)

// The column sets.
const (
	// ColumnsWords are headers and values in words, in Lang.
	ColumnsWords = ""
	// ColumnsATS are the attribute names of the Eurocities standard,
	// then vigie_ fields, with the values as the system file holds them.
	ColumnsATS = "ats"
)

// Options say what to write.
type Options struct {
	Format  string // CSV, ODS or JSON
	Columns string // ColumnsWords (default) or ColumnsATS; JSON is always ATS
	// Lang is "fr" (default) or "en"; Labels must speak it.
	Lang   string
	Labels Labels
	// Organisation is the name of the organisation that keeps the
	// register.
	Organisation string
	// Sheet names the ODS sheet.
	Sheet string
}

// Writer writes the entries of a register.
type Writer struct {
	o    Options
	csv  *sheet.Writer
	ods  *ods.Writer
	json *ats.JSONWriter
	cols []column
	// values maps "path\x00value" to the value in words, for every
	// enumerated value and yes/no/unknown.
	values map[string]string
	lang   law.Lang
	rec    []string
	cells  []ods.Cell
}

// ErrFormat is returned for a format or column set this package does not
// write.
var ErrFormat = errors.New("register: unknown format")

// New starts a register on w.
func New(w io.Writer, o Options) (*Writer, error) {
	rw := &Writer{o: o, lang: law.FR}
	if o.Lang == "en" {
		rw.lang = law.EN
	}
	if o.Format == JSON {
		rw.json = ats.NewJSONWriter(w)
		return rw, nil
	}
	if o.Format != CSV && o.Format != ODS {
		return nil, ErrFormat
	}
	var header []string
	switch o.Columns {
	case ColumnsATS:
		header = ats.Header()
	case ColumnsWords:
		if o.Labels == nil {
			return nil, errors.New("register: no labels")
		}
		rw.cols = wordColumns()
		rw.values = valueWords(o.Labels)
		for _, c := range rw.cols {
			header = append(header, o.Labels.T(c.label))
		}
	default:
		return nil, ErrFormat
	}
	if o.Format == CSV {
		d := sheet.French
		if o.Columns == ColumnsATS {
			d = sheet.RFC4180
		}
		rw.csv = sheet.NewCSV(w, d)
		return rw, rw.csv.Write(header)
	}
	name := o.Sheet
	if name == "" {
		name = "Registre"
	}
	var widths []float64
	for _, c := range rw.cols {
		widths = append(widths, c.width)
	}
	var err error
	rw.ods, err = ods.NewWriter(w, ods.Sheet{Name: name, Header: header, Widths: widths})
	return rw, err
}

// Write writes one entry.
func (w *Writer) Write(e Entry) error {
	if w.json != nil {
		return w.json.Write(w.atsRecord(e))
	}
	var rec []string
	if w.o.Columns == ColumnsATS {
		rec = ats.Row(w.atsRecord(e))
	} else {
		rec = w.words(e)
	}
	if w.csv != nil {
		return w.csv.Write(rec)
	}
	w.cells = w.cells[:0]
	for i, v := range rec {
		if w.cols != nil && w.cols[i].number && v != "" && isInt(v) {
			n, _ := strconv.Atoi(v)
			w.cells = append(w.cells, ods.Int(n))
			continue
		}
		w.cells = append(w.cells, ods.Text(v))
	}
	return w.ods.WriteRow(w.cells)
}

// Close ends the register; it does not close the underlying writer.
func (w *Writer) Close() error {
	switch {
	case w.json != nil:
		return w.json.Close()
	case w.csv != nil:
		return w.csv.Flush()
	default:
		return w.ods.Close()
	}
}

func (w *Writer) atsRecord(e Entry) ats.Record {
	return ats.Record{System: e.System, Organisation: w.o.Organisation, Workplace: e.Workplace, Tier: e.Tier}
}

func isInt(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// column is one column of the register in words.
type column struct {
	label  string  // message id of the header
	path   string  // the fact, "" for the columns that are not facts
	width  float64 // ODS width, cm
	number bool    // an ODS number cell when the value is a whole number
}

// Columns in words, before and after the facts. Their message ids are the
// web interface's.
const (
	colWorkplace = "export.col.workplace"
	colTier      = "export.col.tier"
	colUnmet     = "export.col.unmet"
	colNext      = "export.col.next"
	colEvidence  = "export.col.evidence"
	colVersion   = "export.col.version"
	colCreated   = "export.col.created"
	colUpdated   = "export.col.updated"
	colID        = "export.col.id"
)

func wordColumns() []column {
	cols := []column{
		{label: "fact.name", path: "name", width: 6},
		{label: colWorkplace, width: 5},
		{label: colTier, width: 3.5},
		{label: colUnmet, width: 3, number: true},
		{label: colNext, width: 3},
	}
	for _, p := range vigie.FactPaths() {
		if p == "name" {
			continue
		}
		c := column{label: "fact." + p, path: p, width: 4}
		switch vigie.FactKind(p) {
		case vigie.KindInt:
			c.number = true
			c.width = 3
		case vigie.KindTri, vigie.KindDate:
			c.width = 3
		}
		if p == "description" {
			c.width = 10
		}
		cols = append(cols, c)
	}
	return append(cols,
		column{label: colEvidence, width: 10},
		column{label: colVersion, width: 2, number: true},
		column{label: colCreated, width: 3},
		column{label: colUpdated, width: 3},
		column{label: colID, width: 4})
}

// valueWords translates once what the cells of a register repeat: yes,
// no, unknown, none, and every enumerated value of every fact.
func valueWords(l Labels) map[string]string {
	m := map[string]string{
		"\x00" + vigie.Unknown: l.T("value.unknown"),
		"\x00true":             l.T("value.true"),
		"\x00false":            l.T("value.false"),
		"\x00[]":               l.T("value.none"),
	}
	for path, vals := range vigie.Enums {
		for _, v := range vals {
			if id := "enum." + path + "." + v; l.Has(id) {
				m[path+"\x00"+v] = l.T(id)
			}
		}
	}
	return m
}

// value is the fact's value v in words.
func (w *Writer) value(path, v string) string {
	if x, ok := w.values["\x00"+v]; ok {
		return x
	}
	switch vigie.FactKind(path) {
	case vigie.KindFloat:
		if w.lang == law.FR {
			return strings.Replace(v, ".", ",", 1)
		}
	case vigie.KindSet, vigie.KindText:
		if vigie.Enums[path] == nil {
			return v
		}
		parts := strings.Split(v, ", ")
		for i, p := range parts {
			if x, ok := w.values[path+"\x00"+p]; ok {
				parts[i] = x
			}
		}
		return strings.Join(parts, ", ")
	}
	return v
}

// words returns the row of e in words, in the order of w.cols.
func (w *Writer) words(e Entry) []string {
	r := e.System
	facts := r.System.Facts()
	w.rec = w.rec[:0]
	for _, c := range w.cols {
		var v string
		switch c.label {
		case colWorkplace:
			if e.Workplace != nil {
				v = e.Workplace.Name
			}
		case colTier:
			if e.Tier != "" {
				v = assess.Label(w.lang, "tier."+e.Tier)
			}
		case colUnmet:
			if e.Unmet >= 0 {
				v = strconv.Itoa(e.Unmet)
			}
		case colNext:
			if !e.Next.IsZero() {
				v = e.Next.String()
			}
		case colEvidence:
			v = w.evidence(r.System.Evidence)
		case colVersion:
			v = strconv.Itoa(r.Version)
		case colCreated:
			v = r.CreatedAt.Format("2006-01-02")
		case colUpdated:
			v = r.UpdatedAt.Format("2006-01-02")
		case colID:
			v = r.ID
		default:
			if c.path == "name" || c.path == "description" || c.path == "vendor" {
				v = facts[c.path]
			} else {
				v = w.value(c.path, facts[c.path])
			}
		}
		w.rec = append(w.rec, v)
	}
	return w.rec
}

// evidence writes the sources of the facts, one a line: the fact's label,
// the source in words, the document and its date.
func (w *Writer) evidence(ev []vigie.Evidence) string {
	var b strings.Builder
	for i, e := range ev {
		if i > 0 {
			b.WriteByte('\n')
		}
		label := e.Fact
		if w.o.Labels.Has("fact." + e.Fact) {
			label = w.o.Labels.T("fact." + e.Fact)
		}
		src := e.Source
		if x, ok := w.values["evidence.source\x00"+e.Source]; ok {
			src = x
		}
		fmt.Fprintf(&b, "%s — %s : %s", label, src, e.Document)
		if !e.Date.IsZero() {
			fmt.Fprintf(&b, " (%s)", e.Date)
		}
	}
	return b.String()
}

// Assessed returns the entry of r, used at wp, with its tier and unmet
// obligations from the assessment engine on date.
func Assessed(r *vigie.SystemRecord, wp *vigie.Workplace, date vigie.Date) Entry {
	a := assess.Evaluate(&r.System, date)
	unmet := 0
	for _, o := range a.Obligations {
		if o.Status == assess.StatusUnmet {
			unmet++
		}
	}
	return Entry{System: r, Workplace: wp, Tier: a.AIAct.Tier, Unmet: unmet}
}

// entry is the entry of r from the summary the store keeps of it, or
// from the assessment engine when the summary is not computed yet.
func entry(r *vigie.SystemRecord, wp *vigie.Workplace, date vigie.Date) Entry {
	if r.Summary.Tier == "" {
		return Assessed(r, wp, date)
	}
	return Entry{System: r, Workplace: wp, Tier: r.Summary.Tier, Unmet: r.Summary.Unmet, Next: r.Summary.NextDue}
}

// Systems is where a register's systems come from: the store.
type Systems interface {
	EachSystem(ctx context.Context, f vigie.SystemFilter, fn func(*vigie.SystemRecord) error) error
}

// Stream writes every system of orgID from src to w, each with its
// workplace (from workplaces) and what the register lists of it (the
// summary the store keeps, computed for date), then closes w. every, when not nil, is called before each batch of 200
// systems (a download extends its write deadline there).
func Stream(ctx context.Context, src Systems, orgID string, workplaces []*vigie.Workplace, date vigie.Date, w *Writer, every func()) error {
	byID := make(map[string]*vigie.Workplace, len(workplaces))
	for _, wp := range workplaces {
		byID[wp.ID] = wp
	}
	n := 0
	err := src.EachSystem(ctx, vigie.SystemFilter{OrgID: orgID}, func(r *vigie.SystemRecord) error {
		if every != nil && n%200 == 0 {
			every()
		}
		n++
		return w.Write(entry(r, byID[r.WorkplaceID], date))
	})
	if err != nil {
		return err
	}
	return w.Close()
}
