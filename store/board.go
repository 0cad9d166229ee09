package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigie-app/vigie"
)

// boardColumns are actionColumns without the letter's body, which the
// board and the calendar never show.
var boardColumns = strings.Replace(actionColumns, " body,", " '' AS body,", 1)

// employerOf extracts the employer's facts from a system's facts, in the
// database: the board reads a few hundred bytes per action, not the
// whole system file.
func employerOf(dialect string) string {
	if dialect == Postgres {
		return "((f.facts::jsonb) -> 'organisation')::text"
	}
	return "json_extract(f.facts, '$.organisation')"
}

// FindBoardActions implements vigie.ActionService.
func (db *DB) FindBoardActions(ctx context.Context, orgID string) ([]vigie.BoardAction, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	q := "SELECT " + boardColumns + `,
		(SELECT s.name FROM systems s WHERE s.id = actions.system_id AND s.org_id = actions.org_id),
		(SELECT ` + employerOf(db.dialect) + ` FROM system_facts f WHERE f.system_id = actions.system_id)
		FROM actions WHERE org_id = ? AND state <> ? ORDER BY created_at, id`
	rows, err := c.query(ctx, q, orgID, vigie.ActionDraft)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.BoardAction
	for rows.Next() {
		var name, emp *string
		a, err := scanAction(rowWith2{rows, &name, &emp})
		if err != nil {
			return nil, err
		}
		if name == nil {
			continue
		}
		b := vigie.BoardAction{Action: a, SystemName: *name}
		if emp != nil && *emp != "" {
			if err := json.Unmarshal([]byte(*emp), &b.Employer); err != nil {
				return nil, fmt.Errorf("système %s : employeur illisible / system %s: unreadable employer: %w", a.SystemID, a.SystemID, err)
			}
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// rowWith2 scans a row into the destinations of the scanner, then two
// more.
type rowWith2 struct {
	sc   interface{ Scan(...any) error }
	a, b any
}

func (r rowWith2) Scan(dest ...any) error { return r.sc.Scan(append(dest, r.a, r.b)...) }
