// Package deadline computes the legal deadline chains of the procedures that
// staff representatives use: the consultation of the CSE, a GDPR request, a
// request to an administration and the CADA, the opinion of the F3SCT and
// the request for a DPIA.
//
// The chains are data (chains.yaml, embedded), each step with its basis and
// confidence as the project's legal reference gives them. Months are counted
// month for month (vigie.Date.AddMonths): the same day number, or the last
// day of a shorter month. A due date that falls on a Saturday, a Sunday or a
// French public holiday is reported with a warning; it is moved only where a
// step's data says so and its basis is verified (none does today).
//
// The package is pure: the starting date and the dates of later events are
// arguments; nothing reads the clock.
package deadline

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

// Text is a text in French and English.
type Text struct {
	FR string `yaml:"fr" json:"fr"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("en" gives English, anything else French),
// falling back to French when the English is missing.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return t.FR == "" && t.EN == "" }

// Confidence levels of a legal statement (see the legal reference).
const (
	Verified   = "verified"
	Secondary  = "secondary"
	Unverified = "unverified"
)

// Kinds of step.
const (
	// KindStart is the starting point of the chain (the --from date).
	KindStart = "start"
	// KindDeadline is a delay that expires on the due date.
	KindDeadline = "deadline"
	// KindFrom is a step with no recorded legal delay: it is possible from
	// the due date on.
	KindFrom = "from"
)

// Options select the variants of a chain and give the real dates of events
// that happened.
type Options struct {
	Expert        bool // an expert was appointed (cse-consultation, dpia)
	MultiLevel    bool // expertise at central and establishment level; implies Expert
	Extended      bool // the controller extended the GDPR delay with reasons
	Public        bool // the employer is a public body (dpia)
	AlsaceMoselle bool // count Good Friday and 26 December as public holidays
	// Dismissals is the number of dismissals of a collective-dismissal
	// project (pse-consultation): the delay of the CSE's opinion depends on
	// it. 0: not given (the shortest delay, with a note).
	Dismissals int
	// At gives the actual date of events of the procedure (see
	// Procedure.Events), e.g. "cada-registered". Steps that follow are counted
	// from it instead of from an assumed date.
	At map[string]vigie.Date
}

// Option names, as used in the data and on the command line.
const (
	OptExpert     = "expert"
	OptMultiLevel = "multi-level"
	OptExtended   = "extended"
	OptPublic     = "public"
	// OptDismissals is the option of a chain whose delays depend on the
	// number of dismissals (Options.Dismissals); the data read the
	// variants "dismissals-100" (100 or more) and "dismissals-250" (250 or
	// more).
	OptDismissals = "dismissals"
)

func (o Options) set() map[string]bool {
	return map[string]bool{
		OptExpert:        o.Expert || o.MultiLevel,
		OptMultiLevel:    o.MultiLevel,
		OptExtended:      o.Extended,
		OptPublic:        o.Public,
		OptDismissals:    o.Dismissals > 0,
		"dismissals-100": o.Dismissals >= 100,
		"dismissals-250": o.Dismissals >= 250,
	}
}

// Procedure is a deadline chain as data.
type Procedure struct {
	ID      string     `yaml:"id"`
	Ref     string     `yaml:"ref"` // id in the legal reference, e.g. PROC-A
	Title   Text       `yaml:"title"`
	Options []string   `yaml:"options"`
	Events  []Event    `yaml:"events"`
	Steps   []StepRule `yaml:"steps"`
}

// Event is something whose real date the caller may know (an express
// refusal, the CADA's registration of a referral). When it is not given, the
// chain uses the date of Default (a step or another event).
type Event struct {
	ID      string `yaml:"id"`
	Default string `yaml:"default"`
	// Assumed marks the default as an assumption about when the event
	// happens, rather than a legal consequence (silence = refusal).
	Assumed    bool `yaml:"assumed"`
	Label      Text `yaml:"label"`
	Assumption Text `yaml:"assumption"`
}

// StepRule is one step of a chain as data.
type StepRule struct {
	ID     string `yaml:"id"`
	Number string `yaml:"number"`
	When   string `yaml:"when"`
	Kind   string `yaml:"kind"`
	Anchor string `yaml:"anchor"`
	// Delay lists variants; the last whose When matches applies. None means
	// the anchor's date itself.
	Delay          []Delay `yaml:"delay"`
	NotBefore      string  `yaml:"not_before"`
	Label          Text    `yaml:"label"`
	Basis          Text    `yaml:"basis"`
	Confidence     string  `yaml:"confidence"`
	ConfidenceNote Text    `yaml:"confidence_note"`
	Note           Text    `yaml:"note"`
	Warning        Text    `yaml:"warning"`
	// Shift moves a due date that falls on a non-working day to the next
	// working day. It is honoured only when Confidence is verified.
	Shift bool `yaml:"shift"`
	// Include inlines the steps of another procedure (its start becomes this
	// procedure's start), numbered with NumberPrefix.
	Include      string `yaml:"include"`
	NumberPrefix string `yaml:"number_prefix"`
}

// Delay is a delay variant.
type Delay struct {
	When   string `yaml:"when"`
	Anchor string `yaml:"anchor"` // overrides the step's anchor
	Months int    `yaml:"months"`
	Days   int    `yaml:"days"`
}

// Warning is a warning attached to a step.
type Warning struct {
	// Code is one of "non-working-day", "moved", "unverified", "assumed",
	// "applies-from", "rule".
	Code string `json:"code"`
	Text Text   `json:"text"`
}

// Step is one computed step of a chain.
type Step struct {
	Procedure      string     `json:"procedure"`
	ID             string     `json:"id"`
	Number         string     `json:"number"`
	Kind           string     `json:"kind"`
	Label          Text       `json:"label"`
	Due            vigie.Date `json:"due"`
	Anchor         string     `json:"anchor,omitempty"`
	AnchorDate     vigie.Date `json:"anchor_date"`
	Assumed        bool       `json:"assumed"`
	Basis          Text       `json:"basis"`
	Confidence     string     `json:"confidence"`
	ConfidenceNote Text       `json:"confidence_note"`
	Note           Text       `json:"note"`
	// NonWorking lists why the due date is not a working day, if it is not.
	NonWorking []Text `json:"non_working,omitempty"`
	// Unmoved is the date before a verified shift rule moved it; zero when
	// the date was not moved.
	Unmoved  vigie.Date `json:"unmoved,omitempty"`
	Warnings []Warning  `json:"warnings,omitempty"`
}

//go:embed chains.yaml
var chainsYAML []byte

type chainsFile struct {
	Schema        string      `yaml:"schema"`
	ReferenceDate string      `yaml:"reference_date"`
	Source        string      `yaml:"source"`
	Procedures    []Procedure `yaml:"procedures"`
}

var loadChains = sync.OnceValues(func() ([]Procedure, error) {
	return parseChains(chainsYAML)
})

func parseChains(b []byte) ([]Procedure, error) {
	var f chainsFile
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("deadline: chains.yaml: %w", err)
	}
	if f.Schema != "vigie/deadline-chains/v1" {
		return nil, fmt.Errorf("deadline: chains.yaml: unexpected schema %q", f.Schema)
	}
	return f.Procedures, nil
}

func mustChains() []Procedure {
	ps, err := loadChains()
	if err != nil {
		// The data is embedded and checked by the tests: a failure here is a
		// programming error.
		panic(err)
	}
	return ps
}

// Procedures returns every procedure, in the order of the data. The result is
// a copy: changing it changes nothing in the package.
func Procedures() []Procedure {
	ps := mustChains()
	out := make([]Procedure, len(ps))
	for i, p := range ps {
		out[i] = p.clone()
	}
	return out
}

func (p Procedure) clone() Procedure {
	p.Options = slices.Clone(p.Options)
	p.Events = slices.Clone(p.Events)
	p.Steps = slices.Clone(p.Steps)
	for i := range p.Steps {
		p.Steps[i].Delay = slices.Clone(p.Steps[i].Delay)
	}
	return p
}

// IDs returns the ids of the procedures.
func IDs() []string {
	var ids []string
	for _, p := range mustChains() {
		ids = append(ids, p.ID)
	}
	return ids
}

// Lookup finds a procedure by its id or its reference id (PROC-A…), ignoring
// case.
func Lookup(id string) (Procedure, bool) {
	id = strings.TrimSpace(id)
	for _, p := range mustChains() {
		if strings.EqualFold(p.ID, id) || strings.EqualFold(p.Ref, id) {
			return p.clone(), true
		}
	}
	return Procedure{}, false
}

// Compute returns the steps of the chain of procedure id (or its reference
// id) started on from. An unknown procedure, an option the procedure does not
// take or an unknown event is an EINVALID *vigie.Error; its message names the
// flag the command line uses for it.
func Compute(id string, from vigie.Date, opts Options) ([]Step, error) {
	p, ok := Lookup(id)
	if !ok {
		return nil, vigie.Errorf(vigie.EINVALID,
			"--procedure : procédure inconnue %q (connues : %s) / unknown procedure %q (known: %s)",
			id, strings.Join(IDs(), ", "), id, strings.Join(IDs(), ", "))
	}
	return ComputeProcedure(p, from, opts)
}

// ComputeProcedure computes the chain of p, which may come from Procedures or
// be built by the caller.
func ComputeProcedure(p Procedure, from vigie.Date, opts Options) ([]Step, error) {
	if from.IsZero() {
		return nil, vigie.Errorf(vigie.EINVALID, "--from : date de départ manquante / missing starting date")
	}
	if opts.Dismissals < 0 {
		return nil, vigie.Errorf(vigie.EINVALID, "--dismissals : nombre négatif (%d) / negative number (%d)", opts.Dismissals, opts.Dismissals)
	}
	set := opts.set()
	for _, o := range []string{OptExpert, OptMultiLevel, OptExtended, OptPublic, OptDismissals} {
		if !set[o] || slices.Contains(p.Options, o) {
			continue
		}
		if o == OptExpert && opts.MultiLevel && !opts.Expert {
			continue // implied by multi-level, checked under its own name
		}
		return nil, vigie.Errorf(vigie.EINVALID,
			"--%s : option sans objet pour la procédure %s (options : %s) / option does not apply to procedure %s (options: %s)",
			o, p.ID, optionList(p.Options), p.ID, optionList(p.Options))
	}
	rules, events, err := expand(p, set)
	if err != nil {
		return nil, err
	}
	for name, d := range opts.At {
		if d.Before(from) {
			return nil, vigie.Errorf(vigie.EINVALID,
				"--at %s=%s : date antérieure au point de départ %s / date before the starting point %s", name, d, from, from)
		}
		if _, ok := events[name]; !ok {
			var known []string
			for k := range events {
				known = append(known, k)
			}
			slices.Sort(known)
			return nil, vigie.Errorf(vigie.EINVALID,
				"--at : événement inconnu %q pour la procédure %s (connus : %s) / unknown event %q for procedure %s (known: %s)",
				name, p.ID, optionList(known), name, p.ID, optionList(known))
		}
	}
	c := &chain{p: p, from: from, opts: opts, set: set, rules: rules, events: events,
		done: map[string]resolved{}, busy: map[string]bool{}}
	var steps []Step
	for _, r := range rules {
		s, err := c.step(r)
		if err != nil {
			return nil, err
		}
		steps = append(steps, s)
	}
	return steps, nil
}

func optionList(xs []string) string {
	if len(xs) == 0 {
		return "aucune / none"
	}
	return strings.Join(xs, ", ")
}

// expand inlines included procedures and keeps the steps whose When matches.
func expand(p Procedure, set map[string]bool) ([]StepRule, map[string]Event, error) {
	events := map[string]Event{}
	for _, e := range p.Events {
		events[e.ID] = e
	}
	start := ""
	for _, r := range p.Steps {
		if r.Kind == KindStart {
			start = r.ID
			break
		}
	}
	var out []StepRule
	for _, r := range p.Steps {
		if !matches(r.When, set) {
			continue
		}
		if r.Include == "" {
			out = append(out, r)
			continue
		}
		inc, ok := Lookup(r.Include)
		if !ok {
			return nil, nil, fmt.Errorf("deadline: %s includes unknown procedure %q", p.ID, r.Include)
		}
		incRules, incEvents, err := expand(inc, set)
		if err != nil {
			return nil, nil, err
		}
		incStart := ""
		for _, ir := range incRules {
			if ir.Kind == KindStart {
				incStart = ir.ID
			}
		}
		rename := func(a string) string {
			if a == incStart && a != "" {
				return start
			}
			return a
		}
		for _, ir := range incRules {
			if ir.Kind == KindStart {
				continue
			}
			ir.Anchor = rename(ir.Anchor)
			ir.Delay = slices.Clone(ir.Delay)
			for i := range ir.Delay {
				ir.Delay[i].Anchor = rename(ir.Delay[i].Anchor)
			}
			ir.Number = r.NumberPrefix + ir.Number
			out = append(out, ir)
		}
		for k, e := range incEvents {
			e.Default = rename(e.Default)
			events[k] = e
		}
	}
	return out, events, nil
}

// matches reports whether a When condition ("", "x", "!x", "x,!y") holds.
func matches(when string, set map[string]bool) bool {
	for _, c := range strings.Split(when, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if neg, ok := strings.CutPrefix(c, "!"); ok {
			if set[neg] {
				return false
			}
		} else if !set[c] {
			return false
		}
	}
	return true
}

type resolved struct {
	date        vigie.Date
	anchor      vigie.Date // the anchor's date, for a step
	assumptions []Text     // why the date is an assumption (empty if it is not)
}

type chain struct {
	p      Procedure
	from   vigie.Date
	opts   Options
	set    map[string]bool
	rules  []StepRule
	events map[string]Event
	done   map[string]resolved
	busy   map[string]bool
}

// resolve returns the date of an anchor: an event (its given date, or its
// default) or a step.
func (c *chain) resolve(name string) (resolved, error) {
	if r, ok := c.done[name]; ok {
		return r, nil
	}
	if c.busy[name] {
		return resolved{}, fmt.Errorf("deadline: %s: cycle through %q", c.p.ID, name)
	}
	c.busy[name] = true
	defer delete(c.busy, name)
	var r resolved
	if e, ok := c.events[name]; ok {
		if d, given := c.opts.At[name]; given {
			r = resolved{date: d}
		} else {
			def, err := c.resolve(e.Default)
			if err != nil {
				return resolved{}, err
			}
			r = resolved{date: def.date, assumptions: slices.Clone(def.assumptions)}
			if e.Assumed {
				r.assumptions = append(r.assumptions, e.Assumption)
			}
		}
	} else {
		i := slices.IndexFunc(c.rules, func(s StepRule) bool { return s.ID == name })
		if i < 0 {
			return resolved{}, fmt.Errorf("deadline: %s: anchor %q is neither an event nor a step of this chain", c.p.ID, name)
		}
		var err error
		r, err = c.date(c.rules[i])
		if err != nil {
			return resolved{}, err
		}
	}
	c.done[name] = r
	return r, nil
}

// date computes the raw date of a step (before any non-working-day shift).
func (c *chain) date(s StepRule) (resolved, error) {
	if s.Kind == KindStart {
		return resolved{date: c.from}, nil
	}
	var d Delay
	for _, v := range s.Delay {
		if matches(v.When, c.set) {
			d = v
		}
	}
	anchor := s.Anchor
	if d.Anchor != "" {
		anchor = d.Anchor
	}
	if anchor == "" {
		return resolved{}, fmt.Errorf("deadline: %s: step %s has no anchor", c.p.ID, s.ID)
	}
	a, err := c.resolve(anchor)
	if err != nil {
		return resolved{}, err
	}
	due := a.date.AddMonths(d.Months).AddDays(d.Days)
	return resolved{date: due, anchor: a.date, assumptions: a.assumptions}, nil
}

func (c *chain) step(s StepRule) (Step, error) {
	r, err := c.resolve(s.ID)
	if err != nil {
		return Step{}, err
	}
	anchor := s.Anchor
	for _, v := range s.Delay {
		if matches(v.When, c.set) && v.Anchor != "" {
			anchor = v.Anchor
		}
	}
	out := Step{
		Procedure: c.p.ID, ID: s.ID, Number: s.Number, Kind: s.Kind, Label: s.Label,
		Due: r.date, Anchor: anchor, AnchorDate: r.anchor, Assumed: len(r.assumptions) > 0,
		Basis: s.Basis, Confidence: s.Confidence, ConfidenceNote: s.ConfidenceNote, Note: s.Note,
	}
	if s.NotBefore != "" {
		nb, err := vigie.ParseDate(s.NotBefore)
		if err != nil {
			return Step{}, fmt.Errorf("deadline: %s/%s: not_before: %w", c.p.ID, s.ID, err)
		}
		if out.Due.Before(nb) {
			out.Due = nb
			out.Warnings = append(out.Warnings, Warning{"applies-from", Text{
				"Date d'application de la règle : " + nb.String() + ".",
				"The rule applies from " + nb.String() + ".",
			}})
		}
	}
	if s.Confidence == Unverified {
		out.Warnings = append(out.Warnings, Warning{"unverified", Text{
			"Fondement non vérifié : à contrôler avant de s'en prévaloir.",
			"Unverified basis: check it before relying on it.",
		}})
	}
	for _, a := range r.assumptions {
		out.Warnings = append(out.Warnings, Warning{"assumed", a})
	}
	if !s.Warning.IsZero() {
		out.Warnings = append(out.Warnings, Warning{"rule", s.Warning})
	}
	if s.Kind == KindDeadline {
		if why, off := NonWorking(out.Due, c.opts.AlsaceMoselle); off {
			out.NonWorking = why
			fr, en := joinWhy(why)
			if s.Shift && s.Confidence == Verified {
				moved := NextWorkingDay(out.Due, c.opts.AlsaceMoselle)
				out.Warnings = append(out.Warnings, Warning{"moved", Text{
					fmt.Sprintf("Le %s tombe un jour non ouvré (%s) : échéance reportée au %s.", out.Due, fr, moved),
					fmt.Sprintf("%s is not a working day (%s): deadline moved to %s.", out.Due, en, moved),
				}})
				out.Unmoved, out.Due = out.Due, moved
			} else {
				out.Warnings = append(out.Warnings, Warning{"non-working-day", Text{
					fmt.Sprintf("L'échéance du %s tombe un jour non ouvré (%s). Aucune règle au fondement vérifié ne la reporte pour cette procédure (l'art. 642 CPC vise la procédure judiciaire) : la date n'est pas déplacée. Par prudence : agir soi-même avant, et ne tenir l'autre partie pour défaillante qu'après le premier jour ouvré suivant.", out.Due, fr),
					fmt.Sprintf("The deadline of %s falls on a non-working day (%s). No rule with a verified basis moves it for this procedure (art. 642 CPC concerns judicial procedure): the date is not moved. To be safe: act yourself before it, and hold the other party in default only after the next working day.", out.Due, en),
				}})
			}
		}
	}
	return out, nil
}

func joinWhy(why []Text) (fr, en string) {
	var f, e []string
	for _, w := range why {
		f = append(f, w.FR)
		e = append(e, w.EN)
	}
	return strings.Join(f, ", "), strings.Join(e, ", ")
}
