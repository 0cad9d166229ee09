package status

import (
	"math"
	"testing"
)

func luminance(c [3]int) float64 {
	lin := func(v int) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// Every status has its own word and icon in both languages, and its text
// is readable on its background (WCAG AA, 4.5:1) and on white.
func TestStyles(t *testing.T) {
	words, icons := map[string]bool{}, map[string]bool{}
	for _, s := range All() {
		if s.FR == "" || s.EN == "" || s.Icon == "" {
			t.Errorf("%s: word or icon missing", s.Key)
		}
		if words[s.FR] || icons[s.Icon] {
			t.Errorf("%s: word %q or icon %q shared with another status", s.Key, s.FR, s.Icon)
		}
		words[s.FR], icons[s.Icon] = true, true
		fg, bg := s.RGB()
		for _, back := range [][3]int{bg, {255, 255, 255}} {
			l1, l2 := luminance(fg), luminance(back)
			if r := (math.Max(l1, l2) + 0.05) / (math.Min(l1, l2) + 0.05); r < 4.5 {
				t.Errorf("%s: contrast %.2f < 4.5", s.Key, r)
			}
		}
	}
	if len(All()) != 6 {
		t.Errorf("%d statuses, want 6", len(All()))
	}
	if s := Of("nope"); s.FR != "nope" || s.Icon != "?" {
		t.Errorf("Of(unknown key) = %+v", s)
	}
	if Of(Unmet).Word("en") != "not met" || Of(Unmet).Word("fr") != "non respectée" {
		t.Error("words")
	}
}
