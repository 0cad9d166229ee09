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

// writeObservation keeps sum, what the observatory counts of the system
// id, in the caller's transaction. It is written with the register's
// summary (writeSummary) and at creation, from the same assessment
// (summaries).
func (db *DB) writeObservation(ctx context.Context, c conn, id string, sum observatory.Summary) error {
	b, err := json.Marshal(sum)
	if err != nil {
		return err
	}
	_, err = c.exec(ctx, `INSERT INTO observatory_summaries (system_id, org_id, version, as_of, summary)
		SELECT id, org_id, version, ?, ? FROM systems WHERE id = ?
		ON CONFLICT (system_id) DO UPDATE SET version = excluded.version, as_of = excluded.as_of, summary = excluded.summary`,
		sum.AsOf, string(b), id)
	return err
}

// obsCache keeps, in this process, the last observatory answer of each
// organisation and date with the change counter it was computed at, and
// the parts it was merged from with their organisation's counter.
type obsCache struct {
	mu    sync.Mutex
	m     map[string]obsEntry
	parts map[partKey]partEntry
}

type obsEntry struct {
	counter int64
	res     *observatory.Result
}

// partKey names a part: an organisation and whether it is its own
// (scope own) or what it shares above it (scope shared).
type partKey struct {
	org string
	own bool
}

func (k partKey) scope() string {
	if k.own {
		return "own"
	}
	return "shared"
}

// partEntry is a part computed when its organisation's counter was
// counter; asOf is the date it depends on ("" when none: every system of
// it had its summary).
type partEntry struct {
	counter int64
	asOf    string
	part    observatory.Part
}

func (e partEntry) valid(counter int64, date vigie.Date) bool {
	return e.counter == counter && (e.asOf == "" || e.asOf == date.String())
}

func (db *DB) obsCache() *obsCache {
	db.obsOnce.Do(func() { db.obs = &obsCache{m: map[string]obsEntry{}, parts: map[partKey]partEntry{}} })
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
// it. Any member of orgID may read it; anyone else gets ENOTFOUND.
//
// The answer is cached until the database's change counter moves. It is
// merged from one part per organisation (observatory.Part), each kept with
// the counter of changes of its organisation (org_changes, bumped by the
// database itself whichever process made the change): in this process's
// memory, and in the table observatory_parts for the other processes and
// the next start. Only the parts of the organisations that changed are
// recomputed, from their systems.
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
	org, orgs, err := db.observatoryOrgs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	keys := []partKey{{orgID, true}}
	for _, m := range observatory.Members(orgID, orgs) {
		keys = append(keys, partKey{m.ID, false})
	}
	parts, err := db.observatoryParts(ctx, keys, date)
	if err != nil {
		return nil, err
	}
	res := observatory.Merge(org, orgs, parts, date)
	cache.mu.Lock()
	if len(cache.m) > 1000 {
		clear(cache.m)
	}
	cache.m[key] = obsEntry{counter: n, res: res}
	cache.mu.Unlock()
	return res, nil
}

// observatoryOrgs reads the organisations, and orgID among them.
func (db *DB) observatoryOrgs(ctx context.Context, orgID string) (observatory.Org, []observatory.Org, error) {
	var org observatory.Org
	var orgs []observatory.Org
	rows, err := db.read().query(ctx, "SELECT id, name, kind, COALESCE(parent_id, '') FROM organisations")
	if err != nil {
		return org, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var o observatory.Org
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.ParentID); err != nil {
			return org, nil, err
		}
		orgs = append(orgs, o)
		if o.ID == orgID {
			org = o
		}
	}
	return org, orgs, rows.Err()
}

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// observatoryParts returns the parts of keys on date: from this process's
// memory, from observatory_parts, or computed (and stored) when their
// organisation changed since. The counters are read before anything is
// computed, so that a change made meanwhile leaves the part out of date.
func (db *DB) observatoryParts(ctx context.Context, keys []partKey, date vigie.Date) ([]observatory.Part, error) {
	c := db.read()
	ids := make([]any, len(keys))
	for i, k := range keys {
		ids[i] = k.org
	}
	counters := make(map[string]int64, len(keys))
	rows, err := c.query(ctx, "SELECT org_id, n FROM org_changes WHERE org_id IN ("+placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, err
		}
		counters[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cache := db.obsCache()
	got := make(map[partKey]observatory.Part, len(keys))
	var missing []partKey
	cache.mu.Lock()
	for _, k := range keys {
		if e, ok := cache.parts[k]; ok && e.valid(counters[k.org], date) {
			got[k] = e.part
		} else {
			missing = append(missing, k)
		}
	}
	cache.mu.Unlock()
	if len(missing) > 0 {
		stored, err := db.storedParts(ctx, missing)
		if err != nil {
			return nil, err
		}
		var compute []partKey
		cache.mu.Lock()
		for _, k := range missing {
			if e, ok := stored[k]; ok && e.valid(counters[k.org], date) {
				got[k] = e.part
				cache.parts[k] = e
			} else {
				compute = append(compute, k)
			}
		}
		cache.mu.Unlock()
		if len(compute) > 0 {
			computed, err := db.computeParts(ctx, compute, counters, date)
			if err != nil {
				return nil, err
			}
			cache.mu.Lock()
			for k, e := range computed {
				got[k] = e.part
				cache.parts[k] = e
			}
			cache.mu.Unlock()
		}
	}
	out := make([]observatory.Part, 0, len(keys))
	for _, k := range keys {
		out = append(out, got[k])
	}
	return out, nil
}

// storedParts reads the parts of keys kept in observatory_parts.
func (db *DB) storedParts(ctx context.Context, keys []partKey) (map[partKey]partEntry, error) {
	ids := make([]any, len(keys))
	want := make(map[partKey]bool, len(keys))
	for i, k := range keys {
		ids[i] = k.org
		want[k] = true
	}
	rows, err := db.read().query(ctx, "SELECT org_id, scope, counter, as_of, part FROM observatory_parts WHERE org_id IN ("+placeholders(len(ids))+")", ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[partKey]partEntry{}
	for rows.Next() {
		var org, scope, asOf, part string
		var n int64
		if err := rows.Scan(&org, &scope, &n, &asOf, &part); err != nil {
			return nil, err
		}
		k := partKey{org, scope == "own"}
		if !want[k] {
			continue
		}
		e := partEntry{counter: n, asOf: asOf}
		if err := json.Unmarshal([]byte(part), &e.part); err != nil {
			// An unreadable part is computed again.
			continue
		}
		out[k] = e
	}
	return out, rows.Err()
}

// computeParts computes the parts of keys from their systems and
// testimonies, labels them with counters (read before), and stores them.
func (db *DB) computeParts(ctx context.Context, keys []partKey, counters map[string]int64, date vigie.Date) (map[partKey]partEntry, error) {
	c := db.read()
	var own, shared []any
	for _, k := range keys {
		if k.own {
			own = append(own, k.org)
		} else {
			shared = append(shared, k.org)
		}
	}
	var conds []string
	var args []any
	if len(own) > 0 {
		conds = append(conds, "s.org_id IN ("+placeholders(len(own))+")")
		args = append(args, own...)
	}
	if len(shared) > 0 {
		conds = append(conds, "(s.sharing <> 'section' AND s.org_id IN ("+placeholders(len(shared))+"))")
		args = append(args, shared...)
	}
	cond := strings.Join(conds, " OR ")
	rows, err := c.query(ctx, `SELECT s.id, s.org_id, s.sharing, s.version, COALESCE(w.sector, ''), COALESCE(o.version, -1), COALESCE(o.summary, '')
		FROM systems s LEFT JOIN observatory_summaries o ON o.system_id = s.id LEFT JOIN workplaces w ON w.id = s.workplace_id
		WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	var all []observatory.Row
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
			stale = append(stale, len(all))
		} else if err := json.Unmarshal([]byte(summary), &r.Summary); err != nil {
			rows.Close()
			return nil, fmt.Errorf("système %s : résumé illisible / system %s: unreadable summary: %w", r.ID, r.ID, err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A system stored before summaries existed is assessed now (and
	// written by the next RefreshSummaries): its part depends on date.
	dated := map[string]bool{}
	for _, i := range stale {
		rec, err := db.system(ctx, c, all[i].ID)
		if err != nil {
			return nil, err
		}
		all[i].Summary = observatory.SummaryOf(&rec.System, date)
		dated[all[i].OrgID] = true
	}
	byOrg := map[string][]observatory.Row{}
	for _, r := range all {
		byOrg[r.OrgID] = append(byOrg[r.OrgID], r)
	}
	tm, err := db.observatoryTestimonies(ctx, own, shared)
	if err != nil {
		return nil, err
	}
	out := make(map[partKey]partEntry, len(keys))
	for _, k := range keys {
		e := partEntry{counter: counters[k.org], part: observatory.PartOf(k.org, k.own, byOrg[k.org], tm[k]), asOf: ""}
		if dated[k.org] {
			e.asOf = date.String()
		}
		out[k] = e
	}
	err = db.inTx(ctx, func(c conn) error {
		for _, k := range keys {
			e := out[k]
			b, err := json.Marshal(e.part)
			if err != nil {
				return err
			}
			if _, err := c.exec(ctx, `INSERT INTO observatory_parts (org_id, scope, counter, as_of, part) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (org_id, scope) DO UPDATE SET counter = excluded.counter, as_of = excluded.as_of, part = excluded.part
				WHERE observatory_parts.counter <= excluded.counter`,
				k.org, k.scope(), e.counter, e.asOf, string(b)); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// observatoryTestimonies returns the testimony totals of the organisations
// own (their campaigns) and shared (their campaigns about a system they
// share).
func (db *DB) observatoryTestimonies(ctx context.Context, own, shared []any) (map[partKey]observatory.Testimonies, error) {
	out := map[partKey]observatory.Testimonies{}
	for _, q := range []struct {
		ids  []any
		own  bool
		cond string
	}{
		{own, true, ""},
		{shared, false, ` AND EXISTS (SELECT 1 FROM testimony_campaign_systems cs JOIN systems s ON s.id = cs.system_id
			WHERE cs.campaign_id = c.id AND s.sharing <> 'section')`},
	} {
		if len(q.ids) == 0 {
			continue
		}
		rows, err := db.read().query(ctx, `SELECT c.org_id, (SELECT COUNT(*) FROM testimony_answers a WHERE a.campaign_id = c.id)
			FROM testimony_campaigns c WHERE c.org_id IN (`+placeholders(len(q.ids))+`)`+q.cond, q.ids...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var org string
			var n int64
			if err := rows.Scan(&org, &n); err != nil {
				rows.Close()
				return nil, err
			}
			k := partKey{org, q.own}
			t := out[k]
			t.OrgID = org
			t.Campaigns++
			t.Responses += int(n)
			out[k] = t
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
