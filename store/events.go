package store

import (
	"context"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.EventService = (*DB)(nil)

// FindEvents returns the newest events of orgID first (at most limit; all
// when limit <= 0), each with the display name of the user who acted (empty
// for the operator). The name is joined here, for the events of orgID
// only, so that a reader sees who did what without looking accounts up.
func (db *DB) FindEvents(ctx context.Context, orgID string, limit int) ([]*vigie.Event, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	q := `SELECT e.id, e.org_id, e.user_id, e.at, e.kind, e.subject, e.detail, COALESCE(u.name, '')
		FROM events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.org_id = ? ORDER BY e.id DESC`
	args := []any{orgID}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Event
	for rows.Next() {
		e := &vigie.Event{}
		var at time.Time
		if err := rows.Scan(&e.ID, &e.OrgID, &e.UserID, &at, &e.Kind, &e.Subject, &e.Detail, &e.UserName); err != nil {
			return nil, err
		}
		e.At = at.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}
