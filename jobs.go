package vigie

import "fmt"

// Jobs holds the counts of posts affected because of a system (the `jobs`
// section of a system file). Each count may be unknown and may carry
// evidence like any fact (`jobs.posts_cut`). work.jobs_cut stays the
// representatives' 0–3 rating; Jobs holds the numbers.
type Jobs struct {
	PostsCut         OptInt `yaml:"posts_cut" json:"posts_cut"`                   // removed or announced as removed
	PostsThreatened  OptInt `yaml:"posts_threatened" json:"posts_threatened"`     // at risk, not yet announced
	PostsCreated     OptInt `yaml:"posts_created" json:"posts_created"`           // created because of the system
	AnnouncedOn      Date   `yaml:"announced_on" json:"announced_on"`             // date the cuts were announced
	Procedure        string `yaml:"procedure" json:"procedure"`                   // see Enums["jobs.procedure"]
	Dismissals30Days OptInt `yaml:"dismissals_30_days" json:"dismissals_30_days"` // economic dismissals planned within 30 days
}

// The procedures by which posts are cut (jobs.procedure).
const (
	ProcedurePSE                 = "pse" // plan de sauvegarde de l'emploi
	ProcedureRuptureCollective   = "rupture_conventionnelle_collective"
	ProcedureNonReplacement      = "non_replacement"
	ProcedureVoluntaryDepartures = "voluntary_departures"
	ProcedureNone                = "none"
)

func init() {
	Enums["jobs.procedure"] = []string{ProcedurePSE, ProcedureRuptureCollective, ProcedureNonReplacement,
		ProcedureVoluntaryDepartures, ProcedureNone}
}

// Sharing levels of a stored system: who, beyond its organisation, may
// count and read it.
const (
	// SharingSection keeps the system to its organisation (the default).
	SharingSection = "section"
	// SharingFederation also lets the organisations above it (its parent
	// chain) count it in their observatory and read it, read-only.
	SharingFederation = "federation"
	// SharingPublic also publishes it in the organisation's open data.
	SharingPublic = "public"
)

// SharingLevels lists the sharing levels, from the most private.
var SharingLevels = []string{SharingSection, SharingFederation, SharingPublic}

// CheckSharing returns s, or SharingSection when s is empty, and EINVALID
// naming field when s is not a sharing level.
func CheckSharing(field, s string) (string, error) {
	switch s {
	case "":
		return SharingSection, nil
	case SharingSection, SharingFederation, SharingPublic:
		return s, nil
	}
	return "", &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(
		"%s : %q n'est pas un niveau de partage (section, federation ou public) / %s: %q is not a sharing level (section, federation or public)", field, s, field, s)}
}

// SharedBeyondSection reports whether a system at level s is shared with
// the organisations above its own.
func SharedBeyondSection(s string) bool { return s == SharingFederation || s == SharingPublic }
