package vigie

import (
	"context"
	"encoding/json"
	"time"
)

// Report kinds: what an engine produced about a system, kept as evidence.
const (
	ReportAssessment = "assessment" // assess: tier, obligations, risks, DUERP
	ReportAudit      = "audit"      // audit: disparities of a score or decision file
	ReportFootprint  = "footprint"  // footprint: energy, emissions, water, metals
)

// Report is the kept result of an engine run on a system: its configuration,
// what it read (name, sha256, rows) and its result as the engine's own JSON.
// Reports are never changed once written; a new run makes a new report.
type Report struct {
	ID            string          `json:"id"`
	OrgID         string          `json:"org_id"`
	SystemID      string          `json:"system_id"`
	Kind          string          `json:"kind"`
	SystemVersion int             `json:"system_version"` // the version of the facts it was computed from
	AsOf          Date            `json:"as_of"`          // the date the engine was given, if any
	Title         string          `json:"title"`
	Summary       string          `json:"summary"` // one line for lists (tier, verdict counts, kWh…)
	InputName     string          `json:"input_name,omitempty"`
	InputSHA256   string          `json:"input_sha256,omitempty"`
	InputRows     int64           `json:"input_rows,omitempty"`
	Config        json.RawMessage `json:"config,omitempty"`
	Result        json.RawMessage `json:"result"`
	HasContent    bool            `json:"has_content"` // the input file itself was kept
	CreatedBy     string          `json:"created_by"`
	CreatedAt     time.Time       `json:"created_at"`
}

// ReportService keeps engine reports. Scoped like SystemService.
type ReportService interface {
	// CreateReport stores r (editor); content, when not nil, is the input
	// file, kept only when the user asked for it.
	CreateReport(ctx context.Context, r *Report, content []byte) error
	// FindReports returns the reports of a system of one kind ("" for all),
	// newest first.
	FindReports(ctx context.Context, systemID, kind string) ([]*Report, error)
	FindReportByID(ctx context.Context, id string) (*Report, error)
	ReportContent(ctx context.Context, id string) ([]byte, error)
}

// Action states, in the order a demand usually goes through them.
const (
	ActionDraft     = "draft"     // brouillon
	ActionSent      = "sent"      // envoyé
	ActionAnswered  = "answered"  // réponse reçue
	ActionNoAnswer  = "no_answer" // sans réponse / refus implicite
	ActionEscalated = "escalated" // escalade : the next step was taken
	ActionClosed    = "closed"    // clos
)

// ActionStates lists the valid states.
var ActionStates = []string{ActionDraft, ActionSent, ActionAnswered, ActionNoAnswer, ActionEscalated, ActionClosed}

// ActionOptions are the facts of a procedure that change its deadlines.
type ActionOptions struct {
	Expert        bool `json:"expert,omitempty"`         // an expert was appointed (CSE consultation)
	MultiLevel    bool `json:"multi_level,omitempty"`    // experts at several levels (central CSE)
	Extended      bool `json:"extended,omitempty"`       // GDPR: the controller extended the time limit
	AlsaceMoselle bool `json:"alsace_moselle,omitempty"` // local public holidays
}

// Action is one letter or request: from the draft to its answer, with the
// procedure whose deadline chain starts when it is sent. Due dates are never
// stored: they are computed from the procedure and SentOn.
type Action struct {
	ID          string        `json:"id"`
	OrgID       string        `json:"org_id"`
	SystemID    string        `json:"system_id"`
	Letter      string        `json:"letter"`    // letter template id
	Rules       []string      `json:"rules"`     // the rule ids it acts on (CT-NT, GDPR-35…)
	Procedure   string        `json:"procedure"` // deadline procedure id, "" when none
	Options     ActionOptions `json:"options"`
	State       string        `json:"state"`
	Title       string        `json:"title"`
	Addressee   string        `json:"addressee"`
	SentOn      Date          `json:"sent_on"`
	Attachments string        `json:"attachments"`
	Answer      string        `json:"answer"`
	AnsweredOn  Date          `json:"answered_on"`
	ParentID    string        `json:"parent_id,omitempty"` // the action this one escalates
	Lang        string        `json:"lang"`
	Body        string        `json:"body"` // the letter as generated, kept for the record
	CreatedBy   string        `json:"created_by"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// ActionFilter selects actions; OrgID is required.
type ActionFilter struct {
	OrgID    string
	SystemID string
	States   []string // none: every state
}

// ActionService keeps the actions. Scoped like SystemService.
type ActionService interface {
	CreateAction(ctx context.Context, a *Action) error
	// UpdateAction changes the state, dates, addressee, attachments and
	// answer of an action (editor).
	UpdateAction(ctx context.Context, a *Action) error
	FindActionByID(ctx context.Context, id string) (*Action, error)
	FindActions(ctx context.Context, f ActionFilter) ([]*Action, error)
	// FindBoardActions returns, in one query, the actions of orgID that
	// are not drafts (reader), oldest first, without their letter's body,
	// each with what the deadline chains need of its system: its name and
	// its employer. An action whose system is gone or in another
	// organisation is left out.
	FindBoardActions(ctx context.Context, orgID string) ([]BoardAction, error)
}

// BoardAction is an action with the name and the employer of its system:
// what the board and the calendar feed compute their due dates from.
type BoardAction struct {
	Action     *Action
	SystemName string
	Employer   Employer
}

// CalendarService manages the secret address of an organisation's deadline
// calendar (iCalendar feed).
type CalendarService interface {
	// CreateCalendarToken makes a new secret token for orgID (editor),
	// revoking the previous one, and returns it; only its hash is stored.
	CreateCalendarToken(ctx context.Context, orgID string) (string, error)
	// RevokeCalendarToken revokes the token of orgID (editor).
	RevokeCalendarToken(ctx context.Context, orgID string) error
	// HasCalendarToken reports whether orgID has a live token (reader).
	HasCalendarToken(ctx context.Context, orgID string) (bool, error)
	// OrgForCalendarToken returns the organisation of a live token; needs
	// no actor. A wrong or revoked token is ENOTFOUND.
	OrgForCalendarToken(ctx context.Context, token string) (string, error)
}

// SentLetter is a letter as it was sent: the exact bytes of one of its
// files (pdf, odt, txt), kept with their SHA-256 when the action is first
// marked sent. A sent letter is downloaded from here, never rebuilt from
// today's record of the system.
type SentLetter struct {
	ActionID  string    `json:"action_id"`
	Format    string    `json:"format"` // pdf, odt or txt
	SHA256    string    `json:"sha256"`
	Content   []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
}

// SentLetterService keeps the letters as sent.
type SentLetterService interface {
	// ArchiveSentLetter keeps the files of a sent action (editor). A file
	// already kept for the action and format is never replaced.
	ArchiveSentLetter(ctx context.Context, files []SentLetter) error
	// FindSentLetter returns the file kept for actionID in format
	// (reader); ENOTFOUND when none was kept.
	FindSentLetter(ctx context.Context, actionID, format string) (*SentLetter, error)
}
