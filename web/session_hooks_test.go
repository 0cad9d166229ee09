package web

import "time"

// SetSessionClock replaces the clock of the sessions' idle timeout and
// returns a function that restores it.
func SetSessionClock(now func() time.Time) (restore func()) {
	old := sessionNow
	sessionNow = now
	return func() { sessionNow = old }
}
