package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/letters"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// countingSystems counts the systems read one by one.
type countingSystems struct {
	vigie.SystemService
	n *int
}

func (c countingSystems) FindSystemByID(ctx context.Context, id string) (*vigie.SystemRecord, error) {
	*c.n++
	return c.SystemService.FindSystemByID(ctx, id)
}

// sendAll records every letter with a procedure that fits each reference
// case, sent on dates spread over the last months, and returns the due
// dates their chains give, computed from the whole system file as the
// board computed them before it read one query per page.
func sendAll(t *testing.T, e *env, org *vigie.Organisation, admin *vigie.User) []boardRow {
	t.Helper()
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	all, err := filepath.Glob("../testdata/cases/0*.yaml")
	var files []string
	for _, f := range all {
		if !strings.HasSuffix(f, ".expected.yaml") {
			files = append(files, f)
		}
	}
	if err != nil || len(files) != 8 {
		t.Fatalf("cases: %v %v", files, err)
	}
	var want []boardRow
	k := 0
	for _, f := range files {
		rec := e.caseSystem(org, f)
		for _, l := range letters.Catalogue() {
			if l.Procedure == "" || l.Event != "" || !l.Fits(&rec.System) {
				continue
			}
			k++
			a := &vigie.Action{OrgID: org.ID, SystemID: rec.ID, Letter: l.ID, Procedure: l.Procedure, State: vigie.ActionSent,
				Title: l.Title.FR, SentOn: today.AddDays(-7 * (k % 20))}
			if k%3 == 0 {
				a.Options.Expert = true
			}
			if err := e.db.CreateAction(ctx, a); err != nil {
				t.Fatal(err)
			}
			c, err := letters.ActionChain(a, nil, &rec.System)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range c.Dues() {
				want = append(want, boardRow{a.ID, st.ID, st.Due.String()})
			}
		}
	}
	slices.SortStableFunc(want, func(a, b boardRow) int { return strings.Compare(a.due, b.due) })
	return want
}

// TestBoardSameDueDates: on the reference cases, every due date the board
// showed on its one page is on the board's pages (the next 30 days, then
// each month), once, with the same date; the board reads the systems in
// one query, never one by one.
func TestBoardSameDueDates(t *testing.T) {
	reads := 0
	e := newEnv(t, func(c *web.Config, db *store.DB) { c.Systems = countingSystems{db, &reads} })
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	want := sendAll(t, e, org, admin)
	if len(want) < 20 {
		t.Fatalf("%d due dates only: the test proves little", len(want))
	}
	c := e.login(admin.Email)
	reads = 0
	got := boardAll(t, e, "/o/"+org.ID, c)
	if reads != 0 {
		t.Errorf("the board read %d systems one by one", reads)
	}
	key := func(r []boardRow) []string {
		var out []string
		for _, x := range r {
			out = append(out, x.action+" "+x.step+" "+x.due)
		}
		slices.Sort(out)
		return out
	}
	if g, w := key(got), key(want); !slices.Equal(g, w) {
		t.Errorf("the board shows %d due dates, %d expected\nshown:    %v\nexpected: %v", len(g), len(w), g, w)
	}

	// The first page holds the overdue due dates and those of the next
	// month only; the months line counts all.
	first := e.get("/o/"+org.ID+"/deadlines", c)
	end := today.AddMonths(1).String()
	for _, row := range boardRows(first.body) {
		overdue := strings.Contains(first.body, `data-action="`+row.action+`" data-step="`+row.step+`" data-due="`+row.due+`" data-overdue="true"`)
		if !overdue && (row.due < today.String() || row.due > end) {
			t.Errorf("first page shows %v, outside [%s, %s] and not overdue", row, today, end)
		}
	}
	total := 0
	for _, m := range regexpAll(`<tr data-month="[0-9-]+" data-count="([0-9]+)"`, first.body) {
		var n int
		fmt.Sscan(m, &n)
		total += n
	}
	if total != len(want) {
		t.Errorf("the months count %d due dates, want %d", total, len(want))
	}
	if r := e.get("/o/"+org.ID+"/deadlines?month=mars", c); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="bf-month-err"`) {
		t.Errorf("bad month: %d", r.status)
	}
}

// TestBoardPages: a page never holds more than 100 due dates, whatever
// the number of actions; the pages together hold them all.
func TestBoardPages(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	rec := e.caseSystem(org, actionsCase)
	ctx := vigie.NewContextWithUser(context.Background(), admin)
	l, _ := letters.Lookup("dpia-request")
	if l.Procedure == "" {
		t.Fatal("dpia-request has no procedure")
	}
	for i := 0; i < 130; i++ {
		a := &vigie.Action{OrgID: org.ID, SystemID: rec.ID, Letter: l.ID, Procedure: l.Procedure, State: vigie.ActionSent,
			Title: fmt.Sprintf("Demande %d", i), SentOn: today.AddDays(-i % 25)}
		if err := e.db.CreateAction(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	c := e.login(admin.Email)
	all := boardAll(t, e, "/o/"+org.ID, c)
	if len(all) < 130 {
		t.Fatalf("%d due dates for 130 actions", len(all))
	}
	month := all[len(all)/2].due[:7]
	for page := 1; page <= 3; page++ {
		r := e.get("/o/"+org.ID+"/deadlines?"+url.Values{"month": {month}, "page": {fmt.Sprint(page)}}.Encode(), c)
		if n := len(boardRows(r.body)); n > 100 {
			t.Errorf("page %d of %s holds %d rows", page, month, n)
		}
	}
	r := e.get("/o/"+org.ID+"/deadlines?from="+all[0].due+"&to="+all[len(all)-1].due, c)
	if n := len(boardRows(r.body)); n != 100 || !strings.Contains(r.body, `rel="next"`) {
		t.Errorf("a range of %d due dates: %d rows on its first page", len(all), n)
	}
}

// regexpAll returns the first group of every match of re in s.
func regexpAll(re, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestCalendarLinkScheme: the secret address shown has the scheme the
// server is reached with: http on plain http (even with Secure cookies),
// https when a trusted reverse proxy says the client used https, and http
// when a client that is no trusted proxy says so.
func TestCalendarLinkScheme(t *testing.T) {
	for _, c := range []struct {
		name    string
		proxies []string
		proto   string
		want    string
	}{
		{"plain", nil, "", "http://"},
		{"untrusted header", nil, "https", "http://"},
		{"trusted proxy", []string{"127.0.0.1/32"}, "https", "https://"},
		{"trusted proxy, http", []string{"127.0.0.1/32"}, "http", "http://"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, func(cfg *web.Config, _ *store.DB) { cfg.TrustedProxies = c.proxies })
			admin := e.user("admin@example.org", "Admin")
			org := e.org(admin, "Section")
			cookie := e.login(admin.Email)
			r := e.do("POST", "/o/"+org.ID+"/deadlines/calendar", cookie, strings.NewReader(""), "application/x-www-form-urlencoded", "X-Forwarded-Proto", c.proto)
			m := regexp.MustCompile(`id="feed-url" readonly value="([^"]+)"`).FindStringSubmatch(r.body)
			if r.status != http.StatusOK || m == nil {
				t.Fatalf("create: %d", r.status)
			}
			if !strings.HasPrefix(m[1], c.want+strings.TrimPrefix(e.ts.URL, "http://")+"/cal/") {
				t.Errorf("feed URL %s, want %s…", m[1], c.want)
			}
		})
	}
}
