// Command benchweb is the load test of vigie's web application (run by
// scripts/bench-web): it fills a fresh database with N systems across M
// organisations through `vigie import`, adds letters to the first
// organisation's systems, starts `vigie serve` on it, logs in, and
// measures the latency (p50, p99) and the throughput of every kind of
// page at several concurrencies, over real HTTP on the loopback. Beside
// the pages it measures a static 20 KB response of the same process (the
// floor: what the server costs without the application) and it samples
// the server's resident memory.
//
// Usage:
//
//	go run ./internal/cmd/benchweb -vigie ./vigie -systems 10000 -orgs 1 [-db postgres://…]
//
// With -db postgres://…, the data goes to a new schema of that database,
// dropped at the end; otherwise to a SQLite file in a temporary folder.
//
// With -keep DIR, the data is kept (the SQLite file in DIR, or the
// PostgreSQL schema named in DIR/bench.json), and a later run with the
// same -keep DIR, -systems, -orgs and -db reuses it without loading it
// again: the measurements can be repeated at the cost of the server's
// start alone.
//
// At the end it prints the measurements again as a Markdown table, with
// the server's resident memory idle and at its peak and the load average
// before and after.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

const (
	benchEmail    = "bench@example.org"
	benchPassword = "bench password for load tests"
)

func main() {
	var (
		vigieBin = flag.String("vigie", "", "the vigie binary (built from this repository)")
		systems  = flag.Int("systems", 1000, "number of systems")
		orgs     = flag.Int("orgs", 1, "number of organisations (sections) they are spread over")
		dsn      = flag.String("db", "", "postgres://… to use PostgreSQL (a new schema, dropped at the end); empty for SQLite")
		dur      = flag.Duration("duration", 2*time.Second, "how long each measurement runs")
		concs    = flag.String("concurrency", "1,8,64", "the concurrencies, comma-separated")
		only     = flag.String("only", "", "measure only the targets whose name contains this")
		letters  = flag.Int("letters", 40, "letters sent on systems of the first organisation (for the board and the feed)")
		cases    = flag.String("cases", "testdata/cases", "folder of the reference system files the generated systems vary")
		heavy    = flag.String("heavy-concurrency", "", "the concurrencies of the whole-register downloads (exports, feed); default: those of -concurrency")
		keep     = flag.String("keep", "", "keep the generated data in this folder (and the PostgreSQL schema), and reuse it when it was made with the same -systems, -orgs and -db")
	)
	flag.Parse()
	if *vigieBin == "" {
		fail("-vigie: the vigie binary is required")
	}
	var cs []int
	for _, s := range strings.Split(*concs, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fail("-concurrency: %q", s)
		}
		cs = append(cs, n)
	}
	hs := cs
	if *heavy != "" {
		hs = nil
		for _, s := range strings.Split(*heavy, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				fail("-heavy-concurrency: %q", s)
			}
			hs = append(hs, n)
		}
	}
	tmp, err := os.MkdirTemp("", "vigie-bench-")
	check(err)
	defer os.RemoveAll(tmp)
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })

	b := &bench{vigie: *vigieBin, tmp: tmp}
	want := keptData{Systems: *systems, Orgs: *orgs, Dialect: dialect(*dsn)}
	var orgIDs []string
	var kept *keptData
	if *keep != "" {
		check(os.MkdirAll(*keep, 0o755))
		kept = readKept(*keep)
		if kept != nil && (kept.Systems != want.Systems || kept.Orgs != want.Orgs || kept.Dialect != want.Dialect ||
			(store.IsPostgres(*dsn) && !sameServer(kept.DB, *dsn))) {
			fail("-keep %s: holds %d systems in %d organisation(s) on %s; remove the folder (and its schema) or choose another", *keep, kept.Systems, kept.Orgs, kept.Dialect)
		}
	}
	t0 := time.Now()
	if kept != nil {
		b.db, orgIDs, b.feedToken = kept.DB, kept.OrgIDs, kept.FeedToken
		fmt.Printf("# %d systems in %d organisation(s) on %s, reused from %s\n", *systems, *orgs, dialect(b.db), *keep)
	} else {
		b.db = filepath.Join(tmp, "vigie.db")
		if *keep != "" {
			b.db = filepath.Join(*keep, "vigie.db")
		}
		if store.IsPostgres(*dsn) {
			var drop func()
			b.db, drop = freshSchema(*dsn)
			if *keep == "" {
				defer drop()
				cleanups = append(cleanups, drop)
			}
		}
		templates := loadCases(*cases)
		orgIDs = b.generate(templates, *systems, *orgs)
		b.addLetters(orgIDs[0], *letters)
		if *keep != "" {
			want.DB, want.OrgIDs, want.FeedToken = b.db, orgIDs, b.feedToken
			writeKept(*keep, &want)
		}
		fmt.Printf("# %d systems in %d organisation(s) on %s, loaded in %s\n", *systems, *orgs, dialect(b.db), time.Since(t0).Round(time.Second))
	}

	srv := b.serve()
	defer srv.stop()
	cleanups = append(cleanups, srv.stop)
	c := login(srv.base)
	targets := discover(c, srv.base, orgIDs[0], b.feedToken)
	idle, idleAnon, idleFile := rss(srv.pid, "VmRSS"), rss(srv.pid, "RssAnon"), rss(srv.pid, "RssFile")
	load, _ := os.ReadFile("/proc/loadavg")
	loadStart := strings.Join(strings.Fields(string(load))[:3], " ")
	fmt.Printf("# server idle: RSS %.0f MB (anonymous %.0f MB, file %.0f MB); %s per measurement; %d CPUs; load average %s\n",
		idle, idleAnon, idleFile, *dur, numCPU(), loadStart)
	fmt.Println("# RSS: peak resident memory during the measurement; anon: its anonymous part (heap, stacks), without the database file SQLite maps")
	fmt.Println()
	fmt.Printf("%-22s %5s %9s %9s %9s %9s %9s %9s %9s %7s %7s\n", "target", "conc", "req/s", "p50 ms", "p99 ms", "cpu ms", "size KB", "RSS MB", "anon MB", "errors", "429")
	type row struct {
		name string
		conc int
		r    result
	}
	var rows []row
	for _, t := range targets {
		if *only != "" && !strings.Contains(t.name, *only) {
			continue
		}
		ns := cs
		if t.heavy {
			ns = hs
		}
		for _, n := range ns {
			r := measure(c, t, n, *dur, srv.pid)
			rows = append(rows, row{t.name, n, r})
			fmt.Printf("%-22s %5d %9.0f %9.1f %9.1f %9.2f %9.1f %9.0f %9.0f %7d %7d\n", t.name, n, r.rps, r.p50, r.p99, r.cpu, r.size/1024, r.peakRSS, r.peakAnon, r.errors, r.limited)
		}
	}
	load, _ = os.ReadFile("/proc/loadavg")
	loadEnd := strings.Join(strings.Fields(string(load))[:3], " ")
	peak := rss(srv.pid, "VmHWM")
	fmt.Printf("\n# server RSS idle %.0f MB, peak (VmHWM) %.0f MB, %+.0f MB; load average at the start %s, at the end %s\n",
		idle, peak, peak-idle, loadStart, loadEnd)

	// The same, ready for the README.
	fmt.Printf("\n%d systems in %d organisation(s), %s, %d CPUs, %s per measurement, `vigie serve` RSS idle %.0f MB, peak %.0f MB (%+.0f MB); load average %s at the start, %s at the end.\n\n",
		*systems, *orgs, dialect(b.db), numCPU(), *dur, idle, peak, peak-idle, loadStart, loadEnd)
	fmt.Println("| page | concurrency | req/s | p50 ms | p99 ms | server CPU ms/req | KB | peak RSS MB | errors | 429 |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Printf("| %s | %d | %.0f | %.1f | %.1f | %.2f | %.1f | %.0f | %d | %d |\n", r.name, r.conc, r.r.rps, r.r.p50, r.r.p99, r.r.cpu, r.r.size/1024, r.r.peakRSS, r.r.errors, r.r.limited)
	}
}

// keptData is what -keep remembers of the data it generated (DIR/bench.json).
type keptData struct {
	Systems   int      `json:"systems"`
	Orgs      int      `json:"orgs"`
	Dialect   string   `json:"dialect"`
	DB        string   `json:"db"`
	OrgIDs    []string `json:"org_ids"`
	FeedToken string   `json:"feed_token"`
}

func readKept(dir string) *keptData {
	b, err := os.ReadFile(filepath.Join(dir, "bench.json"))
	if os.IsNotExist(err) {
		return nil
	}
	check(err)
	var k keptData
	if err := json.Unmarshal(b, &k); err != nil {
		fail("-keep %s: bench.json: %v", dir, err)
	}
	return &k
}

func writeKept(dir string, k *keptData) {
	b, err := json.MarshalIndent(k, "", "  ")
	check(err)
	check(os.WriteFile(filepath.Join(dir, "bench.json"), b, 0o600))
}

// sameServer reports whether the kept PostgreSQL DSN is on the server and
// database of dsn (it has a search_path of its own).
func sameServer(kept, dsn string) bool {
	a, err1 := url.Parse(kept)
	b, err2 := url.Parse(dsn)
	return err1 == nil && err2 == nil && a.Host == b.Host && a.Path == b.Path
}

type bench struct {
	vigie, db, tmp string
	feedToken      string
}

func dialect(db string) string {
	if store.IsPostgres(db) {
		return "PostgreSQL"
	}
	return "SQLite"
}

// run runs the vigie binary with args and stdin, failing on error.
func (b *bench) run(stdin string, args ...string) string {
	cmd := exec.Command(b.vigie, append(args, "--db", b.db)...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fail("vigie %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// words vary the descriptions, so that a search has something to find
// and to leave out.
var words = []string{"écran", "écrans", "planning", "tournées", "contrôle", "score", "caméra", "badge", "messagerie",
	"entretien", "évaluation", "recrutement", "cadence", "productivité", "géolocalisation", "transcription",
	"synthèse", "fraude", "allocataires", "agents", "conseillers", "rédaction", "dépêches", "appels"}

func loadCases(dir string) []vigie.System {
	files, err := filepath.Glob(filepath.Join(dir, "0*.yaml"))
	check(err)
	var out []vigie.System
	for _, f := range files {
		if strings.HasSuffix(f, ".expected.yaml") {
			continue
		}
		b, err := os.ReadFile(f)
		check(err)
		s, err := vigie.ParseSystem(f, b)
		check(err)
		out = append(out, *s)
	}
	if len(out) == 0 {
		fail("no reference case in %s", dir)
	}
	return out
}

// generate creates the organisations and imports their systems, each a
// reference case with another name, status and description.
func (b *bench) generate(templates []vigie.System, n, m int) []string {
	rng := mrand.New(mrand.NewPCG(1, 2))
	statuses := vigie.Enums["deployment.status"]
	ids := make([]string, m)
	per := (n + m - 1) / m
	made := 0
	// The sections are made in one opening of the database (a process
	// each would cost an opening, migrations checked, per section); their
	// systems go through `vigie import`.
	db, err := store.Open(context.Background(), b.db)
	check(err)
	for o := range m {
		org := &vigie.Organisation{Name: fmt.Sprintf("Section %03d", o+1), Kind: vigie.OrgSection}
		check(db.CreateOrganisation(context.Background(), org))
		ids[o] = org.ID
	}
	check(db.Close())
	for o := range m {
		dir := filepath.Join(b.tmp, fmt.Sprintf("org%03d", o+1))
		check(os.MkdirAll(dir, 0o755))
		var files []string
		for i := 0; i < per && made < n; i++ {
			s := templates[made%len(templates)]
			s.Evidence = nil
			s.Name = fmt.Sprintf("%s n° %d", strings.SplitN(s.Name, " — ", 2)[0], made+1)
			var ws []string
			for range 6 {
				ws = append(ws, words[rng.IntN(len(words))])
			}
			s.Description = strings.TrimSpace(s.Description + " " + strings.Join(ws, " "))
			s.Deployment.Status = statuses[rng.IntN(len(statuses))]
			js, err := json.Marshal(s)
			check(err)
			f := filepath.Join(dir, fmt.Sprintf("%06d.json", made+1))
			check(os.WriteFile(f, js, 0o644))
			files = append(files, f)
			made++
		}
		if len(files) > 0 {
			b.run("", append([]string{"import", "--org", ids[o]}, files...)...)
		}
		check(os.RemoveAll(dir))
	}
	b.run(benchPassword+"\n", "user", "create", "--email", benchEmail, "--name", "Bench", "--org", ids[0], "--role", "admin")
	return ids
}

// addLetters records letters sent, in several states, on systems of the
// organisation, through the store as the command line does, and makes
// its calendar's secret address.
func (b *bench) addLetters(orgID string, n int) {
	ctx := context.Background()
	db, err := store.Open(ctx, b.db)
	check(err)
	defer db.Close()
	sys, _, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: orgID, Limit: max(n, 1)})
	check(err)
	kinds := []struct{ letter, proc string }{{"gdpr-access-request", "gdpr-request"}, {"cse-consultation-new-technology", "cse-consultation"},
		{"dpia-request", "dpia"}, {"algorithm-rules-request", "cada-request"}}
	states := []string{vigie.ActionSent, vigie.ActionNoAnswer, vigie.ActionAnswered, vigie.ActionSent}
	today := vigie.DateInFrance(time.Now())
	for i := 0; i < n && len(sys) > 0; i++ {
		k := kinds[i%len(kinds)]
		a := &vigie.Action{SystemID: sys[i%len(sys)].ID, Letter: k.letter, Procedure: k.proc, State: states[i%len(states)],
			SentOn: today.AddDays(-3 * i), Title: fmt.Sprintf("Courrier %d", i+1)}
		check(db.CreateAction(ctx, a))
	}
	b.feedToken, err = db.CreateCalendarToken(ctx, orgID)
	check(err)
}

type server struct {
	cmd  *exec.Cmd
	base string
	pid  int
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
	}
}

// serve starts `vigie serve` on a free port and waits for it.
func (b *bench) serve() *server {
	cmd := exec.Command(b.vigie, "serve", "--addr", "127.0.0.1:0", "--db", b.db, "--insecure-cookies")
	out, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = io.Discard
	check(cmd.Start())
	sc := bufio.NewScanner(out)
	re := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return &server{cmd: cmd, base: "http://" + m[1], pid: cmd.Process.Pid}
		}
	}
	fail("vigie serve did not start")
	return nil
}

func login(base string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	r, err := c.PostForm(base+"/login", url.Values{"email": {benchEmail}, "password": {benchPassword}})
	check(err)
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		fail("login: status %d", r.StatusCode)
	}
	return c
}

type target struct {
	name, path string
	header     http.Header
	heavy      bool // a download of the whole register
}

func get(c *http.Client, u string) (int, string) {
	r, err := c.Get(u)
	check(err)
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// discover lists what to measure: the register's pages, a system's tabs
// (as its page links them), the board, the feed, the exports, the
// observatory when the navigation links one, and the static floor.
func discover(c *http.Client, base, orgID, token string) []target {
	o := "/o/" + orgID
	st, page := get(c, base+o+"/systems")
	if st != 200 {
		fail("register: status %d", st)
	}
	m := regexp.MustCompile(`href="(/o/[^/"]+/systems/[0-9a-f-]{36})"`).FindStringSubmatch(page)
	if m == nil {
		fail("register: no system listed")
	}
	sys := m[1]
	pages := 1
	if pm := regexp.MustCompile(`(?:Page|page) 1 (?:sur|of) (\d+)`).FindStringSubmatch(page); pm != nil {
		pages, _ = strconv.Atoi(pm[1])
	}
	ts := []target{
		{name: "static 20 KB (floor)", path: "/static/vendor/pico.min.css", header: http.Header{"Range": {"bytes=0-20479"}}},
		{name: "register", path: o + "/systems"},
		{name: fmt.Sprintf("register page %d", min(50, pages)), path: o + "/systems?page=" + strconv.Itoa(min(50, pages))},
		{name: "register search", path: o + "/systems?q=" + url.QueryEscape("écrans")},
		{name: "register filter", path: o + "/systems?status=deployed&sort=tier"},
		{name: "register sort due", path: o + "/systems?sort=due"},
	}
	_, sp := get(c, base+sys)
	ts = append(ts, target{name: "system", path: sys})
	seen := map[string]bool{}
	for _, tm := range regexp.MustCompile(`href="(`+regexp.QuoteMeta(sys)+`/t/([a-z0-9_-]+))"`).FindAllStringSubmatch(sp, -1) {
		if !seen[tm[2]] {
			seen[tm[2]] = true
			ts = append(ts, target{name: "tab " + tm[2], path: tm[1]})
		}
	}
	ts = append(ts, target{name: "board", path: o + "/deadlines"})
	if token != "" {
		ts = append(ts, target{name: "ical feed", path: "/cal/" + token + ".ics", heavy: true})
	}
	ts = append(ts, target{name: "export csv", path: o + "/export.csv", heavy: true}, target{name: "export json", path: o + "/export.json", heavy: true})
	for _, om := range regexp.MustCompile(`href="([^"]*observ[^"]*)"`).FindAllStringSubmatch(page, -1) {
		if st, _ := get(c, base+om[1]); st == 200 {
			ts = append(ts, target{name: "observatory", path: om[1]})
			break
		}
	}
	for i := range ts {
		ts[i].path = base + ts[i].path
	}
	return ts
}

type result struct {
	rps, p50, p99, size, peakRSS, peakAnon float64
	cpu                                    float64 // the server's CPU time per request, ms
	errors, limited                        int64   // failures; 429 answers (a limit on heavy downloads)
}

// measure runs n workers on t for d and samples the server's RSS.
func measure(c *http.Client, t target, n int, d time.Duration, pid int) result {
	// Warm up: one request, not counted.
	_, _ = do(c, t)
	var (
		mu       sync.Mutex
		lat      []time.Duration
		bytes    atomic.Int64
		errs     atomic.Int64
		limited  atomic.Int64
		wg       sync.WaitGroup
		peak     float64 // resident memory, the mapped database file included
		peakAnon float64 // resident memory of the process itself (heap, stacks)
		stopRSS  = make(chan struct{})
		rssDone  = make(chan struct{})
		deadline = time.Now().Add(d)
	)
	go func() {
		defer close(rssDone)
		tk := time.NewTicker(20 * time.Millisecond)
		defer tk.Stop()
		for {
			peak = math.Max(peak, rss(pid, "VmRSS"))
			peakAnon = math.Max(peakAnon, rss(pid, "RssAnon"))
			select {
			case <-stopRSS:
				return
			case <-tk.C:
			}
		}
	}()
	cpu0 := cpuTime(pid)
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(deadline) {
				t0 := time.Now()
				size, status := do(c, t)
				mine = append(mine, time.Since(t0))
				bytes.Add(size)
				switch status {
				case http.StatusOK, http.StatusPartialContent:
				case http.StatusTooManyRequests:
					limited.Add(1)
				default:
					errs.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime(pid) - cpu0
	close(stopRSS)
	<-rssDone
	slices.Sort(lat)
	q := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		i := int(math.Ceil(p*float64(len(lat)))) - 1
		return float64(lat[max(i, 0)].Microseconds()) / 1000
	}
	return result{rps: float64(len(lat)) / elapsed.Seconds(), p50: q(0.50), p99: q(0.99),
		cpu:  float64(cpu.Microseconds()) / 1000 / float64(max(len(lat), 1)),
		size: float64(bytes.Load()) / float64(max(len(lat), 1)), peakRSS: peak, peakAnon: peakAnon, errors: errs.Load(), limited: limited.Load()}
}

// do sends one request and returns the size of the answer and its
// status (0 when the request failed).
func do(c *http.Client, t target) (int64, int) {
	req, _ := http.NewRequest(http.MethodGet, t.path, nil)
	for k, v := range t.header {
		req.Header[k] = v
	}
	r, err := c.Do(req)
	if err != nil {
		return 0, 0
	}
	n, _ := io.Copy(io.Discard, r.Body)
	r.Body.Close()
	return n, r.StatusCode
}

// cpuTime returns the CPU time (user and system) the process pid has
// used, from /proc/PID/stat (in clock ticks of 10 ms).
func cpuTime(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count from
	// after it. utime and stime are fields 14 and 15.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// rss reads a memory figure of /proc/PID/status, in MB.
func rss(pid int, field string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field+":") {
			f := strings.Fields(l)
			if len(f) >= 2 {
				kb, _ := strconv.ParseFloat(f[1], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

func numCPU() int {
	b, _ := os.ReadFile("/proc/cpuinfo")
	return max(strings.Count(string(b), "processor\t:"), 1)
}

// freshSchema creates a new schema in the PostgreSQL database and returns
// a DSN that uses it, and a function that drops it.
func freshSchema(dsn string) (string, func()) {
	admin, err := sql.Open("pgx", dsn)
	check(err)
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	schema := "vigie_bench_" + hex.EncodeToString(rnd[:])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		fail("PostgreSQL: %v", err)
	}
	u, err := url.Parse(dsn)
	check(err)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			fmt.Fprintln(os.Stderr, "benchweb: drop schema:", err)
		}
		admin.Close()
	}
}

// cleanups run when the command fails, newest first (the server, the
// schema): os.Exit skips deferred calls.
var cleanups []func()

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "benchweb: "+format+"\n", args...)
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(1)
}
