package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/letters"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/summary"
)

// at sets the store's clock to noon in France on d.
func at(db *store.DB, d string) {
	t := vigie.MustDate(d).Time().Add(11 * time.Hour) // 12:00 or 13:00 in Paris
	db.Now = func() time.Time { return t }
}

// TestSummaryColumns checks that every stored system carries the summary
// the engines give for its facts and actions on the store's date, that it
// follows a change of the facts, an action and the passing of time, and
// that the register sorts on it.
func TestSummaryColumns(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		at(db, "2026-03-01")
		ctx := fx.as(fx.editor)
		var rs []*vigie.SystemRecord
		for _, name := range caseFiles(t) {
			rs = append(rs, &vigie.SystemRecord{System: loadCase(t, name)})
		}
		must(t, db.ImportSystems(ctx, fx.org.ID, rs))
		today := vigie.MustDate("2026-03-01")
		tiers := map[string]bool{}
		for _, r := range rs {
			want := summary.Of(&r.System, nil, today)
			got, err := db.FindSystemByID(ctx, r.ID)
			must(t, err)
			if !sameSummary(got.Summary, want) || !sameSummary(r.Summary, want) {
				t.Fatalf("%s: summary %+v (returned %+v), want %+v", r.System.Name, got.Summary, r.Summary, want)
			}
			a := assess.Evaluate(&r.System, today)
			unmet := 0
			for _, o := range a.Obligations {
				if o.Status == assess.StatusUnmet {
					unmet++
				}
			}
			if got.Summary.Tier != a.AIAct.Tier || got.Summary.Unmet != unmet {
				t.Fatalf("%s: tier %q unmet %d, the assessment says %q and %d", r.System.Name, got.Summary.Tier, got.Summary.Unmet, a.AIAct.Tier, unmet)
			}
			tiers[got.Summary.Tier] = true
		}
		if len(tiers) < 3 {
			t.Fatalf("the reference cases give only the tiers %v: the sort test proves little", tiers)
		}

		// The register sorts on the columns, ties broken by name.
		list := func(sort string) []*vigie.SystemRecord {
			t.Helper()
			l, n, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: fx.org.ID, Sort: sort, Limit: 50})
			must(t, err)
			if n != len(rs) || len(l) != len(rs) {
				t.Fatalf("sort %s: %d systems of %d", sort, len(l), n)
			}
			return l
		}
		checkOrder := func(sort string, cmp func(a, b *vigie.SystemRecord) int) {
			t.Helper()
			l := list(sort)
			for i := 1; i < len(l); i++ {
				c := cmp(l[i-1], l[i])
				if c == 0 {
					c = strings.Compare(store.Fold(l[i-1].System.Name), store.Fold(l[i].System.Name))
				}
				if c > 0 {
					t.Fatalf("sort %s: %q before %q", sort, l[i-1].System.Name, l[i].System.Name)
				}
			}
		}
		checkOrder(vigie.SortTier, func(a, b *vigie.SystemRecord) int {
			return assess.TierRank(b.Summary.Tier) - assess.TierRank(a.Summary.Tier)
		})
		checkOrder(vigie.SortUnmet, func(a, b *vigie.SystemRecord) int { return b.Summary.Unmet - a.Summary.Unmet })

		// Posts cut (jobs.posts_cut) are kept with the summary: the most
		// first, known before unknown.
		for i, n := range []int{0, 217, 12} {
			cur, err := db.FindSystemByID(ctx, rs[i].ID)
			must(t, err)
			cur.System.Jobs = &vigie.Jobs{PostsCut: vigie.IntOf(n)}
			must(t, db.UpdateSystem(ctx, cur))
			if cur.Summary.PostsCut != vigie.IntOf(n) {
				t.Fatalf("posts cut %+v after update, want %d", cur.Summary.PostsCut, n)
			}
			rs[i] = cur
		}
		cutOf := func(r *vigie.SystemRecord) int {
			if !r.Summary.PostsCut.Known {
				return -1
			}
			return r.Summary.PostsCut.V
		}
		checkOrder(vigie.SortJobs, func(a, b *vigie.SystemRecord) int { return cutOf(b) - cutOf(a) })
		if l := list(vigie.SortJobs); cutOf(l[0]) != 217 || cutOf(l[1]) != 12 || cutOf(l[2]) != 0 {
			t.Errorf("sort by posts cut: %d, %d, %d first", cutOf(l[0]), cutOf(l[1]), cutOf(l[2]))
		}

		// A list without the facts shows the same.
		full := list(vigie.SortTier)
		light, _, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: fx.org.ID, Sort: vigie.SortTier, ListOnly: true})
		must(t, err)
		for i, r := range full {
			l := light[i]
			if l.ID != r.ID || l.System.Name != r.System.Name || l.System.Vendor != r.System.Vendor || l.System.Deployment.Status != r.System.Deployment.Status ||
				l.System.Purpose.Domains.String() != r.System.Purpose.Domains.String() || l.Summary != r.Summary || l.Version != r.Version ||
				!l.UpdatedAt.Equal(r.UpdatedAt) || l.Sharing != r.Sharing || l.WorkplaceID != r.WorkplaceID {
				t.Fatalf("list only: %+v\nwant %+v", l, r)
			}
		}
		_, _, err = db.FindSystems(ctx, vigie.SystemFilter{OrgID: fx.org.ID, Sort: "tier; DROP TABLE systems"})
		wantCode(t, err, vigie.EINVALID)

		// A letter sent gives the next due date of its chain.
		sys := rs[0]
		a := &vigie.Action{SystemID: sys.ID, Letter: "gdpr-access-request", Procedure: "gdpr-request", State: vigie.ActionSent,
			SentOn: today, Title: "Demande d'accès"}
		must(t, db.CreateAction(ctx, a))
		c, err := letters.ActionChain(a, nil, &sys.System)
		must(t, err)
		if len(c.Dues()) == 0 {
			t.Fatal("the GDPR request has no due date: the test proves nothing")
		}
		firstDue := c.Dues()[0].Due
		got, err := db.FindSystemByID(ctx, sys.ID)
		must(t, err)
		acts := []*vigie.Action{a}
		want := summary.Of(&sys.System, acts, today)
		if !sameSummary(got.Summary, want) || got.Summary.NextDue.After(firstDue) {
			t.Fatalf("after a letter: %+v, want %+v (first due %s)", got.Summary, want, firstDue)
		}
		if want.NextDue != firstDue && want.NextDueKind == vigie.DueAction {
			t.Fatalf("next due %s, the chain's first is %s", want.NextDue, firstDue)
		}
		checkOrder(vigie.SortDue, func(a, b *vigie.SystemRecord) int {
			switch {
			case a.Summary.NextDue.IsZero() && b.Summary.NextDue.IsZero():
				return 0
			case a.Summary.NextDue.IsZero():
				return 1
			case b.Summary.NextDue.IsZero():
				return -1
			}
			return a.Summary.NextDue.Time().Compare(b.Summary.NextDue.Time())
		})

		// Closing the action takes its due dates away.
		a.State = vigie.ActionClosed
		must(t, db.UpdateAction(ctx, a))
		got, err = db.FindSystemByID(ctx, sys.ID)
		must(t, err)
		if want := summary.Of(&sys.System, []*vigie.Action{a}, today); !sameSummary(got.Summary, want) {
			t.Fatalf("after closing: %+v, want %+v", got.Summary, want)
		}

		// A change of the facts is summarised again.
		up, err := db.FindSystemByID(ctx, rs[1].ID)
		must(t, err)
		up.System.Capabilities.EmotionRecognition = vigie.TriTrue
		up.System.Purpose.Domains = vigie.SetOf("monitoring")
		up.System.Decisions.Subjects = vigie.SetOf("workers")
		must(t, db.UpdateSystem(ctx, up))
		got, err = db.FindSystemByID(ctx, up.ID)
		must(t, err)
		if want := summary.Of(&up.System, nil, today); !sameSummary(got.Summary, want) || !sameSummary(up.Summary, want) {
			t.Fatalf("after a change: %+v, want %+v", got.Summary, want)
		}

		// Once a date passes that changes a summary, listing the register
		// recomputes it.
		var later vigie.Date
		for _, r := range list("") {
			if u := summary.Of(&r.System, nil, today).Until; !u.IsZero() && (later.IsZero() || u.After(later)) {
				later = u
			}
		}
		if later.IsZero() {
			t.Fatal("no summary changes with time: the test proves nothing")
		}
		at(db, later.String())
		for _, r := range list("") {
			acts, err := db.FindActions(ctx, vigie.ActionFilter{OrgID: fx.org.ID, SystemID: r.ID})
			must(t, err)
			if want := summary.Of(&r.System, acts, later); !sameSummary(r.Summary, want) {
				t.Fatalf("%s on %s: %+v, want %+v", r.System.Name, later, r.Summary, want)
			}
		}
	})
}

func sameSummary(a, b vigie.SystemSummary) bool {
	a.Until, b.Until = vigie.Date{}, vigie.Date{}
	return a == b
}

// TestSearchIndex checks the search through the full-text index: accents,
// case and plural do not matter, a word's start is enough, every word
// must match, and a system of another organisation is never found.
func TestSearchIndex(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		mk := func(ctx context.Context, org *vigie.Organisation, name, desc string) *vigie.SystemRecord {
			r := &vigie.SystemRecord{OrgID: org.ID, System: vigie.System{Name: name, Description: desc}}
			must(t, db.CreateSystem(ctx, r))
			return r
		}
		mine := mk(fx.as(fx.editor), fx.org, "Suivi des postes", "Analyse des écrans des agents en continu")
		mk(fx.as(fx.editor), fx.org, "Planning", "Répartition des tâches")
		theirs := mk(fx.as(fx.outside), fx.other, "Suivi d'écran", "Captures d'écran des agents")
		find := func(u *vigie.User, org *vigie.Organisation, q string) []string {
			t.Helper()
			l, n, err := db.FindSystems(fx.as(u), vigie.SystemFilter{OrgID: org.ID, Query: q, Limit: 50})
			must(t, err)
			var ids []string
			for _, r := range l {
				ids = append(ids, r.ID)
			}
			if n != len(ids) {
				t.Fatalf("%q: total %d for %d listed", q, n, len(ids))
			}
			return ids
		}
		for _, q := range []string{"écran", "ecran", "écrans", "ECRANS", "Écran", "écr", "écrans agents", "agent continu"} {
			if got := find(fx.reader, fx.org, q); !slices.Equal(got, []string{mine.ID}) {
				t.Fatalf("%q in section A: %v, want only %s", q, got, mine.ID)
			}
			if got := find(fx.outside, fx.other, q); slices.Contains(got, mine.ID) {
				t.Fatalf("%q in section B finds a system of section A", q)
			}
		}
		if got := find(fx.outside, fx.other, "écrans"); !slices.Equal(got, []string{theirs.ID}) {
			t.Fatalf("section B: %v, want %s", got, theirs.ID)
		}
		for _, q := range []string{"écrans tâches", "clavier", `"`, "*", "écran OR clavier", "-", "NEAR(écran)"} {
			if got := find(fx.reader, fx.org, q); len(got) != 0 {
				t.Fatalf("%q finds %v, want nothing", q, got)
			}
		}
		_, _, err := db.FindSystems(fx.as(fx.outside), vigie.SystemFilter{OrgID: fx.org.ID, Query: "écran"})
		wantCode(t, err, vigie.ENOTFOUND)

		// The index follows a change and a deletion.
		mine.System.Description = "Analyse des claviers"
		must(t, db.UpdateSystem(fx.as(fx.editor), mine))
		if got := find(fx.reader, fx.org, "écran"); len(got) != 0 {
			t.Fatalf("after the change, « écran » finds %v", got)
		}
		if got := find(fx.reader, fx.org, "clavier"); !slices.Equal(got, []string{mine.ID}) {
			t.Fatalf("after the change, « clavier » finds %v", got)
		}
		must(t, db.DeleteSystem(fx.as(fx.editor), mine.ID))
		if got := find(fx.reader, fx.org, "clavier"); len(got) != 0 {
			t.Fatalf("after the deletion, « clavier » finds %v", got)
		}
	})
}

// TestSearchReindexedOnOpen empties the index as an older way of making
// it would leave it for this version, then reopens the database: the
// words are written again and the search finds the system.
func TestSearchReindexedOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	db, err := store.Open(context.Background(), path)
	must(t, err)
	fx := newFixture(t, db)
	r := &vigie.SystemRecord{OrgID: fx.org.ID, System: vigie.System{Name: "Suivi des postes", Description: "Analyse des écrans"}}
	must(t, db.CreateSystem(fx.as(fx.editor), r))
	must(t, db.Close())
	raw, err := sql.Open("sqlite", path)
	must(t, err)
	for _, q := range []string{"UPDATE system_search SET words = ''", "UPDATE search_revision SET revision = 'older'"} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err = store.Open(context.Background(), path)
	must(t, err)
	defer db.Close()
	l, n, err := db.FindSystems(fx.as(fx.reader), vigie.SystemFilter{OrgID: fx.org.ID, Query: "écrans", Limit: 50})
	must(t, err)
	if n != 1 || len(l) != 1 || l[0].ID != r.ID {
		t.Fatalf("after reopening: %d found, want the system", n)
	}
}
