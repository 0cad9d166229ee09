package audit

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// Every French and English sentence states a disparity from the side of
// the group flagged more, whatever the reference: on the COMPAS counts
// with the more flagged group as the reference, and on a file whose
// largest group (the default reference) is the most flagged.
func TestSentenceFromTheFlaggedSide(t *testing.T) {
	c := compasConfig()
	c.Reference = map[string]string{"race": "African-American"}
	r := runBytes(t, compasLike(), c)
	a := attr(t, r, "race")
	g := group(t, a, "Caucasian")
	fr := spaces(r.Sentence("fr", "fpr", &a, &g))
	want := spaces("44,8\u00a0% des « African-American » ont été signalées contre 23,5\u00a0% des « Caucasian » (805/1\u00a0795 contre 349/1\u00a0488)\u00a0: 1,9 fois plus (IC 95\u00a0% 1,72–2,12), soit 318 personnes de moins parmi les « Caucasian »")
	if !strings.Contains(fr, want) {
		t.Errorf("COMPAS, reference African-American:\n%s\nlacks\n%s", fr, want)
	}
	en := r.Sentence("en", "fpr", &a, &g)
	if !strings.Contains(en, "44.8% of “African-American” were flagged against 23.5% of “Caucasian”") || !strings.Contains(en, "1.9 times as often (95% CI 1.72–2.12)") {
		t.Errorf("English: %s", en)
	}

	// The largest group is the most flagged.
	var b bytes.Buffer
	b.WriteString("origine;score\n")
	for _, grp := range []struct {
		name    string
		n, flag int
	}{{"Métropole", 1000, 600}, {"Outre-mer", 200, 60}, {"Étranger", 150, 30}} {
		for i := range grp.n {
			s := "0.2"
			if i < grp.flag {
				s = "0.9"
			}
			fmt.Fprintf(&b, "%s;%s\n", grp.name, s)
		}
	}
	thr := 0.5
	r = runBytes(t, b.Bytes(), Config{Groups: []string{"origine"}, Score: "score", Threshold: &thr, MinN: 30})
	a = attr(t, r, "origine")
	if a.Groups[0].Value != "Métropole" {
		t.Fatalf("the reference is %q, want the largest group", a.Groups[0].Value)
	}
	for _, g := range a.Groups[1:] {
		s := spaces(r.Sentence("fr", "pprev", &a, &g))
		if !strings.HasPrefix(s, "60,0") || !strings.Contains(s, " des « Métropole » ont été signalées contre ") || !strings.Contains(s, "fois plus") || strings.Contains(s, "fois le taux") {
			t.Errorf("%s: %s", g.Value, s)
		}
	}
	outre := group(t, a, "Outre-mer")
	if s := spaces(r.Sentence("fr", "pprev", &a, &outre)); !strings.Contains(s, " : 2,0 fois plus") {
		t.Errorf("Outre-mer: %s", s)
	}
	var txt bytes.Buffer
	if err := r.WriteText(&txt, "fr"); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(txt.String(), "fois le taux de référence") {
		t.Errorf("the text report still says « fois le taux de référence »")
	}
}

// spaces makes every no-break space a plain one.
func spaces(s string) string { return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s) }
