package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/observatory"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/testimony"
)

// fedFixture is a federation with two sections, a sub-section of the first,
// and an organisation outside it.
type fedFixture struct {
	fed, s1, s2, s3, out *vigie.Organisation
	fedReader, s1Admin   *vigie.User
}

func newFedFixture(t *testing.T, db *store.DB) *fedFixture {
	t.Helper()
	ctx := context.Background()
	fx := &fedFixture{fed: &vigie.Organisation{Name: "Fédération", Kind: vigie.OrgFederation}}
	must(t, db.CreateOrganisation(ctx, fx.fed))
	fx.s1 = &vigie.Organisation{Name: "Section 1", Kind: vigie.OrgSection, ParentID: fx.fed.ID}
	fx.s2 = &vigie.Organisation{Name: "Section 2", Kind: vigie.OrgSection, ParentID: fx.fed.ID}
	must(t, db.CreateOrganisation(ctx, fx.s1))
	must(t, db.CreateOrganisation(ctx, fx.s2))
	fx.s3 = &vigie.Organisation{Name: "Section 1-a", Kind: vigie.OrgSection, ParentID: fx.s1.ID}
	must(t, db.CreateOrganisation(ctx, fx.s3))
	fx.out = &vigie.Organisation{Name: "Ailleurs", Kind: vigie.OrgSection}
	must(t, db.CreateOrganisation(ctx, fx.out))
	mk := func(name string, o *vigie.Organisation, role vigie.Role) *vigie.User {
		u := &vigie.User{Email: name + "@example.org", Name: name, PasswordHash: "x"}
		must(t, db.CreateUser(ctx, u))
		must(t, db.SetMember(ctx, o.ID, u.ID, role))
		u, err := db.FindUserByID(ctx, u.ID)
		must(t, err)
		return u
	}
	fx.fedReader = mk("fed", fx.fed, vigie.RoleReader)
	fx.s1Admin = mk("s1", fx.s1, vigie.RoleAdmin)
	return fx
}

func sharedSystem(t *testing.T, db *store.DB, o *vigie.Organisation, name, sharing, vendor string, cut int) *vigie.SystemRecord {
	t.Helper()
	r := &vigie.SystemRecord{OrgID: o.ID, Sharing: sharing, System: vigie.System{Name: name, Vendor: vendor,
		Organisation: vigie.Employer{Kind: "private", Headcount: vigie.IntOf(400)},
		Deployment:   vigie.Deployment{Status: "deployed", Since: vigie.MustDate("2026-03-02"), StaffBodyConsulted: vigie.TriFalse},
		Purpose:      vigie.Purpose{Domains: vigie.SetOf("monitoring")},
		Decisions:    vigie.Decisions{Subjects: vigie.SetOf("workers")}}}
	if cut > 0 {
		r.System.Jobs = &vigie.Jobs{PostsCut: vigie.IntOf(cut)}
	}
	must(t, db.CreateSystem(context.Background(), r))
	return r
}

func TestObservatory(t *testing.T) {
	eachDB(t, observatoryChecks)
}

// TestObservatoryAsAppRole runs the same checks through the application
// role, under row-level security.
func TestObservatoryAsAppRole(t *testing.T) {
	db, _ := rlsDB(t)
	observatoryChecks(t, db)
}

func observatoryChecks(t *testing.T, db *store.DB) {
	{
		fx := newFedFixture(t, db)
		ctx := context.Background()
		a := sharedSystem(t, db, fx.s1, "A", vigie.SharingFederation, "VoxMétrie", 10)
		sharedSystem(t, db, fx.s1, "B", vigie.SharingPublic, "VoxMétrie", 0)
		sharedSystem(t, db, fx.s1, "C (section)", vigie.SharingSection, "Secret", 500)
		d := sharedSystem(t, db, fx.s2, "D", vigie.SharingFederation, "Planif", 7)
		sharedSystem(t, db, fx.s3, "E", vigie.SharingFederation, "", 0)
		sharedSystem(t, db, fx.out, "F (ailleurs)", vigie.SharingPublic, "Ailleurs", 1000)
		today := vigie.MustDate("2026-11-26")

		// Testimonies: 12 answers in section 1 leave it, 5 in section 2 do not.
		campaign := func(o *vigie.Organisation, sys *vigie.SystemRecord, n int) {
			_, rcpt, err := testimony.NewIdentity()
			must(t, err)
			tc := &vigie.TestimonyCampaign{OrgID: o.ID, SystemIDs: []string{sys.ID}, Title: "Campagne", Recipients: []string{rcpt},
				OpensOn: vigie.MustDate("2026-03-02"), ClosesOn: vigie.MustDate("2026-03-29")}
			_, err = db.CreateCampaign(ctx, tc, 0)
			must(t, err)
			for range n {
				ans := vigie.TestimonyAnswer{Values: map[string]string{}}
				for _, q := range testimony.Questions().IDs() {
					ans.Values[q] = "2"
				}
				must(t, db.Submit(ctx, tc.Token, &vigie.TestimonySubmission{Answer: ans, Week: "2026-W12"}, inMarch))
			}
		}
		campaign(fx.s1, a, 12)
		campaign(fx.s2, d, 5)

		res, err := db.Observatory(fx.as(fx.fedReader), fx.fed.ID, today)
		must(t, err)
		// The direct count: A, B, D, E are shared with the federation; C is
		// the section's own, F is outside.
		if res.Systems != 4 || res.Sections != 3 {
			t.Fatalf("systems %d sections %d, want 4 and 3", res.Systems, res.Sections)
		}
		if res.Jobs.PostsCut != 17 || res.Jobs.SystemsWithCuts != 2 {
			t.Errorf("jobs %+v, want 17 posts cut in 2 systems", res.Jobs)
		}
		if res.ByVendor["VoxMétrie"] != 2 || res.ByVendor["Secret"] != 0 || res.ByVendor["Ailleurs"] != 0 || res.ByDomain["monitoring"] != 4 {
			t.Errorf("by vendor %v, by domain %v", res.ByVendor, res.ByDomain)
		}
		tiers := 0
		for _, n := range res.ByTier {
			tiers += n
		}
		if tiers != 4 || res.ByStatus["deployed"] != 4 || len(res.Deployments) != 1 || res.Deployments[0].Count != 4 {
			t.Errorf("by tier %v, by status %v, deployments %v", res.ByTier, res.ByStatus, res.Deployments)
		}
		if res.Unmet["CT-NT"] != 4 {
			t.Errorf("unmet %v: the four systems were not consulted on", res.Unmet)
		}
		if r := res.Testimonies; r.Campaigns != 2 || r.Responses == nil || *r.Responses != 12 || r.SuppressedSections != 1 {
			t.Errorf("testimonies %+v (responses %v), want 2 campaigns, 12 responses, 1 section suppressed", r, r.Responses)
		}
		// A member of a section does not read the federation's observatory.
		_, err = db.Observatory(fx.as(fx.s1Admin), fx.fed.ID, today)
		wantCode(t, err, vigie.ENOTFOUND)

		// Moved back to its section, D disappears from the next answer, and
		// so do its testimonies.
		cur, err := db.FindSystemByID(ctx, d.ID)
		must(t, err)
		cur.Sharing = vigie.SharingSection
		must(t, db.UpdateSystem(ctx, cur))
		res, err = db.Observatory(fx.as(fx.fedReader), fx.fed.ID, today)
		must(t, err)
		if res.Systems != 3 || res.Jobs.PostsCut != 10 || res.Testimonies.Campaigns != 1 || res.Testimonies.SuppressedSections != 0 {
			t.Errorf("after lowering D: systems %d, posts cut %d, testimonies %+v", res.Systems, res.Jobs.PostsCut, res.Testimonies)
		}
		// A section's own picture counts all its systems, whatever their level.
		own, err := db.Observatory(fx.as(fx.s1Admin), fx.s1.ID, today)
		must(t, err)
		if own.Systems != 4 || own.Jobs.PostsCut != 510 {
			t.Errorf("section 1's own picture: %d systems, %d posts cut (want 4: A, B, C and E shared by 1-a; 510)", own.Systems, own.Jobs.PostsCut)
		}
		// Read-only access to a shared system, and open data, as the
		// application role too.
		if _, err := db.FindSharedSystem(fx.as(fx.fedReader), fx.fed.ID, a.ID); err != nil {
			t.Errorf("the federation reads a shared system: %v", err)
		}
		_, pub, _, _, err := db.OpenData(ctx, fx.s1.ID)
		must(t, err)
		if len(pub) != 1 || pub[0].System.Name != "B" {
			t.Errorf("open data of section 1: %d systems", len(pub))
		}
	}
}

func (fx *fedFixture) as(u *vigie.User) context.Context {
	return vigie.NewContextWithUser(context.Background(), u)
}

// Two processes on one database: each keeps the parts of the observatory
// it merged, and a change made through one is in the next answer of the
// other, which recomputes the changed section alone.
func TestObservatoryPartsAcrossProcesses(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "vigie.db")
		first, err := store.Open(context.Background(), path)
		must(t, err)
		defer first.Close()
		second, err := store.Open(context.Background(), path)
		must(t, err)
		defer second.Close()
		partsAcrossProcesses(t, first, second)
	})
	t.Run("postgres as the application role", func(t *testing.T) {
		first, _, dsn := rlsDBWithDSN(t)
		second, err := store.Open(context.Background(), dsn)
		must(t, err)
		defer second.Close()
		partsAcrossProcesses(t, first, second)
	})
}

func partsAcrossProcesses(t *testing.T, first, second *store.DB) {
	fx := newFedFixture(t, first)
	today := vigie.MustDate("2026-11-26")
	a := sharedSystem(t, first, fx.s1, "A", vigie.SharingFederation, "VoxMétrie", 10)
	sharedSystem(t, first, fx.s2, "D", vigie.SharingFederation, "Planif", 7)
	answer := func(db *store.DB) *observatory.Result {
		t.Helper()
		res, err := db.Observatory(fx.as(fx.fedReader), fx.fed.ID, today)
		must(t, err)
		return res
	}
	for _, db := range []*store.DB{first, second} {
		if res := answer(db); res.Systems != 2 || res.Jobs.PostsCut != 17 || res.ByVendor["VoxMétrie"] != 1 {
			t.Fatalf("before: %d systems, %d posts cut, vendors %v", res.Systems, res.Jobs.PostsCut, res.ByVendor)
		}
	}
	// Through the first: A's cuts change, a new system in section 2, one
	// in section 1 kept to the section.
	cur, err := first.FindSystemByID(fx.as(fx.s1Admin), a.ID)
	must(t, err)
	cur.System.Jobs = &vigie.Jobs{PostsCut: vigie.IntOf(30)}
	must(t, first.UpdateSystem(fx.as(fx.s1Admin), cur))
	sharedSystem(t, first, fx.s2, "G", vigie.SharingPublic, "Planif", 1)
	sharedSystem(t, first, fx.s1, "H", vigie.SharingSection, "Secret", 100)
	for i, db := range []*store.DB{second, first} {
		res := answer(db)
		if res.Systems != 3 || res.Jobs.PostsCut != 38 || res.ByVendor["Planif"] != 2 || res.ByVendor["Secret"] != 0 {
			t.Errorf("process %d after the changes: %d systems, %d posts cut, vendors %v", 2-i, res.Systems, res.Jobs.PostsCut, res.ByVendor)
		}
		for _, s := range res.PerSection {
			if s.ID == fx.s1.ID && (s.Systems != 1 || s.PostsCut != 30) || s.ID == fx.s2.ID && (s.Systems != 2 || s.PostsCut != 8) {
				t.Errorf("process %d, section %s: %+v", 2-i, s.Name, s)
			}
		}
	}
	// Moved back to its section through the second: gone from the first's
	// next answer.
	cur, err = second.FindSystemByID(fx.as(fx.s1Admin), a.ID)
	must(t, err)
	cur.Sharing = vigie.SharingSection
	must(t, second.UpdateSystem(fx.as(fx.s1Admin), cur))
	if res := answer(first); res.Systems != 2 || res.Jobs.PostsCut != 8 {
		t.Errorf("after lowering A: %d systems, %d posts cut", res.Systems, res.Jobs.PostsCut)
	}
}
