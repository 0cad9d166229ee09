package store

import (
	"context"
	"strings"

	"github.com/vigie-app/vigie"
)

// streamBatch is the number of systems EachSystem reads per query: the
// memory of an export is that of one batch, whatever the register's size.
const streamBatch = 200

// EachSystem calls fn with every system of f.OrgID (reader), ordered by
// name as FindSystems orders them, reading them streamBatch at a time
// after the last one read (keyset pagination). No query stays open while
// fn runs, so that a slow client holds no connection; the summaries
// (tier, unmet obligations, next due date) are brought up to date first; a system changed
// during the walk is read as it is when its batch is read. Only f.OrgID,
// f.WorkplaceID and f.Status are used. fn's error stops the walk and is
// returned.
func (db *DB) EachSystem(ctx context.Context, f vigie.SystemFilter, fn func(*vigie.SystemRecord) error) error {
	if f.OrgID == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "org", Message: "org : l'organisation du registre est obligatoire / org: the register's organisation is required"}
	}
	c := db.read()
	if err := db.access(ctx, c, f.OrgID, vigie.RoleReader, "organisation", "organisation", f.OrgID); err != nil {
		return err
	}
	if stale, err := db.staleSummaries(ctx, f.OrgID); err != nil {
		return err
	} else if stale {
		if _, err := db.RefreshSummaries(ctx, f.OrgID); err != nil {
			return err
		}
	}
	cond := "s.org_id = ?"
	args := []any{f.OrgID}
	if f.WorkplaceID != "" {
		cond, args = cond+" AND s.workplace_id = ?", append(args, f.WorkplaceID)
	}
	if f.Status != "" {
		cond, args = cond+" AND s.status = ?", append(args, f.Status)
	}
	var lastKey, lastID string
	first := true
	batch := make([]*vigie.SystemRecord, 0, streamBatch)
	for {
		q := streamSelect + " WHERE " + cond
		a := append([]any{}, args...)
		if !first {
			q += " AND (s.name_key > ? OR (s.name_key = ? AND s.id > ?))"
			a = append(a, lastKey, lastKey, lastID)
		}
		q += " ORDER BY s.name_key, s.id LIMIT ?"
		a = append(a, streamBatch)
		batch = batch[:0]
		keys, err := db.streamPage(ctx, c, q, a, &batch)
		if err != nil {
			return err
		}
		for _, r := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(batch) < streamBatch {
			return nil
		}
		first = false
		lastKey, lastID = keys, batch[len(batch)-1].ID
		clear(batch)
	}
}

// streamSelect is systemSelect with the name key last, the position of a
// batch's end.
var streamSelect = strings.Replace(systemSelect, "FROM systems s", ", s.name_key FROM systems s", 1)

// streamPage reads one batch into out and returns the name key of its last
// system.
func (db *DB) streamPage(ctx context.Context, c conn, q string, args []any, out *[]*vigie.SystemRecord) (string, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var key string
	for rows.Next() {
		r, err := scanSystem(rowWith{rows, &key})
		if err != nil {
			return "", err
		}
		*out = append(*out, r)
	}
	return key, rows.Err()
}
