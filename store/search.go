package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/french"
)

// Search goes through a full-text index on both dialects: SQLite's FTS5
// (table system_fts, contentless, its rowid that of system_search, written
// by writeWords) and PostgreSQL's tsvector (column system_search.tsv,
// generated from system_search.words, with a GIN index).
// Both index the same tokens, made here (searchTokens): each word of the
// name, the vendor and the description, folded (lower case, no accents),
// and its French Snowball stem, folded too, each prefixed with the tag of
// the system's organisation (its id without dashes). A query word t
// matches a system when a token of it starts with the tag followed by
// fold(t) or by the stem of t: "écr" finds « écran », "écrans" finds
// « écran » and "securites" finds « sécurité ».
//
// The tag makes a search of one organisation's register read that
// organisation's part of the index only: a prefix query reads the tokens
// that start with the tag and the word, whatever the number of matching
// systems of other organisations.

// searchRevision names the way searchTokens makes the indexed words:
// change it when they change, so that the index is rebuilt when the
// database is opened (reindexSearch).
const searchRevision = "tokens/v1 fold+snowball-french+org-tag"

// orgTag is the prefix of an organisation's tokens: its id without dashes
// (letters and digits only, one FTS5 token with the word that follows).
func orgTag(orgID string) string { return strings.ReplaceAll(orgID, "-", "") }

// searchWords splits a text into lower-case words of letters and digits
// (accents kept, ligatures spelt out), the unit of the index; anything
// else separates words.
func searchWords(s string) []string {
	return strings.FieldsFunc(ligatures.Replace(strings.ToLower(s)), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// stem returns the folded Snowball French stem of a lower-case word.
func stem(w string) string { return Fold(french.Stem(w, false)) }

// searchTokens returns the distinct untagged tokens of the texts: each
// word folded, then its stem when it differs, in order of first
// appearance.
func searchTokens(texts ...string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, t := range texts {
		for _, w := range searchWords(t) {
			add(Fold(w))
			add(stem(w))
		}
	}
	return out
}

// indexedWords is the system_search.words of tokens in orgID: each token
// with the organisation's tag, separated by spaces.
func indexedWords(orgID string, tokens []string) string {
	tag := orgTag(orgID)
	var b strings.Builder
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tag)
		b.WriteString(t)
	}
	return b.String()
}

// searchTerms returns, for each word of a query, the prefixes that match
// it (its folded form, and its stem when it differs).
func searchTerms(q string) [][]string {
	var out [][]string
	for _, w := range searchWords(q) {
		f, s := Fold(w), stem(w)
		if s == f || s == "" {
			out = append(out, []string{f})
		} else {
			out = append(out, []string{f, s})
		}
	}
	return out
}

// ftsQuery is the FTS5 query of SQLite for the terms in orgID: every term
// as a prefix of a token of the organisation (terms hold only letters and
// digits, nothing FTS5 would read as syntax).
func ftsQuery(orgID string, terms [][]string) string {
	tag := orgTag(orgID)
	parts := make([]string, len(terms))
	for i, alts := range terms {
		for j, a := range alts {
			alts[j] = `"` + tag + a + `"*`
		}
		parts[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	return strings.Join(parts, " AND ")
}

// tsQuery is the tsquery of PostgreSQL for the terms in orgID, read as is
// (::tsquery): the same prefixes as ftsQuery.
func tsQuery(orgID string, terms [][]string) string {
	tag := orgTag(orgID)
	parts := make([]string, len(terms))
	for i, alts := range terms {
		for j, a := range alts {
			alts[j] = "'" + tag + a + "':*"
		}
		parts[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(parts, " & ")
}

// storedWords is what system_search.words holds: the indexed words on
// PostgreSQL, whose tsvector is generated from them; nothing on SQLite,
// whose index keeps them by itself (writeWords).
func (db *DB) storedWords(words string) string {
	if db.dialect == Postgres {
		return words
	}
	return ""
}

// writeWords puts the indexed words of the systems ids (words[i] those of
// ids[i]) in the index, in the caller's transaction, after their
// system_search rows exist; fresh says that they are new (nothing to
// remove first). On PostgreSQL, the words are system_search's column.
func (db *DB) writeWords(ctx context.Context, c conn, ids, words []string, fresh bool) error {
	if len(ids) == 0 {
		return nil
	}
	if db.dialect == Postgres {
		if fresh {
			return nil // written with the rows
		}
		for i, id := range ids {
			if _, err := c.exec(ctx, "UPDATE system_search SET words = ? WHERE system_id = ?", words[i], id); err != nil {
				return err
			}
		}
		return nil
	}
	list := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, 0, 2*len(ids))
	if !fresh {
		for _, id := range ids {
			args = append(args, id)
		}
		if _, err := c.exec(ctx, "DELETE FROM system_fts WHERE rowid IN (SELECT id FROM system_search WHERE system_id IN ("+list+"))", args...); err != nil {
			return err
		}
		args = args[:0]
	}
	for i, id := range ids {
		args = append(args, id, words[i])
	}
	_, err := c.exec(ctx, `INSERT INTO system_fts (rowid, words) SELECT ss.id, v.column2
		FROM (VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?), ", len(ids)), ", ")+`) AS v JOIN system_search ss ON ss.system_id = v.column1`, args...)
	return err
}

// reindexBatch is how many systems one transaction of reindexSearch
// rewrites.
const reindexBatch = 1000

// reindexSearch rewrites the indexed words of every system when they were
// made another way than searchRevision says (after an upgrade), and
// records the revision. Open calls it after the migrations.
func (db *DB) reindexSearch(ctx context.Context) error {
	var rev string
	err := db.w.QueryRowContext(ctx, "SELECT revision FROM search_revision WHERE id = 1").Scan(&rev)
	if err != nil && !isNoRows(err) {
		return fmt.Errorf("index de recherche / search index: %w", err)
	}
	if rev == searchRevision {
		return nil
	}
	last := ""
	for {
		n := 0
		err := db.inTx(ctx, func(c conn) error {
			rows, err := c.query(ctx, `SELECT s.id, s.org_id, s.name, s.vendor, f.facts FROM systems s JOIN system_facts f ON f.system_id = s.id
				WHERE s.id > ? ORDER BY s.id LIMIT ?`, last, reindexBatch)
			if err != nil {
				return err
			}
			type item struct{ id, words string }
			var items []item
			for rows.Next() {
				var id, org, name, vendor, facts string
				if err := rows.Scan(&id, &org, &name, &vendor, &facts); err != nil {
					rows.Close()
					return err
				}
				sys, err := decodeFacts([]byte(facts))
				if err != nil {
					rows.Close()
					return fmt.Errorf("système %s : faits illisibles / system %s: unreadable facts: %w", id, id, err)
				}
				items = append(items, item{id, indexedWords(org, searchTokens(name, vendor, sys.Description))})
			}
			if err := rows.Close(); err != nil {
				return err
			}
			ids, words := make([]string, len(items)), make([]string, len(items))
			for i, it := range items {
				ids[i], words[i] = it.id, it.words
			}
			for lo := 0; lo < len(ids); lo += importChunk {
				hi := min(lo+importChunk, len(ids))
				if err := db.writeWords(ctx, c, ids[lo:hi], words[lo:hi], false); err != nil {
					return err
				}
			}
			if n = len(items); n > 0 {
				last = items[n-1].id
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("index de recherche / search index: %w", err)
		}
		if n < reindexBatch {
			break
		}
	}
	_, err = db.w.ExecContext(ctx, rebind(db.dialect, `INSERT INTO search_revision (id, revision) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET revision = excluded.revision`), searchRevision)
	return err
}
