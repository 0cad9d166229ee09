package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

// TestRegisterColumns checks the register's tier, unmet-obligations and
// next-due columns against the assessment of each reference case, and the
// server-side sort of each column (links, no script), on SQLite and
// PostgreSQL.
func TestRegisterColumns(t *testing.T) {
	for _, db := range []struct {
		name string
		env  func(testing.TB) *env
	}{{"sqlite", func(t testing.TB) *env { return newEnv(t) }}, {"postgres", func(t testing.TB) *env { return newPostgresEnv(t) }}} {
		t.Run(db.name, func(t *testing.T) {
			e := db.env(t)
			u := e.user("alice@example.org", "Alice")
			org := e.org(u, "Section")
			files, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "0*.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var rs []*vigie.SystemRecord
			for _, f := range files {
				if strings.HasSuffix(f, ".expected.yaml") {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				s, err := vigie.ParseSystem(f, b)
				if err != nil {
					t.Fatal(err)
				}
				rs = append(rs, &vigie.SystemRecord{System: *s})
			}
			rs[0].System.Jobs = &vigie.Jobs{PostsCut: vigie.IntOf(217)}
			rs[1].System.Jobs = &vigie.Jobs{PostsCut: vigie.IntOf(12)}
			if err := e.db.ImportSystems(context.Background(), org.ID, rs); err != nil {
				t.Fatal(err)
			}
			c := e.login(u.Email)
			today := vigie.DateInFrance(e.db.Now())
			row := regexp.MustCompile(`(?s)<tr>\s*<td[^>]*><a href="/o/[^/]+/systems/([0-9a-f-]{36})">.*?data-tier="([a-z]*)".*?data-unmet="(\d+)".*?class="reg-due">(.*?)</td>`)
			page := func(q string) (ids, tiers []string, unmet []int) {
				t.Helper()
				r := e.get("/o/"+org.ID+"/systems"+q, c)
				if r.status != 200 {
					t.Fatalf("%s: %d", q, r.status)
				}
				for _, m := range row.FindAllStringSubmatch(r.body, -1) {
					ids = append(ids, m[1])
					tiers = append(tiers, m[2])
					n := 0
					for _, d := range m[3] {
						n = n*10 + int(d-'0')
					}
					unmet = append(unmet, n)
				}
				if len(ids) != len(rs) {
					t.Fatalf("%s: %d rows of %d", q, len(ids), len(rs))
				}
				return
			}
			ids, tiers, unmet := page("")
			byID := map[string]*vigie.SystemRecord{}
			for _, r := range rs {
				byID[r.ID] = r
			}
			for i, id := range ids {
				a := assess.Evaluate(&byID[id].System, today)
				n := 0
				for _, o := range a.Obligations {
					if o.Status == assess.StatusUnmet {
						n++
					}
				}
				if tiers[i] != a.AIAct.Tier || unmet[i] != n {
					t.Errorf("%s: tier %q unmet %d, the assessment says %q and %d", byID[id].System.Name, tiers[i], unmet[i], a.AIAct.Tier, n)
				}
			}
			_, tiers, _ = page("?sort=tier")
			if !slices.IsSortedFunc(tiers, func(a, b string) int { return assess.TierRank(b) - assess.TierRank(a) }) {
				t.Errorf("sort=tier: %v", tiers)
			}
			if tiers[0] == tiers[len(tiers)-1] {
				t.Errorf("every case has the tier %s: the sort test proves nothing", tiers[0])
			}
			_, _, unmet = page("?sort=unmet")
			if !slices.IsSortedFunc(unmet, func(a, b int) int { return b - a }) || unmet[0] == 0 {
				t.Errorf("sort=unmet: %v", unmet)
			}
			// The posts cut (jobs.posts_cut) have their column, sorted the
			// most first.
			cut := regexp.MustCompile(`class="reg-jobs">(?:<strong>)?(\d+|—)`)
			jobsPage := e.get("/o/"+org.ID+"/systems?sort=jobs", c)
			if jobsPage.status != 200 || !strings.Contains(jobsPage.body, "Postes supprimés") {
				t.Fatalf("sort=jobs: %d, no column", jobsPage.status)
			}
			var cuts []int
			for _, m := range cut.FindAllStringSubmatch(jobsPage.body, -1) {
				n := -1
				if m[1] != "—" {
					n = 0
					for _, d := range m[1] {
						n = n*10 + int(d-'0')
					}
				}
				cuts = append(cuts, n)
			}
			if len(cuts) != len(rs) || !slices.IsSortedFunc(cuts, func(a, b int) int { return b - a }) || cuts[0] != 217 || cuts[1] != 12 {
				t.Errorf("sort=jobs: %v", cuts)
			}
			want := map[string]bool{}
			for _, r := range rs {
				if r.System.Jobs != nil && r.System.Jobs.PostsCut.Known {
					want[r.ID] = true
				}
			}
			known := 0
			for _, n := range cuts {
				if n >= 0 {
					known++
				}
			}
			if known != len(want) {
				t.Errorf("sort=jobs: %d systems with posts cut shown, %d in the files", known, len(want))
			}
			// The headers link to the sorts and keep the filters; a filter
			// keeps the sort; an unknown sort is the default one.
			r := e.get("/o/"+org.ID+"/systems?q=centre&sort=tier", c)
			for _, want := range []string{`id="sort-unmet"`, `sort=unmet`, `id="sort-jobs"`, `sort=jobs`, `q=centre`, `name="sort" value="tier"`, `aria-sort="descending"`} {
				if !strings.Contains(r.body, want) {
					t.Errorf("sorted search page lacks %s", want)
				}
			}
			if r := e.get("/o/"+org.ID+"/systems?sort=zzqq%27", c); r.status != 200 || strings.Contains(r.body, `name="sort"`) || strings.Contains(r.body, "sort=zzqq&amp;") {
				t.Errorf("unknown sort: %d", r.status)
			}
		})
	}
}
