package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.WorkplaceService = (*DB)(nil)

func validateWorkplace(w *vigie.Workplace) error {
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "name", Message: "name : le nom du lieu de travail est obligatoire / name: the workplace's name is required"}
	}
	if err := vigie.CheckName("name", w.Name); err != nil {
		return err
	}
	if err := vigie.CheckName("sector", w.Sector); err != nil {
		return err
	}
	if kinds := vigie.Enums["organisation.kind"]; w.Kind != "" && !contains(kinds, w.Kind) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "kind", Message: fmt.Sprintf("kind : attendu %s, trouvé %q / kind: expected %s, found %q",
			strings.Join(kinds, ", "), w.Kind, strings.Join(kinds, ", "), w.Kind)}
	}
	if bodies := vigie.Enums["organisation.staff_bodies"]; w.StaffBody != "" && !contains(bodies, w.StaffBody) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "staff_body", Message: fmt.Sprintf("staff_body : attendu %s, trouvé %q / staff_body: expected %s, found %q",
			strings.Join(bodies, ", "), w.StaffBody, strings.Join(bodies, ", "), w.StaffBody)}
	}
	if w.Headcount.Known {
		if f := vigie.CheckInt("organisation.headcount", int64(w.Headcount.V)); f != nil {
			return f.Err("headcount")
		}
	}
	return nil
}

func headcountArg(o vigie.OptInt) any {
	if !o.Known {
		return nil
	}
	return int64(o.V)
}

// CreateWorkplace stores w in w.OrgID (editor) and fills its ID and CreatedAt.
func (db *DB) CreateWorkplace(ctx context.Context, w *vigie.Workplace) error {
	if err := validateWorkplace(w); err != nil {
		return err
	}
	return db.inTx(ctx, func(c conn) error {
		if err := db.access(ctx, c, w.OrgID, vigie.RoleEditor, "organisation", "organisation", w.OrgID); err != nil {
			return err
		}
		w.ID = newID()
		w.CreatedAt = db.now()
		if _, err := c.exec(ctx, `INSERT INTO workplaces (id, org_id, name, kind, headcount, staff_body, sector, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, w.ID, w.OrgID, w.Name, w.Kind, headcountArg(w.Headcount), w.StaffBody, w.Sector, w.CreatedAt); err != nil {
			return err
		}
		return db.addEvent(ctx, c, w.OrgID, "workplace.created", w.ID, w.Name)
	})
}

// UpdateWorkplace changes the name, kind, headcount, staff body and sector
// of w (editor). A workplace does not change organisation.
func (db *DB) UpdateWorkplace(ctx context.Context, w *vigie.Workplace) error {
	if err := validateWorkplace(w); err != nil {
		return err
	}
	return db.inTx(ctx, func(c conn) error {
		cur, err := db.workplace(ctx, c, w.ID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, cur.OrgID, vigie.RoleEditor, "lieu de travail", "workplace", w.ID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "UPDATE workplaces SET name = ?, kind = ?, headcount = ?, staff_body = ?, sector = ? WHERE id = ?",
			w.Name, w.Kind, headcountArg(w.Headcount), w.StaffBody, w.Sector, w.ID); err != nil {
			return err
		}
		w.OrgID, w.CreatedAt = cur.OrgID, cur.CreatedAt
		return db.addEvent(ctx, c, w.OrgID, "workplace.updated", w.ID, w.Name)
	})
}

const workplaceColumns = "id, org_id, name, kind, headcount, staff_body, sector, created_at"

func scanWorkplace(sc interface{ Scan(...any) error }) (*vigie.Workplace, error) {
	w := &vigie.Workplace{}
	var hc sql.NullInt64
	var created time.Time
	if err := sc.Scan(&w.ID, &w.OrgID, &w.Name, &w.Kind, &hc, &w.StaffBody, &w.Sector, &created); err != nil {
		return nil, err
	}
	if hc.Valid {
		w.Headcount = vigie.IntOf(int(hc.Int64))
	}
	w.CreatedAt = created.UTC()
	return w, nil
}

// workplace reads a workplace without access control.
func (db *DB) workplace(ctx context.Context, c conn, id string) (*vigie.Workplace, error) {
	if !validID(id) {
		return nil, notFound("lieu de travail", "workplace", id)
	}
	w, err := scanWorkplace(c.queryRow(ctx, "SELECT "+workplaceColumns+" FROM workplaces WHERE id = ?", id))
	if isNoRows(err) {
		return nil, notFound("lieu de travail", "workplace", id)
	}
	return w, err
}

// FindWorkplaceByID returns a workplace of one of the actor's organisations.
func (db *DB) FindWorkplaceByID(ctx context.Context, id string) (*vigie.Workplace, error) {
	c := db.read()
	w, err := db.workplace(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, w.OrgID, vigie.RoleReader, "lieu de travail", "workplace", id); err != nil {
		return nil, err
	}
	return w, nil
}

// FindWorkplaces lists the workplaces of orgID, by name.
func (db *DB) FindWorkplaces(ctx context.Context, orgID string) ([]*vigie.Workplace, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, "SELECT "+workplaceColumns+" FROM workplaces WHERE org_id = ? ORDER BY name, id", orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Workplace
	for rows.Next() {
		w, err := scanWorkplace(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
