package store

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/vigie-app/vigie"
)

// importChunk is how many systems one statement of ImportSystems writes
// per table: a multi-row INSERT pays the round trip (PostgreSQL), the
// statement journal and the full-text index's flush (SQLite) once for
// the chunk instead of once per system.
const importChunk = 200

// ImportSystems stores every record in orgID in one transaction: all or
// none. Each record gets a new ID and version 1. The records are checked
// and assessed first, on every processor, outside the transaction (one
// assessment per system gives its list columns and its observatory row,
// see summaries); then they are written importChunk at a time, each table
// by multi-row INSERTs. After a bulk load the planner's statistics are
// refreshed when they are missing or the register has grown much since
// they were taken (analyzeIfGrown).
func (db *DB) ImportSystems(ctx context.Context, orgID string, rs []*vigie.SystemRecord) error {
	ps, err := prepareAll(rs, db.today())
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, orgID, vigie.RoleEditor, "organisation", "organisation", orgID); err != nil {
			return err
		}
		wps := map[string]bool{}
		for i, r := range rs {
			r.OrgID = orgID
			if r.WorkplaceID != "" && !wps[r.WorkplaceID] {
				if err := db.checkWorkplace(ctx, c, orgID, r.WorkplaceID); err != nil {
					return importError(i, r, err)
				}
				wps[r.WorkplaceID] = true
			}
		}
		for lo := 0; lo < len(rs); lo += importChunk {
			hi := min(lo+importChunk, len(rs))
			if err := db.insertSystems(ctx, c, rs[lo:hi], ps[lo:hi], "system.imported"); err != nil {
				return importError(lo, rs[lo], err)
			}
			if db.ImportProgress != nil {
				for i := lo; i < hi; i++ {
					db.ImportProgress(i+1, len(rs))
				}
			}
		}
		return nil
	})
	if err == nil && len(rs) >= bulkLoad {
		// Fresh statistics for the query planner after a bulk load; a
		// failure here changes nothing imported.
		_ = db.analyzeIfGrown(ctx)
	}
	return err
}

// prepareAll checks every record (prepare) and derives what is written
// with it, on as many goroutines as there are processors. The error is
// that of the first record in error.
func prepareAll(rs []*vigie.SystemRecord, today vigie.Date) ([]*prepared, error) {
	ps := make([]*prepared, len(rs))
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	n := min(runtime.GOMAXPROCS(0), max(len(rs), 1))
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(rs); i += n {
				r := rs[i]
				p, err := prepare(&r.System, r.System.Name)
				if err == nil {
					r.Sharing, err = vigie.CheckSharing("sharing", r.Sharing)
				}
				if err == nil {
					p.summary, p.obs = summaries(&r.System, nil, today)
					p.obsJSON, err = json.Marshal(p.obs)
				}
				ps[i], errs[i] = p, err
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, importError(i, rs[i], err)
		}
	}
	return ps, nil
}

// insertSystems writes new systems of one organisation, prepared, with
// their facts, search words, observatory rows and events: one multi-row
// INSERT per table.
func (db *DB) insertSystems(ctx context.Context, c conn, rs []*vigie.SystemRecord, ps []*prepared, event string) error {
	now := db.now()
	actor := actorID(ctx)
	systems := make([][]any, len(rs))
	facts := make([][]any, len(rs))
	search := make([][]any, len(rs))
	obs := make([][]any, len(rs))
	events := make([][]any, len(rs))
	ids, words := make([]string, len(rs)), make([]string, len(rs))
	for i, r := range rs {
		p := ps[i]
		r.ID = newID()
		r.Version = 1
		r.CreatedAt, r.UpdatedAt = now, now
		r.UpdatedBy = actor
		r.Summary = p.summary
		if r.Sharing == "" {
			r.Sharing = vigie.SharingSection
		}
		systems[i] = append([]any{r.ID, r.OrgID, nullString(r.WorkplaceID), r.Version, p.name, p.vendor, p.nameKey, p.status, p.domains, now, now, r.UpdatedBy, r.Sharing},
			summaryArgs(p.summary)...)
		facts[i] = []any{r.ID, string(p.facts)}
		ids[i], words[i] = r.ID, indexedWords(r.OrgID, p.tokens)
		search[i] = []any{r.ID, r.OrgID, db.storedWords(words[i])}
		obs[i] = []any{r.ID, r.OrgID, r.Version, p.obs.AsOf, string(p.obsJSON)}
		events[i] = []any{r.OrgID, actor, now, event, r.ID, p.name}
	}
	for _, t := range []struct {
		table, cols string
		rows        [][]any
	}{
		{"systems", "id, org_id, workplace_id, version, name, vendor, name_key, status, domains, created_at, updated_at, updated_by, sharing, " +
			"tier, tier_rank, unmet, next_due, next_due_kind, summary_as_of, summary_until, summary_rev, posts_cut", systems},
		{"system_facts", "system_id, facts", facts},
		{"system_search", "system_id, org_id, words", search},
		{"observatory_summaries", "system_id, org_id, version, as_of, summary", obs},
		{"events", "org_id, user_id, at, kind, subject, detail", events},
	} {
		if err := insertRows(ctx, c, t.table, t.cols, t.rows); err != nil {
			return err
		}
	}
	return db.writeWords(ctx, c, ids, words, true)
}

// insertRows inserts rows into table in one statement.
func insertRows(ctx context.Context, c conn, table, cols string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	var q strings.Builder
	q.Grow(len(table) + len(cols) + 32 + len(rows)*(len(one)+2))
	q.WriteString("INSERT INTO " + table + " (" + cols + ") VALUES ")
	args := make([]any, 0, len(rows)*len(rows[0]))
	for i, r := range rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(one)
		args = append(args, r...)
	}
	_, err := c.exec(ctx, q.String(), args...)
	return err
}

// analyzeIfGrown refreshes the planner's statistics (Optimize) when there
// are none for the systems table or when it holds at least twice the rows
// they were taken on: a series of imports into many organisations
// analyses a logarithmic number of times, and the statistics are never
// off by more than a factor of two.
func (db *DB) analyzeIfGrown(ctx context.Context) error {
	var rows int64
	if err := db.w.QueryRowContext(ctx, "SELECT COUNT(*) FROM systems").Scan(&rows); err != nil {
		return err
	}
	var analysed float64
	var err error
	if db.dialect == Postgres {
		err = db.w.QueryRowContext(ctx, "SELECT reltuples FROM pg_class WHERE oid = 'systems'::regclass").Scan(&analysed)
	} else {
		var stat string
		err = db.w.QueryRowContext(ctx, "SELECT stat FROM sqlite_stat1 WHERE tbl = 'systems' LIMIT 1").Scan(&stat)
		if err == nil {
			_, err = fmt.Sscan(stat, &analysed)
		}
	}
	if err != nil && !isNoRows(err) && !strings.Contains(err.Error(), "no such table") {
		return err
	}
	if err == nil && analysed > 0 && float64(rows) < 2*analysed {
		return nil
	}
	return db.Optimize(ctx)
}
