// Package assess turns the facts of an AI system, a date and the legal
// knowledge base (package law) into an assessment: the AI Act tier with its
// grounds, the employer's obligations with their status, the facts to ask
// the employer for, the risks to work on eleven dimensions, and the lines to
// put into the occupational-risk document (DUERP).
//
// Evaluate is pure and deterministic: the same system and date always give
// the same Assessment, and its JSON (schema vigie/assessment/v1) is the same
// bytes. Texts exist in French (the main fields) and in English (the fields
// ending in _en, or the methods that take a law.Lang).
package assess

import (
	"bytes"
	"encoding/json"

	"github.com/vigie-app/vigie/law"
)

// Schema is the schema tag of an assessment.
const Schema = "vigie/assessment/v1"

// Tiers of the AI Act, from the most to the least severe.
const (
	TierProhibited   = "prohibited"
	TierHigh         = "high"
	TierTransparency = "transparency"
	TierMinimal      = "minimal"
)

// Tiers lists the tiers from the most to the least severe.
var Tiers = []string{TierProhibited, TierHigh, TierTransparency, TierMinimal}

// TierRank orders tiers: higher is more severe.
func TierRank(t string) int {
	switch t {
	case TierProhibited:
		return 4
	case TierHigh:
		return 3
	case TierTransparency:
		return 2
	case TierMinimal:
		return 1
	}
	return 0
}

// Statuses of an obligation.
const (
	StatusMet      = "met"
	StatusUnmet    = "unmet"
	StatusUnknown  = "unknown"
	StatusUpcoming = "upcoming"
	// StatusInProgress: a consultation is open, its delay has not expired,
	// no opinion was given yet, and the system is not in use.
	StatusInProgress = "in_progress"
	// StatusNotApplicable: the rule's trigger matches but a transitional
	// provision spares it on the date (AI Act Art. 111(2)); Note says why
	// and what would make it apply.
	StatusNotApplicable = "not_applicable"
)

// Statuses lists the statuses of an obligation, the most pressing first.
var Statuses = []string{StatusUnmet, StatusUnknown, StatusInProgress, StatusUpcoming, StatusNotApplicable, StatusMet}

// Priorities of a risk.
const (
	Low    = "low"
	Medium = "medium"
	High   = "high"
)

// Assessment is the result of Evaluate.
type Assessment struct {
	Schema string `json:"schema"`
	Date   string `json:"date"`
	System string `json:"system"`
	AIAct  AIAct  `json:"ai_act"`
	// Obligations are what the employer owes, in the order of the rule files.
	Obligations []Obligation `json:"obligations"`
	// Rights are what the representatives or the persons concerned can use.
	Rights []Right `json:"rights"`
	// Notes are rules that qualify the result without obliging anyone.
	Notes []Note `json:"notes"`
	// Unknowns are the facts whose answer would change the tier, an
	// obligation or a risk, as questions to put to the employer.
	Unknowns []Unknown `json:"unknowns"`
	Risks    []Risk    `json:"risks"`
	// RiskMethod names the risk formula (assess/risk.yaml) that was used.
	RiskMethod string      `json:"risk_method"`
	DUERP      []DUERPLine `json:"duerp"`
	// Warnings list the unverified rules the result relies on.
	Warnings []Warning `json:"warnings"`
}

// AIAct is the classification of the system under the AI Act.
type AIAct struct {
	Tier     string   `json:"tier"`
	Grounds  []Ground `json:"grounds"`
	AnnexIII []string `json:"annex_iii"`
	// Undetermined are grounds that unknown facts could establish: the tier
	// could be more severe once they are answered.
	Undetermined []Ground `json:"undetermined"`
}

// Ground is one reason for the tier.
type Ground struct {
	Article     string   `json:"article"`
	Rule        string   `json:"rule"`
	Text        string   `json:"text"`
	TextEN      string   `json:"text_en"`
	AppliesFrom string   `json:"applies_from"`
	InForce     bool     `json:"in_force"`
	Confidence  string   `json:"confidence"`
	Points      []string `json:"points,omitempty"`
	// Facts are the facts the ground rests on (for an undetermined ground,
	// the unknown facts that decide it).
	Facts []string `json:"facts"`
}

// Obligation is one duty of the employer with its status on the date.
type Obligation struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	TitleEN string `json:"title_en"`
	Basis   string `json:"basis"`
	BasisEN string `json:"basis_en"`
	// Binds is who the rule binds, as a token (employer, deployer…).
	Binds       string `json:"binds"`
	BindsText   string `json:"binds_text"`
	BindsTextEN string `json:"binds_text_en"`
	Status      string `json:"status"`
	// Applies is "yes", or "unknown" when the trigger itself rests on
	// unknown facts (the obligation applies if they are confirmed).
	Applies string `json:"applies"`
	// AppliesFrom is a date (YYYY-MM-DD) or "in_force" for a rule the
	// reference records as in force without a date.
	AppliesFrom string `json:"applies_from"`
	// AppliesFromNote qualifies the date (the reference's remarks).
	AppliesFromNote   string   `json:"applies_from_note,omitempty"`
	AppliesFromNoteEN string   `json:"applies_from_note_en,omitempty"`
	Confidence        string   `json:"confidence"`
	ConfidenceDetail  string   `json:"confidence_detail,omitempty"`
	Because           []string `json:"because"`
	Obligation        string   `json:"obligation"`
	ObligationEN      string   `json:"obligation_en"`
	Demand            string   `json:"demand"`
	DemandEN          string   `json:"demand_en"`
	Deadline          string   `json:"deadline"`
	DeadlineEN        string   `json:"deadline_en"`
	Procedure         string   `json:"procedure,omitempty"`
	// Limbs are the parts of the rule that apply (Art. 50 paragraphs,
	// L2312-38 paragraphs), each with its own date.
	Limbs   []LimbStatus `json:"limbs,omitempty"`
	Sources []string     `json:"sources"`
	// CaseLaw are the court decisions among Sources, which support the
	// demand (CaseLawEN in English).
	CaseLaw   []string `json:"case_law,omitempty"`
	CaseLawEN []string `json:"case_law_en,omitempty"`
	// Note says why a rule is not applicable, or upcoming under a
	// transitional provision, and what would make it apply.
	Note   string `json:"note,omitempty"`
	NoteEN string `json:"note_en,omitempty"`
}

// LimbStatus is a triggered part of an obligation.
type LimbStatus struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	LabelEN     string `json:"label_en"`
	Applies     string `json:"applies"`
	AppliesFrom string `json:"applies_from"`
	InForce     bool   `json:"in_force"`
	// Binding is false when the limb binds someone other than the employer
	// (for instance the provider of a bought system).
	Binding bool `json:"binding"`
}

// Right is something the representatives or the persons concerned can use.
type Right struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	TitleEN     string   `json:"title_en"`
	Basis       string   `json:"basis"`
	BasisEN     string   `json:"basis_en"`
	Applies     string   `json:"applies"`
	AppliesFrom string   `json:"applies_from"`
	InForce     bool     `json:"in_force"`
	Confidence  string   `json:"confidence"`
	Text        string   `json:"text"`
	TextEN      string   `json:"text_en"`
	Demand      string   `json:"demand"`
	DemandEN    string   `json:"demand_en"`
	Deadline    string   `json:"deadline"`
	DeadlineEN  string   `json:"deadline_en"`
	Procedure   string   `json:"procedure,omitempty"`
	Because     []string `json:"because"`
	Sources     []string `json:"sources"`
	CaseLaw     []string `json:"case_law,omitempty"`
	CaseLawEN   []string `json:"case_law_en,omitempty"`
	// Act is "lawyer" when the right is used through a court case: a step
	// for the lawyer, not a letter to the employer.
	Act string `json:"act,omitempty"`
}

// Note is a rule that qualifies the result.
type Note struct {
	Rule       string   `json:"rule"`
	Title      string   `json:"title"`
	TitleEN    string   `json:"title_en"`
	Text       string   `json:"text"`
	TextEN     string   `json:"text_en"`
	Confidence string   `json:"confidence"`
	Sources    []string `json:"sources"`
}

// Unknown is a fact to ask the employer for.
type Unknown struct {
	// Fact is the fact to ask about; it is "" for a question on a rule
	// whose compliance no fact of the system file records (Affects names
	// the rule).
	Fact       string `json:"fact"`
	Question   string `json:"question"`
	QuestionEN string `json:"question_en"`
	Why        string `json:"why"`
	WhyEN      string `json:"why_en"`
	// Affects lists the rules whose result the answer could change.
	Affects []string `json:"affects"`
	// Dimensions lists the risk dimensions whose score the answer could change.
	Dimensions []string `json:"dimensions,omitempty"`
}

// Risk is the score of one dimension of harm.
type Risk struct {
	Dimension string `json:"dimension"`
	Label     string `json:"label"`
	LabelEN   string `json:"label_en"`
	// Severity is 0 (no sign) to 4, Frequency 1 to 4; their weights
	// multiply into Score, which gives Priority (see assess/RISKS.md).
	Severity  int    `json:"severity"`
	Frequency int    `json:"frequency"`
	Score     int    `json:"score"`
	Priority  string `json:"priority"`
	// Evidence lists the facts that moved the score.
	Evidence []string `json:"evidence"`
	// Complete is false when the dimension's main observation is unknown.
	Complete bool     `json:"complete"`
	Rules    []string `json:"rules"`
}

// DUERPLine is a line of the occupational-risk document.
type DUERPLine struct {
	Unit               string `json:"unit"`
	Dimension          string `json:"dimension"`
	Hazard             string `json:"hazard"`
	HazardEN           string `json:"hazard_en"`
	Risk               string `json:"risk"`
	RiskEN             string `json:"risk_en"`
	Severity           int    `json:"severity"`
	Frequency          int    `json:"frequency"`
	Priority           string `json:"priority"`
	ExistingMeasures   string `json:"existing_measures"`
	ExistingMeasuresEN string `json:"existing_measures_en"`
	ProposedMeasures   string `json:"proposed_measures"`
	ProposedMeasuresEN string `json:"proposed_measures_en"`
}

// Warning flags an unverified rule the result relies on.
type Warning struct {
	Rule   string `json:"rule"`
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// JSON returns the assessment as indented JSON (schema vigie/assessment/v1),
// ending with a newline. The same assessment always gives the same bytes.
func (a *Assessment) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// pick returns fr or en.
// pick returns the text in l, in plain words: the rule and procedure ids
// that the rule base writes inside its texts become their titles.
func pick(l law.Lang, fr, en string) string {
	s := fr
	if l == law.EN && en != "" {
		s = en
	}
	if b, err := law.Load(); err == nil {
		s = b.Plain(l, s)
	}
	return s
}

// TextIn returns the ground's text in l.
func (g Ground) TextIn(l law.Lang) string { return pick(l, g.Text, g.TextEN) }

// TitleIn returns the obligation's title in l.
func (o Obligation) TitleIn(l law.Lang) string { return pick(l, o.Title, o.TitleEN) }

// BasisIn returns the obligation's basis in l.
func (o Obligation) BasisIn(l law.Lang) string { return pick(l, o.Basis, o.BasisEN) }

// DemandIn returns what the representatives can demand, in l.
func (o Obligation) DemandIn(l law.Lang) string { return pick(l, o.Demand, o.DemandEN) }

// ObligationIn returns what the rule obliges, in l.
func (o Obligation) ObligationIn(l law.Lang) string { return pick(l, o.Obligation, o.ObligationEN) }

// DeadlineIn returns the deadline in l.
func (o Obligation) DeadlineIn(l law.Lang) string { return pick(l, o.Deadline, o.DeadlineEN) }

// BindsIn returns who the rule binds, in l.
func (o Obligation) BindsIn(l law.Lang) string { return pick(l, o.BindsText, o.BindsTextEN) }

// QuestionIn returns the question in l.
func (u Unknown) QuestionIn(l law.Lang) string { return pick(l, u.Question, u.QuestionEN) }

// WhyIn returns why the question matters, in l.
func (u Unknown) WhyIn(l law.Lang) string { return pick(l, u.Why, u.WhyEN) }

// LabelIn returns the dimension's name in l.
func (r Risk) LabelIn(l law.Lang) string { return pick(l, r.Label, r.LabelEN) }

// Obligation returns the obligation with the given id, if present.
func (a *Assessment) Obligation(id string) (Obligation, bool) {
	for _, o := range a.Obligations {
		if o.ID == id {
			return o, true
		}
	}
	return Obligation{}, false
}

// Risk returns the risk of the given dimension.
func (a *Assessment) Risk(dim string) (Risk, bool) {
	for _, r := range a.Risks {
		if r.Dimension == dim {
			return r, true
		}
	}
	return Risk{}, false
}
