package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
)

// The deadline chain of an action, computed by package law/deadline from
// the date the letter was sent and the action's options. Nothing here
// counts days or months: the engine does, and the page says how to
// reproduce it with `vigie deadline`.

// actionsNow is the clock of the actions feature (the engines have none).
var actionsNow = time.Now

// actionsToday is the civil date of today.
func actionsToday() vigie.Date { return vigie.DateInFrance(actionsNow()) }

// liveStates are the states whose due dates are on the board and in the
// calendar: the letter is sent and the chain runs. A draft has no date
// yet; a closed action is over; an escalated one stays until the action
// that continues it is sent (see live).
var liveStates = []string{vigie.ActionSent, vigie.ActionAnswered, vigie.ActionNoAnswer}

// live returns the actions of acts whose due dates run: those in a live
// state, and the escalated ones whose continuation is not sent yet (its
// draft has no date, and the earlier chain, e.g. the delay to refer to the
// CADA, must not vanish from the board meanwhile).
func live(acts []*vigie.Action) []*vigie.Action {
	continued := map[string]bool{}
	for _, a := range acts {
		if a.ParentID != "" && a.State != vigie.ActionDraft {
			continued[a.ParentID] = true
		}
	}
	var out []*vigie.Action
	for _, a := range acts {
		if slices.Contains(liveStates, a.State) || (a.State == vigie.ActionEscalated && !continued[a.ID]) {
			out = append(out, a)
		}
	}
	return out
}

// chain is the computed deadline chain of an action.
type chain struct {
	Steps   []deadline.Step
	Command string // the `vigie deadline` command that reproduces it
	// Missing is the message id saying why there is no chain ("" when
	// there is one, or when the action starts no procedure).
	Missing string
}

// Dues are the steps that are due dates (kind deadline): the starting
// point and the steps merely possible "from" a date are not.
func (c *chain) Dues() []deadline.Step {
	var out []deadline.Step
	for _, s := range c.Steps {
		if s.Kind == deadline.KindDeadline {
			out = append(out, s)
		}
	}
	return out
}

// chainOptions are the deadline options of action a for procedure p: the
// options the procedure takes, from the action (and, for a letter that
// continues an earlier request, from that request too), the letter's own
// procedure options, and the public option as letters.Deadlines sets it.
func chainOptions(a, parent *vigie.Action, l letters.Letter, p deadline.Procedure, sys *vigie.System) deadline.Options {
	o := a.Options
	if parent != nil {
		o.Expert = o.Expert || parent.Options.Expert
		o.MultiLevel = o.MultiLevel || parent.Options.MultiLevel
		o.Extended = o.Extended || parent.Options.Extended
		o.AlsaceMoselle = o.AlsaceMoselle || parent.Options.AlsaceMoselle
	}
	has := func(opt string) bool { return slices.Contains(p.Options, opt) }
	out := deadline.Options{AlsaceMoselle: o.AlsaceMoselle}
	if has(deadline.OptExpert) {
		out.Expert = o.Expert || slices.Contains(l.ProcedureOptions, deadline.OptExpert)
	}
	if has(deadline.OptMultiLevel) {
		out.MultiLevel = o.MultiLevel
	}
	if has(deadline.OptExtended) {
		out.Extended = o.Extended
	}
	if has(deadline.OptPublic) && sys != nil {
		out.Public = l.Fits(sys) && (l.Scope == letters.ScopePublic || l.Scope == letters.ScopeService)
	}
	return out
}

// actionChain computes the chain that action a started when it was sent.
// A letter that continues an earlier request (the CADA referral, the CNIL
// complaint) marks its event, on the date it was sent, in the chain of its
// parent action, counted from the date the parent was sent.
func actionChain(a, parent *vigie.Action, sys *vigie.System) (*chain, error) {
	c := &chain{}
	if a.Procedure == "" {
		return c, nil
	}
	if a.SentOn.IsZero() {
		c.Missing = "action.chain.notsent"
		return c, nil
	}
	p, ok := deadline.Lookup(a.Procedure)
	if !ok {
		c.Missing = "action.chain.unknown"
		return c, nil
	}
	l, _ := letters.Lookup(a.Letter)
	from := a.SentOn
	var continued *vigie.Action
	if l.Event != "" {
		if parent == nil || parent.SentOn.IsZero() || parent.Procedure != a.Procedure || a.SentOn.Before(parent.SentOn) {
			c.Missing = "action.chain.noparent"
			return c, nil
		}
		continued = parent
		from = parent.SentOn
	}
	o := chainOptions(a, continued, l, p, sys)
	if continued != nil {
		o.At = map[string]vigie.Date{l.Event: a.SentOn}
	}
	steps, err := deadline.Compute(p.ID, from, o)
	if err != nil {
		return nil, err
	}
	c.Steps = steps
	c.Command = deadlineCommand(p.ID, from, o)
	return c, nil
}

// deadlineCommand is the command line that computes the same chain.
func deadlineCommand(proc string, from vigie.Date, o deadline.Options) string {
	var b strings.Builder
	b.WriteString("vigie deadline --procedure " + proc + " --from " + from.String())
	for _, f := range []struct {
		on   bool
		flag string
	}{{o.Expert, "--expert"}, {o.MultiLevel, "--multi-level"}, {o.Extended, "--extended"}, {o.Public, "--public"}, {o.AlsaceMoselle, "--alsace-moselle"}} {
		if f.on {
			b.WriteString(" " + f.flag)
		}
	}
	if o.Dismissals > 0 {
		b.WriteString(" --dismissals " + strconv.Itoa(o.Dismissals))
	}
	keys := make([]string, 0, len(o.At))
	for k := range o.At {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(" --at " + k + "=" + o.At[k].String())
	}
	return b.String()
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
// first. ctx carries the user (the board) or none (the calendar feed, once
// its token has named the organisation).
func (s *Server) orgDues(ctx context.Context, orgID string, today vigie.Date) ([]dueRow, error) {
	all, err := s.cfg.Actions.FindActions(ctx, vigie.ActionFilter{OrgID: orgID})
	if err != nil {
		return nil, err
	}
	acts := live(all)
	byID := make(map[string]*vigie.Action, len(all))
	for _, a := range all {
		byID[a.ID] = a
	}
	systems := map[string]*vigie.SystemRecord{}
	var rows []dueRow
	for _, a := range acts {
		rec, ok := systems[a.SystemID]
		if !ok {
			if rec, err = s.cfg.Systems.FindSystemByID(ctx, a.SystemID); err != nil {
				if vigie.ErrorCode(err) == vigie.ENOTFOUND {
					systems[a.SystemID] = nil
					continue
				}
				return nil, err
			}
			systems[a.SystemID] = rec
		}
		if rec == nil || rec.OrgID != orgID {
			continue
		}
		c, err := actionChain(a, byID[a.ParentID], &rec.System)
		if err != nil {
			return nil, err
		}
		l, _ := letters.Lookup(a.Letter)
		for _, st := range c.Dues() {
			past := st.Due.Before(today)
			rows = append(rows, dueRow{Step: st, Action: a, SystemName: rec.System.Name, LetterTitle: l.Title,
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

// waiting reports whether an action in state still waits for what its
// chain's due dates expect: a past one is then overdue.
func waiting(state string) bool {
	return state == vigie.ActionSent || state == vigie.ActionNoAnswer || state == vigie.ActionEscalated
}

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
