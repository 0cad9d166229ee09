package web

import "time"

// SetTestimonyNow sets the clock of the testimony feature and returns the
// function that puts the real one back.
func SetTestimonyNow(f func() time.Time) (restore func()) {
	testimonyNow = f
	return func() { testimonyNow = time.Now }
}
