package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/store"
)

// BenchmarkPages measures the CPU time per request (cpu-µs/op) of every
// kind of page, through the server's handler, on a database made by
// `scripts/bench-web -keep DIR` (VIGIE_BENCH_DB=DIR/vigie.db; the
// benchmark skips without it): the register's first page, page 50, a
// search, a filter, a system's page and its tabs, the board and the feed.
// CPU time stays meaningful on a shared machine where latencies do not;
// a page above ~5 ms cannot keep p99 under 50 ms at concurrency 8 on two
// cores. With -cpuprofile, the profile of the pages; with
// VIGIE_BENCH_DUMP=DIR, each page is also written to DIR (NAME.html), to
// check that a change made for speed changed nothing shown.
//
//	VIGIE_BENCH_DB=/tmp/bench10k/vigie.db go test ./web -run '^$' -bench Pages -benchtime 50x
func BenchmarkPages(b *testing.B) {
	path := os.Getenv("VIGIE_BENCH_DB")
	if path == "" {
		b.Skip("skipped: VIGIE_BENCH_DB names no database made by scripts/bench-web -keep")
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	e := newEnvDB(b, db)
	r := e.post("/login", "", url.Values{"email": {"bench@example.org"}, "password": {"bench password for load tests"}})
	if r.status != http.StatusSeeOther {
		b.Fatalf("login: status %d", r.status)
	}
	var cookie string
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "vigie_session" {
			cookie = c.Name + "=" + c.Value
		}
	}
	home := e.get("/", cookie)
	m := regexp.MustCompile(`/o/([0-9a-f-]{36})/`).FindStringSubmatch(home.body + home.header.Get("Location"))
	if m == nil {
		b.Fatal("no organisation")
	}
	o := "/o/" + m[1]
	reg := e.get(o+"/systems", cookie)
	sm := regexp.MustCompile(`href="(/o/[^/"]+/systems/[0-9a-f-]{36})"`).FindStringSubmatch(reg.body)
	if sm == nil {
		b.Fatal("no system listed")
	}
	pages := []struct{ name, path string }{
		{"register", o + "/systems"},
		{"register_page_50", o + "/systems?page=50"},
		{"search", o + "/systems?q=" + url.QueryEscape("écrans")},
		{"filter", o + "/systems?status=deployed&sort=tier"},
		{"system", sm[1]},
		{"board", o + "/deadlines"},
	}
	sp := e.get(sm[1], cookie)
	seen := map[string]bool{}
	for _, t := range regexp.MustCompile(`href="(`+regexp.QuoteMeta(sm[1])+`/t/([a-z0-9_-]+))"`).FindAllStringSubmatch(sp.body, -1) {
		if !seen[t[2]] {
			seen[t[2]] = true
			pages = append(pages, struct{ name, path string }{"tab_" + t[2], t[1]})
		}
	}
	h := e.srv.Handler()
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, e.ts.URL+p.path, nil)
			req.Header.Set("Cookie", cookie)
			if dir := os.Getenv("VIGIE_BENCH_DUMP"); dir != "" {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if err := os.WriteFile(filepath.Join(dir, p.name+".html"), w.Body.Bytes(), 0o644); err != nil {
					b.Fatal(err)
				}
			}
			done := testenv.CPUMeter(b)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: status %d: %s", p.path, w.Code, strings.TrimSpace(w.Body.String()[:min(200, w.Body.Len())]))
				}
			}
			done()
		})
	}
}
