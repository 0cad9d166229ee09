package vigie

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of what a user may type, in a system file, a form or a flag.
const (
	// MaxLineRunes bounds a single-line text: a name, a vendor, a model,
	// an item of a list, a source.
	MaxLineRunes = 300
	// MaxTextRunes bounds a text of several lines: a description, an
	// evidence document, a note.
	MaxTextRunes = 20000
	// MaxCount bounds a count of people (headcount, workers affected,
	// persons concerned) and, by default, every other whole number.
	MaxCount = 10_000_000
	// MaxDepth bounds the nesting of a system file; a real one is 5 deep.
	MaxDepth = 32
	// MaxListItems bounds the items of a list fact.
	MaxListItems = 1000
)

// InputFault says why a value typed by a user is refused, in terms that
// each adapter turns into its own message (a form field's message id, a
// file's line, a flag).
type InputFault struct {
	// Kind is one of "utf8", "control", "length", "bound", "country".
	Kind string
	// Min and Max are the bounds, for "length" (Max only) and "bound".
	Min, Max int64
}

// FR is the fault in French.
func (f *InputFault) FR() string {
	switch f.Kind {
	case "utf8":
		return "le texte n'est pas en UTF-8"
	case "control":
		return "caractère de contrôle ou retour à la ligne non accepté ici"
	case "length":
		return fmt.Sprintf("texte trop long (au plus %d caractères)", f.Max)
	case "bound":
		return fmt.Sprintf("attendu un nombre de %d à %d", f.Min, f.Max)
	case "country":
		return "attendu un code de pays ISO 3166 à trois lettres (FRA, DEU, USA…), ou WOR (monde) ou EEE (Europe)"
	}
	return "valeur refusée"
}

// EN is the fault in English.
func (f *InputFault) EN() string {
	switch f.Kind {
	case "utf8":
		return "the text is not UTF-8"
	case "control":
		return "control character or line break not accepted here"
	case "length":
		return fmt.Sprintf("text too long (at most %d characters)", f.Max)
	case "bound":
		return fmt.Sprintf("expected a number from %d to %d", f.Min, f.Max)
	case "country":
		return "expected a three-letter ISO 3166 country code (FRA, DEU, USA…), or WOR (world) or EEE (Europe)"
	}
	return "value refused"
}

// Err returns the fault as an EINVALID *Error naming field.
func (f *InputFault) Err(field string) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%s : %s / %s: %s", field, f.FR(), field, f.EN())}
}

// isControl reports whether r is a C0 or C1 control character, DEL, or a
// Unicode line or paragraph separator.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029'
}

// CheckLine checks a single-line text: valid UTF-8, no control character
// (CR and LF included), at most MaxLineRunes characters.
func CheckLine(s string) *InputFault { return checkText(s, false, MaxLineRunes) }

// CheckMultiline checks a text of several lines: valid UTF-8, no control
// character other than LF and tab, at most MaxTextRunes characters.
func CheckMultiline(s string) *InputFault { return checkText(s, true, MaxTextRunes) }

// CheckName checks the name of an organisation, a user or a workplace (a
// single line), and returns it as an EINVALID *Error naming field.
func CheckName(field, s string) error {
	if f := CheckLine(s); f != nil {
		return f.Err(field)
	}
	return nil
}

func checkText(s string, multiline bool, max int) *InputFault {
	if !utf8.ValidString(s) {
		return &InputFault{Kind: "utf8"}
	}
	n := 0
	for _, r := range s {
		n++
		if isControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			return &InputFault{Kind: "control"}
		}
	}
	if n > max {
		return &InputFault{Kind: "length", Max: int64(max)}
	}
	return nil
}

// MultilineFacts are the text facts that may hold several lines; every
// other text fact is a single line.
var MultilineFacts = map[string]bool{"description": true, "public_description": true, "evidence.document": true}

// IntBounds returns the bounds of the whole-number fact at path (list
// indices removed): 0 to 3 for the representatives' ratings of work.*,
// 0 to MaxCount for people, wider for yearly decisions and daily requests.
func IntBounds(path string) (lo, hi int64) {
	switch {
	case strings.HasPrefix(path, "work."):
		return 0, 3
	case path == "usage.working_days_per_year":
		return 0, 366
	case path == "decisions.individual_decisions_per_year", path == "usage.requests_per_day":
		return 0, 1_000_000_000
	}
	return 0, MaxCount
}

// FloatBounds returns the bounds of the number fact at path.
func FloatBounds(path string) (lo, hi float64) {
	return 0, 100_000 // billions of parameters: far above any model
}

// CheckInt checks a whole number against IntBounds(path).
func CheckInt(path string, v int64) *InputFault {
	lo, hi := IntBounds(path)
	if v < lo || v > hi {
		return &InputFault{Kind: "bound", Min: lo, Max: hi}
	}
	return nil
}

// CheckFloat checks a number against FloatBounds(path).
func CheckFloat(path string, v float64) *InputFault {
	lo, hi := FloatBounds(path)
	if !(v >= lo && v <= hi) {
		return &InputFault{Kind: "bound", Min: int64(lo), Max: int64(hi)}
	}
	return nil
}

// CheckCountry checks a server's country: an ISO 3166-1 alpha-3 code (any
// case), or WOR (the world) or EEE (Europe), the two aggregates of the
// electricity data.
func CheckCountry(s string) *InputFault {
	u := strings.ToUpper(s)
	if _, ok := countryCodes[u]; ok || u == "WOR" || u == "EEE" {
		return nil
	}
	return &InputFault{Kind: "country"}
}

// UpperFirst returns s with its first letter (a rune, not a byte) in upper
// case: « égal » → « Égal », « être » → « Être ». The one helper for
// starting a sentence built from parts.
func UpperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	u := unicode.ToUpper(r)
	if u == r {
		return s
	}
	return string(u) + s[n:]
}

// Clip returns s cut to at most n characters, with "…" when cut, so that an
// error message never copies a whole value.
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n {
			break
		}
		k++
	}
	return s[:i] + "…"
}
