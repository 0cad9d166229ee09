package store

import (
	"context"
	"fmt"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/observatory"
	"github.com/vigie-app/vigie/summary"
)

// The register's list columns (tier, unmet obligations, next due date) are
// computed by package summary and kept in the systems table. They are
// written in the transaction that changes a system or one of its actions;
// a summary whose summary_until has come (an obligation starts to apply, a
// due date passes) or that was computed with other rules is recomputed
// before a list of its organisation is read.

// never is the summary_until of a summary that time alone does not change.
const never = "9999-12-31"

// today is the civil date in France, the date the engines are given.
func (db *DB) today() vigie.Date { return vigie.DateInFrance(db.Now()) }

// summaryArgs are the values of the summary columns, in the order of
// summarySet.
func summaryArgs(s vigie.SystemSummary) []any {
	due, until := "", never
	if !s.NextDue.IsZero() {
		due = s.NextDue.String()
	}
	if !s.Until.IsZero() {
		until = s.Until.String()
	}
	cut := -1 // unknown: last when the most posts cut come first
	if s.PostsCut.Known {
		cut = s.PostsCut.V
	}
	return []any{s.Tier, assess.TierRank(s.Tier), s.Unmet, due, s.NextDueKind, s.AsOf.String(), until, summary.Revision(), cut}
}

const summarySet = "tier = ?, tier_rank = ?, unmet = ?, next_due = ?, next_due_kind = ?, summary_as_of = ?, summary_until = ?, summary_rev = ?, posts_cut = ?"

// summaryColumns are read with every system, in the order of scanSummary.
const summaryColumns = "s.tier, s.unmet, s.next_due, s.next_due_kind, s.summary_as_of, s.posts_cut"

// summaryDest returns the scan destinations of summaryColumns and a
// function that fills s from them.
func summaryDest(s *vigie.SystemSummary) ([]any, func() error) {
	var unmet, cut int64
	var due, asOf string
	dest := []any{&s.Tier, &unmet, &due, &s.NextDueKind, &asOf, &cut}
	return dest, func() error {
		s.Unmet = int(unmet)
		if cut >= 0 {
			s.PostsCut = vigie.IntOf(int(cut))
		}
		var err error
		if due != "" {
			if s.NextDue, err = vigie.ParseDate(due); err != nil {
				return err
			}
		}
		if asOf != "" {
			if s.AsOf, err = vigie.ParseDate(asOf); err != nil {
				return err
			}
		}
		return nil
	}
}

// systemActions reads the actions of a system, oldest first.
func (db *DB) systemActions(ctx context.Context, c conn, systemID string) ([]*vigie.Action, error) {
	rows, err := c.query(ctx, "SELECT "+actionColumns+" FROM actions WHERE system_id = ? ORDER BY created_at, id", systemID)
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

// writeSummary recomputes the summary of the system id, whose facts are
// sys, with its actions, and stores it.
func (db *DB) writeSummary(ctx context.Context, c conn, id string, sys *vigie.System, today vigie.Date) (vigie.SystemSummary, error) {
	acts, err := db.systemActions(ctx, c, id)
	if err != nil {
		return vigie.SystemSummary{}, err
	}
	s, obs := summaries(sys, acts, today)
	if _, err := c.exec(ctx, "UPDATE systems SET "+summarySet+" WHERE id = ?", append(summaryArgs(s), id)...); err != nil {
		return s, err
	}
	if err := db.writeObservation(ctx, c, id, obs); err != nil {
		return s, err
	}
	return s, nil
}

// summaries assesses sys once on today and returns what the register
// lists of it (with its actions acts) and what the observatory counts.
func summaries(sys *vigie.System, acts []*vigie.Action, today vigie.Date) (vigie.SystemSummary, observatory.Summary) {
	a := assess.Evaluate(sys, today)
	return summary.From(sys, a, acts, today), observatory.SummaryFrom(sys, a, today)
}

// refreshBatch is how many summaries one transaction of RefreshSummaries
// recomputes.
const refreshBatch = 500

// RefreshSummaries recomputes the summaries that are out of date (their
// date has come, or they were computed with other rules) in orgID, or in
// every organisation when orgID is "", and returns how many it rewrote.
// FindSystems calls it for the organisation it lists; `vigie serve` runs
// it for all at start. For all, it lists the organisations with summaries
// to recompute, then works for each in turn, its transactions acting for
// that organisation alone (on PostgreSQL, vigie.orgs is its id).
func (db *DB) RefreshSummaries(ctx context.Context, orgID string) (int, error) {
	if orgID != "" {
		return db.refreshSummaries(ctx, orgID)
	}
	rows, err := db.read().query(ctx, "SELECT DISTINCT org_id FROM systems WHERE summary_until <= ?", db.today().String())
	if err != nil {
		return 0, err
	}
	var orgs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		orgs = append(orgs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	total := 0
	for _, id := range orgs {
		n, err := db.refreshSummaries(forOrg(ctx, id), id)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (db *DB) refreshSummaries(ctx context.Context, orgID string) (int, error) {
	today := db.today()
	where := "org_id = ? AND summary_until <= ?"
	args := []any{orgID, today.String()}
	total := 0
	for {
		n := 0
		err := db.inTx(ctx, func(c conn) error {
			rows, err := c.query(ctx, "SELECT s.id, f.facts FROM systems s JOIN system_facts f ON f.system_id = s.id WHERE "+where+
				fmt.Sprintf(" LIMIT %d", refreshBatch), args...)
			if err != nil {
				return err
			}
			type item struct {
				id  string
				sys vigie.System
			}
			var items []item
			for rows.Next() {
				var id, facts string
				if err := rows.Scan(&id, &facts); err != nil {
					rows.Close()
					return err
				}
				sys, err := decodeFacts([]byte(facts))
				if err != nil {
					rows.Close()
					return fmt.Errorf("système %s : faits illisibles / system %s: unreadable facts: %w", id, id, err)
				}
				items = append(items, item{id, sys})
			}
			if err := rows.Close(); err != nil {
				return err
			}
			for _, it := range items {
				if _, err := db.writeSummary(ctx, c, it.id, &it.sys, today); err != nil {
					return err
				}
			}
			n = len(items)
			return nil
		})
		total += n
		if err != nil || n < refreshBatch {
			return total, err
		}
	}
}

// staleSummaries reports whether orgID has summaries to recompute.
func (db *DB) staleSummaries(ctx context.Context, orgID string) (bool, error) {
	var one int
	err := db.read().queryRow(ctx, "SELECT 1 FROM systems WHERE org_id = ? AND summary_until <= ? LIMIT 1", orgID, db.today().String()).Scan(&one)
	if isNoRows(err) {
		return false, nil
	}
	return err == nil, err
}

// expireOtherRevisions marks out of date the summaries computed with
// other rules than the running ones.
func (db *DB) expireOtherRevisions(ctx context.Context) error {
	return db.inTx(ctx, func(c conn) error {
		_, err := c.exec(ctx, "UPDATE systems SET summary_until = '' WHERE summary_rev <> ? AND summary_until <> ''", summary.Revision())
		return err
	})
}

// SummaryRefreshInterval is how often RefreshSummariesInBackground looks
// for summaries whose date has come.
const SummaryRefreshInterval = time.Hour

// RefreshSummariesInBackground recomputes the out-of-date summaries of
// every organisation now, then every SummaryRefreshInterval, until the
// database is closed; report, when set, is told of each run that did
// something or failed. `vigie serve` starts it, so that the first list of
// a large register after an upgrade of the rules does not wait.
func (db *DB) RefreshSummariesInBackground(report func(n int, err error)) {
	ctx, cancel := context.WithCancel(context.Background())
	db.wg.Add(1)
	go func() {
		defer db.wg.Done()
		<-db.stop
		cancel()
	}()
	db.wg.Add(1)
	go func() {
		defer db.wg.Done()
		t := time.NewTicker(SummaryRefreshInterval)
		defer t.Stop()
		for {
			n, err := db.RefreshSummaries(ctx, "")
			if report != nil && (n > 0 || (err != nil && ctx.Err() == nil)) {
				report(n, err)
			}
			select {
			case <-db.stop:
				return
			case <-t.C:
			}
		}
	}()
}
