package vigie

import (
	"time"
	_ "time/tzdata" // the zone database, for machines without one
)

// France is the time zone in which vigie's civil dates are read: a legal
// delay runs from a date in France, whatever the server's own zone.
var France = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("vigie: Europe/Paris: " + err.Error())
	}
	return loc
}()

// DateInFrance returns the civil date in France at the instant t: the
// adapters' "today" (engines take the date as an argument and read no clock).
func DateInFrance(t time.Time) Date { return DateOf(t.In(France)) }
