package web

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
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

// TestEnumWordsMatchTheDossier: the dossier writes a fact's value with
// the words the pages use.
func TestEnumWordsMatchTheDossier(t *testing.T) {
	for i, lang := range []string{"fr", "en"} {
		b, err := os.ReadFile("locales/facts." + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		n := 0
		for k, v := range m {
			key, ok := strings.CutPrefix(k, "enum.")
			if !ok {
				continue
			}
			n++
			if w, ok := report.EnumWords[key]; !ok || w[i] != v {
				t.Errorf("%s %s: the page says %q, the dossier %q", lang, key, v, w[i])
			}
		}
		if n != len(report.EnumWords) {
			t.Errorf("%s: %d words on the pages, %d in the dossier", lang, n, len(report.EnumWords))
		}
	}
}

// TestAuditEventInWords: the journal says an audit's counts in the page's
// language, though the report keeps them in French.
func TestAuditEventInWords(t *testing.T) {
	b, err := newBundle()
	if err != nil {
		t.Fatal(err)
	}
	ev := vigie.Event{Kind: "report.audit", Detail: "1 disparité, 0 parité, 3 insuffisants"}
	if got := eventDetail(newLoc(b, "en"), ev); got != "1 disparity, 0 parity, 3 inconclusive" {
		t.Errorf("English: %q", got)
	}
	if got := eventDetail(newLoc(b, "fr"), ev); got != ev.Detail {
		t.Errorf("French: %q", got)
	}
}

func TestSizeWords(t *testing.T) {
	for _, c := range []struct {
		n      int64
		fr, en string
	}{
		{850, "850\u00a0o", "850\u00a0B"},
		{12_300, "12\u00a0Ko", "12\u00a0kB"},
		{3_400_000, "3,4\u00a0Mo", "3.4\u00a0MB"},
		{2_000_000_000_000, "2000\u00a0Go", "2000\u00a0GB"},
	} {
		if got := sizeWords(c.n, "fr"); got != c.fr {
			t.Errorf("%d fr: %q, want %q", c.n, got, c.fr)
		}
		if got := sizeWords(c.n, "en"); got != c.en {
			t.Errorf("%d en: %q, want %q", c.n, got, c.en)
		}
	}
}
