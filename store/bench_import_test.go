package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// BenchmarkImportSystems imports 2 000 systems (the reference cases under
// other names) into a new organisation per iteration, as `vigie import`
// does: the cost of a bulk load per system, on SQLite and PostgreSQL.
//
//	go test -run '^$' -bench ImportSystems -benchtime 3x ./store
func BenchmarkImportSystems(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchImport(b, openSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchImport(b, openPostgres(b)) })
}

func benchImport(b *testing.B, db *store.DB) {
	const n = 2000
	ctx := context.Background()
	var cases []vigie.System
	for _, name := range caseFiles(b) {
		cases = append(cases, loadCase(b, name))
	}
	i := 0
	for b.Loop() {
		b.StopTimer()
		o := &vigie.Organisation{Name: fmt.Sprintf("Section %d", i), Kind: vigie.OrgSection}
		must(b, db.CreateOrganisation(ctx, o))
		rs := make([]*vigie.SystemRecord, n)
		for j := range rs {
			s := cases[j%len(cases)]
			s.Name = fmt.Sprintf("%s n° %05d", s.Name, j)
			rs[j] = &vigie.SystemRecord{System: s}
		}
		i++
		b.StartTimer()
		must(b, db.ImportSystems(ctx, o.ID, rs))
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*n), "µs/system")
}
