package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// Per-account login throttling with device cookies (the OWASP method).
// A failed login without a valid device cookie of the address counts under
// the address: after accountFailures of them within accountWindow, such
// attempts are refused, from wherever they come (the per-client limit
// stops one machine; this stops many machines against one account). A
// browser where the account logged in holds a device cookie for it: its
// attempts count under that cookie alone, with the same limit, so that an
// attacker hammering the address does not lock out its holder's browsers.
// The counts live in the database (store.DB), shared by every server on it.
//
// The account-creation form must say when an address already has an
// account (it cannot create a second one, and its admin holds the
// password it shows): each such answer counts against the admin who got
// it, and after AccountExistsAnswers in existsWindow the form refuses before it
// looks, so that it cannot be used to sweep a list of addresses. The
// invitation form, which never looks, stays open.
const (
	accountFailures      = 10
	accountWindow        = 15 * time.Minute
	AccountExistsAnswers = 5
	existsWindow         = 24 * time.Hour
	failureKeep          = existsWindow // the longest window counted
	deviceCookie         = "vigie_device"
	deviceLifetime       = 180 * 24 * time.Hour
)

// LoginThrottle counts failed logins and keeps the device tokens;
// store.DB implements it.
type LoginThrottle interface {
	// LoginFailures returns the failures counted under key within window.
	LoginFailures(ctx context.Context, key string, window time.Duration) (int, error)
	// AddLoginFailure counts one failure under key (and may forget the
	// failures older than keep).
	AddLoginFailure(ctx context.Context, key string, keep time.Duration) error
	ClearLoginFailures(ctx context.Context, key string) error
	// NewLoginDevice returns a new device token of email valid for ttl,
	// replacing old (the token the browser sent, if any).
	NewLoginDevice(ctx context.Context, email, old string, ttl time.Duration) (string, error)
	// LoginDeviceValid reports whether tok is a valid device token of email.
	LoginDeviceValid(ctx context.Context, email, tok string) (bool, error)
}

// throttleKey returns the key the login attempt r for email counts under,
// and the valid device token it carries ("" when none).
func (s *Server) throttleKey(r *http.Request, email string) (key, tok string, err error) {
	if c, err := r.Cookie(deviceCookie); err == nil && c.Value != "" && len(c.Value) <= 64 {
		ok, err := s.throttle.LoginDeviceValid(r.Context(), email, c.Value)
		if err != nil {
			return "", "", err
		}
		if ok {
			return "device:" + c.Value, c.Value, nil
		}
	}
	return "account:" + email, "", nil
}

// setDeviceCookie gives the browser a new device cookie of email after a
// successful login.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, email, old string) error {
	tok, err := s.throttle.NewLoginDevice(r.Context(), email, old, deviceLifetime)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: tok, Path: "/login", MaxAge: int(deviceLifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies})
	return nil
}

// memThrottle is the LoginThrottle of a server whose user service keeps
// none: in memory, for this process only.
type memThrottle struct {
	mu      sync.Mutex
	fails   map[string][]time.Time
	devices map[string]string // token → email
	now     func() time.Time
}

func newMemThrottle() *memThrottle {
	return &memThrottle{fails: map[string][]time.Time{}, devices: map[string]string{}, now: time.Now}
}

// recent drops the failures of key older than window; mu is held.
func (l *memThrottle) recent(key string, window time.Duration) []time.Time {
	cut := l.now().Add(-window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
	} else {
		l.fails[key] = ts
	}
	return ts
}

func (l *memThrottle) LoginFailures(_ context.Context, key string, window time.Duration) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.recent(key, window)), nil
}

func (l *memThrottle) AddLoginFailure(_ context.Context, key string, keep time.Duration) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[key] = append(l.recent(key, keep), l.now())
	if len(l.fails) > 100000 {
		// Bounded memory under a spray of addresses: forget about half.
		for k := range l.fails {
			delete(l.fails, k)
			if len(l.fails) < 50000 {
				break
			}
		}
	}
	return nil
}

func (l *memThrottle) ClearLoginFailures(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
	return nil
}

func (l *memThrottle) NewLoginDevice(_ context.Context, email, old string, _ time.Duration) (string, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.devices, old)
	if len(l.devices) > 100000 {
		clear(l.devices)
	}
	l.devices[tok] = email
	return tok, nil
}

func (l *memThrottle) LoginDeviceValid(_ context.Context, email, tok string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.devices[tok]
	return ok && e == email, nil
}
