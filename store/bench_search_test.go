package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// BenchmarkSearchOtherSections searches one section's register (1,000
// systems, 100 of them matching) while the other sections hold first
// 1,000, then 100,000 systems that all match: the cost of the search
// (CPU time per search, cpu-µs/op) must not grow with the other
// sections' matches.
//
//	go test ./store -run '^$' -bench SearchOtherSections -benchtime 200x
func BenchmarkSearchOtherSections(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchSearchOthers(b, openSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchSearchOthers(b, openPostgres(b)) })
}

func benchSearchOthers(b *testing.B, db *store.DB) {
	ctx := context.Background()
	fx := newFixture(b, db)
	mk := func(n, matching int, prefix string) []*vigie.SystemRecord {
		rs := make([]*vigie.SystemRecord, n)
		for i := range rs {
			desc := "Répartition des tâches du plateau"
			if i < matching {
				desc = "Analyse des écrans des agents"
			}
			rs[i] = &vigie.SystemRecord{System: vigie.System{Name: fmt.Sprintf("%s %06d", prefix, i), Description: desc}}
		}
		return rs
	}
	must(b, db.ImportSystems(ctx, fx.org.ID, mk(1000, 100, "Système")))
	others := 0
	grow := func(to int) {
		for others < to {
			o := &vigie.Organisation{Name: fmt.Sprintf("Autre section %d", others/1000), Kind: vigie.OrgSection}
			must(b, db.CreateOrganisation(ctx, o))
			must(b, db.ImportSystems(ctx, o.ID, mk(1000, 1000, "Outil")))
			others += 1000
		}
		must(b, db.Optimize(ctx))
	}
	rd := fx.as(fx.reader)
	for _, n := range []int{1000, 100000} {
		grow(n)
		b.Run(fmt.Sprintf("others_%d", n), func(b *testing.B) {
			done := testenv.CPUMeter(b)
			for b.Loop() {
				list, total, err := db.FindSystems(rd, vigie.SystemFilter{OrgID: fx.org.ID, Query: "écrans", Limit: 50, ListOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				if total != 100 || len(list) != 50 {
					b.Fatalf("%d found, %d listed; want 100, 50", total, len(list))
				}
			}
			done()
		})
	}
}
