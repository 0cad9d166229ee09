package store

import (
	"context"

	"github.com/vigie-app/vigie"
)

var _ vigie.DossierService = (*DB)(nil)

func exhibitNumbers(ctx context.Context, c conn, systemID string) (map[string]int, error) {
	rows, err := c.query(ctx, "SELECT exhibit_key, n FROM dossier_exhibits WHERE system_id = ?", systemID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ExhibitNumbers returns the numbers given to the exhibits of systemID.
func (db *DB) ExhibitNumbers(ctx context.Context, systemID string) (map[string]int, error) {
	if _, err := db.FindSystemByID(ctx, systemID); err != nil {
		return nil, err
	}
	return exhibitNumbers(ctx, db.read(), systemID)
}

// KeepExhibitNumbers numbers the new keys after the largest number of the
// system, in the order given, in one transaction.
func (db *DB) KeepExhibitNumbers(ctx context.Context, systemID string, keys []string) (map[string]int, error) {
	var out map[string]int
	err := db.inTx(ctx, func(c conn) error {
		sys, err := db.system(ctx, c, systemID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, sys.OrgID, vigie.RoleReader, "système", "system", systemID); err != nil {
			return err
		}
		if out, err = exhibitNumbers(ctx, c, systemID); err != nil {
			return err
		}
		next := 0
		for _, n := range out {
			next = max(next, n)
		}
		for _, k := range keys {
			if _, ok := out[k]; ok || k == "" {
				continue
			}
			next++
			if _, err := c.exec(ctx, "INSERT INTO dossier_exhibits (system_id, exhibit_key, n, created_at) VALUES (?, ?, ?, ?)",
				systemID, k, next, db.now()); err != nil {
				return err
			}
			out[k] = next
		}
		return nil
	})
	return out, err
}

// RecordDossier journals a dossier made of systemID.
func (db *DB) RecordDossier(ctx context.Context, systemID, detail string) error {
	return db.inTx(ctx, func(c conn) error {
		sys, err := db.system(ctx, c, systemID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, sys.OrgID, vigie.RoleReader, "système", "system", systemID); err != nil {
			return err
		}
		return db.addEvent(ctx, c, sys.OrgID, "dossier.made", systemID, detail)
	})
}
