package web

import (
	"os"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/status"
)

// The stylesheet carries the colours of every status as the status package
// gives them, and a badge has the icon and the word.
func TestStatusStyles(t *testing.T) {
	css, err := os.ReadFile("static/vigie.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range status.All() {
		rule := ".st-" + s.Key + " { color: " + s.Colour + "; background: " + s.Background + "; border-color: " + s.Colour + "; }"
		if !strings.Contains(string(css), rule) {
			t.Errorf("vigie.css lacks %q", rule)
		}
		b := string(statusBadge(s.Key, "fr"))
		if !strings.Contains(b, s.Icon) || !strings.Contains(b, s.FR) || !strings.Contains(b, `aria-hidden="true"`) {
			t.Errorf("badge %s: %s", s.Key, b)
		}
	}
	if b := string(statusBadge("<x>", "en")); strings.Contains(b, "<x>") {
		t.Errorf("badge does not escape: %s", b)
	}
}
