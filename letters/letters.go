// Package letters holds the demands and requests that staff representatives
// and workers can send (information and consultation of the CSE, an expert,
// the DUERP, the DPIA, the rules and source code of an algorithm, the CADA, a
// GDPR access request, a CNIL complaint, the F3SCT, the AI Act), filled from a
// system's facts and its assessment, and rendered as plain text, an HTML
// preview, an ODT document to edit and a PDF.
//
// The catalogue (catalogue.yaml) says, for each letter, the rules it acts on,
// the deadline procedure (law/deadline) whose chain starts when it is sent,
// and the letter that follows when a step of that chain expires. The texts
// are Go templates, French first and English second (templates/).
//
// The package is pure: the date of the letter is an argument.
package letters

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"text/template"

	"github.com/goccy/go-yaml"

	"github.com/vigie-app/vigie"
)

// Text is a text in French and English.
type Text struct {
	FR string `yaml:"fr" json:"fr"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang ("en" gives English, anything else French).
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// Scopes of a letter: which employers it is for.
const (
	ScopeAny     = "any"
	ScopePrivate = "private"        // private employer or public_private_law (a CSE)
	ScopePublic  = "public"         // public_* kind or a public-service mission (CRPA)
	ScopeService = "public_service" // public_state, public_territorial, public_hospital
)

// Letter describes one letter of the catalogue.
type Letter struct {
	ID    string `yaml:"id" json:"id"`
	Title Text   `yaml:"title" json:"title"`
	// Rules are the ids of the rules (package law) the letter acts on: an
	// unmet obligation with one of these ids offers the letter.
	Rules []string `yaml:"rules" json:"rules"`
	// Requires are the rules of which one must apply for the letter to be
	// used (default: Rules).
	Requires []string `yaml:"requires" json:"requires,omitempty"`
	Scope    string   `yaml:"scope" json:"scope"`
	// Sender is "representatives" or "person" (a worker or a user writing
	// for themself).
	Sender string `yaml:"sender" json:"sender"`
	// Procedure is the deadline procedure (law/deadline) whose chain starts
	// when the letter is sent, with ProcedureOptions ("expert"); empty when
	// no legal delay follows.
	Procedure        string   `yaml:"procedure" json:"procedure,omitempty"`
	ProcedureOptions []string `yaml:"procedure_options" json:"procedure_options,omitempty"`
	// Event, when set, is the event of Procedure's chain that sending the
	// letter marks (the letter continues an earlier request's chain).
	Event    string `yaml:"event" json:"event,omitempty"`
	StartsOn Text   `yaml:"starts_on" json:"starts_on"`
	// Next is the letter proposed when the step NextAfter of the chain
	// expires without a satisfactory answer.
	Next      string `yaml:"next" json:"next,omitempty"`
	NextAfter string `yaml:"next_after" json:"next_after,omitempty"`
	// From is the date (YYYY-MM-DD) from which the letter can be used.
	From string `yaml:"from" json:"from,omitempty"`
	// Obligations lists the ids of the unmet obligations the letter cites
	// ("*" for all); Questions is "all" or "rules".
	Obligations []string `yaml:"obligations" json:"-"`
	Questions   string   `yaml:"questions" json:"-"`
	// Cites are strings every rendering must contain (articles, decisions):
	// the golden tests check them.
	Cites []string `yaml:"cites" json:"cites"`
}

// Required returns the rules of which one must apply for the letter to be
// used.
func (l Letter) Required() []string {
	if len(l.Requires) > 0 {
		return l.Requires
	}
	return l.Rules
}

// Available reports whether the letter can be used on date.
func (l Letter) Available(date vigie.Date) bool {
	if l.From == "" {
		return true
	}
	from, err := vigie.ParseDate(l.From)
	return err == nil && !date.Before(from)
}

// Fits reports whether the letter is meant for the employer of sys. An
// unknown kind fits every letter.
func (l Letter) Fits(sys *vigie.System) bool {
	if sys == nil || l.Scope == ScopeAny || l.Scope == "" {
		return true
	}
	kind := sys.Organisation.Kind
	if kind == "" {
		return true
	}
	switch l.Scope {
	case ScopePrivate:
		return kind == "private" || kind == "public_private_law"
	case ScopePublic:
		return strings.HasPrefix(kind, "public_") || sys.Organisation.PublicServiceMission.True()
	case ScopeService:
		return kind == "public_state" || kind == "public_territorial" || kind == "public_hospital"
	}
	return true
}

//go:embed catalogue.yaml templates/*.tmpl
var files embed.FS

type catalogueFile struct {
	Schema  string   `yaml:"schema"`
	Letters []Letter `yaml:"letters"`
}

var loadCatalogue = sync.OnceValues(func() ([]Letter, error) {
	b, err := files.ReadFile("catalogue.yaml")
	if err != nil {
		return nil, err
	}
	var f catalogueFile
	if err := yaml.UnmarshalWithOptions(b, &f, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("letters: catalogue.yaml: %w", err)
	}
	if f.Schema != "vigie/letters/v1" {
		return nil, fmt.Errorf("letters: catalogue.yaml: unexpected schema %q", f.Schema)
	}
	return f.Letters, nil
})

func mustCatalogue() []Letter {
	ls, err := loadCatalogue()
	if err != nil {
		panic(err) // embedded data, checked by the tests
	}
	return ls
}

func (l Letter) clone() Letter {
	l.Rules = slices.Clone(l.Rules)
	l.Requires = slices.Clone(l.Requires)
	l.ProcedureOptions = slices.Clone(l.ProcedureOptions)
	l.Obligations = slices.Clone(l.Obligations)
	l.Cites = slices.Clone(l.Cites)
	return l
}

// Catalogue returns every letter, in catalogue order (a copy).
func Catalogue() []Letter {
	var out []Letter
	for _, l := range mustCatalogue() {
		out = append(out, l.clone())
	}
	return out
}

// IDs returns the ids of the letters.
func IDs() []string {
	var ids []string
	for _, l := range mustCatalogue() {
		ids = append(ids, l.ID)
	}
	return ids
}

// Lookup returns the letter with this id.
func Lookup(id string) (Letter, bool) {
	for _, l := range mustCatalogue() {
		if l.ID == id {
			return l.clone(), true
		}
	}
	return Letter{}, false
}

// ForRule returns the letters that act on rule id and fit sys's employer
// (sys may be nil), for the "agir" action of an unmet obligation.
func ForRule(rule string, sys *vigie.System) []Letter {
	var out []Letter
	for _, l := range mustCatalogue() {
		if slices.Contains(l.Rules, rule) && l.Fits(sys) {
			out = append(out, l.clone())
		}
	}
	return out
}

// NextAfter returns the letter to propose when step of the chain started by
// letter id expires, if any.
func NextAfter(id, step string) (Letter, bool) {
	l, ok := Lookup(id)
	if !ok || l.Next == "" || l.NextAfter != step {
		return Letter{}, false
	}
	return Lookup(l.Next)
}

// Obligation is an obligation of the assessment, as a letter needs it.
type Obligation struct {
	ID         string
	Status     string // unmet, met, unknown, upcoming
	Confidence string
	Title      Text
	Basis      Text
	Obligation Text // what the employer owes
	Demand     Text // what the representatives can demand
	// Note says why a transitional provision spares the rule.
	Note Text
}

// Unknown is an open question of the assessment.
type Unknown struct {
	Fact     string
	Question Text
	// Affects lists the rules, Dimensions the risk dimensions, whose result
	// the answer could change.
	Affects    []string
	Dimensions []string
}

// DUERPLine is a line the assessment proposes for the occupational risk
// document.
type DUERPLine struct {
	Unit, Hazard, Risk, ProposedMeasures Text
	Severity, Frequency                  int
	Priority                             string
}

// Data is what a letter is filled from.
type Data struct {
	System *vigie.System
	// Date is the date of the letter.
	Date vigie.Date
	// Optional: who sends it, to whom, where, who signs; generic wording is
	// used for what is empty.
	Sender, Addressee, Place, Signatory string
	// Requester is the person who sends a personal request (GDPR access,
	// rules of an algorithm).
	Requester string
	// RequestSentOn and RefusalOn date the earlier steps that a referral or
	// a complaint follows (zero when unknown).
	RequestSentOn, RefusalOn vigie.Date
	// Documents lists what an earlier request asked for (CADA referral);
	// when empty the letter lists the usual documents of the system.
	Documents []string
	// AlsaceMoselle counts Good Friday and 26 December as public holidays
	// in the deadlines shown with the letter.
	AlsaceMoselle bool
	// Assessment results: obligations (every status; letters cite the unmet
	// ones), open questions, DUERP lines.
	Obligations []Obligation
	Unknowns    []Unknown
	DUERP       []DUERPLine
	// Rights are the rights of the assessment (the levers that are not
	// duties of the employer), by id with whether they apply.
	Rights []Right
	// Assessed is true when the assessment's results were given
	// (WithAssessment): a letter is then used only if a rule it rests on
	// applies.
	Assessed bool
}

// Right is a right of the assessment, as the applicability of a letter
// needs it.
type Right struct {
	ID      string
	Applies string // yes or unknown
}

// Formats of Render.
const (
	FormatText = "text"
	FormatHTML = "html"
	FormatODT  = "odt"
	FormatPDF  = "pdf"
)

// Formats lists the output formats.
var Formats = []string{FormatText, FormatHTML, FormatODT, FormatPDF}

// Render builds letter id from d in lang ("fr" or "en") and writes it to w in
// format (text, html, odt, pdf).
func Render(id string, d Data, lang, format string, w io.Writer) error {
	if !slices.Contains(Formats, format) {
		return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (%s) / unknown %q (%s)",
			format, strings.Join(Formats, ", "), format, strings.Join(Formats, ", "))
	}
	doc, err := Build(id, d, lang)
	if err != nil {
		return err
	}
	switch format {
	case FormatHTML:
		return doc.WriteHTML(w)
	case FormatODT:
		return doc.WriteODT(w)
	case FormatPDF:
		return doc.WritePDF(w)
	}
	_, err = io.WriteString(w, doc.Text())
	return err
}

// Build fills letter id from d in lang and returns the document.
func Build(id string, d Data, lang string) (*Document, error) {
	if lang != "fr" && lang != "en" {
		return nil, vigie.Errorf(vigie.EINVALID, "--lang : %q inconnu (fr, en) / unknown %q (fr, en)", lang, lang)
	}
	l, ok := Lookup(id)
	if !ok {
		return nil, vigie.Errorf(vigie.EINVALID, "--template : lettre inconnue %q (connues : %s) / unknown letter %q (known: %s)",
			id, strings.Join(IDs(), ", "), id, strings.Join(IDs(), ", "))
	}
	if d.System == nil {
		return nil, vigie.Errorf(vigie.EINVALID, "--system : fichier système manquant / missing system file")
	}
	if d.Date.IsZero() {
		return nil, vigie.Errorf(vigie.EINVALID, "--date : date de la lettre manquante / missing date of the letter")
	}
	if !l.Available(d.Date) {
		return nil, vigie.Errorf(vigie.EINVALID,
			"--date : la lettre %s n'est utilisable qu'à partir du %s (date d'application de sa base légale), pas le %s / letter %s can only be used from %s (when its legal basis applies), not on %s",
			l.ID, l.From, d.Date, l.ID, l.From, d.Date)
	}
	if err := CheckApplies(l, d); err != nil {
		return nil, err
	}
	t, err := parseTemplate(l.ID, lang)
	if err != nil {
		return nil, err
	}
	v := newView(l, d, lang)
	escapeView(&v)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "letter", v); err != nil {
		return nil, fmt.Errorf("letters: %s.%s: %w", l.ID, lang, err)
	}
	out := buf.String()
	for _, bad := range []string{"<no value>", "{{", "}}", "%!"} {
		if strings.Contains(out, bad) {
			return nil, fmt.Errorf("letters: %s.%s: unfilled placeholder %q in the output", l.ID, lang, bad)
		}
	}
	doc, err := parseDocument(out)
	if err != nil {
		return nil, fmt.Errorf("letters: %s.%s: %w", l.ID, lang, err)
	}
	doc.unguard()
	doc.Letter, doc.Lang, doc.Date = l, lang, d.Date
	doc.Title = l.Title.In(lang)
	steps, err := Deadlines(l, d)
	if err != nil {
		return nil, err
	}
	doc.Deadlines = steps
	doc.Notes = append(doc.Notes, deadlineNotes(l, d, steps, lang)...)
	doc.Notes = append(doc.Notes, unverifiedNotes(l, d, lang)...)
	doc.Notes = append(doc.Notes, noTransmissionNote(l, d, lang)...)
	return doc, nil
}

// parseTemplate parses the template of a letter with the common blocks of
// its language. Parsing each time keeps the package free of shared state.
func parseTemplate(id, lang string) (*template.Template, error) {
	key := id + "." + lang
	t, err := template.New(key).Option("missingkey=error").Funcs(funcs(lang)).
		ParseFS(files, "templates/_common."+lang+".tmpl", "templates/"+key+".tmpl")
	if err != nil {
		return nil, fmt.Errorf("letters: template %s: %w", key, err)
	}
	if err := checkTemplate(t); err != nil {
		return nil, fmt.Errorf("letters: template %s: %w", key, err)
	}
	return t, nil
}

// unverifiedNotes warns the sender, and only the sender, of the cited
// obligations whose basis the rule base marks unverified: the letter itself
// states the law without doubt, the sender checks it before sending.
func unverifiedNotes(l Letter, d Data, lang string) []string {
	all := slices.Contains(l.Obligations, "*")
	var out []string
	for _, o := range d.Obligations {
		if o.Status != "unmet" || (!all && !slices.Contains(l.Obligations, o.ID)) {
			continue
		}
		if o.Confidence != "unverified" {
			if b := o.Basis.In(lang); b != sendable(b) {
				out = append(out, tr(lang, "Fondement en partie non vérifié : « "+o.Title.In(lang)+" » ("+b+"). La lettre cite ce fondement sans cette réserve : à contrôler avant l'envoi.",
					"Basis partly unverified: “"+o.Title.In(lang)+"” ("+b+"). The letter cites it without this reservation: check it before sending."))
			}
			continue
		}
		out = append(out, tr(lang, "Fondement non vérifié : « "+o.Title.In(lang)+" » ("+o.Basis.In(lang)+"). À contrôler avant l'envoi, ou à retirer de la lettre.",
			"Unverified basis: “"+o.Title.In(lang)+"” ("+o.Basis.In(lang)+"). Check it before sending, or remove it from the letter."))
	}
	return out
}
