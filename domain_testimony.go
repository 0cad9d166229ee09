package vigie

import "context"

// TestimonyCampaign is an anonymous questionnaire a section puts to the
// workers about one or several systems. Its free texts are encrypted to
// Recipients; the identity that decrypts them is handed once at creation
// and never stored.
type TestimonyCampaign struct {
	ID               string   `json:"id"`
	OrgID            string   `json:"org_id"`
	SystemIDs        []string `json:"system_ids"`
	Title            string   `json:"title"`
	OpensOn          Date     `json:"opens_on"`
	ClosesOn         Date     `json:"closes_on"`
	MinGroup         int      `json:"min_group"` // k
	Questions        []string `json:"questions"` // question ids of package testimony
	QuestionsVersion string   `json:"questions_version"`
	Units            []string `json:"units"` // the work units offered
	// Token is the secret of the public link /t/{token}.
	Token      string   `json:"-"`
	Recipients []string `json:"recipients"` // age recipients of the free texts
	// RetentionDays is how long after closing the free texts are kept.
	RetentionDays int    `json:"retention_days"`
	ClosedOn      Date   `json:"closed_on"`       // set when closed by hand
	TextsPurgedOn Date   `json:"texts_purged_on"` // the day the free texts were deleted
	CodesIssued   int    `json:"codes_issued"`    // paper codes printed
	CodesUsed     int    `json:"codes_used"`
	CreatedBy     string `json:"created_by"`
	CreatedOn     Date   `json:"created_on"`
}

// DefaultRetentionDays is how long free texts are kept after closing.
const DefaultRetentionDays = 90

// EndsOn is the day the campaign stops taking answers: the day it was
// closed by hand, or the day after its closing date.
func (c *TestimonyCampaign) EndsOn() Date {
	if !c.ClosedOn.IsZero() && (c.ClosesOn.IsZero() || !c.ClosedOn.After(c.ClosesOn.AddDays(1))) {
		return c.ClosedOn
	}
	return c.ClosesOn.AddDays(1)
}

// ClosedDay is the day shown as the campaign's closing: the day it was
// closed by hand, or its closing date.
func (c *TestimonyCampaign) ClosedDay() Date {
	if !c.ClosedOn.IsZero() && !c.ClosedOn.After(c.ClosesOn) {
		return c.ClosedOn
	}
	return c.ClosesOn
}

// OpenOn reports whether the campaign takes answers on day.
func (c *TestimonyCampaign) OpenOn(day Date) bool {
	return !day.Before(c.OpensOn) && day.Before(c.EndsOn())
}

// ClosedBy reports whether the campaign no longer takes answers on day.
func (c *TestimonyCampaign) ClosedBy(day Date) bool { return !day.Before(c.EndsOn()) }

// TestimonyAnswer is one worker's structured answers: the work unit ("" when
// not given) and a level "0"…"3" or "na" per question. It never holds the
// free text, nor when or from where it was sent.
type TestimonyAnswer struct {
	Unit   string            `json:"unit"`
	Values map[string]string `json:"values"`
}

// TestimonySubmission is what the public form sends.
type TestimonySubmission struct {
	Answer TestimonyAnswer
	Text   string // the optional free text, encrypted before it is stored
	Code   string // the paper code, when the campaign has codes
	Week   string // the ISO week of the submission, "2026-W12"
}

// TestimonyService keeps campaigns and their answers. Campaign calls are
// scoped like SystemService (read: any role; create, close, codes: editor);
// the public calls need no actor.
type TestimonyService interface {
	// CreateCampaign stores c with a new token (editor of c.OrgID) and
	// returns the paper codes made, codes of them (0: none).
	CreateCampaign(ctx context.Context, c *TestimonyCampaign, codes int) ([]string, error)
	// CloseCampaign stops the answers from day on (editor).
	CloseCampaign(ctx context.Context, id string, day Date) error
	// AddCodes makes n more paper codes (editor).
	AddCodes(ctx context.Context, id string, n int) ([]string, error)
	FindCampaignByID(ctx context.Context, id string) (*TestimonyCampaign, error)
	// FindCampaigns returns the campaigns of an organisation, of one
	// system when systemID is not "".
	FindCampaigns(ctx context.Context, orgID, systemID string) ([]*TestimonyCampaign, error)
	// CampaignAnswers returns the structured answers, ordered by value,
	// never by arrival, and the weeks of the first and last ones.
	CampaignAnswers(ctx context.Context, id string) (answers []TestimonyAnswer, firstWeek, lastWeek string, err error)
	// CampaignTexts returns the encrypted free texts, in random order,
	// only once at least MinGroup answered (EFORBIDDEN before).
	CampaignTexts(ctx context.Context, id string) ([][]byte, error)

	// CampaignForToken returns the campaign of a public link; no actor.
	CampaignForToken(ctx context.Context, token string) (*TestimonyCampaign, error)
	// Submit stores one submission to the campaign of token on day; no
	// actor. A closed campaign, a wrong or used code is EINVALID.
	Submit(ctx context.Context, token string, s *TestimonySubmission, day Date) error
	// PurgeTexts deletes the free texts of the campaigns whose retention
	// ended by day, and returns how many texts went (operator).
	PurgeTexts(ctx context.Context, day Date) (int, error)
}
