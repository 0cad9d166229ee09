package law

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
)

// Cond is a condition over the facts of a system file. Exactly one operator
// is set. Conditions are three-valued (Kleene logic): a fact that is unknown
// makes a leaf unknown, and unknown propagates unless the other operands
// decide the result.
//
//	all: [c…]           true if all are true, false if one is false
//	any: [c…]           true if one is true, false if all are false
//	not: c
//	at_least: {n, of}   true if n of the conditions are true
//	if: {cond, then, else}
//	fact: path + one of
//	  is: true|false            a yes/no fact
//	  in: [v…]                  an enumerated fact (kind, status, role…)
//	  has: v / has_any: [v…]    a list fact (domains, subjects…)
//	  non_empty: true|false     a list fact
//	  gte: n / lt: n            a number
//	  on_or_after: date / before: date   a date
//	  or_fact: path             read this fact instead when the first is unknown
//	rule: ID            the trigger (when) of another rule
//	point: ID           an Annex III point of a classification rule
//	check: NAME         a computed check (see Checks)
//	consultation: {bodies, test, deemed}   a staff body's consultation (see ConsultationCond)
//	const: true|false
type Cond struct {
	All     []*Cond  `yaml:"all,omitempty"`
	Any     []*Cond  `yaml:"any,omitempty"`
	Not     *Cond    `yaml:"not,omitempty"`
	AtLeast *AtLeast `yaml:"at_least,omitempty"`
	If      *IfCond  `yaml:"if,omitempty"`

	Fact      string   `yaml:"fact,omitempty"`
	Is        *bool    `yaml:"is,omitempty"`
	In        []string `yaml:"in,omitempty"`
	Has       string   `yaml:"has,omitempty"`
	HasAny    []string `yaml:"has_any,omitempty"`
	NonEmpty  *bool    `yaml:"non_empty,omitempty"`
	Gte       *int     `yaml:"gte,omitempty"`
	Lt        *int     `yaml:"lt,omitempty"`
	OnOrAfter string   `yaml:"on_or_after,omitempty"`
	Before    string   `yaml:"before,omitempty"`
	// OrFact is read instead of Fact when Fact is unknown (the
	// establishment's headcount when the company's is not known).
	OrFact string `yaml:"or_fact,omitempty"`

	Rule  string `yaml:"rule,omitempty"`
	Point string `yaml:"point,omitempty"`
	Check string `yaml:"check,omitempty"`
	Const *bool  `yaml:"const,omitempty"`

	Consultation *ConsultationCond `yaml:"consultation,omitempty"`
}

// AtLeast is the at_least operator.
type AtLeast struct {
	N  int     `yaml:"n"`
	Of []*Cond `yaml:"of"`
}

// IfCond is the if operator.
type IfCond struct {
	Cond *Cond `yaml:"cond"`
	Then *Cond `yaml:"then"`
	Else *Cond `yaml:"else"`
}

// Checks are the computed checks a condition may name.
var Checks = map[string]string{
	// no_fact: the system file has no fact for this; always unknown.
	"no_fact": "the system file records no fact for this; always unknown",
}

// Facts returns the fact paths a condition reads directly (not through
// rule or point references), in order and without repeats.
func (c *Cond) Facts() []string {
	var out []string
	c.walk(func(x *Cond) {
		add := func(f string) {
			if f != "" && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
		add(x.Fact)
		add(x.OrFact)
		if x.Consultation != nil {
			for _, f := range []string{"organisation.staff_bodies", "deployment.status", "deployment.since"} {
				add(f)
			}
			for _, f := range vigie.LegacyConsultationFields {
				add("deployment." + f)
			}
			for _, b := range x.Consultation.Bodies {
				for _, f := range vigie.ConsultationFields {
					add(vigie.ConsultationPath(b, f))
				}
			}
		}
	})
	return out
}

// Refs returns the rule ids a condition refers to.
func (c *Cond) Refs() []string {
	var out []string
	c.walk(func(x *Cond) {
		if x.Rule != "" && !slices.Contains(out, x.Rule) {
			out = append(out, x.Rule)
		}
	})
	return out
}

func (c *Cond) walk(f func(*Cond)) {
	if c == nil {
		return
	}
	f(c)
	for _, x := range c.All {
		x.walk(f)
	}
	for _, x := range c.Any {
		x.walk(f)
	}
	c.Not.walk(f)
	if c.AtLeast != nil {
		for _, x := range c.AtLeast.Of {
			x.walk(f)
		}
	}
	if c.If != nil {
		c.If.Cond.walk(f)
		c.If.Then.walk(f)
		c.If.Else.walk(f)
	}
}

// factKind classifies the Go type of a fact.
type factKind int

const (
	kindNone factKind = iota
	kindTri
	kindEnum
	kindSet
	kindInt
	kindDate
	kindText
)

var factKinds = func() map[string]factKind {
	out := map[string]factKind{}
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "schema" || name == "evidence" {
				continue
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch ft {
			case reflect.TypeOf(vigie.Tri(0)):
				out[p] = kindTri
			case reflect.TypeOf(vigie.OptInt{}):
				out[p] = kindInt
			case reflect.TypeOf(vigie.Date{}):
				out[p] = kindDate
			case reflect.TypeOf(vigie.Set{}):
				out[p] = kindSet
			case reflect.TypeOf(vigie.OptFloat{}):
				out[p] = kindNone
			default:
				if ft.Kind() == reflect.String {
					if vigie.Enums[p] != nil {
						out[p] = kindEnum
					} else {
						out[p] = kindText
					}
				} else if ft.Kind() == reflect.Struct {
					walk(ft, p)
				}
			}
		}
	}
	walk(reflect.TypeOf(vigie.System{}), "")
	return out
}()

// validate checks a condition against the schema: one operator, known
// facts with an operator of their type, allowed enum values, known rules,
// points and checks.
func (b *Base) validateCond(c *Cond, where string) error {
	if c == nil {
		return fmt.Errorf("%s: empty condition", where)
	}
	n := 0
	for _, set := range []bool{c.All != nil, c.Any != nil, c.Not != nil, c.AtLeast != nil, c.If != nil,
		c.Fact != "", c.Rule != "", c.Point != "", c.Check != "", c.Const != nil, c.Consultation != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%s: a condition needs exactly one operator, found %d", where, n)
	}
	for i, x := range c.All {
		if err := b.validateCond(x, fmt.Sprintf("%s.all[%d]", where, i)); err != nil {
			return err
		}
	}
	for i, x := range c.Any {
		if err := b.validateCond(x, fmt.Sprintf("%s.any[%d]", where, i)); err != nil {
			return err
		}
	}
	if c.All != nil && len(c.All) == 0 || c.Any != nil && len(c.Any) == 0 {
		return fmt.Errorf("%s: all/any needs at least one condition", where)
	}
	if c.Not != nil {
		if err := b.validateCond(c.Not, where+".not"); err != nil {
			return err
		}
	}
	if c.AtLeast != nil {
		if c.AtLeast.N < 1 || c.AtLeast.N > len(c.AtLeast.Of) {
			return fmt.Errorf("%s.at_least: n must be between 1 and the number of conditions", where)
		}
		for i, x := range c.AtLeast.Of {
			if err := b.validateCond(x, fmt.Sprintf("%s.at_least.of[%d]", where, i)); err != nil {
				return err
			}
		}
	}
	if c.If != nil {
		for name, x := range map[string]*Cond{"cond": c.If.Cond, "then": c.If.Then, "else": c.If.Else} {
			if err := b.validateCond(x, where+".if."+name); err != nil {
				return err
			}
		}
	}
	if c.Rule != "" && b.byID[c.Rule] == nil {
		return fmt.Errorf("%s: unknown rule %q", where, c.Rule)
	}
	if c.Rule != "" && b.byID[c.Rule].TriggerCond() == nil {
		return fmt.Errorf("%s: rule %q has no trigger condition", where, c.Rule)
	}
	if c.Point != "" {
		if _, ok := b.Points()[c.Point]; !ok {
			return fmt.Errorf("%s: unknown Annex III point %q", where, c.Point)
		}
	}
	if c.Check != "" {
		if _, ok := Checks[c.Check]; !ok {
			return fmt.Errorf("%s: unknown check %q", where, c.Check)
		}
	}
	if cc := c.Consultation; cc != nil {
		if len(cc.Bodies) == 0 {
			return fmt.Errorf("%s.consultation: bodies are required", where)
		}
		for _, b := range cc.Bodies {
			if !slices.Contains(vigie.StaffBodies, b) {
				return fmt.Errorf("%s.consultation: %q is not a staff body", where, b)
			}
		}
		if cc.Test != ConsultInTime && cc.Test != ConsultInformed {
			return fmt.Errorf("%s.consultation: test %q is neither %s nor %s", where, cc.Test, ConsultInTime, ConsultInformed)
		}
	}
	if c.Fact != "" {
		return validateLeaf(c, where)
	}
	return nil
}

func validateLeaf(c *Cond, where string) error {
	k, ok := factKinds[c.Fact]
	if !ok || k == kindNone || k == kindText {
		return fmt.Errorf("%s: %q is not a fact a condition can read", where, c.Fact)
	}
	ops := 0
	for _, set := range []bool{c.Is != nil, c.In != nil, c.Has != "", c.HasAny != nil, c.NonEmpty != nil,
		c.Gte != nil, c.Lt != nil, c.OnOrAfter != "", c.Before != ""} {
		if set {
			ops++
		}
	}
	if ops != 1 {
		return fmt.Errorf("%s: fact %s needs exactly one test, found %d", where, c.Fact, ops)
	}
	if c.OrFact != "" && factKinds[c.OrFact] != k {
		return fmt.Errorf("%s: or_fact %q is not a fact of the same type as %s", where, c.OrFact, c.Fact)
	}
	bad := func(op string) error {
		return fmt.Errorf("%s: test %s does not apply to fact %s", where, op, c.Fact)
	}
	enum := vigie.Enums[c.Fact]
	checkValues := func(vs ...string) error {
		for _, v := range vs {
			if enum != nil && !slices.Contains(enum, v) {
				return fmt.Errorf("%s: %q is not a value of %s", where, v, c.Fact)
			}
		}
		return nil
	}
	switch {
	case c.Is != nil && k != kindTri:
		return bad("is")
	case c.In != nil && k != kindEnum:
		return bad("in")
	case (c.Has != "" || c.HasAny != nil || c.NonEmpty != nil) && k != kindSet:
		return bad("has")
	case (c.Gte != nil || c.Lt != nil) && k != kindInt:
		return bad("gte/lt")
	case (c.OnOrAfter != "" || c.Before != "") && k != kindDate:
		return bad("on_or_after/before")
	}
	if c.In != nil {
		return checkValues(c.In...)
	}
	if c.Has != "" {
		return checkValues(c.Has)
	}
	if c.HasAny != nil {
		return checkValues(c.HasAny...)
	}
	for _, d := range []string{c.OnOrAfter, c.Before} {
		if d != "" {
			if _, err := vigie.ParseDate(d); err != nil {
				return fmt.Errorf("%s: %v", where, err)
			}
		}
	}
	return nil
}

// Result is the value of a condition with its explanation.
type Result struct {
	V vigie.Tri
	// Why lists the facts the value rests on: for true or false, the facts
	// that decided it; for unknown, the unknown facts whose answer could
	// change it.
	Why []string
}

// Env evaluates conditions over one system.
type Env struct {
	b   *Base
	sys *vigie.System
	// ruleCache memoises rule triggers and points.
	cache map[string]Result
	delay map[string]int
	// date is the evaluation date (zero when none was given): the checks
	// that depend on it (a consultation in progress, a delay expired before
	// a planned first use) stay unknown without it.
	date vigie.Date
}

// NewEnv returns an evaluation environment for sys, with no date.
func (b *Base) NewEnv(sys *vigie.System) *Env { return b.NewEnvOn(sys, vigie.Date{}) }

// NewEnvOn returns an evaluation environment for sys on date.
func (b *Base) NewEnvOn(sys *vigie.System, date vigie.Date) *Env {
	e := &Env{b: b, sys: sys, cache: map[string]Result{}, date: date}
	if r := b.byID["CT-DEL"]; r != nil {
		e.delay = r.DelayMonths
	}
	return e
}

// System returns the system the environment evaluates.
func (e *Env) System() *vigie.System { return e.sys }

// Trigger evaluates a rule's trigger (see Rule.TriggerCond); a rule without
// one is always true.
func (e *Env) Trigger(r *Rule) Result {
	c := r.TriggerCond()
	if c == nil {
		return Result{V: vigie.TriTrue}
	}
	key := "rule:" + r.ID
	if res, ok := e.cache[key]; ok {
		return res
	}
	res := e.Eval(c)
	e.cache[key] = res
	return res
}

// Point evaluates an Annex III point.
func (e *Env) Point(id string) Result {
	key := "point:" + id
	if res, ok := e.cache[key]; ok {
		return res
	}
	r := e.b.byID[e.b.Points()[id]]
	res := Result{V: vigie.TriFalse}
	if r != nil {
		if l := r.Limb(id); l != nil {
			res = e.Eval(l.When)
		}
	}
	e.cache[key] = res
	return res
}

// Eval evaluates a condition.
func (e *Env) Eval(c *Cond) Result {
	switch {
	case c == nil:
		return Result{V: vigie.TriTrue}
	case c.Const != nil:
		return Result{V: vigie.TriOf(*c.Const)}
	case c.All != nil:
		return e.all(c.All)
	case c.Any != nil:
		return e.any(c.Any)
	case c.Not != nil:
		r := e.Eval(c.Not)
		switch r.V {
		case vigie.TriTrue:
			r.V = vigie.TriFalse
		case vigie.TriFalse:
			r.V = vigie.TriTrue
		}
		return r
	case c.AtLeast != nil:
		return e.atLeast(c.AtLeast)
	case c.If != nil:
		cond := e.Eval(c.If.Cond)
		switch cond.V {
		case vigie.TriTrue:
			t := e.Eval(c.If.Then)
			return Result{V: t.V, Why: union(cond.Why, t.Why)}
		case vigie.TriFalse:
			f := e.Eval(c.If.Else)
			return Result{V: f.V, Why: union(cond.Why, f.Why)}
		}
		t, f := e.Eval(c.If.Then), e.Eval(c.If.Else)
		if t.V == f.V && t.V.Known() {
			return Result{V: t.V, Why: union(t.Why, f.Why)}
		}
		why := cond.Why
		if !t.V.Known() {
			why = union(why, t.Why)
		}
		if !f.V.Known() {
			why = union(why, f.Why)
		}
		return Result{V: vigie.TriUnknown, Why: why}
	case c.Rule != "":
		return e.Trigger(e.b.byID[c.Rule])
	case c.Point != "":
		return e.Point(c.Point)
	case c.Check != "":
		return e.check(c.Check)
	case c.Consultation != nil:
		return e.consultation(c.Consultation)
	case c.Fact != "":
		return e.leaf(c)
	}
	return Result{V: vigie.TriUnknown}
}

func (e *Env) all(cs []*Cond) Result {
	var trueWhy, unkWhy []string
	unknown := false
	for _, c := range cs {
		r := e.Eval(c)
		switch r.V {
		case vigie.TriFalse:
			return Result{V: vigie.TriFalse, Why: r.Why}
		case vigie.TriTrue:
			trueWhy = union(trueWhy, r.Why)
		default:
			unknown = true
			unkWhy = union(unkWhy, r.Why)
		}
	}
	if unknown || len(cs) == 0 {
		return Result{V: vigie.TriUnknown, Why: unkWhy}
	}
	// All true: the answer rests on every operand.
	return Result{V: vigie.TriTrue, Why: trueWhy}
}

func (e *Env) any(cs []*Cond) Result {
	var falseWhy, unkWhy []string
	unknown := false
	for _, c := range cs {
		r := e.Eval(c)
		switch r.V {
		case vigie.TriTrue:
			return Result{V: vigie.TriTrue, Why: r.Why}
		case vigie.TriFalse:
			falseWhy = union(falseWhy, r.Why)
		default:
			unknown = true
			unkWhy = union(unkWhy, r.Why)
		}
	}
	if unknown {
		return Result{V: vigie.TriUnknown, Why: unkWhy}
	}
	return Result{V: vigie.TriFalse, Why: falseWhy}
}

func (e *Env) atLeast(a *AtLeast) Result {
	var trueWhy, falseWhy, unkWhy []string
	nt, nu := 0, 0
	for _, c := range a.Of {
		r := e.Eval(c)
		switch r.V {
		case vigie.TriTrue:
			nt++
			trueWhy = union(trueWhy, r.Why)
		case vigie.TriFalse:
			falseWhy = union(falseWhy, r.Why)
		default:
			nu++
			unkWhy = union(unkWhy, r.Why)
		}
	}
	switch {
	case nt >= a.N:
		return Result{V: vigie.TriTrue, Why: trueWhy}
	case nt+nu < a.N:
		return Result{V: vigie.TriFalse, Why: union(trueWhy, falseWhy)}
	}
	return Result{V: vigie.TriUnknown, Why: unkWhy}
}

// leaf evaluates a fact test.
func (e *Env) leaf(c *Cond) Result {
	if c.OrFact != "" && !known(FactValue(e.sys, c.Fact)) {
		alt := *c
		alt.Fact, alt.OrFact = c.OrFact, ""
		return e.leaf(&alt)
	}
	v := FactValue(e.sys, c.Fact)
	why := []string{c.Fact}
	unknown := Result{V: vigie.TriUnknown, Why: why}
	res := func(b bool) Result { return Result{V: vigie.TriOf(b), Why: why} }
	switch x := v.(type) {
	case vigie.Tri:
		if !x.Known() {
			return unknown
		}
		return res(x.True() == *c.Is)
	case string:
		if x == "" || x == vigie.Unknown {
			return unknown
		}
		return res(slices.Contains(c.In, x))
	case vigie.Set:
		if !x.Known {
			return unknown
		}
		switch {
		case c.Has != "":
			return res(x.Has(c.Has))
		case c.HasAny != nil:
			for _, h := range c.HasAny {
				if x.Has(h) {
					return res(true)
				}
			}
			return res(false)
		case c.NonEmpty != nil:
			return res((len(x.Items) > 0) == *c.NonEmpty)
		}
	case vigie.OptInt:
		if !x.Known {
			return unknown
		}
		if c.Gte != nil {
			return res(x.V >= *c.Gte)
		}
		return res(x.V < *c.Lt)
	case vigie.Date:
		if x.IsZero() {
			return unknown
		}
		if c.OnOrAfter != "" {
			return res(!x.Before(vigie.MustDate(c.OnOrAfter)))
		}
		return res(x.Before(vigie.MustDate(c.Before)))
	}
	return unknown
}

func (e *Env) check(name string) Result {
	return Result{V: vigie.TriUnknown}
}

// known reports whether a fact value is known.
func known(v any) bool {
	switch x := v.(type) {
	case vigie.Tri:
		return x.Known()
	case string:
		return x != "" && x != vigie.Unknown
	case vigie.Set:
		return x.Known
	case vigie.OptInt:
		return x.Known
	case vigie.OptFloat:
		return x.Known
	case vigie.Date:
		return !x.IsZero()
	}
	return false
}

// FactValue returns the typed value of a fact of sys by its path: a
// vigie.Tri, a string (enumerations and texts), a vigie.Set, a vigie.OptInt,
// a vigie.OptFloat or a vigie.Date; nil for an unknown path. The path is
// looked up in a table of accessors built once (factvalue.go): no
// reflection per call.
func FactValue(sys *vigie.System, p string) any {
	if get, ok := accessors()[p]; ok {
		return get(sys)
	}
	return nil
}

// union appends the elements of b missing from a, keeping order.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ValidateCond checks a condition written outside the rule files (the risk
// formula of package assess, for instance) against the same schema: known
// facts with a test of their type, allowed values, known rules and points.
func (b *Base) ValidateCond(c *Cond, where string) error { return b.validateCond(c, where) }
