package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	qr "github.com/piglig/go-qr"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/testimony"
	"github.com/vigie-app/vigie/web"
)

// The fixed clock of these tests: 2026-03-17T14:23:51Z is in ISO week 12.
var tmAt = time.Date(2026, 3, 17, 14, 23, 51, 0, time.UTC)

func withTestimony(c *web.Config, db *store.DB) { c.Testimony = db }

// syncBuf is a log sink shared by the server's goroutines.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// tmFixture is an organisation with an editor, a reader and an outsider, a
// system with two work units, and the testimony feature on.
type tmFixture struct {
	e                       *env
	org, other              *vigie.Organisation
	editor, reader, outside string // session cookies
	sys                     *vigie.SystemRecord
	logs                    *syncBuf
}

func newTmFixture(t *testing.T, opts ...func(*web.Config, *store.DB)) *tmFixture {
	t.Helper()
	t.Cleanup(web.SetTestimonyNow(func() time.Time { return tmAt }))
	logs := &syncBuf{}
	opts = append([]func(*web.Config, *store.DB){withTestimony, func(c *web.Config, _ *store.DB) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}}, opts...)
	e := newEnv(t, opts...)
	e.db.Now = func() time.Time { return tmAt }
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section Lyon")
	ed := e.user("editor@example.org", "Éditrice")
	rd := e.user("reader@example.org", "Lecteur")
	out := e.user("outside@example.org", "Dehors")
	e.member(org, ed, vigie.RoleEditor)
	e.member(org, rd, vigie.RoleReader)
	other := e.org(out, "Section Nantes")
	sys := e.system(org, "Planificateur de tournées")
	sys.System.Deployment.Units = vigie.SetOf("Tri", "Distribution")
	if err := e.db.UpdateSystem(context.Background(), sys); err != nil {
		t.Fatal(err)
	}
	return &tmFixture{e: e, org: org, other: other, sys: sys, logs: logs,
		editor: e.login("editor@example.org"), reader: e.login("reader@example.org"), outside: e.login("outside@example.org")}
}

var tmIdentityRE = regexp.MustCompile(`AGE-SECRET-KEY-1[0-9A-Z]+`)
var tmTokenRE = regexp.MustCompile(`/t/([A-Za-z0-9_-]{43})`)
var tmPathRE = regexp.MustCompile(`/o/[0-9a-f-]{36}/testimony/([0-9a-f-]{36})`)

// create makes a campaign through the web form and returns its page path,
// its public path and its secret key.
func (fx *tmFixture) create(t *testing.T, extra url.Values) (page, public, identity string) {
	t.Helper()
	form := url.Values{"title": {"Tournées : qu'en pensez-vous ?"}, "system": {fx.sys.ID}, "opens_on": {"2026-03-02"},
		"closes_on": {"2026-03-29"}, "min_group": {"5"}, "retention_days": {"90"}, "codes": {"0"}}
	for _, q := range testimony.Questions().IDs() {
		form.Add("question", q)
	}
	for k, v := range extra {
		form[k] = v
	}
	r := fx.e.post("/o/"+fx.org.ID+"/testimony", fx.editor, form)
	if r.status != http.StatusOK {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	identity = tmIdentityRE.FindString(r.body)
	m := tmTokenRE.FindStringSubmatch(r.body)
	p := tmPathRE.FindString(r.body)
	if m == nil || p == "" {
		t.Fatalf("create: no link in\n%s", r.body)
	}
	return p, m[0], identity
}

// submit posts the public form as a browser on a phone would, from the
// given address, with marker headers, and returns the response.
func (fx *tmFixture) submit(t *testing.T, public string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, public, strings.NewReader(form.Encode()))
	req.RemoteAddr = "203.0.113.77:51234"
	req.Host = strings.TrimPrefix(fx.e.ts.URL, "http://")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "198.51.100.9")
	req.Header.Set("Forwarded", "for=198.51.100.9")
	req.Header.Set("X-Real-Ip", "198.51.100.9")
	req.Header.Set("User-Agent", "Mozilla/5.0 MarqueurAgent-7Hq")
	req.Header.Set("Referer", "https://intranet.example.org/MarqueurReferent-7Hq")
	req.Header.Set("Origin", fx.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	fx.e.srv.ServeHTTP(w, req)
	return w
}

func tmAnswers(vals map[string]string, unit, text string) url.Values {
	f := url.Values{"unit": {unit}, "text": {text}}
	for k, v := range vals {
		f.Set("q_"+k, v)
	}
	return f
}

// TestTestimonyPublicKeepsNoTrace: a submission from 203.0.113.77 through a
// proxy naming 198.51.100.9, with marker user agent and referrer, leaves
// none of them in any column of any table, in the debug log or in the
// database files; the week is the only time kept, and no cookie is set.
func TestTestimonyPublicKeepsNoTrace(t *testing.T) {
	fx := newTmFixture(t)
	_, public, _ := fx.create(t, nil)
	for i := range 6 {
		w := fx.submit(t, public, tmAnswers(map[string]string{"surveillance_felt": "3", "opacity": fmt.Sprint(i % 4)}, "Tri", "texte "+fmt.Sprint(i)))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="tm-thanks"`) {
			t.Fatalf("submit: %d\n%s", w.Code, w.Body.String())
		}
		if c := w.Header().Values("Set-Cookie"); len(c) > 0 {
			t.Fatalf("the public form set a cookie: %v", c)
		}
		if w.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("Referrer-Policy %q", w.Header().Get("Referrer-Policy"))
		}
	}
	// A form with errors and a missing questionnaire, too.
	if w := fx.submit(t, public, tmAnswers(map[string]string{"opacity": "9"}, "", "")); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad answer: %d", w.Code)
	}
	if w := fx.submit(t, "/t/"+strings.Repeat("x", 43), tmAnswers(nil, "", "")); w.Code != http.StatusNotFound {
		t.Fatalf("unknown token: %d", w.Code)
	}
	get := httptest.NewRequest(http.MethodGet, public, nil)
	get.RemoteAddr = "203.0.113.77:51234"
	get.Host = strings.TrimPrefix(fx.e.ts.URL, "http://")
	get.Header.Set("User-Agent", "MarqueurAgent-7Hq")
	w := httptest.NewRecorder()
	fx.e.srv.ServeHTTP(w, get)
	if w.Code != http.StatusOK || len(w.Header().Values("Set-Cookie")) > 0 || strings.Contains(w.Body.String(), "<script") {
		t.Fatalf("GET form: %d cookies %v", w.Code, w.Header().Values("Set-Cookie"))
	}

	markers := []string{"203.0.113.77", "198.51.100.9", "MarqueurAgent", "MarqueurReferent", "203.0.113", "198.51.100"}
	// Every column of every table.
	raw, err := sql.Open("sqlite", fx.e.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	tables := []string{}
	rows, err := raw.Query("SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	cells := 0
	for _, table := range tables {
		rows, err := raw.Query(`SELECT * FROM "` + table + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				cells++
				s := fmt.Sprintf("%s", v)
				for _, m := range markers {
					if strings.Contains(s, m) {
						t.Errorf("%s.%s holds %q", table, cols[i], m)
					}
				}
			}
		}
		rows.Close()
	}
	if cells < 50 {
		t.Fatalf("only %d cells scanned", cells)
	}
	var week string
	if err := raw.QueryRow("SELECT DISTINCT week FROM testimony_answers").Scan(&week); err != nil || week != "2026-W12" {
		t.Fatalf("week %q, %v", week, err)
	}
	// The log, at debug level.
	logs := fx.logs.String()
	for _, m := range markers {
		if strings.Contains(logs, m) {
			t.Errorf("the log holds %q:\n%s", m, logs)
		}
	}
	// The database files.
	fx.e.db.Close()
	for _, p := range []string{fx.e.db.Path(), fx.e.db.Path() + "-wal", fx.e.db.Path() + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, m := range append(markers, "texte 3") {
			if bytes.Contains(b, []byte(m)) {
				t.Errorf("%s holds %q", p, m)
			}
		}
	}
}

// TestTestimonyRolesWeb: a reader sees campaigns and results, only an
// editor or admin creates or closes them, and another organisation gets
// 404 for everything.
func TestTestimonyRolesWeb(t *testing.T) {
	fx := newTmFixture(t)
	e := fx.e
	if r := e.get("/o/"+fx.org.ID+"/testimony/new", fx.reader); r.status != http.StatusForbidden {
		t.Fatalf("reader new: %d", r.status)
	}
	if r := e.post("/o/"+fx.org.ID+"/testimony", fx.reader, url.Values{"title": {"x"}}); r.status != http.StatusForbidden {
		t.Fatalf("reader create: %d", r.status)
	}
	page, _, identity := fx.create(t, nil)
	if !strings.HasPrefix(identity, "AGE-SECRET-KEY-1") {
		t.Fatal("the secret key is not shown at creation")
	}
	if r := e.get(page, fx.editor); strings.Contains(r.body, identity) {
		t.Fatal("the secret key is shown again")
	}
	for _, p := range []string{page, page + "/poster", page + "/results.json", "/o/" + fx.org.ID + "/testimony", "/o/" + fx.org.ID + "/systems/" + fx.sys.ID + "/t/testimony"} {
		if r := e.get(p, fx.reader); r.status != http.StatusOK {
			t.Fatalf("reader GET %s: %d", p, r.status)
		}
		if r := e.get(p, fx.outside); r.status != http.StatusNotFound {
			t.Fatalf("outsider GET %s: %d", p, r.status)
		}
	}
	// Through the outsider's own organisation: still not found.
	cid := tmPathRE.FindStringSubmatch(page)[1]
	if r := e.get("/o/"+fx.other.ID+"/testimony/"+cid, fx.outside); r.status != http.StatusNotFound {
		t.Fatalf("outsider via own org: %d", r.status)
	}
	if r := e.post(page+"/close", fx.reader, nil); r.status != http.StatusForbidden {
		t.Fatalf("reader close: %d", r.status)
	}
	if r := e.post(page+"/codes", fx.reader, url.Values{"n": {"3"}}); r.status != http.StatusForbidden {
		t.Fatalf("reader codes: %d", r.status)
	}
	if r := e.post(page+"/close", fx.outside, nil); r.status != http.StatusNotFound {
		t.Fatalf("outsider close: %d", r.status)
	}
	if r := e.post(page+"/close", fx.editor, nil); r.status != http.StatusSeeOther {
		t.Fatalf("editor close: %d", r.status)
	}
	if r := e.get(page, fx.reader); !strings.Contains(r.body, `data-state="closed"`) {
		t.Fatal("not closed")
	}
	// Bad input names the field and stores nothing.
	r := e.post("/o/"+fx.org.ID+"/testimony", fx.editor, url.Values{"title": {""}, "min_group": {"2"}, "retention_days": {"90"}, "codes": {"0"},
		"opens_on": {"2026-03-02"}, "closes_on": {"2026-03-29"}, "question": {"opacity"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `aria-invalid="true"`) {
		t.Fatalf("bad form: %d", r.status)
	}
	cs, _ := e.db.FindCampaigns(context.Background(), fx.org.ID, "")
	if len(cs) != 1 {
		t.Fatalf("%d campaigns", len(cs))
	}
}

// TestTestimonyResultsAfterK: the results appear only once k answered, with
// a chart per question and no small count; the free texts open with the
// campaign's key only; the closed campaign shows in the evaluation tab.
func TestTestimonyResultsAfterK(t *testing.T) {
	fx := newTmFixture(t)
	e := fx.e
	page, public, identity := fx.create(t, nil)
	send := func(vals map[string]string, text string) {
		t.Helper()
		if w := fx.submit(t, public, tmAnswers(vals, "Tri", text)); w.Code != http.StatusOK {
			t.Fatalf("submit: %d %s", w.Code, w.Body.String())
		}
	}
	for range 4 {
		send(map[string]string{"surveillance_felt": "3"}, "")
	}
	r := e.get(page, fx.reader)
	if !strings.Contains(r.body, `id="tm-noresults"`) || strings.Contains(r.body, "<svg") || strings.Contains(r.body, `id="tm-read-form"`) {
		t.Fatalf("results shown below k:\n%s", r.body)
	}
	send(map[string]string{"surveillance_felt": "3"}, "on nous chronomètre aux toilettes")
	r = e.get(page, fx.reader)
	if !strings.Contains(r.body, `data-responses="5"`) || !strings.Contains(r.body, `id="tm-q-surveillance_felt"`) || strings.Count(r.body, "<svg") < 9 {
		t.Fatalf("results at k:\n%s", r.body)
	}
	send(map[string]string{"surveillance_felt": "3", "opacity": "1"}, "")
	r = e.get(page, fx.reader)
	// Opacity: 1 × "1" and 5 × not known: the 1 is hidden, and the 5
	// with it.
	if strings.Contains(r.body, ">1</td>") {
		t.Fatalf("a count of 1 is shown:\n%s", r.body)
	}
	// Free texts: the campaign's key opens them, another does not.
	if r := e.post(page+"/read", fx.reader, url.Values{"identity": {identity}}); r.status != http.StatusOK || !strings.Contains(r.body, "on nous chronomètre aux toilettes") {
		t.Fatalf("read: %d", r.status)
	}
	other, _, _ := testimony.NewIdentity()
	if r := e.post(page+"/read", fx.reader, url.Values{"identity": {other}}); r.status != http.StatusUnprocessableEntity || strings.Contains(r.body, "toilettes") {
		t.Fatalf("read with another key: %d", r.status)
	}
	if r := e.post(page+"/read", fx.reader, url.Values{"identity": {"n'importe quoi"}}); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("read with no key: %d", r.status)
	}
	if strings.Contains(fx.logs.String(), identity) {
		t.Fatal("the key is in the log")
	}
	// Closed: the evaluation tab shows the workers' level beside the
	// representatives' (unknown) rating, and the assessment uses it.
	evalPath := "/o/" + fx.org.ID + "/systems/" + fx.sys.ID + "/t/evaluation?date=2026-03-18"
	if r := e.get(evalPath, fx.reader); strings.Contains(r.body, `id="tm-eval"`) {
		t.Fatal("an open campaign is in the evaluation")
	}
	e.post(page+"/close", fx.editor, nil)
	r = e.get(evalPath, fx.reader)
	if !strings.Contains(r.body, `id="tm-eval"`) || !strings.Contains(r.body, `data-fact="work.surveillance_felt"`) || !strings.Contains(r.body, "questionnaire, n = 6, semaine 2026-W12") {
		t.Fatalf("evaluation tab:\n%s", r.body)
	}
}

func TestTestimonyPosterAndCodes(t *testing.T) {
	fx := newTmFixture(t)
	e := fx.e
	page, public, _ := fx.create(t, url.Values{"codes": {"3"}})
	r := e.get(page+"/poster", fx.reader)
	if r.status != http.StatusOK || !strings.Contains(r.body, `<svg xmlns="http://www.w3.org/2000/svg" class="tm-qr"`) {
		t.Fatalf("poster: %d", r.status)
	}
	r = e.get(page+"/qr.png", fx.reader)
	img, err := png.Decode(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("qr.png: %v", err)
	}
	text, err := qr.Decode(img)
	if err != nil || !strings.HasSuffix(text, public) || !strings.HasPrefix(text, "http://") {
		t.Fatalf("the QR code reads %q (%v), want …%s", text, err, public)
	}
	if r := e.get(page+"/poster.pdf", fx.reader); !strings.HasPrefix(r.body, "%PDF") {
		t.Fatal("poster.pdf is not a PDF")
	}
	// The public form asks for a code; a batch of codes prints once.
	if w := fx.submit(t, public, tmAnswers(nil, "", "")); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="tm-code-err"`) {
		t.Fatalf("no code: %d", w.Code)
	}
	r = e.post(page+"/codes", fx.editor, url.Values{"n": {"2"}})
	codes := regexp.MustCompile(`class="mono tm-code">([A-Z0-9-]{11})<`).FindAllStringSubmatch(r.body, -1)
	if r.status != http.StatusOK || len(codes) != 2 {
		t.Fatalf("codes: %d %d", r.status, len(codes))
	}
	f := tmAnswers(nil, "", "")
	f.Set("code", codes[0][1])
	if w := fx.submit(t, public, f); w.Code != http.StatusOK {
		t.Fatalf("with a code: %d %s", w.Code, w.Body.String())
	}
	if w := fx.submit(t, public, f); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("code used twice: %d", w.Code)
	}
}

func TestTestimonyRateLimit(t *testing.T) {
	fx := newTmFixture(t)
	_, public, _ := fx.create(t, nil)
	var last int
	for range 21 {
		last = fx.submit(t, public, tmAnswers(nil, "", "")).Code
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("21st submission in an hour: %d", last)
	}
	n, _, _, _ := fx.e.db.CampaignAnswers(context.Background(), tmPathRE.FindStringSubmatch(fx.e.get("/o/"+fx.org.ID+"/testimony", fx.reader).body)[1])
	if len(n) != 20 {
		t.Fatalf("%d answers stored", len(n))
	}
}
