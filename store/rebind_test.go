package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kljensen/snowball/french"
)

func TestRebind(t *testing.T) {
	q := "SELECT a FROM t WHERE x = ? AND y IN (?, ?) LIMIT ?"
	if got := rebind(SQLite, q); got != q {
		t.Fatalf("sqlite: %q", got)
	}
	if got, want := rebind(Postgres, q), "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3) LIMIT $4"; got != want {
		t.Fatalf("postgres: %q, want %q", got, want)
	}
	if got := rebind(Postgres, "SELECT 1"); got != "SELECT 1" {
		t.Fatalf("no placeholder: %q", got)
	}
}

func TestSearchTokensKeepEachWordAndStemOnce(t *testing.T) {
	got := strings.Join(searchTokens("Contrôle fiscal", "DGFiP", "Listes de contrôle : le contrôle fiscal ciblé des écrans"), " ")
	if want := "controle control fiscal dgfip listes list de le cible cibl des ecrans ecran"; got != want {
		t.Fatalf("%q, want %q", got, want)
	}
	if Fold("Évaluation ŒUVRE Ça l’outil") != "evaluation oeuvre ca l'outil" {
		t.Fatalf("Fold: %q", Fold("Évaluation ŒUVRE Ça l’outil"))
	}
	if got, want := indexedWords("0193a-b", []string{"ecran", "ecr"}), "0193abecran 0193abecr"; got != want {
		t.Fatalf("indexedWords: %q, want %q", got, want)
	}
}

// TestFrenchStemmer checks the stemmer against a sample of the Snowball
// French vocabulary (testdata/snowball-french.txt). The stems of the
// library follow the algorithm before its revision of the words with a
// diaeresis and of a few endings (-aise, -oux, -ais); those words of the
// sample are listed with the stem the library gives, so that any other
// difference fails.
func TestFrenchStemmer(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "snowball-french.txt"))
	if err != nil {
		t.Fatal(err)
	}
	revised := map[string]string{}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		n++
		if got := french.Stem(word, true); got != want {
			revised[word] = got
		}
	}
	if n < 2000 {
		t.Fatalf("%d words in the sample", n)
	}
	for w, got := range revised {
		if want, ok := knownRevised[w]; !ok || want != got {
			t.Errorf("%s: stem %q, Snowball's vocabulary says otherwise", w, got)
		}
	}
	for w := range knownRevised {
		if _, ok := revised[w]; !ok {
			t.Errorf("%s: listed as revised, but the stems agree now: remove it from knownRevised", w)
		}
	}
	t.Logf("%d words, %d of them revised since the library's algorithm", n, len(revised))
	// Searching: the stem is folded after stemming.
	for w, want := range map[string]string{"écrans": "ecran", "sécurités": "secur", "évaluations": "evalu", "contrôles": "control"} {
		if got := stem(w); got != want {
			t.Errorf("stem(%q) = %q, want %q", w, got, want)
		}
	}
}

// knownRevised are the words of the sample whose stem changed in a
// revision of the Snowball French algorithm later than the library's,
// with the library's stem.
var knownRevised = map[string]string{
	"archaïques":    "archaïqu",
	"dadaïsme":      "dadaïsm",
	"dichroïsme":    "dichroïsm",
	"hautboïste":    "hautboïst",
	"héroïcité":     "héroïc",
	"mosaïque":      "mosaïqu",
	"nie":           "ni",
	"paléozoïques":  "paléozoïqu",
	"portugaise":    "portugais",
	"poux":          "poux",
	"shintoïste":    "shintoïst",
	"thaïlandaises": "thaïlandais",
	"époux":         "époux",
}
