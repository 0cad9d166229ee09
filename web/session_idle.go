package web

import (
	"net/http"
	"time"
)

// Sessions end after 12 hours (scs Lifetime) or after sessionIdle without
// a request. scs's own idle timeout would write the session back on every
// request; instead the session keeps the time it was last seen, rewritten
// only once it is sessionTouch old, so that a reader browsing the register
// causes one write every ten minutes at most, not one per page.
const (
	sessionIdle  = 2 * time.Hour
	sessionTouch = 10 * time.Minute
	sessionSeen  = "seen" // Unix seconds of the last request, to sessionTouch
)

// sessionNow is the clock of the idle timeout; tests replace it.
var sessionNow = time.Now

// idleSessions ends a logged-in session unused for sessionIdle and keeps
// its last-seen time, writing the session only when that time is older
// than sessionTouch (or absent, just after login).
func (s *Server) idleSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if s.sessions.GetString(ctx, sessionUserID) != "" {
			now := sessionNow()
			seen := s.sessions.GetInt64(ctx, sessionSeen)
			switch {
			case seen != 0 && now.Sub(time.Unix(seen, 0)) > sessionIdle:
				if err := s.sessions.Destroy(ctx); err != nil {
					s.fail(w, r, err)
					return
				}
			case seen == 0 || now.Sub(time.Unix(seen, 0)) >= sessionTouch:
				s.sessions.Put(ctx, sessionSeen, now.Unix())
			}
		}
		next.ServeHTTP(w, r)
	})
}
