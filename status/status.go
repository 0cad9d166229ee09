// Package status is how vigie shows the status of an obligation, a
// deadline or a step: a word, an icon and two colours, never the colour
// alone. The web pages (register, Évaluation tab, board) and the printed
// documents (dossier, reports) take them from here, so that a status looks
// the same everywhere.
package status

// The statuses.
const (
	Met           = "met"
	Unmet         = "unmet"
	Unknown       = "unknown"
	Upcoming      = "upcoming"
	InProgress    = "in_progress"
	NotApplicable = "not_applicable"
)

// Style is the look of one status. Colour is the text and border colour,
// Background the fill; both pairs have a contrast of at least 4.5:1.
type Style struct {
	Key        string
	Icon       string // one character, for screens; print may use the word alone
	Colour     string // #rrggbb
	Background string // #rrggbb
	FR, EN     string // the word, feminine in French (une obligation)
}

var styles = []Style{
	{Met, "✓", "#14532d", "#dcfce7", "respectée", "met"},
	{Unmet, "✗", "#7f1d1d", "#fee2e2", "non respectée", "not met"},
	{Unknown, "?", "#1f2937", "#e5e7eb", "inconnue", "unknown"},
	{Upcoming, "→", "#1e3a8a", "#dbeafe", "à venir", "upcoming"},
	{InProgress, "↻", "#78350f", "#fef3c7", "en cours", "in progress"},
	{NotApplicable, "–", "#374151", "#f9fafb", "sans objet", "not applicable"},
}

// All returns the styles in the order they are listed in a legend.
func All() []Style { return append([]Style(nil), styles...) }

// Of returns the style of key; an unknown key gets the style of Unknown
// with the key as its word.
func Of(key string) Style {
	for _, s := range styles {
		if s.Key == key {
			return s
		}
	}
	s := styles[2]
	s.Key, s.FR, s.EN = key, key, key
	return s
}

// Word returns the word in lang ("fr" or "en").
func (s Style) Word(lang string) string {
	if lang == "en" {
		return s.EN
	}
	return s.FR
}

// RGB returns Colour and Background as 0–255 triples, for PDF drawing.
func (s Style) RGB() (fg, bg [3]int) {
	return hex(s.Colour), hex(s.Background)
}

func hex(c string) [3]int {
	var out [3]int
	if len(c) != 7 || c[0] != '#' {
		return out
	}
	for i := range 3 {
		out[i] = nib(c[1+2*i])<<4 | nib(c[2+2*i])
	}
	return out
}

func nib(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return 0
}
