package web

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/sheet"
)

// duerpHeader are the message ids of the columns of the DUERP export.
var duerpHeader = []string{"as.duerp.unit", "as.duerp.hazard", "as.duerp.risk", "as.duerp.severity",
	"as.duerp.frequency", "as.duerp.priority", "as.duerp.existing", "as.duerp.proposed"}

// duerpRow is one DUERP line of the engine as the cells of the export, in
// the language l: the texts, the severity and frequency as numbers and the
// priority in words.
func duerpRow(x assess.DUERPLine, l law.Lang) []string {
	pick := func(fr, en string) string {
		if l == law.EN && en != "" {
			return en
		}
		return fr
	}
	return []string{x.Unit, pick(x.Hazard, x.HazardEN), pick(x.Risk, x.RiskEN), strconv.Itoa(x.Severity),
		strconv.Itoa(x.Frequency), assess.Label(l, "priority."+x.Priority),
		pick(x.ExistingMeasures, x.ExistingMeasuresEN), pick(x.ProposedMeasures, x.ProposedMeasuresEN)}
}

// handleDUERP writes the DUERP lines of the system's assessment on the
// date asked for (today by default) as CSV (UTF-8 with a byte-order mark,
// semicolons, for French spreadsheets) or ODS, headers in the interface
// language.
func (s *Server) handleDUERP(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	format := chi.URLParam(r, "format")
	if format != "csv" && format != "ods" {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	l := s.loc(r)
	date, ok := parseAsOf(r.URL.Query().Get("date"))
	if !ok {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "date", Message: l.T("as.date") + " : " + l.T("err.date")})
		return
	}
	lang := lawLang(l)
	a := assess.Evaluate(&rec.System, date)
	header := make([]string, len(duerpHeader))
	for i, id := range duerpHeader {
		header[i] = l.T(id)
	}
	name := "duerp-" + slug(rec.System.Name) + "-" + date.String() + "." + format
	var buf bytes.Buffer
	if format == "csv" {
		cw := sheet.NewCSV(&buf, sheet.French)
		_ = cw.Write(header)
		for _, x := range a.DUERP {
			_ = cw.Write(duerpRow(x, lang))
		}
		if err := cw.Flush(); err != nil {
			s.fail(w, r, err)
			return
		}
		download(w, "text/csv; charset=utf-8", name, buf.Bytes())
		return
	}
	tab := ods.Sheet{Name: "DUERP " + date.String(), Header: header, Widths: []float64{5, 6, 6, 2, 2, 2.5, 6, 9}}
	for _, x := range a.DUERP {
		row := duerpRow(x, lang)
		tab.Rows = append(tab.Rows, []ods.Cell{ods.Text(row[0]), ods.Text(row[1]), ods.Text(row[2]),
			ods.Int(x.Severity), ods.Int(x.Frequency), ods.Text(row[5]), ods.Text(row[6]), ods.Text(row[7])})
	}
	if err := ods.Write(&buf, tab); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, ods.MediaType, name, buf.Bytes())
}
