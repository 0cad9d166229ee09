package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
)

var _ vigie.ActionService = (*DB)(nil)

func checkAction(a *vigie.Action) error {
	if !contains(vigie.ActionStates, a.State) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "state", Message: fmt.Sprintf("state : état %q inconnu (valeurs possibles : %s) / state: unknown state %q (allowed: %s)",
			a.State, strings.Join(vigie.ActionStates, ", "), a.State, strings.Join(vigie.ActionStates, ", "))}
	}
	if strings.TrimSpace(a.Letter) == "" {
		return &vigie.Error{Code: vigie.EINVALID, Field: "letter", Message: "letter : modèle de courrier manquant / letter: letter template missing"}
	}
	if a.State != vigie.ActionDraft && a.SentOn.IsZero() {
		return &vigie.Error{Code: vigie.EINVALID, Field: "sent_on", Message: "sent_on : la date d'envoi est obligatoire une fois le courrier envoyé / sent_on: the date sent is required once the letter is sent"}
	}
	if !a.AnsweredOn.IsZero() && !a.SentOn.IsZero() && a.AnsweredOn.Before(a.SentOn) {
		return &vigie.Error{Code: vigie.EINVALID, Field: "answered_on", Message: "answered_on : la réponse ne peut précéder l'envoi / answered_on: the answer cannot come before the letter was sent"}
	}
	for _, f := range []struct{ name, v string }{{"title", a.Title}, {"addressee", a.Addressee}} {
		if err := vigie.CheckName(f.name, f.v); err != nil {
			return err
		}
	}
	for _, f := range []struct{ name, v string }{{"attachments", a.Attachments}, {"answer", a.Answer}} {
		if fault := vigie.CheckMultiline(f.v); fault != nil {
			return fault.Err(f.name)
		}
	}
	if a.Lang == "" {
		a.Lang = "fr"
	}
	if a.Rules == nil {
		a.Rules = []string{}
	}
	return nil
}

// CreateAction stores a new action on a system (editor).
func (db *DB) CreateAction(ctx context.Context, a *vigie.Action) error {
	if err := checkAction(a); err != nil {
		return err
	}
	return db.inTx(ctx, func(c conn) error {
		sys, err := db.system(ctx, c, a.SystemID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, sys.OrgID, vigie.RoleEditor, "système", "system", a.SystemID); err != nil {
			return err
		}
		if a.ParentID != "" {
			p, err := db.action(ctx, c, a.ParentID)
			if err != nil || p.OrgID != sys.OrgID {
				return &vigie.Error{Code: vigie.EINVALID, Field: "parent_id", Message: "parent_id : action précédente introuvable / parent_id: previous action not found"}
			}
		}
		a.ID = newID()
		a.OrgID = sys.OrgID
		a.CreatedBy = actorID(ctx)
		a.CreatedAt = db.now()
		a.UpdatedAt = a.CreatedAt
		rules, _ := json.Marshal(a.Rules)
		opts, _ := json.Marshal(a.Options)
		var parent any
		if a.ParentID != "" {
			parent = a.ParentID
		}
		if _, err := c.exec(ctx, `INSERT INTO actions (id, org_id, system_id, letter, rules, procedure, options, state, title, addressee,
			sent_on, attachments, answer, answered_on, parent_id, lang, body, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.OrgID, a.SystemID, a.Letter, string(rules), a.Procedure, string(opts), a.State, a.Title, a.Addressee,
			dateText(a.SentOn), a.Attachments, a.Answer, dateText(a.AnsweredOn), parent, a.Lang, a.Body, a.CreatedBy, a.CreatedAt, a.UpdatedAt); err != nil {
			return err
		}
		if _, err := db.writeSummary(ctx, c, sys.ID, &sys.System, db.today()); err != nil {
			return err
		}
		return db.addEvent(ctx, c, a.OrgID, "action.created", a.ID, a.Letter+" "+a.State)
	})
}

// UpdateAction changes what may change in an action: state, title,
// addressee, dates, attachments, answer, options and body (editor).
func (db *DB) UpdateAction(ctx context.Context, a *vigie.Action) error {
	if err := checkAction(a); err != nil {
		return err
	}
	return db.inTx(ctx, func(c conn) error {
		old, err := db.action(ctx, c, a.ID)
		if err != nil {
			return err
		}
		if err := db.access(ctx, c, old.OrgID, vigie.RoleEditor, "action", "action", a.ID); err != nil {
			return err
		}
		a.OrgID, a.SystemID, a.CreatedBy, a.CreatedAt = old.OrgID, old.SystemID, old.CreatedBy, old.CreatedAt
		a.UpdatedAt = db.now()
		opts, _ := json.Marshal(a.Options)
		if _, err := c.exec(ctx, `UPDATE actions SET state = ?, title = ?, addressee = ?, sent_on = ?, attachments = ?, answer = ?,
			answered_on = ?, options = ?, body = ?, updated_at = ? WHERE id = ?`,
			a.State, a.Title, a.Addressee, dateText(a.SentOn), a.Attachments, a.Answer, dateText(a.AnsweredOn), string(opts), a.Body, a.UpdatedAt, a.ID); err != nil {
			return err
		}
		sys, err := db.system(ctx, c, a.SystemID)
		if err != nil {
			return err
		}
		if _, err := db.writeSummary(ctx, c, sys.ID, &sys.System, db.today()); err != nil {
			return err
		}
		detail := a.State
		if old.State != a.State {
			detail = old.State + " → " + a.State
		}
		return db.addEvent(ctx, c, a.OrgID, "action.updated", a.ID, detail)
	})
}

const actionColumns = "id, org_id, system_id, letter, rules, procedure, options, state, title, addressee, sent_on, attachments, answer, answered_on, COALESCE(parent_id, ''), lang, body, created_by, created_at, updated_at"

func scanAction(sc interface{ Scan(...any) error }) (*vigie.Action, error) {
	a := &vigie.Action{}
	var rules, opts, sent, answered string
	var created, updated time.Time
	if err := sc.Scan(&a.ID, &a.OrgID, &a.SystemID, &a.Letter, &rules, &a.Procedure, &opts, &a.State, &a.Title, &a.Addressee,
		&sent, &a.Attachments, &a.Answer, &answered, &a.ParentID, &a.Lang, &a.Body, &a.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(rules), &a.Rules); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(opts), &a.Options); err != nil {
		return nil, err
	}
	var err error
	if sent != "" {
		if a.SentOn, err = vigie.ParseDate(sent); err != nil {
			return nil, err
		}
	}
	if answered != "" {
		if a.AnsweredOn, err = vigie.ParseDate(answered); err != nil {
			return nil, err
		}
	}
	a.CreatedAt, a.UpdatedAt = created.UTC(), updated.UTC()
	return a, nil
}

func (db *DB) action(ctx context.Context, c conn, id string) (*vigie.Action, error) {
	if !validID(id) {
		return nil, notFound("action", "action", id)
	}
	a, err := scanAction(c.queryRow(ctx, "SELECT "+actionColumns+" FROM actions WHERE id = ?", id))
	if isNoRows(err) {
		return nil, notFound("action", "action", id)
	}
	return a, err
}

// FindActionByID returns an action of one of the actor's organisations.
func (db *DB) FindActionByID(ctx context.Context, id string) (*vigie.Action, error) {
	c := db.read()
	a, err := db.action(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if err := db.access(ctx, c, a.OrgID, vigie.RoleReader, "action", "action", id); err != nil {
		return nil, err
	}
	return a, nil
}

// FindActions lists the actions of an organisation (reader), oldest first.
func (db *DB) FindActions(ctx context.Context, f vigie.ActionFilter) ([]*vigie.Action, error) {
	c := db.read()
	if err := db.access(ctx, c, f.OrgID, vigie.RoleReader, "organisation", "organisation", f.OrgID); err != nil {
		return nil, err
	}
	q := "SELECT " + actionColumns + " FROM actions WHERE org_id = ?"
	args := []any{f.OrgID}
	if f.SystemID != "" {
		q += " AND system_id = ?"
		args = append(args, f.SystemID)
	}
	if len(f.States) > 0 {
		q += " AND state IN (?" + strings.Repeat(", ?", len(f.States)-1) + ")"
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	rows, err := c.query(ctx, q+" ORDER BY created_at, id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*vigie.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
