package vigie

// SystemSummary is what the register lists of a system beyond its facts:
// its AI Act tier, how many of the employer's obligations are unmet and
// the next due date. Package summary computes it from the facts, the
// system's actions and a date; the store keeps it with the system,
// rewritten whenever the system, its actions or the rules change and
// when a date passes that changes it, so that a list page or an export
// reads it instead of evaluating every system.
type SystemSummary struct {
	// Tier is the AI Act tier (prohibited, high, transparency, minimal);
	// "" until it is computed.
	Tier string `json:"tier"`
	// Unmet is the number of obligations unmet on AsOf.
	Unmet int `json:"unmet"`
	// NextDue is the soonest due date on or after AsOf: a legal delay of
	// a letter sent (NextDueKind "action") or the date an obligation
	// starts to apply (NextDueKind "obligation"); zero when none.
	NextDue     Date   `json:"next_due"`
	NextDueKind string `json:"next_due_kind,omitempty"`
	// PostsCut is the number of posts cut because of the system (the
	// jobs.posts_cut fact), kept for the register's column and sort.
	PostsCut OptInt `json:"posts_cut"`
	// AsOf is the date the summary was computed for.
	AsOf Date `json:"as_of"`
	// Until is the first date on which the passing of time alone may
	// change the summary (an obligation starts to apply, a due date
	// passes); zero when none will.
	Until Date `json:"-"`
}

// Kinds of the next due date of a SystemSummary.
const (
	DueAction     = "action"
	DueObligation = "obligation"
)

// Sort orders of the register (SystemFilter.Sort).
const (
	SortName  = "name"  // by name (the default)
	SortTier  = "tier"  // the most severe tier first
	SortUnmet = "unmet" // the most unmet obligations first
	SortDue   = "due"   // the soonest next due date first, none last
	SortJobs  = "jobs"  // the most posts cut first, unknown last
)

// SortOrders lists the sort orders of the register.
var SortOrders = []string{SortName, SortTier, SortUnmet, SortDue, SortJobs}
