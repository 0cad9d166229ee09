// Package law is vigie's legal knowledge base: every rule of the project's
// legal reference (law/testdata/legal.md, summarised in docs/law.md) as embedded data, one YAML
// file per family under rules/, checked against the schema of this package
// when it is loaded.
//
// A rule carries its id, its legal basis, who it binds, its trigger (a
// condition over the facts of a system file, see Cond), what it obliges and
// what the staff representatives can demand (in French and in English, in the
// project's own words), its deadline procedure, the date from which it
// applies, how sure the project is of it (verified, secondary, unverified)
// and its sources. The package is pure: loading reads only embedded files.
package law

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

//go:embed rules/*.yaml sources.yaml
var files embed.FS

// Lang is a language of the project's texts.
type Lang string

// The two languages of vigie. French comes first.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// ParseLang returns FR for "fr" or "", EN for "en", and an error otherwise.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "fr":
		return FR, nil
	case "en":
		return EN, nil
	}
	return FR, fmt.Errorf("langue %q inconnue (fr, en) / unknown language %q (fr, en)", s, s)
}

// Text is a text in French and in English.
type Text struct {
	FR string `yaml:"fr" json:"fr"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang, falling back to French.
func (t Text) In(l Lang) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// IsZero reports whether both languages are empty.
func (t Text) IsZero() bool { return t.FR == "" && t.EN == "" }

// Confidence levels, from the most to the least sure.
const (
	Verified   = "verified"
	Secondary  = "secondary"
	Unverified = "unverified"
)

// ConfidenceRank orders the confidence levels: higher is surer.
func ConfidenceRank(c string) int {
	switch c {
	case Verified:
		return 3
	case Secondary:
		return 2
	case Unverified:
		return 1
	}
	return 0
}

// Lowest returns the least sure of the given confidence levels.
func Lowest(cs ...string) string {
	low := ""
	for _, c := range cs {
		if c == "" {
			continue
		}
		if low == "" || ConfidenceRank(c) < ConfidenceRank(low) {
			low = c
		}
	}
	return low
}

// Kinds of rule.
const (
	// KindProhibition is an AI Act prohibited practice: a ground of the
	// "prohibited" tier and an obligation (stop using it).
	KindProhibition = "prohibition"
	// KindClassification decides the AI Act tier (Annex III points, Art. 50
	// limbs are on KindObligation) or qualifies it; it has no status.
	KindClassification = "classification"
	// KindObligation is something the employer owes, with a status.
	KindObligation = "obligation"
	// KindRight is something the representatives or the persons concerned
	// can ask for or use (an expert, a document, a complaint).
	KindRight = "right"
	// KindProcedure holds delays used by other rules and by deadline chains.
	KindProcedure = "procedure"
	// KindInfo is context shown as a note when its trigger holds.
	KindInfo = "info"
	// KindTransitional is a transitional provision that spares other rules
	// for systems already in service (AI Act Art. 111(2)).
	KindTransitional = "transitional"
)

var kinds = []string{KindProhibition, KindClassification, KindObligation, KindRight, KindProcedure, KindInfo, KindTransitional}

// ActLawyer is the Act of a right whose use is a court case: it is shown as
// a step for the lawyer, never as a letter to the employer.
const ActLawyer = "lawyer"

// InForce is the value of From for a rule the reference records as "in
// force" on its reference date without an exact date of application.
const InForce = "in_force"

// FromUnknown is the value of From for an unverified rule whose date of
// application the reference records as unknown (a bill not known to be
// adopted). Such a rule is never treated as binding.
const FromUnknown = "unknown"

// Rule is one rule of the knowledge base.
type Rule struct {
	ID     string `yaml:"id" json:"id"`
	Family string `yaml:"-" json:"family"`
	Kind   string `yaml:"kind" json:"kind"`
	// Article is the AI Act article the rule grounds, as the contract writes
	// it ("5(1)(f)", "6(2)", "50"); empty outside the AI Act.
	Article string `yaml:"article,omitempty" json:"article,omitempty"`
	Title   Text   `yaml:"title" json:"title"`
	Basis   Text   `yaml:"basis" json:"basis"`
	// Binds is who the rule binds, as a token (employer, deployer, provider,
	// controller, public_employer, administration, authority, none).
	Binds     string `yaml:"binds" json:"binds"`
	BindsText Text   `yaml:"binds_text" json:"binds_text"`
	// Trigger describes the trigger in words; When is the same trigger as a
	// condition over the facts of a system file.
	Trigger Text  `yaml:"trigger" json:"trigger"`
	When    *Cond `yaml:"when,omitempty" json:"-"`
	// Limbs are the parts of a rule that trigger separately: the Annex III
	// points of a classification rule, the paragraphs of Art. 50, the
	// paragraphs of L2312-38.
	Limbs      []Limb `yaml:"limbs,omitempty" json:"limbs,omitempty"`
	Obligation Text   `yaml:"obligation" json:"obligation"`
	Demand     Text   `yaml:"demand" json:"demand"`
	// Met is the compliance condition of an obligation: true gives met,
	// false unmet, unknown unknown. Absent: the system file has no fact for
	// it, and the status is unknown once the rule applies.
	Met *Cond `yaml:"met,omitempty" json:"-"`
	// Due says when an obligation falls due: before_use means that it can
	// only be unmet once the system is used (pilot, deployed or retired);
	// before that the status is unknown.
	Due      string   `yaml:"due,omitempty" json:"due,omitempty"`
	Deadline Deadline `yaml:"deadline" json:"deadline"`
	// From is the date the rule applies from (YYYY-MM-DD), or InForce.
	From     string `yaml:"from" json:"from"`
	FromNote Text   `yaml:"from_note,omitempty" json:"from_note,omitempty"`
	// Confidence is the lowest level among the parts of the rule;
	// ConfidenceDetail keeps the reference's labelled parts.
	Confidence       string   `yaml:"confidence" json:"confidence"`
	ConfidenceDetail string   `yaml:"confidence_detail,omitempty" json:"confidence_detail,omitempty"`
	Sources          []string `yaml:"sources" json:"sources"`

	// Ask is the question to put when the rule's status is unknown for want
	// of any fact of the system file (its compliance has no fact).
	Ask Text `yaml:"ask,omitempty" json:"ask,omitempty"`
	// Act is ActLawyer for a right used through a court case.
	Act string `yaml:"act,omitempty" json:"act,omitempty"`

	// A transitional rule spares the rules Spares for a system put into
	// service before Cutoff and not significantly changed from it; where
	// Public holds, they are due by Until instead. Note and PublicNote say
	// why, and what would make them apply.
	Spares     []string `yaml:"spares,omitempty" json:"spares,omitempty"`
	Cutoff     string   `yaml:"cutoff,omitempty" json:"cutoff,omitempty"`
	Public     *Cond    `yaml:"public,omitempty" json:"-"`
	Until      string   `yaml:"until,omitempty" json:"until,omitempty"`
	Note       Text     `yaml:"note,omitempty" json:"note,omitempty"`
	PublicNote Text     `yaml:"public_note,omitempty" json:"public_note,omitempty"`

	trigger *Cond // the effective trigger, see TriggerCond
	// DelayMonths holds the delays of a procedure rule, by case.
	DelayMonths map[string]int `yaml:"delay_months,omitempty" json:"delay_months,omitempty"`
}

// Limb is a separately triggered part of a rule.
type Limb struct {
	// ID names the limb within its rule: an Annex III point ("4(b)"), an
	// article ("50(3)"), a paragraph ("para3").
	ID string `yaml:"id" json:"id"`
	// Article is the article the limb grounds, when it differs from the rule's.
	Article string `yaml:"article,omitempty" json:"article,omitempty"`
	Label   Text   `yaml:"label" json:"label"`
	When    *Cond  `yaml:"when" json:"-"`
	// Met is the limb's own compliance condition (Art. 50: who must be told).
	Met *Cond `yaml:"met,omitempty" json:"-"`
	// Binding, if set, restricts the limb's compliance to systems where this
	// condition holds (for instance the employer is the provider); the limb
	// still grounds the tier.
	Binding *Cond `yaml:"binding,omitempty" json:"-"`
	// From overrides the rule's date; Later gives a later date that applies
	// unless its condition is known to be true.
	From       string `yaml:"from,omitempty" json:"from,omitempty"`
	Later      *Later `yaml:"later,omitempty" json:"later,omitempty"`
	Confidence string `yaml:"confidence,omitempty" json:"confidence,omitempty"`
}

// Later is a later date of application that holds unless Unless is known
// to be true (Art. 50(2) for systems placed on the market before 2026-08-02).
type Later struct {
	From   string `yaml:"from" json:"from"`
	Unless *Cond  `yaml:"unless" json:"-"`
	Note   Text   `yaml:"note" json:"note"`
}

// Deadline is the deadline of a rule: the procedure (PROC-A…PROC-E of the
// reference, or a rule id such as CT-DEL) and the delay in words.
type Deadline struct {
	Procedure string `yaml:"procedure,omitempty" json:"procedure,omitempty"`
	Text      Text   `yaml:"text" json:"text"`
}

// Source is a legal or documentary source.
type Source struct {
	Key      string `yaml:"key" json:"key"`
	Citation string `yaml:"citation" json:"citation"`
	// CitationEN is the citation in English, for the case law shown with
	// a demand ("" when the French one is used).
	CitationEN string `yaml:"citation_en,omitempty" json:"citation_en,omitempty"`
	URL        string `yaml:"url,omitempty" json:"url,omitempty"`
	Note       string `yaml:"note,omitempty" json:"note,omitempty"`
	// CaseLaw is true for a court decision: it supports the rule's demand
	// (a judge ordered it, with the penalty it set) and is shown with it.
	CaseLaw bool `yaml:"case_law,omitempty" json:"case_law,omitempty"`
}

// Base is the loaded knowledge base.
type Base struct {
	rules   []*Rule
	byID    map[string]*Rule
	sources map[string]Source
	srcKeys []string
	points  map[string]string
}

// Families lists the rule files in the order their rules are presented.
var Families = []string{"aia", "ct", "fp", "crpa", "dp"}

// Procedures are the deadline chains of the reference (section 3).
var Procedures = []string{"PROC-A", "PROC-B", "PROC-C", "PROC-D", "PROC-E"}

var (
	loadOnce sync.Once
	loaded   *Base
	loadErr  error
)

// Load returns the embedded knowledge base, loading and validating it on the
// first call. An error means the embedded data is broken.
func Load() (*Base, error) {
	loadOnce.Do(func() { loaded, loadErr = LoadFS(files) })
	return loaded, loadErr
}

// MustLoad is Load for code that cannot run without the knowledge base.
func MustLoad() *Base {
	b, err := Load()
	if err != nil {
		panic(err)
	}
	return b
}

// LoadFS loads and validates a knowledge base from fsys, which holds
// sources.yaml and rules/<family>.yaml for each of Families.
func LoadFS(fsys fs.FS) (*Base, error) {
	b := &Base{byID: map[string]*Rule{}, sources: map[string]Source{}}
	raw, err := fs.ReadFile(fsys, "sources.yaml")
	if err != nil {
		return nil, fmt.Errorf("law: %w", err)
	}
	var srcs []Source
	if err := yaml.UnmarshalWithOptions(raw, &srcs, yaml.DisallowUnknownField()); err != nil {
		return nil, fmt.Errorf("law: sources.yaml: %w", err)
	}
	for i, s := range srcs {
		if s.Key == "" || s.Citation == "" {
			return nil, fmt.Errorf("law: sources.yaml[%d]: key and citation are required", i)
		}
		if _, dup := b.sources[s.Key]; dup {
			return nil, fmt.Errorf("law: sources.yaml: duplicate source %q", s.Key)
		}
		b.sources[s.Key] = s
		b.srcKeys = append(b.srcKeys, s.Key)
	}
	entries, err := fs.ReadDir(fsys, "rules")
	if err != nil {
		return nil, fmt.Errorf("law: %w", err)
	}
	present := map[string]bool{}
	for _, e := range entries {
		fam := strings.TrimSuffix(e.Name(), ".yaml")
		if !slices.Contains(Families, fam) {
			return nil, fmt.Errorf("law: rules/%s: not a known family (%s)", e.Name(), strings.Join(Families, ", "))
		}
		present[fam] = true
	}
	for _, fam := range Families {
		if !present[fam] {
			return nil, fmt.Errorf("law: rules/%s.yaml is missing", fam)
		}
		name := path.Join("rules", fam+".yaml")
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("law: %w", err)
		}
		var rs []*Rule
		if err := yaml.UnmarshalWithOptions(raw, &rs, yaml.DisallowUnknownField()); err != nil {
			return nil, fmt.Errorf("law: %s: %w", name, err)
		}
		for _, r := range rs {
			r.Family = fam
			if _, dup := b.byID[r.ID]; dup {
				return nil, fmt.Errorf("law: %s: duplicate rule id %q", name, r.ID)
			}
			b.byID[r.ID] = r
			b.rules = append(b.rules, r)
		}
	}
	b.points = map[string]string{}
	for _, r := range b.rules {
		if r.Kind != KindClassification {
			continue
		}
		for _, l := range r.Limbs {
			if other, dup := b.points[l.ID]; dup {
				return nil, fmt.Errorf("law: Annex III point %s is defined by %s and %s", l.ID, other, r.ID)
			}
			b.points[l.ID] = r.ID
		}
	}
	for _, r := range b.rules {
		r.TriggerCond()
	}
	if err := b.validate(); err != nil {
		return nil, err
	}
	return b, nil
}

// Rules returns every rule, family by family, in file order.
func (b *Base) Rules() []*Rule { return slices.Clone(b.rules) }

// Rule returns the rule with the given id, or nil.
func (b *Base) Rule(id string) *Rule { return b.byID[id] }

// Has reports whether id is the id of a rule.
func (b *Base) Has(id string) bool { return b.byID[id] != nil }

// Source returns the source with the given key.
func (b *Base) Source(key string) (Source, bool) {
	s, ok := b.sources[key]
	return s, ok
}

// Sources returns every source, in file order.
func (b *Base) Sources() []Source {
	out := make([]Source, 0, len(b.srcKeys))
	for _, k := range b.srcKeys {
		out = append(out, b.sources[k])
	}
	return out
}

// Citations returns the citations of a rule's sources.
func (b *Base) Citations(r *Rule) []string {
	out := make([]string, 0, len(r.Sources))
	for _, k := range r.Sources {
		out = append(out, b.sources[k].Citation)
	}
	return out
}

// CaseLaw returns the citations of the court decisions among the sources of
// r, in the rule's order and in l: the case law that supports its demand.
func (b *Base) CaseLaw(r *Rule, l Lang) []string {
	var out []string
	for _, k := range r.Sources {
		if s := b.sources[k]; s.CaseLaw {
			c := s.Citation
			if l == EN && s.CitationEN != "" {
				c = s.CitationEN
			}
			out = append(out, c)
		}
	}
	return out
}

// FromDate returns the date a rule applies from and whether it is a date;
// for InForce and FromUnknown it returns the zero date and false.
func (r *Rule) FromDate() (vigie.Date, bool) {
	if r.From == InForce || r.From == FromUnknown {
		return vigie.Date{}, false
	}
	d, err := vigie.ParseDate(r.From)
	return d, err == nil
}

// TriggerCond returns the rule's effective trigger: for a classification
// rule, When if set (a note) or else any of its limbs (the Annex III points);
// for other rules, When and any of the limbs, each when present. Nil means
// always.
func (r *Rule) TriggerCond() *Cond {
	if r.trigger != nil {
		return r.trigger
	}
	var limbs *Cond
	if len(r.Limbs) > 0 {
		limbs = &Cond{}
		for _, l := range r.Limbs {
			limbs.Any = append(limbs.Any, l.When)
		}
	}
	switch {
	case r.Kind == KindClassification && r.When != nil, limbs == nil:
		r.trigger = r.When
	case r.When == nil:
		r.trigger = limbs
	default:
		r.trigger = &Cond{All: []*Cond{r.When, limbs}}
	}
	return r.trigger
}

// Limb returns the limb with the given id, or nil.
func (r *Rule) Limb(id string) *Limb {
	for i := range r.Limbs {
		if r.Limbs[i].ID == id {
			return &r.Limbs[i]
		}
	}
	return nil
}

// SparedBy returns the transitional rule that spares rule id, or nil.
func (b *Base) SparedBy(id string) *Rule {
	for _, r := range b.rules {
		if r.Kind == KindTransitional && slices.Contains(r.Spares, id) {
			return r
		}
	}
	return nil
}

// Points returns the Annex III points defined by classification rules: the
// point ("4(b)") to the id of the rule that defines it.
func (b *Base) Points() map[string]string { return b.points }

// FactsUsed returns, for each fact path, the ids of the rules whose trigger
// or compliance condition reads it, sorted.
func (b *Base) FactsUsed() map[string][]string {
	out := map[string][]string{}
	add := func(f, id string) {
		if !slices.Contains(out[f], id) {
			out[f] = append(out[f], id)
		}
	}
	for _, r := range b.rules {
		for _, c := range r.conds() {
			for _, f := range c.Facts() {
				add(f, r.ID)
			}
		}
	}
	for f := range out {
		sort.Strings(out[f])
	}
	return out
}

// conds returns every condition of a rule.
func (r *Rule) conds() []*Cond {
	var cs []*Cond
	add := func(c *Cond) {
		if c != nil {
			cs = append(cs, c)
		}
	}
	add(r.When)
	add(r.Met)
	add(r.Public)
	for _, l := range r.Limbs {
		add(l.When)
		add(l.Met)
		add(l.Binding)
		if l.Later != nil {
			add(l.Later.Unless)
		}
	}
	return cs
}
