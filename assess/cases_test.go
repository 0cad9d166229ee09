package assess

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

// expected is a vigie/expected/v1 file (testdata/cases/README.md).
type expected struct {
	Schema string `yaml:"schema"`
	Case   string `yaml:"case"`
	AsOf   []struct {
		Date  string `yaml:"date"`
		AIAct struct {
			Tier    string `yaml:"tier"`
			Grounds []struct {
				Article string `yaml:"article"`
				InForce bool   `yaml:"in_force"`
			} `yaml:"grounds"`
			AnnexIII []string `yaml:"annex_iii"`
		} `yaml:"ai_act"`
		Obligations struct {
			Must []struct {
				ID          string `yaml:"id"`
				Status      any    `yaml:"status"`
				AppliesFrom string `yaml:"applies_from"`
			} `yaml:"must"`
			MustNot []struct {
				ID string `yaml:"id"`
			} `yaml:"must_not"`
		} `yaml:"obligations"`
		RisksHigh []struct {
			Dimension string `yaml:"dimension"`
		} `yaml:"risks_high"`
	} `yaml:"as_of"`
}

// caseFiles returns the system files of testdata/cases.
func caseFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/cases/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".expected.yaml") {
			out = append(out, f)
		}
	}
	if len(out) < 8 {
		t.Fatalf("found %d cases", len(out))
	}
	return out
}

func loadSystem(t testing.TB, path string) *vigie.System {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := vigie.ParseSystem(filepath.Base(path), raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkExpected applies the rules of testdata/cases/README.md.
func TestCases(t *testing.T) {
	for _, sysFile := range caseFiles(t) {
		expFile := strings.TrimSuffix(sysFile, ".yaml") + ".expected.yaml"
		raw, err := os.ReadFile(expFile)
		if err != nil {
			t.Fatal(err)
		}
		var exp expected
		if err := yaml.Unmarshal(raw, &exp); err != nil {
			t.Fatalf("%s: %v", expFile, err)
		}
		if exp.Schema != "vigie/expected/v1" || exp.Case != filepath.Base(sysFile) || len(exp.AsOf) != 2 {
			t.Fatalf("%s: unexpected header", expFile)
		}
		sys := loadSystem(t, sysFile)
		for _, as := range exp.AsOf {
			name := filepath.Base(sysFile) + "@" + as.Date
			t.Run(name, func(t *testing.T) {
				a := Evaluate(sys, vigie.MustDate(as.Date))
				// 1. Tier.
				if a.AIAct.Tier != as.AIAct.Tier {
					t.Errorf("tier = %s, want %s", a.AIAct.Tier, as.AIAct.Tier)
				}
				// 2. Grounds by article, with in_force.
				for _, g := range as.AIAct.Grounds {
					found := false
					for _, h := range a.AIAct.Grounds {
						if h.Article == g.Article && h.InForce == g.InForce {
							found = true
						}
					}
					if !found {
						t.Errorf("ground %s with in_force %v missing; got %+v", g.Article, g.InForce, a.AIAct.Grounds)
					}
				}
				// 3. Annex III as a set.
				got, want := slices.Clone(a.AIAct.AnnexIII), slices.Clone(as.AIAct.AnnexIII)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
					t.Errorf("annex_iii = %v, want %v", got, want)
				}
				// 4. Must.
				for _, m := range as.Obligations.Must {
					var statuses []string
					switch s := m.Status.(type) {
					case string:
						statuses = []string{s}
					case []any:
						for _, x := range s {
							statuses = append(statuses, x.(string))
						}
					default:
						t.Fatalf("%s: status %v", m.ID, m.Status)
					}
					o, ok := a.Obligation(m.ID)
					if !ok {
						t.Errorf("obligation %s missing (want %v)", m.ID, statuses)
						continue
					}
					if !slices.Contains(statuses, o.Status) {
						t.Errorf("%s: status %s, want %v (because %v)", m.ID, o.Status, statuses, o.Because)
					}
					if o.Status == StatusUpcoming && m.AppliesFrom != "" && o.AppliesFrom != m.AppliesFrom {
						t.Errorf("%s: applies_from %s, want %s", m.ID, o.AppliesFrom, m.AppliesFrom)
					}
				}
				// 5. Must not.
				for _, m := range as.Obligations.MustNot {
					if o, ok := a.Obligation(m.ID); ok {
						t.Errorf("obligation %s must not appear (status %s, because %v)", m.ID, o.Status, o.Because)
					}
				}
				// 6. High risks.
				for _, r := range as.RisksHigh {
					got, ok := a.Risk(r.Dimension)
					if !ok || got.Priority != High {
						t.Errorf("risk %s: %+v, want high", r.Dimension, got)
					}
				}
			})
		}
	}
}
