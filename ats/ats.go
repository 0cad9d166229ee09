// Package ats exports a register of AI systems as CSV or JSON using the
// attribute names of the Eurocities Algorithmic Transparency Standard 0.3.1
// (beta), followed by vigie's own fields, each prefixed "vigie_".
//
// Every attribute of the standard is a column, in the standard's order; an
// attribute that the system file does not record is left empty rather than
// guessed. Where the standard enumerates values (status, domain,
// risk_category) only the values it names are used. The vigie_ columns hold
// every fact of the system file by its path (dots become underscores), with
// "unknown" for an unknown fact, so that nothing the representatives
// recorded is lost.
//
// The package is pure: records in, bytes out.
package ats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/sheet"
)

// StandardVersion is the version of the Eurocities standard used.
const StandardVersion = "0.3.1"

// Attributes are the 49 attributes of the Eurocities standard 0.3.1, in
// its order (see docs/assessment.md).
var Attributes = []string{
	// Basic information
	"name", "description_short", "organization", "department", "contact_email", "contact_phone", "contact_name",
	"area", "domain", "website", "status", "remark",
	// Use case
	"decision_making_process", "goal", "impact", "risks", "risk_category", "proportionality", "lawful_basis", "documentation",
	// Data
	"training_data", "source_data", "data_bias", "connected_data_sources", "DPIA_description", "DPIA_url",
	// Algorithm
	"algorithm_type", "description", "methods_and_models", "performance", "alternatives_considered",
	"product_information", "codebase_url", "product_page", "AIA_description", "AIA_url",
	// Oversight
	"monitoring", "type", "human_intervention", "objection_procedure", "rollback",
	// Metadata
	"standard_version", "uuid", "lang", "publication_date", "last_change_date", "revision_date", "revision_note", "keywords",
}

// Prefix marks vigie's own fields.
const Prefix = "vigie_"

// Record is one system of the register, with what the export needs beside
// its facts.
type Record struct {
	System *vigie.SystemRecord
	// Organisation is the union organisation that keeps the register.
	Organisation string
	// Workplace is where the system is used (the employer or
	// establishment); it may be nil.
	Workplace *vigie.Workplace
	// Tier is the AI Act tier computed by the assessment (prohibited,
	// high, transparency, minimal), or "" when not assessed.
	Tier string
}

// vigieFields are our columns before the facts.
var vigieFields = []string{"vigie_schema", "vigie_version", "vigie_organisation", "vigie_workplace_id", "vigie_workplace", "vigie_ai_act_tier"}

// Header returns the column names: the standard's attributes, then vigie's.
func Header() []string { return slices.Clone(header()) }

var header = sync.OnceValue(func() []string {
	h := append([]string{}, Attributes...)
	h = append(h, vigieFields...)
	for _, p := range vigie.FactPaths() {
		h = append(h, factColumn(p))
	}
	return append(h, "vigie_evidence")
})

func factColumn(path string) string { return Prefix + strings.ReplaceAll(path, ".", "_") }

// statusOf maps deployment.status to the standard's status values.
var statusOf = map[string]string{"planned": "planned", "pilot": "pilot", "deployed": "operational", "retired": "retired"}

// domainOf maps vigie's purpose domains to the three domain values that the
// reference names; the others have no named equivalent and stay in
// vigie_purpose_domains.
var domainOf = map[string]string{
	"recruitment": "work and career", "task_allocation": "work and career", "scheduling": "work and career",
	"performance_evaluation": "work and career", "monitoring": "work and career", "promotion_termination": "work and career",
	"benefits_eligibility": "subsidies, benefits and allowances", "tax_control": "taxes",
}

// riskOf maps the AI Act tier to risk_category.
var riskOf = map[string]string{"prohibited": "unacceptable", "high": "high", "transparency": "limited", "minimal": "minimal"}

// Row returns the values of one record, in Header order.
func Row(rec Record) []string {
	r := rec.System
	s := &r.System
	facts := s.Facts()
	v := map[string]string{
		"name":                    s.Name,
		"description_short":       short(s.Description, 150),
		"organization":            "",
		"department":              strings.Join(s.Deployment.Units.Items, "; "),
		"domain":                  domains(s.Purpose.Domains),
		"status":                  statusOf[s.Deployment.Status],
		"decision_making_process": decisionProcess(s),
		"risk_category":           riskOf[rec.Tier],
		"description":             s.Description,
		"human_intervention":      s.Decisions.HumanReview,
		"product_information":     s.Vendor,
		"standard_version":        StandardVersion,
		"uuid":                    r.ID,
		"lang":                    "fr",
		"publication_date":        date(r.CreatedAt),
		"last_change_date":        date(r.UpdatedAt),
		"revision_note":           fmt.Sprintf("version %d", r.Version),
		"keywords":                strings.Join(s.Purpose.Domains.Items, ", "),
		"vigie_schema":            s.Schema,
		"vigie_version":           strconv.Itoa(r.Version),
		"vigie_organisation":      rec.Organisation,
		"vigie_workplace_id":      r.WorkplaceID,
		"vigie_ai_act_tier":       rec.Tier,
	}
	if rec.Workplace != nil {
		v["organization"] = rec.Workplace.Name
		v["vigie_workplace"] = rec.Workplace.Name
	}
	if s.Usage != nil {
		v["methods_and_models"] = s.Usage.Model
	}
	for _, p := range vigie.FactPaths() {
		v[factColumn(p)] = facts[p]
	}
	var ev []string
	for _, e := range s.Evidence {
		ev = append(ev, fmt.Sprintf("%s ← %s : %s (%s)", e.Fact, e.Source, e.Document, e.Date))
	}
	v["vigie_evidence"] = strings.Join(ev, "\n")
	h := header()
	row := make([]string, len(h))
	for i, k := range h {
		row[i] = v[k]
	}
	return row
}

func date(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }

func domains(d vigie.Set) string {
	var out []string
	for _, x := range d.Items {
		if m, ok := domainOf[x]; ok && !contains(out, m) {
			out = append(out, m)
		}
	}
	return strings.Join(out, "; ")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// decisionProcess states the system's role in decisions from the facts
// decisions.role and decisions.human_review, or "" when both are unknown.
func decisionProcess(s *vigie.System) string {
	role := map[string]string{"informs": "informe la décision / informs the decision", "recommends": "recommande / recommends", "decides": "décide / decides"}[s.Decisions.Role]
	review := map[string]string{"none": "aucun contrôle humain / no human review", "nominal": "contrôle humain de pure forme / nominal human review", "effective": "contrôle humain effectif / effective human review"}[s.Decisions.HumanReview]
	switch {
	case role != "" && review != "":
		return role + " ; " + review
	default:
		return role + review
	}
}

// short cuts s to at most n characters, at a word boundary, with "…".
// Short returns s on one line, cut at a word before n characters.
func Short(s string, n int) string { return short(s, n) }

func short(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// WriteCSV writes the header and one row per record (RFC 4180, UTF-8),
// every cell through sheet.Neutralise.
func WriteCSV(w io.Writer, records []Record) error {
	cw := sheet.NewCSV(w, sheet.RFC4180)
	if err := cw.Write(Header()); err != nil {
		return err
	}
	for _, r := range records {
		if err := cw.Write(Row(r)); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// WriteJSON writes a JSON array with one object per record, its keys in
// Header order, every value a string.
func WriteJSON(w io.Writer, records []Record) error {
	jw := NewJSONWriter(w)
	for _, r := range records {
		if err := jw.Write(r); err != nil {
			return err
		}
	}
	return jw.Close()
}

// JSONWriter writes the array of WriteJSON one record at a time, through
// a buffer of a few kilobytes.
type JSONWriter struct {
	b      *bufio.Writer
	header []string
	n      int
	err    error
}

// NewJSONWriter starts a JSON array on w.
func NewJSONWriter(w io.Writer) *JSONWriter {
	jw := &JSONWriter{b: bufio.NewWriterSize(w, 16<<10), header: header()}
	jw.str("[")
	return jw
}

func (jw *JSONWriter) str(s string) {
	if jw.err == nil {
		_, jw.err = jw.b.WriteString(s)
	}
}

// Write writes one record.
func (jw *JSONWriter) Write(r Record) error {
	if jw.n > 0 {
		jw.str(",")
	}
	jw.n++
	jw.str("\n  {")
	for j, val := range Row(r) {
		if j > 0 {
			jw.str(", ")
		}
		jw.str(jsonString(jw.header[j]))
		jw.str(": ")
		jw.str(jsonString(val))
	}
	jw.str("}")
	return jw.err
}

// Close ends the array and flushes it; it does not close the underlying
// writer.
func (jw *JSONWriter) Close() error {
	if jw.n > 0 {
		jw.str("\n")
	}
	jw.str("]\n")
	if jw.err == nil {
		jw.err = jw.b.Flush()
	}
	return jw.err
}

// jsonString encodes s as a JSON string, leaving <, > and & as they are.
func jsonString(s string) string {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	_ = e.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
