package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func TestMigrateIsIdempotent(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		v, applied, err := db.MigrateVersion(context.Background())
		must(t, err)
		// The newest migration file of the dialect gives the version.
		files, err := filepath.Glob(filepath.Join("migrations", db.Dialect(), "*.sql"))
		must(t, err)
		var newest int64
		for _, f := range files {
			var n int64
			if _, err := fmt.Sscanf(filepath.Base(f), "%d_", &n); err == nil && n > newest {
				newest = n
			}
		}
		if v != newest || newest == 0 || applied != 0 {
			t.Fatalf("version %d, applied %d; want %d, 0", v, applied, newest)
		}
	})
}

func TestUsers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n, err := db.CountUsers(ctx)
		must(t, err)
		if n != 0 {
			t.Fatalf("CountUsers = %d on a new database", n)
		}
		fx := newFixture(t, db)
		n, _ = db.CountUsers(ctx)
		if n != 4 {
			t.Fatalf("CountUsers = %d, want 4", n)
		}
		// E-mail addresses are unique whatever their case.
		wantCode(t, db.CreateUser(ctx, &vigie.User{Email: " ADMIN@example.org", Name: "x"}), vigie.ECONFLICT)
		wantCode(t, db.CreateUser(ctx, &vigie.User{Email: "not-an-address", Name: "x"}), vigie.EINVALID)
		// Only an admin (or the operator) creates accounts.
		wantCode(t, db.CreateUser(fx.as(fx.reader), &vigie.User{Email: "new@example.org", Name: "New"}), vigie.EFORBIDDEN)
		must(t, db.CreateUser(fx.as(fx.admin), &vigie.User{Email: "new@example.org", Name: "New"}))

		u, err := db.FindUserByEmail(ctx, "Reader@Example.org")
		must(t, err)
		if u.ID != fx.reader.ID || len(u.Memberships) != 1 || u.Memberships[0].Role != vigie.RoleReader || u.Memberships[0].OrgName != "Section A" {
			t.Fatalf("FindUserByEmail = %+v", u)
		}
		if role, ok := u.RoleIn(fx.org.ID); !ok || role != vigie.RoleReader {
			t.Fatalf("RoleIn = %v %v", role, ok)
		}
		// A reader does not look up other accounts.
		_, err = db.FindUserByID(fx.as(fx.reader), fx.editor.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		// An admin of B sees an account of A but not its memberships in A.
		u, err = db.FindUserByID(fx.as(fx.outside), fx.reader.ID)
		must(t, err)
		if len(u.Memberships) != 0 || u.PasswordHash != "" {
			t.Fatalf("outsider sees memberships %+v or the hash %q", u.Memberships, u.PasswordHash)
		}

		// Passwords: one's own only.
		must(t, db.SetPasswordHash(fx.as(fx.reader), fx.reader.ID, "h2"))
		wantCode(t, db.SetPasswordHash(fx.as(fx.admin), fx.reader.ID, "h3"), vigie.EFORBIDDEN)
		u, _ = db.FindUserByID(ctx, fx.reader.ID)
		if u.PasswordHash != "h2" {
			t.Fatalf("PasswordHash = %q", u.PasswordHash)
		}

		all, err := db.ListUsers(ctx)
		must(t, err)
		if len(all) != 5 {
			t.Fatalf("operator ListUsers = %d users, want 5", len(all))
		}
		mine, err := db.ListUsers(fx.as(fx.admin))
		must(t, err)
		var emails []string
		for _, u := range mine {
			emails = append(emails, u.Email)
		}
		if got := strings.Join(emails, " "); got != "admin@example.org editor@example.org reader@example.org" {
			t.Fatalf("admin of A lists %s", got)
		}
		self, err := db.ListUsers(fx.as(fx.reader))
		must(t, err)
		if len(self) != 1 || self[0].ID != fx.reader.ID {
			t.Fatalf("reader lists %d users", len(self))
		}
	})
}

func TestOrganisationsAndMembers(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fx := newFixture(t, db)
		orgs, err := db.FindOrganisations(fx.as(fx.editor))
		must(t, err)
		if len(orgs) != 1 || orgs[0].ID != fx.org.ID {
			t.Fatalf("editor sees %d organisations", len(orgs))
		}
		_, err = db.FindOrganisationByID(fx.as(fx.outside), fx.org.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		o, err := db.FindOrganisationByRef(ctx, "Section A")
		must(t, err)
		if o.ID != fx.org.ID {
			t.Fatal("FindOrganisationByRef by name")
		}
		_, err = db.FindOrganisationByRef(fx.as(fx.outside), "Section A")
		wantCode(t, err, vigie.ENOTFOUND)
		wantCode(t, db.CreateOrganisation(ctx, &vigie.Organisation{Name: "Section A"}), vigie.ECONFLICT)
		wantCode(t, db.CreateOrganisation(ctx, &vigie.Organisation{Name: "X", Kind: "club"}), vigie.EINVALID)

		// A user who creates an organisation becomes its admin.
		sub := &vigie.Organisation{Name: "Sous-section", Kind: vigie.OrgSection, ParentID: fx.org.ID}
		wantCode(t, db.CreateOrganisation(fx.as(fx.editor), sub), vigie.EFORBIDDEN)
		must(t, db.CreateOrganisation(fx.as(fx.admin), sub))
		ms, err := db.Members(fx.as(fx.admin), sub.ID)
		must(t, err)
		if len(ms) != 1 || ms[0].UserID != fx.admin.ID || ms[0].Role != vigie.RoleAdmin || ms[0].UserEmail != "admin@example.org" {
			t.Fatalf("members of the new section: %+v", ms)
		}
		// The parent's editor does not see the section's register.
		_, _, err = db.FindSystems(fx.as(fx.editor), vigie.SystemFilter{OrgID: sub.ID})
		wantCode(t, err, vigie.ENOTFOUND)

		// Membership changes need an admin.
		wantCode(t, db.SetMember(fx.as(fx.editor), fx.org.ID, fx.outside.ID, vigie.RoleReader), vigie.EFORBIDDEN)
		wantCode(t, db.SetMember(fx.as(fx.outside), fx.org.ID, fx.outside.ID, vigie.RoleAdmin), vigie.ENOTFOUND)
		wantCode(t, db.SetMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID, "boss"), vigie.EINVALID)
		// An admin does not add anyone (consent: they invite); the
		// operator may.
		wantCode(t, db.SetMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID, vigie.RoleReader), vigie.ENOTFOUND)
		must(t, db.SetMember(ctx, fx.org.ID, fx.outside.ID, vigie.RoleReader))
		must(t, db.SetMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID, vigie.RoleEditor))
		ms, err = db.Members(fx.as(fx.reader), fx.org.ID)
		must(t, err)
		if len(ms) != 4 {
			t.Fatalf("%d members, want 4", len(ms))
		}
		// The last admin stays.
		wantCode(t, db.SetMember(fx.as(fx.admin), fx.org.ID, fx.admin.ID, vigie.RoleReader), vigie.ECONFLICT)
		wantCode(t, db.RemoveMember(fx.as(fx.admin), fx.org.ID, fx.admin.ID), vigie.ECONFLICT)
		wantCode(t, db.RemoveMember(fx.as(fx.reader), fx.org.ID, fx.outside.ID), vigie.EFORBIDDEN)
		must(t, db.RemoveMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID))
		wantCode(t, db.RemoveMember(fx.as(fx.admin), fx.org.ID, fx.outside.ID), vigie.ENOTFOUND)

		evs, err := db.FindEvents(ctx, fx.org.ID, 0)
		must(t, err)
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
		}
		want := "member.removed member.role_changed member.added member.added member.added member.added organisation.created"
		if got := strings.Join(kinds, " "); got != want {
			t.Fatalf("events of A:\n%s\nwant\n%s", got, want)
		}
		if evs[0].UserID != fx.admin.ID || evs[1].Detail != "reader → editor" {
			t.Fatalf("events: %+v %+v", evs[0], evs[1])
		}
	})
}

func TestWorkplaces(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		w := &vigie.Workplace{OrgID: fx.org.ID, Name: "Plateau de Lyon", Kind: "private", Headcount: vigie.IntOf(400), StaffBody: "cse", Sector: "centres d'appels"}
		wantCode(t, db.CreateWorkplace(fx.as(fx.reader), w), vigie.EFORBIDDEN)
		wantCode(t, db.CreateWorkplace(fx.as(fx.outside), w), vigie.ENOTFOUND)
		bad := *w
		bad.Kind = "castle"
		wantCode(t, db.CreateWorkplace(fx.as(fx.editor), &bad), vigie.EINVALID)
		must(t, db.CreateWorkplace(fx.as(fx.editor), w))
		got, err := db.FindWorkplaceByID(fx.as(fx.reader), w.ID)
		must(t, err)
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("read back %+v\nwant %+v", got, w)
		}
		_, err = db.FindWorkplaceByID(fx.as(fx.outside), w.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		w.Headcount = vigie.OptInt{}
		w.Name = "Plateau de Villeurbanne"
		must(t, db.UpdateWorkplace(fx.as(fx.editor), w))
		wantCode(t, db.UpdateWorkplace(fx.as(fx.outside), w), vigie.ENOTFOUND)
		ws, err := db.FindWorkplaces(fx.as(fx.reader), fx.org.ID)
		must(t, err)
		if len(ws) != 1 || ws[0].Name != "Plateau de Villeurbanne" || ws[0].Headcount.Known {
			t.Fatalf("FindWorkplaces = %+v", ws)
		}
	})
}

func TestSystemRoundTripOfEveryCase(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		for _, name := range caseFiles(t) {
			s := loadCase(t, name)
			r := &vigie.SystemRecord{OrgID: fx.org.ID, System: s}
			must(t, db.CreateSystem(fx.as(fx.editor), r))
			if r.Version != 1 || r.UpdatedBy != fx.editor.ID || len(r.ID) != 36 {
				t.Fatalf("%s: record %+v", name, r)
			}
			if v := uuid.MustParse(r.ID).Version(); v != 7 {
				t.Fatalf("id version %d, want UUIDv7", v)
			}
			got, err := db.FindSystemByID(fx.as(fx.reader), r.ID)
			must(t, err)
			if !reflect.DeepEqual(got.System.Facts(), s.Facts()) {
				t.Fatalf("%s: facts differ after a round trip", name)
			}
			if !reflect.DeepEqual(got.System.Evidence, s.Evidence) {
				t.Fatalf("%s: evidence differs after a round trip", name)
			}
			if !got.CreatedAt.Equal(r.CreatedAt) || got.Version != 1 {
				t.Fatalf("%s: %v %v %d", name, got.CreatedAt, r.CreatedAt, got.Version)
			}
		}
	})
}

func TestSystemHistoryAndConflict(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "01-centre-appels-analyse-vocale.yaml")}
		must(t, db.CreateSystem(fx.as(fx.editor), r))
		stale := *r

		// Version 2: two facts change.
		r.System.Deployment.StaffBodyInformed = vigie.TriTrue
		r.System.Deployment.DPIADone = vigie.TriUnknown
		must(t, db.UpdateSystem(fx.as(fx.admin), r))
		if r.Version != 2 || r.UpdatedBy != fx.admin.ID {
			t.Fatalf("after update: version %d by %s", r.Version, r.UpdatedBy)
		}
		// The stale copy is refused and changes nothing.
		stale.System.Name = "Renommé"
		wantCode(t, db.UpdateSystem(fx.as(fx.editor), &stale), vigie.ECONFLICT)
		// Saving the same facts again is not a new version.
		must(t, db.UpdateSystem(fx.as(fx.editor), r))
		if r.Version != 2 {
			t.Fatalf("a no-op update made version %d", r.Version)
		}
		// Version 3: a list and the evidence.
		r.System.Purpose.Domains = vigie.SetOf("monitoring")
		r.System.Evidence = r.System.Evidence[:1]
		must(t, db.UpdateSystem(fx.as(fx.editor), r))

		h, err := db.SystemHistory(fx.as(fx.reader), r.ID)
		must(t, err)
		type row struct {
			v              int
			user, fact     string
			oldVal, newVal string
		}
		var got []row
		for _, c := range h {
			got = append(got, row{c.Version, c.UserName, c.Fact, c.Old, c.New})
			if c.At.IsZero() || c.SystemID != r.ID {
				t.Fatalf("change %+v", c)
			}
		}
		want := []row{
			{2, "admin", "deployment.staff_body_informed", "false", "true"},
			{2, "admin", "deployment.dpia_done", "false", "unknown"},
			{3, "editor", "purpose.domains", "monitoring, performance_evaluation, customer_interaction", "monitoring"},
		}
		if len(got) != 4 || !reflect.DeepEqual(got[:3], want) || got[3].fact != "evidence" || got[3].v != 3 {
			t.Fatalf("history:\n%+v\nwant\n%+v + evidence", got, want)
		}
		if strings.Count(got[3].oldVal, "\n") != 5 || strings.Count(got[3].newVal, "\n") != 0 {
			t.Fatalf("evidence change: %q → %q", got[3].oldVal, got[3].newVal)
		}

		cur, err := db.FindSystemByID(fx.as(fx.reader), r.ID)
		must(t, err)
		if cur.Version != 3 || cur.System.Name == "Renommé" || !cur.System.Deployment.StaffBodyInformed.True() {
			t.Fatalf("stored: version %d, name %q", cur.Version, cur.System.Name)
		}

		// Bad facts are refused with the path of the fact.
		cur.System.Deployment.Status = "abandoned"
		err = db.UpdateSystem(fx.as(fx.editor), cur)
		wantCode(t, err, vigie.EINVALID)
		if !strings.HasPrefix(err.Error(), "deployment.status : ") || !strings.Contains(err.Error(), " / deployment.status: ") {
			t.Fatalf("message does not start with the fact: %v", err)
		}
	})
}

func TestScoping(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "03-poste-planification-bureaux.yaml")}
		must(t, db.CreateSystem(fx.as(fx.editor), r))
		out := fx.as(fx.outside)

		// The outsider can neither see nor guess A's system: the message is
		// the one of an id that does not exist.
		_, errSeen := db.FindSystemByID(out, r.ID)
		wantCode(t, errSeen, vigie.ENOTFOUND)
		ghost := uuid.Must(uuid.NewV7()).String()
		_, errGhost := db.FindSystemByID(out, ghost)
		wantCode(t, errGhost, vigie.ENOTFOUND)
		if strings.ReplaceAll(errSeen.Error(), r.ID, "ID") != strings.ReplaceAll(errGhost.Error(), ghost, "ID") {
			t.Fatalf("messages differ: %q vs %q", errSeen, errGhost)
		}
		_, err := db.SystemHistory(out, r.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, _, err = db.FindSystems(out, vigie.SystemFilter{OrgID: fx.org.ID})
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindEvents(out, fx.org.ID, 10)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.Members(out, fx.org.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		upd := *r
		wantCode(t, db.UpdateSystem(out, &upd), vigie.ENOTFOUND)
		wantCode(t, db.DeleteSystem(out, r.ID), vigie.ENOTFOUND)
		wantCode(t, db.CreateSystem(out, &vigie.SystemRecord{OrgID: fx.org.ID, System: r.System}), vigie.ENOTFOUND)
		wantCode(t, db.ImportSystems(out, fx.org.ID, []*vigie.SystemRecord{{System: r.System}}), vigie.ENOTFOUND)
		wantCode(t, db.CreateDocument(out, &vigie.Document{SystemID: r.ID, Name: "x", Source: "workers"}, []byte("x")), vigie.ENOTFOUND)
		_, err = db.FindDocuments(out, r.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		// The outsider's own register does not list it.
		list, total, err := db.FindSystems(out, vigie.SystemFilter{OrgID: fx.other.ID})
		must(t, err)
		if total != 0 || len(list) != 0 {
			t.Fatalf("B's register has %d systems", total)
		}
		// Moving a system of B to a workplace of A is refused the same way.
		w := &vigie.Workplace{OrgID: fx.org.ID, Name: "Bureau de poste"}
		must(t, db.CreateWorkplace(fx.as(fx.editor), w))
		rb := &vigie.SystemRecord{OrgID: fx.other.ID, WorkplaceID: w.ID, System: r.System}
		wantCode(t, db.CreateSystem(out, rb), vigie.EINVALID)

		// A reader reads and cannot write.
		rd := fx.as(fx.reader)
		_, err = db.FindSystemByID(rd, r.ID)
		must(t, err)
		upd = *r
		upd.System.Name = "x"
		wantCode(t, db.UpdateSystem(rd, &upd), vigie.EFORBIDDEN)
		wantCode(t, db.DeleteSystem(rd, r.ID), vigie.EFORBIDDEN)
		wantCode(t, db.CreateSystem(rd, &vigie.SystemRecord{OrgID: fx.org.ID, System: r.System}), vigie.EFORBIDDEN)
		wantCode(t, db.ImportSystems(rd, fx.org.ID, []*vigie.SystemRecord{{System: r.System}}), vigie.EFORBIDDEN)
		wantCode(t, db.CreateDocument(rd, &vigie.Document{SystemID: r.ID, Name: "x", Source: "workers"}, []byte("x")), vigie.EFORBIDDEN)

		// An editor deletes; then the system is gone for everyone.
		must(t, db.DeleteSystem(fx.as(fx.editor), r.ID))
		_, err = db.FindSystemByID(context.Background(), r.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		_, err = db.FindSystemByID(rd, "not-a-uuid")
		wantCode(t, err, vigie.ENOTFOUND)
	})
}

func TestFindSystemsFiltersAndSearch(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		w1 := &vigie.Workplace{OrgID: fx.org.ID, Name: "Siège"}
		w2 := &vigie.Workplace{OrgID: fx.org.ID, Name: "Agence"}
		must(t, db.CreateWorkplace(ed, w1))
		must(t, db.CreateWorkplace(ed, w2))
		var rs []*vigie.SystemRecord
		for i, name := range caseFiles(t) {
			wp := w1.ID
			if i%2 == 1 {
				wp = w2.ID
			}
			rs = append(rs, &vigie.SystemRecord{WorkplaceID: wp, System: loadCase(t, name)})
		}
		rs[2].System.Deployment.Status = "pilot"
		rs[5].System.Deployment.Status = "pilot"
		must(t, db.ImportSystems(ed, fx.org.ID, rs))
		// Another organisation's systems never show.
		must(t, db.ImportSystems(fx.as(fx.outside), fx.other.ID, []*vigie.SystemRecord{{System: loadCase(t, caseFiles(t)[0])}}))

		rd := fx.as(fx.reader)
		names := func(f vigie.SystemFilter) ([]string, int) {
			t.Helper()
			f.OrgID = fx.org.ID
			list, total, err := db.FindSystems(rd, f)
			must(t, err)
			var out []string
			for _, r := range list {
				if r.OrgID != fx.org.ID {
					t.Fatalf("system of another organisation listed")
				}
				out = append(out, r.System.Name)
			}
			return out, total
		}
		// expect computes the answer from the cases themselves.
		expect := func(keep func(i int, s vigie.System) bool) []string {
			var out []string
			for i, r := range rs {
				if keep(i, r.System) {
					out = append(out, r.System.Name)
				}
			}
			sortFolded(out)
			return out
		}
		check := func(label string, f vigie.SystemFilter, want []string) {
			t.Helper()
			if want == nil && !strings.Contains(label, "nothing") {
				t.Fatalf("%s: the test expects nothing: it proves nothing", label)
			}
			got, total := names(f)
			if total != len(want) || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: got %d %q\nwant %q", label, total, got, want)
			}
		}
		check("all", vigie.SystemFilter{}, expect(func(int, vigie.System) bool { return true }))
		check("workplace", vigie.SystemFilter{WorkplaceID: w2.ID}, expect(func(i int, _ vigie.System) bool { return i%2 == 1 }))
		check("status", vigie.SystemFilter{Status: "pilot"}, expect(func(_ int, s vigie.System) bool { return s.Deployment.Status == "pilot" }))
		check("domain", vigie.SystemFilter{Domain: "fraud_detection"}, expect(func(_ int, s vigie.System) bool { return s.Purpose.Domains.Has("fraud_detection") }))
		check("domain and workplace", vigie.SystemFilter{Domain: "monitoring", WorkplaceID: w1.ID},
			expect(func(i int, s vigie.System) bool { return s.Purpose.Domains.Has("monitoring") && i%2 == 0 }))
		check("domain prefix finds nothing", vigie.SystemFilter{Domain: "monitor"}, nil)
		check("a like wildcard finds nothing", vigie.SystemFilter{Query: "%"}, nil)
		// Search ignores case and accents, and every word must start a
		// word of the system (these queries have no other inflected form
		// in the cases, so that stemming changes nothing).
		for _, q := range []string{"CONTROLE fiscal", "controle", "accent", "temps réel", "plateau appels", "contr"} {
			check("search "+q, vigie.SystemFilter{Query: q}, expect(func(_ int, s vigie.System) bool {
				words := strings.FieldsFunc(store.Fold(s.Name+"\n"+s.Vendor+"\n"+s.Description), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
				for _, w := range strings.Fields(store.Fold(q)) {
					if !slices.ContainsFunc(words, func(x string) bool { return strings.HasPrefix(x, w) }) {
						return false
					}
				}
				return true
			}))
		}
		if got, _ := names(vigie.SystemFilter{Query: "CONTROLE fiscal"}); len(got) == 0 {
			t.Fatal("search for « contrôle fiscal » finds nothing")
		}
		got, _ := names(vigie.SystemFilter{Query: "voxmetrie"})
		if len(got) != 1 || !strings.Contains(got[0], "Analyse vocale") {
			t.Fatalf("search in vendor: %q", got)
		}

		// Paging keeps the total.
		all, _ := names(vigie.SystemFilter{})
		page, total := names(vigie.SystemFilter{Limit: 3, Offset: 3})
		if total != 8 || !reflect.DeepEqual(page, all[3:6]) {
			t.Fatalf("page: %d %q", total, page)
		}
		tail, _ := names(vigie.SystemFilter{Offset: 6})
		if !reflect.DeepEqual(tail, all[6:]) {
			t.Fatalf("offset without limit: %q", tail)
		}
		// A search pages the same way, and counts past the last page.
		found, n := names(vigie.SystemFilter{Query: "donnees"})
		if n < 2 {
			t.Fatalf("search « donnees »: %d", n)
		}
		second, n2 := names(vigie.SystemFilter{Query: "donnees", Limit: 1, Offset: 1})
		if n2 != n || !reflect.DeepEqual(second, found[1:2]) {
			t.Fatalf("search page: %d %q", n2, second)
		}
		beyond, n3 := names(vigie.SystemFilter{Query: "donnees", Limit: 5, Offset: 50})
		if n3 != n || len(beyond) != 0 {
			t.Fatalf("search past the end: %d %q", n3, beyond)
		}
		_, _, err := db.FindSystems(rd, vigie.SystemFilter{})
		wantCode(t, err, vigie.EINVALID)
	})
}

func TestImportIsAtomic(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		count := func() int {
			_, n, err := db.FindSystems(ed, vigie.SystemFilter{OrgID: fx.org.ID})
			must(t, err)
			return n
		}
		var rs []*vigie.SystemRecord
		for _, name := range caseFiles(t) {
			rs = append(rs, &vigie.SystemRecord{System: loadCase(t, name)})
		}
		// A bad fact in the last record: nothing is stored.
		bad := append([]*vigie.SystemRecord{}, rs...)
		s := loadCase(t, caseFiles(t)[0])
		s.Decisions.Role = "rules"
		bad = append(bad, &vigie.SystemRecord{System: s})
		err := db.ImportSystems(ed, fx.org.ID, bad)
		wantCode(t, err, vigie.EINVALID)
		if !strings.Contains(err.Error(), "n° 9") || !strings.Contains(err.Error(), "decisions.role") {
			t.Fatalf("message: %v", err)
		}
		// A failure inside the transaction (a workplace of another
		// organisation in the fifth record): nothing is stored either.
		w := &vigie.Workplace{OrgID: fx.other.ID, Name: "Ailleurs"}
		must(t, db.CreateWorkplace(fx.as(fx.outside), w))
		bad = append([]*vigie.SystemRecord{}, rs...)
		bad[4] = &vigie.SystemRecord{WorkplaceID: w.ID, System: rs[4].System}
		wantCode(t, db.ImportSystems(ed, fx.org.ID, bad), vigie.EINVALID)
		if n := count(); n != 0 {
			t.Fatalf("%d systems stored by failed imports", n)
		}
		evs, err := db.FindEvents(ed, fx.org.ID, 0)
		must(t, err)
		for _, e := range evs {
			if e.Kind == "system.imported" {
				t.Fatal("a failed import left an event")
			}
		}

		must(t, db.ImportSystems(ed, fx.org.ID, rs))
		if n := count(); n != 8 {
			t.Fatalf("%d systems after import, want 8", n)
		}
		evs, err = db.FindEvents(ed, fx.org.ID, 8)
		must(t, err)
		for i, e := range evs {
			if e.Kind != "system.imported" || e.UserID != fx.editor.ID || e.Subject != rs[len(rs)-1-i].ID {
				t.Fatalf("event %d: %+v", i, e)
			}
		}
	})
}

func TestEventsFollowChanges(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "07-redaction-articles-generes.yaml")}
		must(t, db.CreateSystem(ed, r))
		r.System.Work.JobsCut = vigie.IntOf(3)
		must(t, db.UpdateSystem(ed, r))
		must(t, db.CreateDocument(ed, &vigie.Document{SystemID: r.ID, Name: "pv.txt", Source: "employer"}, []byte("PV")))
		must(t, db.DeleteSystem(ed, r.ID))
		evs, err := db.FindEvents(fx.as(fx.reader), fx.org.ID, 4)
		must(t, err)
		var kinds []string
		for _, e := range evs {
			kinds = append(kinds, e.Kind)
			if e.OrgID != fx.org.ID || e.UserID != fx.editor.ID || e.At.IsZero() {
				t.Fatalf("event %+v", e)
			}
		}
		if got := strings.Join(kinds, " "); got != "system.deleted document.added system.updated system.created" {
			t.Fatalf("events: %s", got)
		}
		if evs[2].Detail != "v2: work.jobs_cut" || evs[0].Subject != r.ID {
			t.Fatalf("detail %q", evs[2].Detail)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].ID >= evs[i-1].ID {
				t.Fatal("events are not newest first")
			}
		}
	})
}

func TestDocuments(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "04-caf-score-risque-controles.yaml")}
		must(t, db.CreateSystem(ed, r))
		content := []byte("%PDF-1.4\nnote d'information du 12/02/2026\n\x00\x01\x02")
		d := &vigie.Document{SystemID: r.ID, Name: "note.pdf", Source: "employer", Date: vigie.MustDate("2026-02-12"),
			Facts: []string{"capabilities.profiling", "deployment.dpia_done"}}
		wantCode(t, db.CreateDocument(ed, &vigie.Document{SystemID: r.ID, Name: "x", Source: "rumour"}, content), vigie.EINVALID)
		wantCode(t, db.CreateDocument(ed, &vigie.Document{SystemID: r.ID, Name: "x", Source: "workers", Facts: []string{"capabilities.telepathy"}}, content), vigie.EINVALID)
		must(t, db.CreateDocument(ed, d, content))
		sum := sha256.Sum256(content)
		if d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(content)) || d.OrgID != fx.org.ID || d.MediaType != "application/pdf" {
			t.Fatalf("document %+v", d)
		}
		got, b, err := db.DocumentContent(fx.as(fx.reader), d.ID)
		must(t, err)
		if !bytes.Equal(b, content) || !reflect.DeepEqual(got, d) {
			t.Fatalf("read back %+v\nwant %+v", got, d)
		}
		list, err := db.FindDocuments(fx.as(fx.reader), r.ID)
		must(t, err)
		if len(list) != 1 || list[0].SHA256 != d.SHA256 || list[0].Date.String() != "2026-02-12" {
			t.Fatalf("FindDocuments = %+v", list)
		}
		_, _, err = db.DocumentContent(fx.as(fx.outside), d.ID)
		wantCode(t, err, vigie.ENOTFOUND)
		// The bytes go with their system.
		must(t, db.DeleteSystem(ed, r.ID))
		_, _, err = db.DocumentContent(context.Background(), d.ID)
		wantCode(t, err, vigie.ENOTFOUND)
	})
}

func TestSessions(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ss := db.SessionStore()
		now := time.Now()
		must(t, ss.Commit("tok-a", []byte("data a"), now.Add(time.Hour)))
		must(t, ss.Commit("tok-b", []byte("data b"), now.Add(-time.Second)))
		b, ok, err := ss.Find("tok-a")
		must(t, err)
		if !ok || string(b) != "data a" {
			t.Fatalf("Find = %q %v", b, ok)
		}
		// Commit replaces.
		must(t, ss.Commit("tok-a", []byte("data a2"), now.Add(time.Hour)))
		b, _, _ = ss.Find("tok-a")
		if string(b) != "data a2" {
			t.Fatalf("after a second commit: %q", b)
		}
		// An expired session is not found, and the cleanup removes it.
		if _, ok, _ := ss.Find("tok-b"); ok {
			t.Fatal("expired session found")
		}
		n, err := db.DeleteExpiredSessions(context.Background())
		must(t, err)
		if n != 1 {
			t.Fatalf("cleanup removed %d sessions, want 1", n)
		}
		must(t, ss.Delete("tok-a"))
		must(t, ss.Delete("never-existed"))
		if _, ok, _ := ss.Find("tok-a"); ok {
			t.Fatal("deleted session found")
		}
	})
}

func TestBackup(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fx := newFixture(t, db)
		must(t, db.CreateSystem(ctx, &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "02-centre-appels-neutralisation-accent.yaml")}))
		to := filepath.Join(t.TempDir(), "copie.db")
		err := db.Backup(ctx, to)
		if db.Dialect() == store.Postgres {
			wantCode(t, err, vigie.EINVALID)
			if !strings.Contains(err.Error(), "pg_dump") {
				t.Fatalf("message: %v", err)
			}
			return
		}
		must(t, err)
		wantCode(t, db.Backup(ctx, to), vigie.EINVALID) // never overwrites
		for _, p := range []string{db.Path(), db.Path() + "-wal", to} {
			fi, err := os.Stat(p)
			must(t, err)
			if fi.Mode().Perm() != 0o600 {
				t.Fatalf("%s has mode %v, want 0600", filepath.Base(p), fi.Mode().Perm())
			}
		}
		cp, err := store.Open(ctx, to)
		must(t, err)
		defer cp.Close()
		_, n, err := cp.FindSystems(ctx, vigie.SystemFilter{OrgID: fx.org.ID})
		must(t, err)
		if n != 1 {
			t.Fatalf("backup holds %d systems", n)
		}
	})
}

func sortFolded(names []string) {
	sort.SliceStable(names, func(i, j int) bool { return store.Fold(names[i]) < store.Fold(names[j]) })
}

// TestMigrationsMatchAcrossDialects: both dialects have the same migration
// versions.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	versions := func(dialect string) []string {
		files, err := filepath.Glob(filepath.Join("migrations", dialect, "*.sql"))
		must(t, err)
		var out []string
		for _, f := range files {
			out = append(out, strings.SplitN(filepath.Base(f), "_", 2)[0])
		}
		return out
	}
	s, p := versions(store.SQLite), versions(store.Postgres)
	if len(s) == 0 || !reflect.DeepEqual(s, p) {
		t.Fatalf("sqlite %v, postgres %v", s, p)
	}
}
