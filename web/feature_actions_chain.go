package web

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
)

// The deadline chain of an action is computed by package letters (with
// law/deadline) from the date the letter was sent and the action's
// options; the page says how to reproduce it with `vigie deadline`.

// actionsNow is the clock of the actions feature (the engines have none).
var actionsNow = time.Now

// actionsToday is the civil date of today.
func actionsToday() vigie.Date { return vigie.DateInFrance(actionsNow()) }

// chain is the computed deadline chain of an action.
type chain = letters.Chain

// live returns the actions of acts whose due dates run (letters.Live).
func live(acts []*vigie.Action) []*vigie.Action { return letters.Live(acts) }

// actionChain computes the chain that action a started when it was sent.
func actionChain(a, parent *vigie.Action, sys *vigie.System) (*chain, error) {
	return letters.ActionChain(a, parent, sys)
}

// dueRow is one due date of one action: a line of the board, an event of
// the calendar.
type dueRow struct {
	Step        deadline.Step
	Action      *vigie.Action
	SystemName  string
	LetterTitle letters.Text
	Past        bool // the date is before today
	Overdue     bool // past, and the action still waits for its answer
}

// orgDues computes every due date of every live action of orgID, soonest
// first, from one query (FindBoardActions): the actions with the name and
// the employer of their systems. ctx carries the user (the board) or none
// (the calendar feed, once its token has named the organisation).
func (s *Server) orgDues(ctx context.Context, orgID string, today vigie.Date) ([]dueRow, error) {
	all, err := s.cfg.Actions.FindBoardActions(ctx, orgID)
	if err != nil {
		return nil, err
	}
	acts := make([]*vigie.Action, len(all))
	byID := make(map[string]*vigie.BoardAction, len(all))
	for i := range all {
		acts[i] = all[i].Action
		byID[all[i].Action.ID] = &all[i]
	}
	var rows []dueRow
	for _, a := range live(acts) {
		b := byID[a.ID]
		var parent *vigie.Action
		if p := byID[a.ParentID]; p != nil {
			parent = p.Action
		}
		// What the chain needs of the system: its employer (letters.Fits).
		sys := &vigie.System{Name: b.SystemName, Organisation: b.Employer}
		c, err := actionChain(a, parent, sys)
		if err != nil {
			return nil, err
		}
		l, _ := letters.Lookup(a.Letter)
		for _, st := range c.Dues() {
			past := st.Due.Before(today)
			rows = append(rows, dueRow{Step: st, Action: a, SystemName: b.SystemName, LetterTitle: l.Title,
				Past: past, Overdue: past && waiting(a.State)})
		}
	}
	slices.SortStableFunc(rows, func(x, y dueRow) int {
		if c := x.Step.Due.Time().Compare(y.Step.Due.Time()); c != 0 {
			return c
		}
		if c := strings.Compare(x.SystemName, y.SystemName); c != 0 {
			return c
		}
		return strings.Compare(x.Step.Number, y.Step.Number)
	})
	return rows, nil
}

// waiting reports whether an action in state still waits for its due
// dates (letters.Waiting).
func waiting(state string) bool { return letters.Waiting(state) }

// parentAction returns the action a escalates, nil when there is none.
func (s *Server) parentAction(ctx context.Context, a *vigie.Action) (*vigie.Action, error) {
	if a.ParentID == "" {
		return nil, nil
	}
	p, err := s.cfg.Actions.FindActionByID(ctx, a.ParentID)
	if vigie.ErrorCode(err) == vigie.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if p.OrgID != a.OrgID {
		return nil, nil
	}
	return p, nil
}
