package vigie

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unknown is how a fact with no known answer is written in a system file.
const Unknown = "unknown"

// Tri is a yes/no fact that may be unknown. The zero value is unknown: a
// missing key in a system file means "we do not know", never "no".
type Tri int8

// The three values of a Tri.
const (
	TriUnknown Tri = iota
	TriFalse
	TriTrue
)

// TriOf returns TriTrue or TriFalse.
func TriOf(b bool) Tri {
	if b {
		return TriTrue
	}
	return TriFalse
}

// Known reports whether the answer is known.
func (t Tri) Known() bool { return t != TriUnknown }

// True reports whether the fact is known to be true.
func (t Tri) True() bool { return t == TriTrue }

// False reports whether the fact is known to be false.
func (t Tri) False() bool { return t == TriFalse }

// String returns "true", "false" or "unknown".
func (t Tri) String() string {
	switch t {
	case TriTrue:
		return "true"
	case TriFalse:
		return "false"
	}
	return Unknown
}

// ParseTri parses "true", "false", "unknown" or "" (unknown); it also accepts
// the French "oui"/"non"/"inconnu" that a form may send.
func ParseTri(s string) (Tri, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "oui":
		return TriTrue, nil
	case "false", "no", "non":
		return TriFalse, nil
	case "", "unknown", "inconnu", "null", "~":
		return TriUnknown, nil
	}
	return TriUnknown, fmt.Errorf("%q n'est ni true, ni false, ni unknown / is not true, false or unknown", s)
}

func (t Tri) value() any {
	switch t {
	case TriTrue:
		return true
	case TriFalse:
		return false
	}
	return Unknown
}

// MarshalJSON writes true, false or "unknown".
func (t Tri) MarshalJSON() ([]byte, error) { return json.Marshal(t.value()) }

// MarshalYAML writes true, false or unknown.
func (t Tri) MarshalYAML() (any, error) { return t.value(), nil }

// UnmarshalJSON reads true, false, null or "unknown".
func (t *Tri) UnmarshalJSON(b []byte) error { return fromJSON(b, t.set) }

// UnmarshalYAML reads true, false, null or unknown.
func (t *Tri) UnmarshalYAML(unmarshal func(any) error) error { return fromYAML(unmarshal, t.set) }

func (t *Tri) set(v any) error {
	switch x := v.(type) {
	case nil:
		*t = TriUnknown
	case bool:
		*t = TriOf(x)
	case string:
		if x != Unknown {
			return fmt.Errorf("%q: attendu true, false ou unknown / expected true, false or unknown", x)
		}
		*t = TriUnknown
	default:
		return fmt.Errorf("attendu true, false ou unknown / expected true, false or unknown, not %v", v)
	}
	return nil
}

// OptInt is a whole number that may be unknown. The zero value is unknown.
type OptInt struct {
	V     int
	Known bool
}

// IntOf returns a known OptInt.
func IntOf(v int) OptInt { return OptInt{V: v, Known: true} }

// String returns the number or "unknown".
func (o OptInt) String() string {
	if !o.Known {
		return Unknown
	}
	return strconv.Itoa(o.V)
}

func (o OptInt) value() any {
	if !o.Known {
		return Unknown
	}
	return o.V
}

// MarshalJSON writes the number or "unknown".
func (o OptInt) MarshalJSON() ([]byte, error) { return json.Marshal(o.value()) }

// MarshalYAML writes the number or unknown.
func (o OptInt) MarshalYAML() (any, error) { return o.value(), nil }

// UnmarshalJSON reads a number, null or "unknown".
func (o *OptInt) UnmarshalJSON(b []byte) error { return fromJSON(b, o.set) }

// UnmarshalYAML reads a number, null or unknown.
func (o *OptInt) UnmarshalYAML(unmarshal func(any) error) error { return fromYAML(unmarshal, o.set) }

func (o *OptInt) set(v any) error {
	*o = OptInt{}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == Unknown {
			return nil
		}
		return fmt.Errorf("%q: attendu un nombre entier ou unknown / expected a whole number or unknown", x)
	case float64:
		if x != float64(int64(x)) {
			return fmt.Errorf("%v: attendu un nombre entier / expected a whole number", x)
		}
		*o = IntOf(int(x))
	case int:
		*o = IntOf(x)
	case int64:
		*o = IntOf(int(x))
	case uint64:
		*o = IntOf(int(x))
	default:
		return fmt.Errorf("attendu un nombre entier ou unknown / expected a whole number or unknown, not %v", v)
	}
	return nil
}

// OptFloat is a number that may be unknown. The zero value is unknown.
type OptFloat struct {
	V     float64
	Known bool
}

// FloatOf returns a known OptFloat.
func FloatOf(v float64) OptFloat { return OptFloat{V: v, Known: true} }

// String returns the number or "unknown".
func (o OptFloat) String() string {
	if !o.Known {
		return Unknown
	}
	return strconv.FormatFloat(o.V, 'g', -1, 64)
}

func (o OptFloat) value() any {
	if !o.Known {
		return Unknown
	}
	return o.V
}

// MarshalJSON writes the number or "unknown".
func (o OptFloat) MarshalJSON() ([]byte, error) { return json.Marshal(o.value()) }

// MarshalYAML writes the number or unknown.
func (o OptFloat) MarshalYAML() (any, error) { return o.value(), nil }

// UnmarshalJSON reads a number, null or "unknown".
func (o *OptFloat) UnmarshalJSON(b []byte) error { return fromJSON(b, o.set) }

// UnmarshalYAML reads a number, null or unknown.
func (o *OptFloat) UnmarshalYAML(unmarshal func(any) error) error { return fromYAML(unmarshal, o.set) }

func (o *OptFloat) set(v any) error {
	*o = OptFloat{}
	switch x := v.(type) {
	case nil:
	case string:
		if x != Unknown {
			return fmt.Errorf("%q: attendu un nombre ou unknown / expected a number or unknown", x)
		}
	case float64:
		*o = FloatOf(x)
	case int:
		*o = FloatOf(float64(x))
	case int64:
		*o = FloatOf(float64(x))
	case uint64:
		*o = FloatOf(float64(x))
	default:
		return fmt.Errorf("attendu un nombre ou unknown / expected a number or unknown, not %v", v)
	}
	return nil
}

// Date is a civil date (no time, no zone). The zero value is unknown or null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD and checks that the day exists.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q n'est pas une date AAAA-MM-JJ valide / is not a valid YYYY-MM-DD date", s)
	}
	return DateOf(t), nil
}

// MustDate parses s and panics on error; for tests and constant tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether the date is unknown (or null).
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String returns YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// Words writes the date as a sentence does: "1er mars 2026" in French,
// "1 March 2026" in English (lang "en…"); "" for the zero date.
func (d Date) Words(lang string) string {
	if d.IsZero() {
		return ""
	}
	if strings.HasPrefix(lang, "en") {
		return fmt.Sprintf("%d %s %d", d.Day, d.Month.String(), d.Year)
	}
	day := strconv.Itoa(d.Day)
	if d.Day == 1 {
		day = "1er"
	}
	return day + " " + MonthWords(lang, d.Year, d.Month)
}

// MonthWords writes a month as "mars 2027" or "March 2027"; a month out of
// 1–12 is written YYYY-MM.
func MonthWords(lang string, year int, m time.Month) string {
	if m < 1 || m > 12 {
		return fmt.Sprintf("%04d-%02d", year, int(m))
	}
	if strings.HasPrefix(lang, "en") {
		return fmt.Sprintf("%s %d", m.String(), year)
	}
	return fmt.Sprintf("%s %d", monthsFR[m-1], year)
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// AddDays returns the date n days later (n may be negative).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

func (d Date) value() any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// MarshalJSON writes "YYYY-MM-DD" or null.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.value()) }

// MarshalYAML writes YYYY-MM-DD or null.
func (d Date) MarshalYAML() (any, error) { return d.value(), nil }

// UnmarshalJSON reads "YYYY-MM-DD", null or "unknown".
func (d *Date) UnmarshalJSON(b []byte) error { return fromJSON(b, d.set) }

// UnmarshalYAML reads YYYY-MM-DD, null or unknown.
func (d *Date) UnmarshalYAML(unmarshal func(any) error) error { return fromYAML(unmarshal, d.set) }

func (d *Date) set(v any) error {
	*d = Date{}
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		*d = DateOf(x)
		return nil
	case string:
		if x == Unknown || x == "" {
			return nil
		}
		p, err := ParseDate(x)
		if err != nil {
			return err
		}
		*d = p
		return nil
	}
	return fmt.Errorf("attendu une date AAAA-MM-JJ / expected a YYYY-MM-DD date, not %v", v)
}

// Set is a list of values that may be unknown as a whole: a missing key is
// unknown, while [] means "none".
type Set struct {
	Items []string
	Known bool
}

// SetOf returns a known Set.
func SetOf(items ...string) Set {
	if items == nil {
		items = []string{}
	}
	return Set{Items: items, Known: true}
}

// Has reports whether v is in the set.
func (s Set) Has(v string) bool {
	for _, x := range s.Items {
		if x == v {
			return true
		}
	}
	return false
}

// String returns the items joined by ", ", "[]" when known to be empty, or
// "unknown".
func (s Set) String() string {
	if !s.Known {
		return Unknown
	}
	if len(s.Items) == 0 {
		return "[]"
	}
	return strings.Join(s.Items, ", ")
}

func (s Set) value() any {
	if !s.Known {
		return Unknown
	}
	if s.Items == nil {
		return []string{}
	}
	return s.Items
}

// MarshalJSON writes the list or "unknown".
func (s Set) MarshalJSON() ([]byte, error) { return json.Marshal(s.value()) }

// MarshalYAML writes the list or unknown.
func (s Set) MarshalYAML() (any, error) { return s.value(), nil }

// UnmarshalJSON reads a list of strings, null or "unknown".
func (s *Set) UnmarshalJSON(b []byte) error { return fromJSON(b, s.set) }

// UnmarshalYAML reads a list of strings, null or unknown.
func (s *Set) UnmarshalYAML(unmarshal func(any) error) error { return fromYAML(unmarshal, s.set) }

func (s *Set) set(v any) error {
	*s = Set{}
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if x == Unknown {
			return nil
		}
		return fmt.Errorf("%q: attendu une liste ou unknown / expected a list or unknown", x)
	case []any:
		items := make([]string, 0, len(x))
		for i, e := range x {
			str, ok := e.(string)
			if !ok {
				return fmt.Errorf("élément %d : attendu un texte / item %d: expected a string, not %v", i+1, i+1, e)
			}
			items = append(items, str)
		}
		*s = Set{Items: items, Known: true}
		return nil
	}
	return fmt.Errorf("attendu une liste ou unknown / expected a list or unknown, not %v", v)
}

// AddMonths counts n months month for month: the same day number n months
// later, or the last day of the target month when it is shorter (31 January
// + 1 month = 28 or 29 February). n may be negative.
func (d Date) AddMonths(n int) Date {
	m := int(d.Month) - 1 + n
	y := d.Year + m/12
	m %= 12
	if m < 0 {
		m += 12
		y--
	}
	last := time.Date(y, time.Month(m+2), 0, 0, 0, 0, 0, time.UTC).Day()
	day := d.Day
	if day > last {
		day = last
	}
	return Date{y, time.Month(m + 1), day}
}

// fromJSON decodes b into a plain value and hands it to set: the one way
// every fact type reads JSON.
func fromJSON(b []byte, set func(any) error) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	return set(v)
}

// fromYAML is fromJSON for go-yaml's unmarshal callback.
func fromYAML(unmarshal func(any) error, set func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	return set(v)
}
