package web

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// icalWriter writes an iCalendar stream (RFC 5545) line by line: CRLF line
// ends, lines folded at 75 octets without cutting a character.
type icalWriter struct {
	b   *bufio.Writer
	err error
}

func newICal(w io.Writer) *icalWriter { return &icalWriter{b: bufio.NewWriterSize(w, 8<<10)} }

// line writes one content line, folded (section 3.1).
func (w *icalWriter) line(s string) {
	if w.err != nil {
		return
	}
	for first := true; ; first = false {
		room := 75
		if !first {
			room = 74 // the leading space of a continuation
			w.str(" ")
		}
		if len(s) <= room {
			w.str(s)
			break
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.str(s[:cut])
		w.str("\r\n")
		s = s[cut:]
	}
	w.str("\r\n")
}

func (w *icalWriter) str(s string) {
	if w.err == nil {
		_, w.err = w.b.WriteString(s)
	}
}

// prop writes a property whose value is TEXT: escaped (section 3.3.11),
// "\n" in v standing for a line break of the text.
func (w *icalWriter) prop(name, v string) { w.line(name + ":" + icalText(v)) }

func (w *icalWriter) close() error {
	if w.err == nil {
		w.err = w.b.Flush()
	}
	return w.err
}

// icalText escapes a TEXT value: backslash, semicolon and comma escaped;
// a line break (LF, CR LF or CR) written \n; every other control
// character (C0, DEL, C1) dropped, so that no value can end a line or
// start a property of its own.
func icalText(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icalSafe keeps a UID free of anything but printable ASCII.
func icalSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e || r == ';' || r == ',' || r == '\\' || r == ':' {
			return -1
		}
		return r
	}, s)
}
