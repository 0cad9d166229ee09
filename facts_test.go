package vigie

import (
	"testing"
	"time"
)

func TestAddMonths(t *testing.T) {
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2028-01-31", 1, "2028-02-29"}, // leap year
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-11-26", 1, "2026-12-26"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-05-31", -3, "2026-02-28"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-08-31", 2, "2026-10-31"},
		{"2024-02-29", 12, "2025-02-28"},
	}
	for _, c := range cases {
		if got := MustDate(c.from).AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestTriParse(t *testing.T) {
	for in, want := range map[string]Tri{"oui": TriTrue, "false": TriFalse, "": TriUnknown, "unknown": TriUnknown} {
		got, err := ParseTri(in)
		if err != nil || got != want {
			t.Errorf("ParseTri(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseTri("peut-être"); err == nil {
		t.Error("ParseTri accepted garbage")
	}
}

func TestDateInFrance(t *testing.T) {
	// 23:30 UTC on 26 November is already 27 November in Paris (UTC+1).
	at := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	if got := DateInFrance(at).String(); got != "2026-11-27" {
		t.Errorf("winter: %s", got)
	}
	// 22:30 UTC on 30 June is 00:30 on 1 July in Paris (UTC+2).
	at = time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC)
	if got := DateInFrance(at).String(); got != "2026-07-01" {
		t.Errorf("summer: %s", got)
	}
}

func TestDateWords(t *testing.T) {
	cases := []struct {
		d      Date
		fr, en string
	}{
		{Date{2026, time.March, 1}, "1er mars 2026", "1 March 2026"},
		{Date{2026, time.August, 2}, "2 août 2026", "2 August 2026"},
		{Date{2027, time.December, 31}, "31 décembre 2027", "31 December 2027"},
		{Date{}, "", ""},
	}
	for _, c := range cases {
		if got := c.d.Words("fr"); got != c.fr {
			t.Errorf("%v fr: %q, want %q", c.d, got, c.fr)
		}
		if got := c.d.Words("en"); got != c.en {
			t.Errorf("%v en: %q, want %q", c.d, got, c.en)
		}
	}
	if got := MonthWords("fr", 2027, time.February); got != "février 2027" {
		t.Errorf("MonthWords fr: %q", got)
	}
	if got := MonthWords("en", 2027, 13); got != "2027-13" {
		t.Errorf("MonthWords out of range: %q", got)
	}
}
