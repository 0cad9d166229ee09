package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/observatory"
	"github.com/vigie-app/vigie/store"
)

// BenchmarkFederation loads a federation of 200 sections and 100,000
// systems (two in three shared with it) into a fresh PostgreSQL schema, in
// a few seconds with generate_series and the eight reference cases as
// templates (their observatory summaries computed by the engine), then
// times the observatory page, its JSON and the register of one section
// through the web server, and the JSON right after a change of one system
// (one section's part recomputed, the others merged from the cache), and
// prints p50 and p99 per request in a table:
//
//	VIGIE_TEST_POSTGRES=postgres://… go test ./web -run '^$' -bench Federation -benchtime 200x
func BenchmarkFederation(b *testing.B) {
	dsn := os.Getenv("VIGIE_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("skipped: PostgreSQL (set VIGIE_TEST_POSTGRES to a postgres:// DSN) is absent")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	schema := "vigie_bench_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		b.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e := newEnvDB(b, db)
	member := e.user("fed@example.org", "Fédération")
	fed := &vigie.Organisation{Name: "Fédération", Kind: vigie.OrgFederation}
	if err := db.CreateOrganisation(vigie.NewContextWithUser(context.Background(), member), fed); err != nil {
		b.Fatal(err)
	}
	sections := 200
	systems := 100000
	start := time.Now()
	var facts, sums []string
	cases, _ := filepath.Glob("../testdata/cases/0*.yaml")
	today := vigie.DateInFrance(time.Now())
	for _, c := range cases {
		if strings.HasSuffix(c, ".expected.yaml") {
			continue
		}
		raw, err := os.ReadFile(c)
		if err != nil {
			b.Fatal(err)
		}
		s, err := vigie.ParseSystem(c, raw)
		if err != nil {
			b.Fatal(err)
		}
		f, _ := json.Marshal(s)
		sm, _ := json.Marshal(observatory.SummaryOf(s, today))
		facts, sums = append(facts, string(f)), append(sums, string(sm))
	}
	raw, err := sql.Open("pgx", u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		fmt.Sprintf(`INSERT INTO organisations (id, name, kind, parent_id, created_at)
			SELECT gen_random_uuid()::text, 'Section ' || g, 'section', '%s', now() FROM generate_series(1, %d) g`, fed.ID, sections),
		fmt.Sprintf(`WITH secs AS (SELECT array_agg(id ORDER BY name) AS ids FROM organisations WHERE parent_id = '%s')
			INSERT INTO systems (id, org_id, version, name, name_key, status, domains, created_at, updated_at, sharing)
			SELECT gen_random_uuid()::text, secs.ids[1 + g %% %d], 1, 'Système ' || g, 'systeme ' || lpad(g::text, 6, '0'), 'deployed', ',monitoring,',
				now(), now(), CASE WHEN g %% 3 = 0 THEN 'section' ELSE 'federation' END
			FROM generate_series(1, %d) g, secs`, fed.ID, sections, systems),
		`INSERT INTO system_facts (system_id, facts) SELECT id, ($1::text[])[1 + abs(hashtext(id)) % 8] FROM systems`,
		`INSERT INTO system_search (system_id, org_id, words) SELECT id, org_id, name_key FROM systems`,
		`INSERT INTO observatory_summaries (system_id, org_id, version, as_of, summary)
			SELECT id, org_id, 1, $2, ($1::text[])[1 + abs(hashtext(id)) % 8] FROM systems`,
		"ANALYZE",
	} {
		var args []any
		switch {
		case strings.HasPrefix(stmt, "INSERT INTO system_facts"):
			args = []any{facts}
		case strings.HasPrefix(stmt, "INSERT INTO observatory_summaries"):
			args = []any{sums, today.String()}
		}
		if _, err := raw.Exec(stmt, args...); err != nil {
			b.Fatalf("%s: %v", stmt[:40], err)
		}
	}
	var section string
	if err := raw.QueryRow("SELECT id FROM organisations WHERE parent_id = $1 ORDER BY name LIMIT 1", fed.ID).Scan(&section); err != nil {
		b.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'reader')", member.ID, section); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d sections and %d systems in %s", sections, systems, time.Since(start).Round(time.Millisecond))
	cookie := e.login(member.Email)
	shared := systems - systems/3

	// The first answer computes every section's part (and stores it);
	// later ones are served from the cache, checked against the database's
	// counters. The register's first list computes its summaries.
	t0 := time.Now()
	r := e.get("/o/"+fed.ID+"/observatory.json", cookie)
	if r.status != http.StatusOK || !strings.Contains(r.body, fmt.Sprintf(`"systems": %d`, shared)) {
		b.Fatalf("observatory: %d %.300s", r.status, r.body)
	}
	first := time.Since(t0)
	if r := e.get("/o/"+section+"/systems", cookie); r.status != http.StatusOK {
		b.Fatalf("register: %d", r.status)
	}
	// A system of the section, whose sharing the "after a change" case
	// flips between federation and section before each request.
	var flip string
	if err := raw.QueryRow("SELECT id FROM systems WHERE org_id = $1 AND sharing = 'federation' LIMIT 1", section).Scan(&flip); err != nil {
		b.Fatal(err)
	}
	type stat struct {
		name     string
		n        int
		p50, p99 time.Duration
	}
	var table []stat
	for _, tc := range []struct {
		name, path string
		change     bool
	}{
		{"observatory page", "/o/" + fed.ID + "/observatory", false},
		{"observatory JSON", "/o/" + fed.ID + "/observatory.json", false},
		{"observatory JSON after a change", "/o/" + fed.ID + "/observatory.json", true},
		{"register of one section", "/o/" + section + "/systems", false},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			for b.Loop() {
				want := shared
				if tc.change {
					i++
					level := "federation"
					if i%2 == 1 {
						level, want = "section", shared-1
					}
					if _, err := raw.Exec("UPDATE systems SET sharing = $1 WHERE id = $2", level, flip); err != nil {
						b.Fatal(err)
					}
				}
				t := time.Now()
				r := e.get(tc.path, cookie)
				times = append(times, time.Since(t))
				if r.status != http.StatusOK {
					b.Fatalf("%s: %d", tc.path, r.status)
				}
				if tc.change && !strings.Contains(r.body, fmt.Sprintf(`"systems": %d,`, want)) {
					b.Fatalf("after a change: want %d systems, got %.200s", want, r.body)
				}
			}
			slices.Sort(times)
			p := func(q float64) time.Duration { return times[min(len(times)-1, int(q*float64(len(times))))] }
			b.ReportMetric(float64(p(0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p(0.99).Microseconds())/1000, "p99-ms")
			if len(table) > 0 && table[len(table)-1].name == tc.name {
				table = table[:len(table)-1]
			}
			table = append(table, stat{tc.name, len(times), p(0.5), p(0.99)})
		})
	}
	fmt.Printf("\nFederation of %d sections, %d systems (%d shared) on PostgreSQL\n", sections, systems, shared)
	fmt.Printf("%-34s %9s %10s %10s\n", "request", "requests", "p50", "p99")
	fmt.Printf("%-34s %9d %10s %10s\n", "observatory JSON, first answer", 1, first.Round(time.Millisecond), "")
	for _, s := range table {
		fmt.Printf("%-34s %9d %10s %10s\n", s.name, s.n, s.p50.Round(10*time.Microsecond), s.p99.Round(10*time.Microsecond))
	}
}
