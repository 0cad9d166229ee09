package ats

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie-app/vigie"
)

// referenceAttributes parses the attribute table of the Eurocities
// standard kept in testdata.
func referenceAttributes(t *testing.T) (all, required []string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "eurocities-0.3.1.md"))
	if err != nil {
		t.Fatal(err)
	}
	paren := regexp.MustCompile(`\([^)]*\)`)
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 4 || strings.TrimSpace(cells[1]) == "group" || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") {
			continue
		}
		for _, a := range strings.Split(paren.ReplaceAllString(cells[2], ""), ",") {
			a = strings.TrimSpace(a)
			req := strings.HasSuffix(a, `\*`)
			a = strings.TrimSuffix(a, `\*`)
			all = append(all, a)
			if req {
				required = append(required, a)
			}
		}
	}
	return all, required
}

func TestHeaderUsesTheStandardsNames(t *testing.T) {
	ref, required := referenceAttributes(t)
	if len(ref) != 49 || len(required) != 29 {
		t.Fatalf("reference: %d attributes, %d required; the reference says 49 and 29", len(ref), len(required))
	}
	h := Header()
	for i, a := range ref {
		if h[i] != a {
			t.Fatalf("column %d is %q, the standard's attribute is %q", i+1, h[i], a)
		}
	}
	seen := map[string]bool{}
	for _, c := range h {
		if seen[c] {
			t.Fatalf("column %q twice", c)
		}
		seen[c] = true
	}
	for _, c := range h[len(ref):] {
		if !strings.HasPrefix(c, Prefix) {
			t.Fatalf("our column %q is not prefixed %q", c, Prefix)
		}
	}
	for _, p := range vigie.FactPaths() {
		if !seen[factColumn(p)] {
			t.Fatalf("fact %s has no column", p)
		}
	}
}

func records(t *testing.T) []Record {
	t.Helper()
	var out []Record
	for i, name := range []string{"01-centre-appels-analyse-vocale.yaml", "04-caf-score-risque-controles.yaml", "07-redaction-articles-generes.yaml"} {
		path := filepath.Join("..", "testdata", "cases", name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(path, b)
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 20+i, 10, 0, 0, 0, time.UTC)
		out = append(out, Record{
			System:       &vigie.SystemRecord{ID: "0193" + strings.Repeat("0", 28) + string(rune('1'+i)), Version: 2, System: *s, CreatedAt: at, UpdatedAt: at.Add(48 * time.Hour)},
			Organisation: "Section syndicale",
			Workplace:    &vigie.Workplace{ID: "w1", Name: "Établissement " + name[:2]},
		})
	}
	out[0].Tier = "prohibited"
	return out
}

func TestCSV(t *testing.T) {
	recs := records(t)
	var b bytes.Buffer
	if err := WriteCSV(&b, recs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want header + 3", len(rows))
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	r1, r2 := rows[1], rows[2]
	get := func(r []string, c string) string { return r[col[c]] }
	s1 := recs[0].System.System
	checks := []struct{ got, want string }{
		{get(r1, "name"), s1.Name},
		{get(r1, "uuid"), recs[0].System.ID},
		{get(r1, "status"), "operational"},         // deployed
		{get(r1, "risk_category"), "unacceptable"}, // prohibited
		{get(r2, "risk_category"), ""},             // not assessed: left empty
		{get(r1, "domain"), "work and career"},     // monitoring, performance_evaluation (customer_interaction has no named value)
		{get(r2, "domain"), "subsidies, benefits and allowances"},
		{get(r1, "organization"), "Établissement 01"},
		{get(r1, "product_information"), s1.Vendor},
		{get(r1, "standard_version"), "0.3.1"},
		{get(r1, "publication_date"), "2026-11-20"},
		{get(r1, "last_change_date"), "2026-11-22"},
		{get(r1, "contact_email"), ""}, // not recorded: never guessed
		{get(r1, "vigie_capabilities_emotion_recognition"), "true"},
		{get(r1, "vigie_deployment_fria_done"), "unknown"},
		{get(r1, "vigie_work_surveillance_felt"), "3"},
		{get(r1, "vigie_purpose_domains"), "monitoring, performance_evaluation, customer_interaction"},
		{get(r1, "vigie_ai_act_tier"), "prohibited"},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: %q, want %q", i, c.got, c.want)
		}
	}
	if n := utf8.RuneCountInString(get(r1, "description_short")); n > 150 || n < 100 {
		t.Errorf("description_short has %d characters", n)
	}
	if strings.Count(get(r1, "vigie_evidence"), "\n") != len(s1.Evidence)-1 {
		t.Errorf("evidence lines: %q", get(r1, "vigie_evidence"))
	}
}

func TestJSONHasTheSameFieldsAsCSV(t *testing.T) {
	recs := records(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, recs); err != nil {
		t.Fatal(err)
	}
	var got []map[string]string
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got) != 3 {
		t.Fatalf("%d objects", len(got))
	}
	h := Header()
	for i, obj := range got {
		if len(obj) != len(h) {
			t.Fatalf("object %d has %d keys, header %d", i, len(obj), len(h))
		}
		row := Row(recs[i])
		for j, k := range h {
			if obj[k] != row[j] {
				t.Fatalf("object %d, %s: %q, want %q", i, k, obj[k], row[j])
			}
		}
	}
	// Keys keep the standard's order.
	if !strings.HasPrefix(strings.TrimSpace(b.String()), `[
  {"name": `) {
		t.Fatalf("first key is not name: %.40s", b.String())
	}
	var empty bytes.Buffer
	if err := WriteJSON(&empty, nil); err != nil || strings.TrimSpace(empty.String()) != "[]" {
		t.Fatalf("empty register: %q %v", empty.String(), err)
	}
}

func TestShort(t *testing.T) {
	if got := short("  un   deux\ntrois ", 150); got != "un deux trois" {
		t.Fatalf("%q", got)
	}
	long := strings.Repeat("mot ", 60)
	got := short(long, 150)
	if utf8.RuneCountInString(got) > 150 || !strings.HasSuffix(got, "mot…") {
		t.Fatalf("%q", got)
	}
}

// TestCSVNeutralisesFormulas: a value that starts like a formula is
// written with a leading apostrophe in every column of the ATS CSV.
func TestCSVNeutralisesFormulas(t *testing.T) {
	for _, v := range []string{"=1+1", "+33", "-2", "@SUM(A1)", "\tx", "\rx"} {
		recs := records(t)[:1]
		recs[0].System.System.Name = v
		recs[0].System.System.Vendor = v
		var b bytes.Buffer
		if err := WriteCSV(&b, recs); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for i, c := range rows[0] {
			if c == "name" || c == "product_information" || c == "vigie_vendor" {
				seen++
				if got := rows[1][i]; !strings.HasPrefix(got, "'") {
					t.Errorf("%q: column %s = %q, not neutralised", v, c, got)
				}
			}
		}
		if seen != 3 {
			t.Fatalf("%d of the 3 columns checked", seen)
		}
	}
}
