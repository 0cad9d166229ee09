package store_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// TestConcurrentUpdatesConflict: editors saving the same version at once;
// exactly one wins, the others get ECONFLICT, and the history holds one
// version.
func TestConcurrentUpdatesConflict(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		fx := newFixture(t, db)
		ed := fx.as(fx.editor)
		r := &vigie.SystemRecord{OrgID: fx.org.ID, System: loadCase(t, "06-dgfip-listes-controle-fiscal.yaml")}
		must(t, db.CreateSystem(ed, r))
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c := *r
				c.System.Decisions.IndividualDecisionsPerYear = vigie.IntOf(1000 + i)
				errs[i] = db.UpdateSystem(ed, &c)
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch vigie.ErrorCode(err) {
			case "":
				ok++
			case vigie.ECONFLICT:
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent updates succeeded, want 1", ok)
		}
		cur, err := db.FindSystemByID(ed, r.ID)
		must(t, err)
		h, err := db.SystemHistory(ed, r.ID)
		must(t, err)
		if cur.Version != 2 || len(h) != 1 || h[0].New != cur.System.Decisions.IndividualDecisionsPerYear.String() {
			t.Fatalf("version %d, history %+v", cur.Version, h)
		}
	})
}

// TestSessionsWithSCS: the store keeps the sessions of an scs manager
// across requests.
func TestSessionsWithSCS(t *testing.T) {
	eachDB(t, func(t *testing.T, db *store.DB) {
		sm := scs.New()
		sm.Store = db.SessionStore()
		sm.Lifetime = time.Hour
		h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/put" {
				sm.Put(r.Context(), "user", "ada")
				return
			}
			w.Write([]byte(sm.GetString(r.Context(), "user")))
		}))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/put", nil))
		cookies := rec.Result().Cookies()
		if len(cookies) != 1 {
			t.Fatalf("%d cookies", len(cookies))
		}
		req := httptest.NewRequest("GET", "/get", nil)
		req.AddCookie(cookies[0])
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Body.String() != "ada" {
			t.Fatalf("session value %q", rec.Body.String())
		}
		// Another token finds nothing.
		req = httptest.NewRequest("GET", "/get", nil)
		req.AddCookie(&http.Cookie{Name: cookies[0].Name, Value: "forged-token"})
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Body.String() != "" {
			t.Fatalf("forged token read %q", rec.Body.String())
		}
	})
}
