package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// BenchmarkFindSystems lists a register of 10 000 systems in SQLite, the
// way the register page does: a page of 50 with its total, with and without
// filters and search.
//
//	go test -run '^$' -bench FindSystems -benchtime 2s ./store
func BenchmarkFindSystems(b *testing.B) {
	path := filepath.Join(b.TempDir(), "vigie.db")
	if keep := os.Getenv("VIGIE_BENCH_DB"); keep != "" {
		path = keep // keep the database, to look at its query plans
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	benchFindSystems(b, db)
}

// BenchmarkFindSystemsPostgres is the same on PostgreSQL
// (VIGIE_TEST_POSTGRES).
func BenchmarkFindSystemsPostgres(b *testing.B) {
	benchFindSystems(b, openPostgres(b))
}

func benchFindSystems(b *testing.B, db *store.DB) {
	const total = 10000
	ctx := context.Background()
	fx := newFixture(b, db)
	var wps []string
	for i := 0; i < 20; i++ {
		w := &vigie.Workplace{OrgID: fx.org.ID, Name: fmt.Sprintf("Établissement %02d", i)}
		must(b, db.CreateWorkplace(ctx, w))
		wps = append(wps, w.ID)
	}
	var cases []vigie.System
	for _, name := range caseFiles(b) {
		cases = append(cases, loadCase(b, name))
	}
	statuses := []string{"planned", "pilot", "deployed", "retired"}
	rs := make([]*vigie.SystemRecord, total)
	for i := range rs {
		s := cases[i%len(cases)]
		s.Name = fmt.Sprintf("%s n° %05d", s.Name, i)
		s.Deployment.Status = statuses[(i/len(cases))%len(statuses)]
		rs[i] = &vigie.SystemRecord{WorkplaceID: wps[i%len(wps)], System: s}
	}
	must(b, db.ImportSystems(ctx, fx.org.ID, rs))
	if os.Getenv("BENCH_NO_OPTIMIZE") == "" {
		must(b, db.Optimize(ctx))
	}
	rd := fx.as(fx.reader)

	for _, c := range []struct {
		name string
		f    vigie.SystemFilter
	}{
		{"page", vigie.SystemFilter{Limit: 50}},
		{"page_200", vigie.SystemFilter{Limit: 50, Offset: 200 * 50 / 2}},
		{"workplace", vigie.SystemFilter{WorkplaceID: wps[3], Limit: 50}},
		{"status_domain", vigie.SystemFilter{Status: "pilot", Domain: "fraud_detection", Limit: 50}},
		{"search", vigie.SystemFilter{Query: "contrôle fiscal", Limit: 50}},
		{"search_rare", vigie.SystemFilter{Query: "n° 09999", Limit: 50}},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := c.f
			f.OrgID = fx.org.ID
			var n int
			done := testenv.CPUMeter(b)
			for b.Loop() {
				list, got, err := db.FindSystems(rd, f)
				if err != nil {
					b.Fatal(err)
				}
				if len(list) == 0 {
					b.Fatal("nothing found")
				}
				n = got
			}
			done()
			b.ReportMetric(float64(n), "matches")
		})
	}
}
