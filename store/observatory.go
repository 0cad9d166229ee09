package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/observatory"
)

// writeObservation keeps what the observatory counts of the system id
// (observation: its observatory.Summary as JSON, see derive), assessed on
// today, in the caller's transaction. It is written with the register's
// summary (writeSummary) and at creation.
func (db *DB) writeObservation(ctx context.Context, c conn, id, observation string, today vigie.Date) error {
	_, err := c.exec(ctx, `INSERT INTO observatory_summaries (system_id, org_id, version, as_of, summary)
		SELECT id, org_id, version, ?, ? FROM systems WHERE id = ?
		ON CONFLICT (system_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, summary = excluded.summary`,
		today.String(), observation, id)
	return err
}

// obsCache keeps the last observatory answer of each organisation and date
// with the change counter it was computed at.
type obsCache struct {
	mu sync.Mutex
	m  map[string]obsEntry
}

type obsEntry struct {
	counter int64
	res     *observatory.Result
}

func (db *DB) obsCache() *obsCache {
	db.obsOnce.Do(func() { db.obs = &obsCache{m: map[string]obsEntry{}} })
	return db.obs
}

// ChangeCounter returns the counter of changes that observatory answers
// depend on (systems, organisations, workplaces, testimonies), bumped by the
// database itself whichever process made the change.
func (db *DB) ChangeCounter(ctx context.Context) (int64, error) {
	var n int64
	err := db.read().queryRow(ctx, "SELECT n FROM change_counter WHERE id = 1").Scan(&n)
	return n, err
}

// Observatory returns the observatory of orgID on date: its own systems and
// those its member organisations (whose parent chain reaches it) shared with
// it. Any member of orgID may read it; anyone else gets ENOTFOUND. The answer
// is cached until the database's change counter moves.
func (db *DB) Observatory(ctx context.Context, orgID string, date vigie.Date) (*observatory.Result, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "organisation", "organisation", orgID); err != nil {
		return nil, err
	}
	n, err := db.ChangeCounter(ctx)
	if err != nil {
		return nil, err
	}
	key := orgID + " " + date.String()
	cache := db.obsCache()
	cache.mu.Lock()
	e, ok := cache.m[key]
	cache.mu.Unlock()
	if ok && e.counter == n {
		return e.res, nil
	}
	in, err := db.observatoryInput(ctx, orgID, date)
	if err != nil {
		return nil, err
	}
	res := observatory.Aggregate(*in)
	cache.mu.Lock()
	if len(cache.m) > 1000 {
		clear(cache.m)
	}
	cache.m[key] = obsEntry{counter: n, res: res}
	cache.mu.Unlock()
	return res, nil
}

// observatoryInput reads what observatory.Aggregate needs, without access
// control.
func (db *DB) observatoryInput(ctx context.Context, orgID string, date vigie.Date) (*observatory.Input, error) {
	c := db.read()
	in := &observatory.Input{Date: date}
	rows, err := c.query(ctx, "SELECT id, name, kind, COALESCE(parent_id, '') FROM organisations")
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var o observatory.Org
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.ParentID); err != nil {
			rows.Close()
			return nil, err
		}
		in.Orgs = append(in.Orgs, o)
		if o.ID == orgID {
			in.Org = o
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	members := observatory.Members(orgID, in.Orgs)
	ids := []any{orgID}
	for _, m := range members {
		ids = append(ids, m.ID)
	}
	list := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := append([]any{orgID}, ids[1:]...)
	cond := "s.org_id = ?"
	if len(members) > 0 {
		cond += " OR (s.sharing <> 'section' AND s.org_id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(members)), ", ") + "))"
	}
	rows, err = c.query(ctx, `SELECT s.id, s.org_id, s.sharing, s.version, COALESCE(w.sector, ''), COALESCE(o.version, -1), COALESCE(o.summary, '')
		FROM systems s LEFT JOIN observatory_summaries o ON o.system_id = s.id LEFT JOIN workplaces w ON w.id = s.workplace_id
		WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var stale []int
	for rows.Next() {
		var r observatory.Row
		var version, sumVersion int64
		var summary string
		if err := rows.Scan(&r.ID, &r.OrgID, &r.Sharing, &version, &r.Sector, &sumVersion, &summary); err != nil {
			rows.Close()
			return nil, err
		}
		if sumVersion != version || summary == "" {
			stale = append(stale, len(in.Rows))
		} else if err := json.Unmarshal([]byte(summary), &r.Summary); err != nil {
			rows.Close()
			return nil, fmt.Errorf("système %s : résumé illisible / system %s: unreadable summary: %w", r.ID, r.ID, err)
		}
		in.Rows = append(in.Rows, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A system stored before summaries existed is assessed now (and
	// written by the next RefreshSummaries).
	for _, i := range stale {
		rec, err := db.system(ctx, c, in.Rows[i].ID)
		if err != nil {
			return nil, err
		}
		in.Rows[i].Summary = observatory.SummaryOf(&rec.System, date)
	}
	// Testimonies: the campaigns of orgID, and those of members about a
	// system they share.
	trows, err := c.query(ctx, `SELECT c.org_id, c.id, (SELECT COUNT(*) FROM testimony_answers a WHERE a.campaign_id = c.id)
		FROM testimony_campaigns c WHERE c.org_id IN (`+list+`) AND (c.org_id = ? OR EXISTS (
			SELECT 1 FROM testimony_campaign_systems cs JOIN systems s ON s.id = cs.system_id
			WHERE cs.campaign_id = c.id AND s.sharing <> 'section'))`, append(ids, orgID)...)
	if err != nil {
		return nil, err
	}
	per := map[string]*observatory.Testimonies{}
	for trows.Next() {
		var org, id string
		var n int64
		if err := trows.Scan(&org, &id, &n); err != nil {
			trows.Close()
			return nil, err
		}
		t := per[org]
		if t == nil {
			t = &observatory.Testimonies{OrgID: org}
			per[org] = t
		}
		t.Campaigns++
		t.Responses += int(n)
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return nil, err
	}
	for _, t := range per {
		in.Testimonies = append(in.Testimonies, *t)
	}
	return in, nil
}

// FindSharedSystem returns the system id to a member (any role) of orgID
// when the system belongs to an organisation whose parent chain reaches
// orgID and is shared beyond its section; anything else is ENOTFOUND, as
// for a system of another organisation. It is for reading only: every
// change goes through the system's own organisation.
func (db *DB) FindSharedSystem(ctx context.Context, orgID, id string) (*vigie.SystemRecord, error) {
	c := db.read()
	if err := db.access(ctx, c, orgID, vigie.RoleReader, "système", "system", id); err != nil {
		return nil, err
	}
	r, err := db.system(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !vigie.SharedBeyondSection(r.Sharing) || r.OrgID == orgID {
		return nil, notFound("système", "system", id)
	}
	// Walk up the system's parent chain to orgID.
	seen := map[string]bool{}
	for cur := r.OrgID; cur != "" && !seen[cur]; {
		seen[cur] = true
		var parent *string
		if err := c.queryRow(ctx, "SELECT parent_id FROM organisations WHERE id = ?", cur).Scan(&parent); err != nil {
			return nil, err
		}
		if parent == nil {
			break
		}
		if *parent == orgID {
			return r, nil
		}
		cur = *parent
	}
	return nil, notFound("système", "system", id)
}

// OpenData returns the organisation orgID (an id), its systems marked
// public, their workplaces and the time of the last change among them. It
// needs no actor: what is public is public; an organisation that does not
// exist is ENOTFOUND. Only the systems' own records are read: the caller
// (package opendata) keeps an allow-list of their fields.
func (db *DB) OpenData(ctx context.Context, orgID string) (*vigie.Organisation, []*vigie.SystemRecord, []*vigie.Workplace, time.Time, error) {
	var last time.Time
	if !validID(orgID) {
		return nil, nil, nil, last, notFound("organisation", "organisation", orgID)
	}
	c := db.read()
	o, err := scanOrg(c.queryRow(ctx, "SELECT "+orgColumns+" FROM organisations WHERE id = ?", orgID))
	if isNoRows(err) {
		return nil, nil, nil, last, notFound("organisation", "organisation", orgID)
	}
	if err != nil {
		return nil, nil, nil, last, err
	}
	rows, err := c.query(ctx, systemSelect+" WHERE s.org_id = ? AND s.sharing = 'public' ORDER BY s.name_key, s.id", orgID)
	if err != nil {
		return nil, nil, nil, last, err
	}
	var out []*vigie.SystemRecord
	wps := map[string]bool{}
	for rows.Next() {
		r, err := scanSystem(rows)
		if err != nil {
			rows.Close()
			return nil, nil, nil, last, err
		}
		if r.UpdatedAt.After(last) {
			last = r.UpdatedAt
		}
		if r.WorkplaceID != "" {
			wps[r.WorkplaceID] = true
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, nil, last, err
	}
	var workplaces []*vigie.Workplace
	for id := range wps {
		w, err := db.workplace(ctx, c, id)
		if err != nil {
			return nil, nil, nil, last, err
		}
		workplaces = append(workplaces, w)
	}
	return o, out, workplaces, last, nil
}
