package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// tmLimiter bounds the submissions per address without keeping any address:
// it counts under a keyed hash of the address, with a key drawn at random
// every day and held in memory only, so that yesterday's counts cannot be
// tied to an address even by someone who reads the process's memory today.
// Nothing of it is written anywhere.
type tmLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	day    string
	key    []byte
	start  time.Time
	counts map[[16]byte]int
}

func newTmLimiter(limit int, window time.Duration) *tmLimiter {
	return &tmLimiter{limit: limit, window: window}
}

// allow counts one submission from addr at now and reports whether it is
// within the limit.
func (l *tmLimiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if day := now.UTC().Format("2006-01-02"); day != l.day {
		l.day = day
		l.key = make([]byte, 32)
		rand.Read(l.key)
		l.counts = map[[16]byte]int{}
		l.start = now
	}
	if now.Sub(l.start) >= l.window {
		l.counts = map[[16]byte]int{}
		l.start = now
	}
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(addr))
	var h [16]byte
	copy(h[:], m.Sum(nil))
	l.counts[h]++
	return l.counts[h] <= l.limit
}

type tmCtxKey struct{}

// tmAllowed reports whether the limiter let this submission through.
func tmAllowed(r *http.Request) bool {
	ok, _ := r.Context().Value(tmCtxKey{}).(bool)
	return ok
}

// tmKeptHeaders are the only request headers the testimony routes hand on:
// what the form and the cross-origin check need, nothing that describes
// the person.
var tmKeptHeaders = []string{"Content-Type", "Content-Length", "Origin", "Sec-Fetch-Site"}

// tmScrub is the first thing a testimony request meets: it counts a
// submission in the limiter, then hands on a copy of the request with no
// remote address and no header but tmKeptHeaders (no forwarded address,
// user agent, referrer, cookie or language), so that no handler, error page
// or log below can see them.
func tmScrub(lim *tmLimiter, trusted []string) func(http.Handler) http.Handler {
	var proxies []netip.Prefix
	for _, p := range trusted {
		if pr, err := netip.ParsePrefix(p); err == nil {
			proxies = append(proxies, pr)
		}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			allowed := true
			if r.Method == http.MethodPost {
				allowed = lim.allow(tmClientAddr(r, proxies), testimonyNow())
			}
			clean := r.Clone(context.WithValue(r.Context(), tmCtxKey{}, allowed))
			clean.RemoteAddr = ""
			clean.Header = http.Header{}
			for _, k := range tmKeptHeaders {
				if v, ok := r.Header[k]; ok {
					clean.Header[k] = v
				}
			}
			next.ServeHTTP(w, clean)
		})
	}
}

// tmClientAddr is the address the limiter counts: the peer, or, behind a
// trusted proxy, the first address of X-Forwarded-For from the right that
// is not a trusted proxy. An IPv6 address counts by its /64.
func tmClientAddr(r *http.Request, proxies []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	trustedAddr := func(a netip.Addr) bool {
		for _, p := range proxies {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if len(proxies) > 0 && trustedAddr(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break
			}
			addr = a
			if !trustedAddr(a) {
				break
			}
		}
	}
	addr = addr.Unmap()
	if addr.Is6() {
		p, _ := addr.Prefix(64)
		return p.String()
	}
	return addr.String()
}
