package letters

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
)

// The deadline chain of an action, computed by package law/deadline from
// the date the letter was sent and the action's options. Nothing here
// counts days or months: the engine does.

// LiveStates are the states whose due dates run: the letter is sent and
// the chain runs. A draft has no date yet; a closed action is over; an
// escalated one stays until the action that continues it is sent (see
// Live).
var LiveStates = []string{vigie.ActionSent, vigie.ActionAnswered, vigie.ActionNoAnswer}

// Live returns the actions of acts whose due dates run: those in a live
// state, and the escalated ones whose continuation is not sent yet (its
// draft has no date, and the earlier chain, e.g. the delay to refer to the
// CADA, must not vanish meanwhile).
func Live(acts []*vigie.Action) []*vigie.Action {
	continued := map[string]bool{}
	for _, a := range acts {
		if a.ParentID != "" && a.State != vigie.ActionDraft {
			continued[a.ParentID] = true
		}
	}
	var out []*vigie.Action
	for _, a := range acts {
		if slices.Contains(LiveStates, a.State) || (a.State == vigie.ActionEscalated && !continued[a.ID]) {
			out = append(out, a)
		}
	}
	return out
}

// Waiting reports whether an action in state still waits for what its
// chain's due dates expect: a past one is then overdue.
func Waiting(state string) bool {
	return state == vigie.ActionSent || state == vigie.ActionNoAnswer || state == vigie.ActionEscalated
}

// Chain is the computed deadline chain of an action.
type Chain struct {
	Steps   []deadline.Step
	Command string // the `vigie deadline` command that reproduces it
	// Missing is the message id saying why there is no chain ("" when
	// there is one, or when the action starts no procedure).
	Missing string
}

// Dues are the steps that are due dates (kind deadline): the starting
// point and the steps merely possible "from" a date are not.
func (c *Chain) Dues() []deadline.Step {
	var out []deadline.Step
	for _, s := range c.Steps {
		if s.Kind == deadline.KindDeadline {
			out = append(out, s)
		}
	}
	return out
}

// ChainOptions are the deadline options of action a for procedure p: the
// options the procedure takes, from the action (and, for a letter that
// continues an earlier request, from that request too), the letter's own
// procedure options, and the public option as Deadlines sets it.
func ChainOptions(a, parent *vigie.Action, l Letter, p deadline.Procedure, sys *vigie.System) deadline.Options {
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
		out.Public = l.Fits(sys) && (l.Scope == ScopePublic || l.Scope == ScopeService)
	}
	return out
}

// ActionChain computes the chain that action a started when it was sent.
// A letter that continues an earlier request (the CADA referral, the CNIL
// complaint) marks its event, on the date it was sent, in the chain of its
// parent action, counted from the date the parent was sent.
func ActionChain(a, parent *vigie.Action, sys *vigie.System) (*Chain, error) {
	c := &Chain{}
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
	l, _ := Lookup(a.Letter)
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
	o := ChainOptions(a, continued, l, p, sys)
	if continued != nil {
		o.At = map[string]vigie.Date{l.Event: a.SentOn}
	}
	steps, err := deadline.Compute(p.ID, from, o)
	if err != nil {
		return nil, err
	}
	c.Steps = steps
	c.Command = DeadlineCommand(p.ID, from, o)
	return c, nil
}

// DeadlineCommand is the command line that computes the same chain.
func DeadlineCommand(proc string, from vigie.Date, o deadline.Options) string {
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
