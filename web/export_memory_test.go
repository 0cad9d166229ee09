package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

// syntheticSystems is the store, except that the register of every
// organisation holds n generated systems, each with its summary, made
// one by one as EachSystem walks them: nothing of the register is in
// memory before the export reads it.
type syntheticSystems struct {
	vigie.SystemService
	n *atomic.Int64
}

func (s syntheticSystems) EachSystem(ctx context.Context, f vigie.SystemFilter, fn func(*vigie.SystemRecord) error) error {
	due, _ := vigie.ParseDate("2027-03-01")
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for i := 0; i < int(s.n.Load()); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := &vigie.SystemRecord{ID: fmt.Sprintf("0193%028d", i), OrgID: f.OrgID, Version: 1 + i%5, CreatedAt: at, UpdatedAt: at,
			System: vigie.System{Schema: vigie.SystemSchema, Name: fmt.Sprintf("Système %06d", i), Vendor: "Fournisseur " + fmt.Sprint(i%97),
				Description: "Outil de planification des tournées, de notation des appels et de tri des dossiers, numéro " + fmt.Sprint(i),
				Deployment:  vigie.Deployment{Status: "deployed", StaffBodyConsulted: vigie.TriFalse, Units: vigie.SetOf("Plateau A", "Plateau B")},
				Purpose:     vigie.Purpose{Domains: vigie.SetOf("monitoring", "scheduling")},
				Evidence:    []vigie.Evidence{{Fact: "deployment.staff_body_consulted", Source: "workers", Document: "Compte rendu de réunion"}}},
			Summary: vigie.SystemSummary{Tier: "high", Unmet: i % 7, NextDue: due}}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// countingWriter counts bytes and lines, keeping none.
type countingWriter struct{ n, lines int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.lines += int64(bytes.Count(p, []byte("\n")))
	return len(p), nil
}

// peaks are the largest heap figures seen while downloads ran: HeapAlloc
// (live and garbage not yet collected) and the live heap the collector
// found at its last cycle.
type peaks struct{ alloc, live uint64 }

// heapPeak samples the heap until stop, and returns its peaks.
func heapPeak(stop <-chan struct{}) <-chan peaks {
	out := make(chan peaks, 1)
	go func() {
		var p peaks
		var m runtime.MemStats
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			metrics.Read(live)
			p.alloc = max(p.alloc, m.HeapAlloc)
			p.live = max(p.live, live[0].Value.Uint64())
			select {
			case <-stop:
				out <- p
				return
			case <-t.C:
			}
		}
	}()
	return out
}

func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestExportsStreamInConstantMemory streams the register of 100,000
// synthetic systems as CSV through the real server and an HTTP client,
// then CSV, ODS and JSON at once (as many downloads as the server allows
// at a time, 20,000 systems each), under a memory limit of 64 MB: the heap
// stays under the limit and its live part grows by a few megabytes per
// download, not with the number of systems.
func TestExportsStreamInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 100,000 systems")
	}
	const n = 100_000
	count := &atomic.Int64{}
	count.Store(n)
	e := newEnv(t, func(c *web.Config, db *store.DB) {
		c.Systems = syntheticSystems{SystemService: db, n: count}
		c.MaxDownloads = 3
	})
	admin := e.user("admin@example.org", "Admin")
	org := e.org(admin, "Section")
	c := e.login(admin.Email)

	const limit = 64 << 20
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	idle := liveHeap()

	download := func(path string) (*countingWriter, error) {
		req, err := http.NewRequest("GET", e.ts.URL+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Cookie", c)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%s: %d", path, res.StatusCode)
		}
		cw := &countingWriter{}
		_, err = io.Copy(cw, res.Body)
		return cw, err
	}

	stop := make(chan struct{})
	peak := heapPeak(stop)
	cw, err := download("/o/" + org.ID + "/export.csv")
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	// One line per system (one source each), plus the header.
	if cw.lines != int64(n+1) {
		t.Fatalf("%d lines for %d systems", cw.lines, n)
	}
	check := func(what string, p peaks, most uint64) {
		t.Helper()
		t.Logf("%s: live heap idle %.1f MB, peak %.1f MB; heap in use at most %.1f MB", what, mb(idle), mb(p.live), mb(p.alloc))
		if p.alloc > limit+4<<20 {
			t.Errorf("%s: the heap reached %.1f MB, over the limit of %d MB", what, mb(p.alloc), limit>>20)
		}
		if p.live > idle+most {
			t.Errorf("%s: the live heap grew by %.1f MB (want at most %.1f MB)", what, mb(p.live-idle), mb(most))
		}
	}
	check(fmt.Sprintf("CSV of %d systems (%d MB)", n, cw.n>>20), <-peak, 12<<20)
	count.Store(n / 5)

	stop = make(chan struct{})
	peak = heapPeak(stop)
	var wg sync.WaitGroup
	var failed atomic.Value
	var total atomic.Int64
	for _, f := range []string{"csv", "ods", "json"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cw, err := download("/o/" + org.ID + "/export." + f)
			if err != nil {
				failed.Store(err)
				return
			}
			total.Add(cw.n)
		}()
	}
	wg.Wait()
	close(stop)
	if err, _ := failed.Load().(error); err != nil {
		t.Fatal(err)
	}
	check(fmt.Sprintf("CSV, ODS and JSON of %d systems at once (%d MB)", n/5, total.Load()>>20), <-peak, 24<<20)
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
