package deadline

import (
	"time"

	"github.com/vigie-app/vigie"
)

// Holiday is a French public holiday (jour férié).
type Holiday struct {
	Date vigie.Date
	ID   string // stable id, e.g. "easter-monday"
	Name Text
	// AlsaceMoselle is true for the two days that are public holidays only in
	// the Bas-Rhin, Haut-Rhin and Moselle.
	AlsaceMoselle bool
}

// HolidayBasis is where the list of public holidays comes from. It is not in
// the project's legal reference, so it is marked unverified.
var HolidayBasis = Text{
	FR: "Code du travail L3133-1 (fêtes légales) ; L3134-13 (Alsace-Moselle) — non vérifié dans la base de règles de vigie",
	EN: "French Labour Code L3133-1 (public holidays); L3134-13 (Alsace-Moselle) — not checked in vigie's rule base",
}

// Easter returns the date of Easter Sunday in the Gregorian calendar
// (anonymous Gregorian algorithm, Meeus/Jones/Butcher).
func Easter(year int) vigie.Date {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return vigie.Date{Year: year, Month: time.Month(month), Day: day}
}

// Holidays returns the French public holidays of year, in date order: the
// eleven national ones, plus Good Friday and 26 December when alsaceMoselle
// is true.
func Holidays(year int, alsaceMoselle bool) []Holiday {
	easter := Easter(year)
	fixed := func(m time.Month, d int) vigie.Date { return vigie.Date{Year: year, Month: m, Day: d} }
	hs := []Holiday{
		{fixed(time.January, 1), "new-year", Text{"Jour de l'an", "New Year's Day"}, false},
		{easter.AddDays(-2), "good-friday", Text{"Vendredi saint (Alsace-Moselle)", "Good Friday (Alsace-Moselle)"}, true},
		{easter.AddDays(1), "easter-monday", Text{"Lundi de Pâques", "Easter Monday"}, false},
		{fixed(time.May, 1), "labour-day", Text{"Fête du Travail (1er mai)", "Labour Day (1 May)"}, false},
		{fixed(time.May, 8), "victory-1945", Text{"Victoire 1945 (8 mai)", "Victory in Europe Day (8 May)"}, false},
		{easter.AddDays(39), "ascension", Text{"Ascension", "Ascension Day"}, false},
		{easter.AddDays(50), "whit-monday", Text{"Lundi de Pentecôte", "Whit Monday"}, false},
		{fixed(time.July, 14), "national-day", Text{"Fête nationale (14 juillet)", "National Day (14 July)"}, false},
		{fixed(time.August, 15), "assumption", Text{"Assomption (15 août)", "Assumption Day (15 August)"}, false},
		{fixed(time.November, 1), "all-saints", Text{"Toussaint (1er novembre)", "All Saints' Day (1 November)"}, false},
		{fixed(time.November, 11), "armistice-1918", Text{"Armistice 1918 (11 novembre)", "Armistice Day (11 November)"}, false},
		{fixed(time.December, 25), "christmas", Text{"Noël (25 décembre)", "Christmas Day (25 December)"}, false},
		{fixed(time.December, 26), "st-stephen", Text{"Saint-Étienne (26 décembre, Alsace-Moselle)", "St Stephen's Day (26 December, Alsace-Moselle)"}, true},
	}
	out := hs[:0]
	for _, h := range hs {
		if h.AlsaceMoselle && !alsaceMoselle {
			continue
		}
		out = append(out, h)
	}
	// Easter-based days can move around the fixed May dates: keep date order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Date.Before(out[j-1].Date); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// HolidayOn returns the public holiday that falls on d, if any.
func HolidayOn(d vigie.Date, alsaceMoselle bool) (Holiday, bool) {
	for _, h := range Holidays(d.Year, alsaceMoselle) {
		if h.Date == d {
			return h, true
		}
	}
	return Holiday{}, false
}

// NonWorking reports whether d is a Saturday, a Sunday or a public holiday,
// and says which (several reasons when a holiday falls on a weekend).
func NonWorking(d vigie.Date, alsaceMoselle bool) ([]Text, bool) {
	var why []Text
	switch d.Weekday() {
	case time.Saturday:
		why = append(why, Text{"samedi", "Saturday"})
	case time.Sunday:
		why = append(why, Text{"dimanche", "Sunday"})
	}
	if h, ok := HolidayOn(d, alsaceMoselle); ok {
		why = append(why, Text{"jour férié : " + h.Name.FR, "public holiday: " + h.Name.EN})
	}
	return why, len(why) > 0
}

// NextWorkingDay returns d if it is a working day, else the first working
// day after it.
func NextWorkingDay(d vigie.Date, alsaceMoselle bool) vigie.Date {
	for {
		if _, off := NonWorking(d, alsaceMoselle); !off {
			return d
		}
		d = d.AddDays(1)
	}
}
