// Package report builds the dossier of one AI system: one document for a
// staff-body meeting, the labour inspector, a judge or the press, in which
// every figure can be reproduced by a vigie command.
//
// Build takes what the caller has — the system, its assessment at a date,
// and, from a database, the stored documents, the actions with their
// deadline chains, the audit and footprint reports, the testimony
// aggregates — and returns one Dossier: a cover, sections of blocks
// (paragraphs, lists, tables, charts), the bordereau of numbered exhibits
// and the manifest of its figures. WriteHTML, WritePDF and WriteODT render
// that one model and Manifest is its JSON (schema vigie/dossier/v1), so the
// formats cannot drift apart.
//
// The package is pure: no database, no clock (the date is an argument), no
// network. Exhibit numbers already given are an input; Build numbers the
// new exhibits after them and reports which, for the caller to keep.
package report

import (
	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/audit"
	"github.com/vigie-app/vigie/chart"
	"github.com/vigie-app/vigie/footprint"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/testimony"
)

// Schema is the schema tag of the manifest.
const Schema = "vigie/dossier/v1"

// Audiences of a dossier.
const (
	AudienceCSE        = "cse"        // the staff body's meeting (default)
	AudienceInspection = "inspection" // the labour inspector: obligations and articles first
	AudienceCourt      = "court"      // a judge: bordereau, chronology, exhibits
	AudiencePublic     = "public"     // the press: no person's name, no section note, no free text
)

// Audiences lists the audiences.
var Audiences = []string{AudienceCSE, AudienceInspection, AudienceCourt, AudiencePublic}

// SystemFile is what stands for the system file in the figures' commands.
const SystemFile = "SYSTEM-FILE"

// Input is what the caller has about the system.
type Input struct {
	System     *vigie.System
	Assessment *assess.Assessment
	Date       vigie.Date
	Audience   string // one of Audiences; "" is AudienceCSE
	Lang       string // "fr" (default) or "en"
	// Org and SystemID name the stored system (database mode); they go
	// into the commands that read the database. Empty for a file.
	Org, SystemID string
	Workplace     string // the workplace's name, when known

	Documents   []*vigie.Document
	Actions     []Action
	Audits      []Audit
	Footprint   *Footprint
	Testimonies []Testimony

	// Numbers are the exhibit numbers already given, by exhibit key
	// (see Exhibit.Key); nil when none were kept.
	Numbers map[string]int
}

// Action is a letter or request with the deadline chain it started (the
// caller computes it: see letters and law/deadline).
type Action struct {
	Action  *vigie.Action
	Steps   []deadline.Step
	Command string // the vigie deadline command that gives the chain
}

// Audit is a kept audit report with its decoded result.
type Audit struct {
	Report *vigie.Report
	Result *audit.Report
}

// Footprint is an estimate of the system's environmental footprint: a kept
// report, or one computed from the system's usage facts (Report nil).
type Footprint struct {
	Report *vigie.Report
	Input  footprint.Input
	Result *footprint.Result
}

// Testimony is a campaign with its aggregates (suppressed cells stay
// suppressed: the aggregation did it).
type Testimony struct {
	Campaign *vigie.TestimonyCampaign
	Results  *testimony.Results
}

// Dossier is the document model every format renders.
type Dossier struct {
	Lang, Audience string
	Date           vigie.Date
	Title          string  // "Dossier — <system>"
	Subtitle       string  // the audience and the date
	Cover          []Field // the cover's label/value lines
	Sections       []Section
	Manifest       Manifest
	// NewNumbers are the exhibit numbers given by this Build that were not
	// in Input.Numbers: what the caller keeps so they never change.
	NewNumbers map[string]int
}

// Field is a label with its value.
type Field struct{ Label, Value string }

// Section is one part of the dossier; each starts on a new page.
type Section struct {
	ID, Title string
	Blocks    []Block
}

// Kind is the kind of a block.
type Kind int

const (
	Heading   Kind = iota // a sub-heading (Text)
	Paragraph             // Text, with Status when it states one
	List                  // Items
	Table                 // Table
	Figure                // Chart, with its fallback table
	Warning               // Text: an unverified rule, a caveat
	Fields                // Fields: label/value lines
)

// Block is one element of a section.
type Block struct {
	Kind   Kind
	Text   string
	Status string // a status word's key (met, unmet…) shown with the text
	Items  []string
	Cites  []string // for a List: the source each item cites (a part of the item), "" for none
	Table  *TableData
	Chart  *chart.Chart
	Fields []Field
}

// TableData is a table: header and rows of cells; Widths are the relative
// widths of the columns.
type TableData struct {
	Caption string
	Head    []string
	Rows    [][]Cell
	Widths  []float64
}

// Cell is one cell; Status colours it (met, unmet, unknown, upcoming,
// in_progress, not_applicable, high, medium, low, disparity, parity).
type Cell struct {
	Text   string
	Status string
	Mono   bool   // a hash, a command, a pointer
	Tag    string // an id shown small after the text (a rule id), never inside it
	Lang   string // the language of Text when it is not the dossier's (a letter's title)
}

// Manifest is the dossier's JSON (schema vigie/dossier/v1).
type Manifest struct {
	Schema   string       `json:"schema"`
	System   string       `json:"system"`
	Date     string       `json:"date"`
	Audience string       `json:"audience"`
	Lang     string       `json:"lang"`
	Sections []SectionRef `json:"sections"`
	Exhibits []Exhibit    `json:"exhibits"`
	Figures  []FigureRef  `json:"figures"`
}

// SectionRef names a section.
type SectionRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// Exhibit is a numbered piece of the bordereau. Key identifies it across
// dossiers ("document:<id>", "evidence:<hash of the text>|<date>", "action:<id>",
// "report:<id>", "campaign:<id>") so that it keeps its number.
type Exhibit struct {
	N      int     `json:"n"`
	Title  string  `json:"title"`
	Date   *string `json:"date"`
	Source string  `json:"source"`
	SHA256 *string `json:"sha256"`
	Key    string  `json:"key"`
}

// FigureRef is one figure the document shows, with the command whose
// --format json output holds Value at JSONPointer (RFC 6901).
type FigureRef struct {
	ID          string   `json:"id"`
	Label       string   `json:"label"`
	Value       any      `json:"value"`
	Command     []string `json:"command"`
	JSONPointer string   `json:"json_pointer"`
}
