package law

import (
	"os"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Rules()) == 0 {
		t.Fatal("no rules")
	}
}

// Every rule id of the legal reference is encoded, and no other id.
func TestEveryReferenceRuleIsEncoded(t *testing.T) {
	raw, err := os.ReadFile("testdata/legal.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^\| ([A-Z][A-Za-z0-9-]+)(?: \(new id\))? \| `)
	var want []string
	for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
		if m[1] != "id" && m[1] != "CJEU" {
			want = append(want, m[1])
		}
	}
	if len(want) < 40 {
		t.Fatalf("parsed only %d ids from legal.md", len(want))
	}
	b := MustLoad()
	for _, id := range want {
		if !b.Has(id) {
			t.Errorf("rule %s of legal.md is not encoded", id)
		}
	}
	for _, r := range b.Rules() {
		if !slices.Contains(want, r.ID) {
			t.Errorf("rule %s is not in legal.md", r.ID)
		}
	}
}

// Every rule has a basis, a date, a confidence and sources that exist.
func TestRulesAreComplete(t *testing.T) {
	b := MustLoad()
	for _, r := range b.Rules() {
		if r.Basis.FR == "" || r.Basis.EN == "" {
			t.Errorf("%s: no basis", r.ID)
		}
		if _, ok := r.FromDate(); !ok && r.From != InForce && r.From != FromUnknown {
			t.Errorf("%s: no date of application", r.ID)
		}
		if r.From == FromUnknown && r.Confidence != Unverified {
			t.Errorf("%s: unknown date but not unverified", r.ID)
		}
		if len(r.Sources) == 0 {
			t.Errorf("%s: no source", r.ID)
		}
		for _, s := range r.Sources {
			if _, ok := b.Source(s); !ok {
				t.Errorf("%s: unknown source %s", r.ID, s)
			}
		}
		if ConfidenceRank(r.Confidence) == 0 {
			t.Errorf("%s: confidence %q", r.ID, r.Confidence)
		}
		if (r.Kind == KindObligation || r.Kind == KindProhibition || r.Kind == KindRight) && (r.Demand.FR == "" || r.Demand.EN == "") {
			t.Errorf("%s: no demand", r.ID)
		}
	}
}

// The loader refuses a rule file that breaks the schema.
func TestLoadRejectsBrokenRules(t *testing.T) {
	good := map[string]string{}
	for _, f := range Families {
		raw, err := files.ReadFile("rules/" + f + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		good[f] = string(raw)
	}
	src, _ := files.ReadFile("sources.yaml")
	rule := `- id: X-1
  kind: obligation
  title: {fr: t, en: t}
  basis: {fr: b, en: b}
  binds: employer
  binds_text: {fr: e, en: e}
  trigger: {fr: t, en: t}
  when: WHEN
  obligation: {fr: o, en: o}
  demand: {fr: d, en: d}
  deadline: {text: {fr: d, en: d}}
  from: FROM
  confidence: CONF
  sources: [SRC]
`
	cases := map[string][]string{
		"unknown fact":     {"WHEN", "{fact: capabilities.emotion_recognitoin, is: true}"},
		"wrong enum value": {"WHEN", "{fact: organisation.kind, in: [privé]}"},
		"wrong test":       {"WHEN", "{fact: organisation.headcount, is: true}"},
		"unknown rule":     {"WHEN", "{rule: CT-NOPE}"},
		"unknown point":    {"WHEN", "{point: \"9(z)\"}"},
		"two operators":    {"WHEN", "{rule: CT-NT, const: true}"},
		"bad date":         {"FROM", "2027-13-02"},
		"no date":          {"FROM", "\"\""},
		"bad confidence":   {"CONF", "sure"},
		"unknown source":   {"SRC", "NOWHERE"},
		"no source":        {"SRC", ""},
	}
	for name, c := range cases {
		r := rule
		defaults := map[string]string{"WHEN": "{const: true}", "FROM": "2020-01-01", "CONF": "verified", "SRC": "CT"}
		for k, v := range defaults {
			if k != c[0] {
				r = regexpReplace(r, k, v)
			}
		}
		r = regexpReplace(r, c[0], c[1])
		fsys := fstest.MapFS{"sources.yaml": {Data: src}}
		for f, body := range good {
			if f == "ct" {
				body += "\n" + r
			}
			fsys["rules/"+f+".yaml"] = &fstest.MapFile{Data: []byte(body)}
		}
		if _, err := LoadFS(fsys); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// The same rule with good values loads.
	r := rule
	for k, v := range map[string]string{"WHEN": "{const: true}", "FROM": "2020-01-01", "CONF": "verified", "SRC": "CT"} {
		r = regexpReplace(r, k, v)
	}
	fsys := fstest.MapFS{"sources.yaml": {Data: src}}
	for f, body := range good {
		if f == "ct" {
			body += "\n" + r
		}
		fsys["rules/"+f+".yaml"] = &fstest.MapFile{Data: []byte(body)}
	}
	if _, err := LoadFS(fsys); err != nil {
		t.Errorf("good rule refused: %v", err)
	}
}

func regexpReplace(s, old, new string) string {
	return regexp.MustCompile(regexp.QuoteMeta(old)).ReplaceAllLiteralString(s, new)
}

// Every rule id named in a rule's texts exists.
func TestIDsInTexts(t *testing.T) {
	b := MustLoad()
	re := regexp.MustCompile(`\b(?:AIA|CT|FP|CRPA|GDPR|LIL|CNIL)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*`)
	for _, r := range b.Rules() {
		for _, txt := range []Text{r.Title, r.Trigger, r.Obligation, r.Demand, r.FromNote, r.Deadline.Text} {
			for _, s := range []string{txt.FR, txt.EN} {
				for _, id := range re.FindAllString(s, -1) {
					if !b.Has(id) {
						t.Errorf("%s names unknown rule %s", r.ID, id)
					}
				}
			}
		}
	}
}
