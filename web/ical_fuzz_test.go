package web

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-app/vigie"
)

// icalUnfold splits a stream into its content lines (section 3.1),
// failing on a line longer than 75 octets, a CR or LF that does not end a
// line, a control character, or a character cut by folding.
func icalUnfold(t *testing.T, raw string) []string {
	t.Helper()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatalf("the stream does not end with CRLF")
	}
	var out []string
	for i, l := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Fatalf("line %d: %d octets", i+1, len(l))
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line %d is not UTF-8: %q", i+1, l)
		}
		for _, r := range l {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Fatalf("line %d holds %U: %q", i+1, r, l)
			}
		}
		if strings.HasPrefix(l, " ") {
			if len(out) == 0 {
				t.Fatalf("line %d continues nothing", i+1)
			}
			out[len(out)-1] += l[1:]
			continue
		}
		out = append(out, l)
	}
	return out
}

// icalUnescape reads a TEXT value back (section 3.3.11), failing on an
// unescaped ";" or "," or a lone backslash.
func icalUnescape(t *testing.T, v string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			switch v[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			case '\\', ';', ',':
				b.WriteByte(v[i])
			default:
				t.Fatalf("unknown escape \\%c in %q", v[i], v)
			}
		case c == '\\':
			t.Fatalf("lone backslash at the end of %q", v)
		case c == ';' || c == ',':
			t.Fatalf("unescaped %q in %q", c, v)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// icalExpect is what a text becomes in the feed: line breaks (CR LF, LF,
// CR) one "\n", a tab a space, other control characters and the Unicode
// line and paragraph separators dropped, invalid UTF-8 replaced.
func icalExpect(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FuzzICalRoundTrip: whatever a system's name and a letter's title hold,
// the feed is written with CRLF line ends, lines of at most 75 octets, no
// bare CR or LF and no control character, one event per due date, and the
// summary and description read back (unfolded, unescaped) hold the texts.
func FuzzICalRoundTrip(f *testing.F) {
	for _, s := range []string{"Outil RH", "Outil\r\nDTSTART:19700101\rBEGIN:VEVENT\x1b[31m; a, b\\c\u0085 " + strings.Repeat("é", 60),
		"END:VCALENDAR", "\\n\\;\\,", strings.Repeat("€", 40) + "x", "\xff\xfe", "a\u2028b\u2029c\td", ""} {
		f.Add(s, "Courrier\nEND:VCALENDAR")
	}
	today := vigie.Date{Year: 2026, Month: 12, Day: 4}
	f.Fuzz(func(t *testing.T, system, title string) {
		rows := []dueRow{feedRow(1, today.AddDays(3), system, title)}
		var b bytes.Buffer
		if err := writeCalendar(&b, rows, today, "https://vigie.example.org/o/x/deadlines"); err != nil {
			t.Fatal(err)
		}
		lines := icalUnfold(t, b.String())
		var summary, desc []string
		events := 0
		for _, l := range lines {
			name, value, ok := strings.Cut(l, ":")
			if !ok {
				t.Fatalf("a line without a colon: %q", l)
			}
			switch name {
			case "BEGIN":
				if value == "VEVENT" {
					events++
				}
			case "SUMMARY":
				summary = append(summary, icalUnescape(t, value))
			case "DESCRIPTION":
				desc = append(desc, icalUnescape(t, value))
			}
		}
		if events != 1 || len(summary) != 1 || len(desc) != 1 {
			t.Fatalf("%d events, %d summaries, %d descriptions:\n%s", events, len(summary), len(desc), b.String())
		}
		if want := "Avis réputé rendu — " + icalExpect(system); summary[0] != want {
			t.Fatalf("summary %q, want %q", summary[0], want)
		}
		if want := "Courrier : " + icalExpect(title) + "\n"; !strings.HasPrefix(desc[0], want) {
			t.Fatalf("description %q, want it to start with %q", desc[0], want)
		}
	})
}
