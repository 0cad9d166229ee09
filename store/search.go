package store

import (
	"strings"
	"unicode"
)

// Search goes through a full-text index on both dialects: SQLite's FTS5
// (table system_fts over system_search, accents removed by its unicode61
// tokenizer) and PostgreSQL's tsvector (column system_search.tsv, in a
// French configuration with unaccent and the French Snowball stemmer).
// The words indexed are the folded words of the name, the vendor and the
// description (searchText). Every word of a query must match the start of
// a word of the system: "écr" finds « écran ». On SQLite the query word is
// first reduced by minimalStem, so that a plural or feminine form finds
// the other ("écrans" finds « écran »); PostgreSQL's configuration stems
// both sides.

// searchTerms splits a query into folded words of letters and digits, the
// tokens both indexes know; anything else separates words.
func searchTerms(q string) []string {
	return strings.FieldsFunc(Fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// minimalStem removes the inflection of a folded French word as the
// "minimal" stemmer of J. Savoy does (plural -s and -x, -aux to -al, then
// a final -r, -e and a doubled last letter), on words of six letters or
// more: "ecrans" and "ecran" give "ecran", "securites" gives "securit".
// Used on query words followed by a prefix match, it finds every form
// that starts with the same stem.
func minimalStem(w string) string {
	r := []rune(w)
	n := len(r)
	if n < 6 {
		return w
	}
	if r[n-1] == 'x' {
		if r[n-3] == 'a' && r[n-2] == 'u' {
			r[n-2] = 'l'
		}
		return string(r[:n-1])
	}
	for _, c := range []rune{'s', 'r', 'e'} {
		if r[n-1] == c {
			n--
		}
	}
	if r[n-1] == r[n-2] {
		n--
	}
	return string(r[:n])
}

// ftsQuery is the FTS5 query of SQLite for the terms: every term as a
// prefix of a word (terms hold only letters and digits, nothing FTS5
// would read as syntax).
func ftsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = `"` + minimalStem(t) + `"*`
	}
	return strings.Join(parts, " ")
}

// tsQuery is the tsquery text of PostgreSQL for the terms, given to
// to_tsquery with the French configuration, which stems each term.
func tsQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t + ":*"
	}
	return strings.Join(parts, " & ")
}
