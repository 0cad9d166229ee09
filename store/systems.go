package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/observatory"
)

var _ vigie.SystemService = (*DB)(nil)

// prepared is a system ready to be written: its facts as JSON (checked by
// vigie.ParseSystem) and its indexed columns.
type prepared struct {
	facts   []byte
	name    string
	vendor  string
	nameKey string
	status  string
	domains string
	tokens  []string            // the words to index, untagged (searchTokens)
	summary vigie.SystemSummary // for a new system (no actions yet)
	obs     observatory.Summary // what the observatory counts of it
	obsJSON []byte              // obs as JSON (ImportSystems)
}

// prepare checks s strictly (the same rules as a system file) and returns
// what the store writes. label names the system in error messages.
func prepare(s *vigie.System, label string) (*prepared, error) {
	if s.Schema == "" {
		s.Schema = vigie.SystemSchema
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encodage du système / encoding the system: %w", err)
	}
	checked, err := vigie.ParseSystem(label, b)
	if err != nil {
		// The position is in a JSON line of our own making: the path of
		// the fact says more.
		var e *vigie.Error
		if errors.As(err, &e) && e.Line > 0 {
			e.Message = strings.TrimPrefix(e.Message, fmt.Sprintf("%s:%d:%d: ", label, e.Line, e.Column))
			e.Line, e.Column = 0, 0
		}
		return nil, err
	}
	p := &prepared{facts: b, name: checked.Name, vendor: checked.Vendor, nameKey: Fold(checked.Name), status: checked.Deployment.Status}
	if d := checked.Purpose.Domains; len(d.Items) > 0 {
		p.domains = "," + strings.Join(d.Items, ",") + ","
	}
	p.tokens = searchTokens(checked.Name, checked.Vendor, checked.Description)
	return p, nil
}

// folders recycles the accent-stripping transformers: a transform.Chain
// keeps state and may not be shared between goroutines.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Fold lower-cases s, strips its accents and spells out œ and æ, for search
// and sorting: « Sécurité » and "securite" match, « œuvre » and "oeuvre" too.
func Fold(s string) string {
	t := folders.Get().(transform.Transformer)
	defer folders.Put(t)
	t.Reset()
	lower := ligatures.Replace(strings.ToLower(s))
	out, _, err := transform.String(t, lower)
	if err != nil {
		return lower
	}
	return out
}

// ligatures spells out what a French keyboard types either way.
var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "’", "'", "ʼ", "'")

func decodeFacts(b []byte) (vigie.System, error) {
	var s vigie.System
	err := json.Unmarshal(b, &s)
	return s, err
}

// checkWorkplace returns EINVALID unless wpID is empty or a workplace of orgID.
func (db *DB) checkWorkplace(ctx context.Context, c conn, orgID, wpID string) error {
	if wpID == "" {
		return nil
	}
	w, err := db.workplace(ctx, c, wpID)
	if vigie.ErrorCode(err) == vigie.ENOTFOUND || (err == nil && w.OrgID != orgID) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "workplace_id", Message: fmt.Sprintf(
			"workplace_id : lieu de travail %s introuvable dans cette organisation / workplace_id: workplace %s not found in this organisation", wpID, wpID)}
	}
	return err
}

func (db *DB) insertSystem(ctx context.Context, c conn, r *vigie.SystemRecord, p *prepared, event string) error {
	now := db.now()
	r.ID = newID()
	r.Version = 1
	r.CreatedAt, r.UpdatedAt = now, now
	r.UpdatedBy = actorID(ctx)
	r.Summary = p.summary
	if r.Sharing == "" {
		r.Sharing = vigie.SharingSection
	}
	args := append([]any{r.ID, r.OrgID, nullString(r.WorkplaceID), r.Version, p.name, p.vendor, p.nameKey, p.status, p.domains, now, now, r.UpdatedBy, r.Sharing},
		summaryArgs(p.summary)...)
	if _, err := c.exec(ctx, `INSERT INTO systems (id, org_id, workplace_id, version, name, vendor, name_key, status, domains, created_at, updated_at, updated_by, sharing,
		tier, tier_rank, unmet, next_due, next_due_kind, summary_as_of, summary_until, summary_rev, posts_cut)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...); err != nil {
		return err
	}
	if _, err := c.exec(ctx, "INSERT INTO system_facts (system_id, facts) VALUES (?, ?)", r.ID, string(p.facts)); err != nil {
		return err
	}
	words := indexedWords(r.OrgID, p.tokens)
	if _, err := c.exec(ctx, "INSERT INTO system_search (system_id, org_id, words) VALUES (?, ?, ?)", r.ID, r.OrgID, db.storedWords(words)); err != nil {
		return err
	}
	if err := db.writeWords(ctx, c, []string{r.ID}, []string{words}, true); err != nil {
		return err
	}
	if err := db.writeObservation(ctx, c, r.ID, p.obs); err != nil {
		return err
	}
	return db.addEvent(ctx, c, r.OrgID, event, r.ID, p.name)
}

// CreateSystem stores r in r.OrgID (editor) as version 1 and fills its ID,
// Version and times. The facts are checked as strictly as a system file.
func (db *DB) CreateSystem(ctx context.Context, r *vigie.SystemRecord) error {
	p, err := prepare(&r.System, r.System.Name)
	if err != nil {
		return err
	}
	if r.Sharing, err = vigie.CheckSharing("sharing", r.Sharing); err != nil {
		return err
	}
	p.summary, p.obs = summaries(&r.System, nil, db.today())
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, r.OrgID, vigie.RoleEditor, "organisation", "organisation", r.OrgID); err != nil {
			return err
		}
		if err := db.checkWorkplace(ctx, c, r.OrgID, r.WorkplaceID); err != nil {
			return err
		}
		return db.insertSystem(ctx, c, r, p, "system.created")
	})
}

func importError(i int, r *vigie.SystemRecord, err error) error {
	e := &vigie.Error{Code: vigie.ErrorCode(err), Err: err}
	e.Message = fmt.Sprintf("système n° %d (%s) : %s / system #%d (%s): %s", i+1, r.System.Name, vigie.ErrorMessage(err), i+1, r.System.Name, vigie.ErrorMessage(err))
	if e.Code == vigie.EINTERNAL {
		e.Message = fmt.Sprintf("système n° %d (%s) : %v / system #%d (%s): %v", i+1, r.System.Name, err, i+1, r.System.Name, err)
	}
	return e
}

// factsOf reads the facts of the system s of a page, one lookup per row:
// a join lets PostgreSQL scan every system's facts to keep fifty.
const factsOf = "(SELECT f.facts FROM system_facts f WHERE f.system_id = s.id)"

// systemSelect reads systems with their facts; a WHERE clause follows.
const systemSelect = `SELECT s.id, s.org_id, s.workplace_id, s.version, f.facts, s.created_at, s.updated_at, s.updated_by, s.sharing, ` + summaryColumns + `
	FROM systems s JOIN system_facts f ON f.system_id = s.id`

func scanSystem(sc interface{ Scan(...any) error }) (*vigie.SystemRecord, error) {
	r := &vigie.SystemRecord{}
	var wp *string
	var facts string
	var created, updated time.Time
	var version int64
	sumDest, sumFill := summaryDest(&r.Summary)
	if err := sc.Scan(append([]any{&r.ID, &r.OrgID, &wp, &version, &facts, &created, &updated, &r.UpdatedBy, &r.Sharing}, sumDest...)...); err != nil {
		return nil, err
	}
	if err := sumFill(); err != nil {
		return nil, fmt.Errorf("système %s : résumé illisible / system %s: unreadable summary: %w", r.ID, r.ID, err)
	}
	if wp != nil {
		r.WorkplaceID = *wp
	}
	r.Version = int(version)
	r.CreatedAt, r.UpdatedAt = created.UTC(), updated.UTC()
	s, err := decodeFacts([]byte(facts))
	if err != nil {
		return nil, fmt.Errorf("système %s : faits illisibles / system %s: unreadable facts: %w", r.ID, r.ID, err)
	}
	r.System = s
	return r, nil
}

// system reads a system without access control.
func (db *DB) system(ctx context.Context, c conn, id string) (*vigie.SystemRecord, error) {
	if !validID(id) {
		return nil, notFound("système", "system", id)
	}
	r, err := scanSystem(c.queryRow(ctx, systemSelect+" WHERE s.id = ?", id))
	if isNoRows(err) {
		return nil, notFound("système", "system", id)
	}
	return r, err
}

// FindSystemByID returns a system of one of the actor's organisations;
// any other id is ENOTFOUND.
func (db *DB) FindSystemByID(ctx context.Context, id string) (*vigie.SystemRecord, error) {
	c := db.read()
	r, err := db.system(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, r.OrgID, vigie.RoleReader, "système", "system", id); err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateSystem stores r's facts and workplace as version r.Version+1 when
// r.Version is the current version (ECONFLICT otherwise), records every
// changed fact in the history and appends an event. Nothing changes, and
// the version stays, when the facts, the evidence and the workplace are
// those already stored.
func (db *DB) UpdateSystem(ctx context.Context, r *vigie.SystemRecord) error {
	p, err := prepare(&r.System, r.System.Name)
	if err != nil {
		return err
	}
	if r.Sharing != "" {
		if _, err := vigie.CheckSharing("sharing", r.Sharing); err != nil {
			return err
		}
	}
	return db.inTx(ctx, func(c conn) error {
		cur, err := db.system(ctx, c, r.ID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, cur.OrgID, vigie.RoleEditor, "système", "system", r.ID); err != nil {
			return err
		}
		if r.Version != cur.Version {
			return &vigie.Error{Code: vigie.ECONFLICT, Message: fmt.Sprintf(
				"le système a été modifié entre-temps (version %d, vous aviez la version %d) : rechargez la page / the system was changed meanwhile (version %d, you had version %d): reload the page",
				cur.Version, r.Version, cur.Version, r.Version)}
		}
		if err := db.checkWorkplace(ctx, c, cur.OrgID, r.WorkplaceID); err != nil {
			return err
		}
		changes := diff(&cur.System, &r.System)
		if cur.WorkplaceID != r.WorkplaceID {
			changes = append(changes, [3]string{"workplace_id", cur.WorkplaceID, r.WorkplaceID})
		}
		if r.Sharing == "" {
			r.Sharing = cur.Sharing
		}
		if cur.Sharing != r.Sharing {
			changes = append(changes, [3]string{"sharing", cur.Sharing, r.Sharing})
		}
		r.OrgID = cur.OrgID
		if len(changes) == 0 {
			r.CreatedAt, r.UpdatedAt, r.UpdatedBy, r.Summary = cur.CreatedAt, cur.UpdatedAt, cur.UpdatedBy, cur.Summary
			return nil
		}
		now := db.now()
		version := cur.Version + 1
		res, err := c.exec(ctx, `UPDATE systems SET workplace_id = ?, version = ?, name = ?, vendor = ?, name_key = ?, status = ?, domains = ?,
			updated_at = ?, updated_by = ?, sharing = ? WHERE id = ? AND version = ?`,
			nullString(r.WorkplaceID), version, p.name, p.vendor, p.nameKey, p.status, p.domains, now, actorID(ctx), r.Sharing, r.ID, cur.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &vigie.Error{Code: vigie.ECONFLICT, Message: "le système a été modifié entre-temps : rechargez la page / the system was changed meanwhile: reload the page"}
		}
		if _, err := c.exec(ctx, "UPDATE system_facts SET facts = ? WHERE system_id = ?", string(p.facts), r.ID); err != nil {
			return err
		}
		if err := db.writeWords(ctx, c, []string{r.ID}, []string{indexedWords(cur.OrgID, p.tokens)}, false); err != nil {
			return err
		}
		for _, ch := range changes {
			if _, err := c.exec(ctx, "INSERT INTO system_changes (system_id, version, user_id, at, fact, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)",
				r.ID, version, actorID(ctx), now, ch[0], ch[1], ch[2]); err != nil {
				return err
			}
		}
		if r.Summary, err = db.writeSummary(ctx, c, r.ID, &r.System, db.today()); err != nil {
			return err
		}
		paths := make([]string, len(changes))
		for i, ch := range changes {
			paths[i] = ch[0]
		}
		r.Version, r.CreatedAt, r.UpdatedAt, r.UpdatedBy = version, cur.CreatedAt, now, actorID(ctx)
		return db.addEvent(ctx, c, cur.OrgID, "system.updated", r.ID, fmt.Sprintf("v%d: %s", version, strings.Join(paths, ", ")))
	})
}

// diff returns the changed facts of a system as (path, old, new), in file
// order, then the evidence as one entry when it changed.
func diff(old, cur *vigie.System) [][3]string {
	var out [][3]string
	of, nf := old.Facts(), cur.Facts()
	for _, p := range vigie.AllFactPaths() {
		if of[p] != nf[p] {
			out = append(out, [3]string{p, of[p], nf[p]})
		}
	}
	oe, _ := json.Marshal(old.Evidence)
	ne, _ := json.Marshal(cur.Evidence)
	if !bytes.Equal(oe, ne) {
		out = append(out, [3]string{"evidence", evidenceText(old.Evidence), evidenceText(cur.Evidence)})
	}
	return out
}

// evidenceText is the evidence of a system as history text, one line per
// source.
func evidenceText(ev []vigie.Evidence) string {
	lines := make([]string, len(ev))
	for i, e := range ev {
		lines[i] = fmt.Sprintf("%s ← %s : %s (%s)", e.Fact, e.Source, e.Document, e.Date)
	}
	return strings.Join(lines, "\n")
}

// DeleteSystem removes a system, its history and its documents (editor).
// The event log keeps a trace.
func (db *DB) DeleteSystem(ctx context.Context, id string) error {
	return db.inTx(ctx, func(c conn) error {
		cur, err := db.system(ctx, c, id)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, cur.OrgID, vigie.RoleEditor, "système", "system", id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "DELETE FROM systems WHERE id = ?", id); err != nil {
			return err
		}
		return db.addEvent(ctx, c, cur.OrgID, "system.deleted", id, cur.System.Name)
	})
}

// FindSystems returns the systems of f.OrgID that match f, in the order
// f.Sort names (by name by default), and how many match in all. Every
// word of the query must start a word of the name, the vendor or the
// description, regardless of case, accents and plural (see search.go).
// Out-of-date summaries of the organisation are recomputed first.
func (db *DB) FindSystems(ctx context.Context, f vigie.SystemFilter) ([]*vigie.SystemRecord, int, error) {
	if f.OrgID == "" {
		return nil, 0, &vigie.Error{Code: vigie.EINVALID, Field: "org", Message: "org : l'organisation du registre est obligatoire / org: the register's organisation is required"}
	}
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, &vigie.Error{Code: vigie.EINVALID, Field: "limit", Message: "limit, offset : valeurs négatives / limit, offset: negative values"}
	}
	order, ok := systemOrders[f.Sort]
	if !ok {
		return nil, 0, &vigie.Error{Code: vigie.EINVALID, Field: "sort", Message: fmt.Sprintf("sort : ordre %q inconnu (valeurs possibles : %s) / sort: unknown order %q (allowed: %s)",
			f.Sort, strings.Join(vigie.SortOrders, ", "), f.Sort, strings.Join(vigie.SortOrders, ", "))}
	}
	c := db.read()
	if err := db.access(ctx, c, f.OrgID, vigie.RoleReader, "organisation", "organisation", f.OrgID); err != nil {
		return nil, 0, err
	}
	if stale, err := db.staleSummaries(ctx, f.OrgID); err != nil {
		return nil, 0, err
	} else if stale {
		if _, err := db.RefreshSummaries(ctx, f.OrgID); err != nil {
			return nil, 0, err
		}
	}
	where := []string{"s.org_id = ?"}
	args := []any{f.OrgID}
	if f.WorkplaceID != "" {
		where, args = append(where, "s.workplace_id = ?"), append(args, f.WorkplaceID)
	}
	if f.Status != "" {
		where, args = append(where, "s.status = ?"), append(args, f.Status)
	}
	if f.Domain != "" {
		where, args = append(where, `s.domains LIKE ? ESCAPE '\'`), append(args, "%,"+escapeLike(f.Domain)+",%")
	}
	search := strings.TrimSpace(f.Query) != ""
	if search {
		terms := searchTerms(f.Query)
		if len(terms) == 0 {
			return nil, 0, nil // only punctuation: no word to find
		}
		if db.dialect == Postgres {
			where = append(where, "s.id IN (SELECT ss.system_id FROM system_search ss WHERE ss.org_id = ? AND ss.tsv @@ ?::tsquery)")
			args = append(args, f.OrgID, tsQuery(f.OrgID, terms))
		} else {
			where = append(where, "s.id IN (SELECT ss.system_id FROM system_fts JOIN system_search ss ON ss.id = system_fts.rowid WHERE system_fts MATCH ? AND ss.org_id = ?)")
			args = append(args, ftsQuery(f.OrgID, terms), f.OrgID)
		}
	}
	cond := strings.Join(where, " AND ")
	page := ""
	pageArgs := args
	if f.Limit > 0 || f.Offset > 0 {
		limit := int64(f.Limit)
		if limit == 0 {
			limit = 1 << 62
		}
		page = " LIMIT ? OFFSET ?"
		pageArgs = append(append([]any{}, args...), limit, f.Offset)
	}
	cols := `s.id, s.org_id, s.workplace_id, s.version, ` + factsOf + `, s.created_at, s.updated_at, s.updated_by, s.sharing, ` + summaryColumns
	scan := scanSystem
	if f.ListOnly {
		cols, scan = listedColumns, scanListed
	}
	var (
		q         string
		withTotal bool
	)
	if search {
		// The index gives the matching systems: keep them once, for the
		// page and its total together.
		// The matches carry their sort keys, so that only the page's
		// rows are read again.
		q = `WITH m AS MATERIALIZED (SELECT ` + sortKeys + ` FROM systems s WHERE ` + cond + `)
			SELECT ` + cols + `, (SELECT COUNT(*) FROM m)
			FROM (SELECT m.id FROM m ORDER BY ` + strings.ReplaceAll(order, "s.", "m.") + page + `) p JOIN systems s ON s.id = p.id
			ORDER BY ` + order
		withTotal = true
	} else {
		// Page through the narrow table and its index first, then read
		// the facts of the page only.
		q = `SELECT ` + cols + `
			FROM (SELECT s.id FROM systems s WHERE ` + cond + ` ORDER BY ` + order + page + `) m
			JOIN systems s ON s.id = m.id
			ORDER BY ` + order
	}
	rows, err := c.query(ctx, q, pageArgs...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*vigie.SystemRecord
	total := -1
	for rows.Next() {
		var r *vigie.SystemRecord
		var err error
		if withTotal {
			var n int64
			r, err = scan(rowWith{rows, &n})
			total = int(n)
		} else {
			r, err = scan(rows)
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	if total < 0 {
		if (f.Limit == 0 && f.Offset == 0) || (f.Offset == 0 && len(out) < f.Limit) {
			total = len(out) // the whole list is here
		} else if err := c.queryRow(ctx, "SELECT COUNT(*) FROM systems s WHERE "+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// listedColumns are what a list reads of each system with
// SystemFilter.ListOnly: no facts (see scanListed).
const listedColumns = `s.id, s.org_id, s.workplace_id, s.version, s.name, s.vendor, s.status, s.domains, s.created_at, s.updated_at, s.updated_by, s.sharing, ` + summaryColumns

// scanListed reads a row of listedColumns: the System holds the name, the
// vendor, the status and the domains.
func scanListed(sc interface{ Scan(...any) error }) (*vigie.SystemRecord, error) {
	r := &vigie.SystemRecord{}
	var wp *string
	var domains string
	var created, updated time.Time
	var version int64
	sumDest, sumFill := summaryDest(&r.Summary)
	if err := sc.Scan(append([]any{&r.ID, &r.OrgID, &wp, &version, &r.System.Name, &r.System.Vendor, &r.System.Deployment.Status, &domains,
		&created, &updated, &r.UpdatedBy, &r.Sharing}, sumDest...)...); err != nil {
		return nil, err
	}
	if err := sumFill(); err != nil {
		return nil, fmt.Errorf("système %s : résumé illisible / system %s: unreadable summary: %w", r.ID, r.ID, err)
	}
	if wp != nil {
		r.WorkplaceID = *wp
	}
	r.Version = int(version)
	r.CreatedAt, r.UpdatedAt = created.UTC(), updated.UTC()
	r.System.Schema = vigie.SystemSchema
	if d := strings.Trim(domains, ","); d != "" {
		r.System.Purpose.Domains = vigie.SetOf(strings.Split(d, ",")...)
	}
	return r, nil
}

// sortKeys are the columns of systemOrders, kept with the matches of a
// search (the expression of SortDue is recomputed from next_due).
const sortKeys = "s.id, s.name_key, s.tier_rank, s.unmet, s.next_due, s.posts_cut"

// systemOrders are the ORDER BY clauses of the register's sort orders,
// each matching an index of the systems table (migrations 00080 and
// 00121); the
// name and the id break ties.
var systemOrders = map[string]string{
	"":              "s.name_key, s.id",
	vigie.SortName:  "s.name_key, s.id",
	vigie.SortTier:  "s.tier_rank DESC, s.name_key, s.id",
	vigie.SortUnmet: "s.unmet DESC, s.name_key, s.id",
	vigie.SortDue:   "s.next_due = '', s.next_due, s.name_key, s.id",
	vigie.SortJobs:  "s.posts_cut DESC, s.name_key, s.id",
}

// rowWith scans a row into the destinations of scanSystem, then extra.
type rowWith struct {
	sc    interface{ Scan(...any) error }
	extra any
}

func (r rowWith) Scan(dest ...any) error { return r.sc.Scan(append(dest, r.extra)...) }

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// SystemHistory returns the changed facts of a system, oldest first.
func (db *DB) SystemHistory(ctx context.Context, id string) ([]vigie.SystemChange, error) {
	c := db.read()
	if _, err := db.FindSystemByID(ctx, id); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT h.system_id, h.version, h.user_id, COALESCE(u.name, ''), h.at, h.fact, h.old, h.new
		FROM system_changes h LEFT JOIN users u ON u.id = h.user_id WHERE h.system_id = ? ORDER BY h.version, h.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.SystemChange
	for rows.Next() {
		var ch vigie.SystemChange
		var version int64
		var at time.Time
		if err := rows.Scan(&ch.SystemID, &version, &ch.UserID, &ch.UserName, &at, &ch.Fact, &ch.Old, &ch.New); err != nil {
			return nil, err
		}
		ch.Version, ch.At = int(version), at.UTC()
		out = append(out, ch)
	}
	return out, rows.Err()
}
