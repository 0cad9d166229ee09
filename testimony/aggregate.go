package testimony

import (
	"slices"
	"sort"

	"github.com/vigie-app/vigie"
)

// DefaultMinGroup is the minimum group size k when a campaign sets none.
const DefaultMinGroup = 5

// ResultsSchema is the schema tag of Results.
const ResultsSchema = "vigie/testimony-results/v1"

// UnitID is the id of the work-unit question in results.
const UnitID = "unit"

// Answer is one worker's structured answers. It never holds the free text,
// which is kept apart.
type Answer struct {
	// Unit is the work unit, one of the campaign's units, or "" when the
	// worker did not say.
	Unit string `json:"unit"`
	// Values maps a question id to "0"…"3" or NotKnown. A question left
	// out counts as NotKnown.
	Values map[string]string `json:"values"`
}

// Campaign is what aggregation needs to know of a campaign.
type Campaign struct {
	ID        string
	MinGroup  int      // k; 0 means DefaultMinGroup
	Questions []string // question ids, in the order of the set; none: all
	Units     []string // the work units offered, in order
}

func (c Campaign) k() int {
	if c.MinGroup <= 0 {
		return DefaultMinGroup
	}
	return c.MinGroup
}

func (c Campaign) questions() []Question {
	qs, err := Questions().Select(c.Questions)
	if err != nil {
		// Unknown ids were refused when the campaign was made; keep
		// the known ones.
		for _, id := range c.Questions {
			if q := Questions().Question(id); q != nil {
				qs = append(qs, *q)
			}
		}
	}
	return qs
}

// Validate checks one submitted answer against the campaign: every value is
// a level of the scale or NotKnown, the unit is one offered or "". The
// error is EINVALID and names the field. Missing questions are filled with
// NotKnown.
func (c Campaign) Validate(a *Answer) error {
	if a.Unit != "" && !slices.Contains(c.Units, a.Unit) {
		return &vigie.Error{Code: vigie.EINVALID, Field: UnitID, Message: "unité de travail inconnue / unknown work unit"}
	}
	qs := c.questions()
	if a.Values == nil {
		a.Values = map[string]string{}
	}
	for id := range a.Values {
		if !slices.ContainsFunc(qs, func(q Question) bool { return q.ID == id }) {
			return &vigie.Error{Code: vigie.EINVALID, Field: id, Message: "question inconnue : " + id + " / unknown question: " + id}
		}
	}
	for _, q := range qs {
		v, ok := a.Values[q.ID]
		if !ok || v == "" {
			a.Values[q.ID] = NotKnown
			continue
		}
		if !slices.Contains(scaleAnswers, v) {
			return &vigie.Error{Code: vigie.EINVALID, Field: q.ID, Message: "réponse hors de l'échelle pour " + q.ID + " / answer out of the scale for " + q.ID}
		}
	}
	return nil
}

// Cell is one count of a table. Count is nil when it is suppressed.
type Cell struct {
	Answer  string `json:"answer"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en"`
	Count   *int   `json:"count"`
}

// QuestionResult is the table of one question: a cell per answer.
type QuestionResult struct {
	ID     string `json:"id"`
	Fact   string `json:"fact,omitempty"`
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
	Cells  []Cell `json:"cells"`
}

// Hidden reports whether some cell of the table is suppressed.
func (q *QuestionResult) Hidden() bool {
	return slices.ContainsFunc(q.Cells, func(c Cell) bool { return c.Count == nil })
}

// UnitRow is one work unit's row of a breakdown.
type UnitRow struct {
	Unit  string `json:"unit"` // "" for the answers that gave no unit
	Cells []Cell `json:"cells"`
}

// Breakdown is one question's answers by work unit. Rows are given only when
// Shown.
type Breakdown struct {
	Question string    `json:"question"`
	Shown    bool      `json:"shown"`
	Rows     []UnitRow `json:"rows"`
}

// Results are the aggregates of a campaign (schema ResultsSchema).
// Responses is nil while fewer than MinGroup answered, and then every count
// is nil too.
type Results struct {
	Schema    string           `json:"schema"`
	Campaign  string           `json:"campaign"`
	MinGroup  int              `json:"min_group"`
	Responses *int             `json:"responses"`
	Unit      *string          `json:"unit,omitempty"` // the filter, when results are of one work unit
	Questions []QuestionResult `json:"questions"`
	Units     *QuestionResult  `json:"units,omitempty"`
	ByUnit    []Breakdown      `json:"by_unit,omitempty"`
	// FirstWeek, LastWeek and ClosedOn are filled by the adapters: the
	// weeks of the first and last answers, and the day the campaign
	// stopped taking answers once it has.
	FirstWeek string      `json:"first_week,omitempty"`
	LastWeek  string      `json:"last_week,omitempty"`
	ClosedOn  *vigie.Date `json:"closed_on,omitempty"`
}

// Shown reports whether the results are public to the section: at least
// MinGroup answered.
func (r *Results) Shown() bool { return r.Responses != nil }

// Suppress returns which counts of a table must be hidden: every count from
// 1 to k−1, then, while the hidden counts are fewer than two or hold fewer
// than k answers together, the smallest shown non-zero count (the first one
// on a tie). Shown counts are then 0 or at least k, and the total minus the
// shown counts is 0 or at least k.
func Suppress(counts []int, k int) []bool {
	hidden := make([]bool, len(counts))
	n, sum := 0, 0
	for i, c := range counts {
		if c > 0 && c < k {
			hidden[i] = true
			n++
			sum += c
		}
	}
	for n > 0 && (n < 2 || sum < k) {
		best := -1
		for i, c := range counts {
			if !hidden[i] && c > 0 && (best < 0 || c < counts[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		hidden[best] = true
		n++
		sum += counts[best]
	}
	return hidden
}

func intp(v int) *int { return &v }

// table builds the cells of answers from counts, suppressed when suppress.
func table(answers []string, counts []int, k int, show bool, label func(string) (string, string)) []Cell {
	hidden := Suppress(counts, k)
	cells := make([]Cell, len(answers))
	for i, a := range answers {
		cells[i].Answer = a
		cells[i].Label, cells[i].LabelEN = label(a)
		if show && !hidden[i] {
			cells[i].Count = intp(counts[i])
		}
	}
	return cells
}

func (c Campaign) unitKeys() []string { return append(slices.Clone(c.Units), "") }

func unitLabel(u string) (string, string) {
	if u == "" {
		return Questions().Unit.NotGiven.FR, Questions().Unit.NotGiven.EN
	}
	return u, u
}

// Aggregate returns the results of a campaign over every answer: a table
// per question, the table of work units, and the breakdowns by unit.
func Aggregate(c Campaign, answers []Answer) *Results {
	k := c.k()
	r := &Results{Schema: ResultsSchema, Campaign: c.ID, MinGroup: k, Questions: []QuestionResult{}}
	n := len(answers)
	show := n >= k
	if show {
		r.Responses = intp(n)
	}
	for _, q := range c.questions() {
		r.Questions = append(r.Questions, questionTable(q, answers, k, show))
	}
	units := c.unitKeys()
	if len(c.Units) > 0 {
		counts := make([]int, len(units))
		for _, a := range answers {
			counts[unitIndex(units, a.Unit)]++
		}
		ut := Questions().Unit.Text
		r.Units = &QuestionResult{ID: UnitID, Text: ut.FR, TextEN: ut.EN, Cells: table(units, counts, k, show, unitLabel)}
		for _, q := range c.questions() {
			r.ByUnit = append(r.ByUnit, breakdown(q, units, answers, k, show && !r.Units.Hidden()))
		}
	}
	return r
}

// AggregateUnit returns the results of the answers of one work unit ("" for
// the answers that gave no unit). Its counts are shown only where the whole
// results show them: the unit's count is shown in the table of units, and a
// question's counts are shown only when its breakdown by unit is.
func AggregateUnit(c Campaign, answers []Answer, unit string) *Results {
	all := Aggregate(c, answers)
	k := all.MinGroup
	r := &Results{Schema: ResultsSchema, Campaign: c.ID, MinGroup: k, Unit: &unit, Questions: []QuestionResult{}}
	var mine []Answer
	for _, a := range answers {
		if a.Unit == unit {
			mine = append(mine, a)
		}
	}
	unitShown := false
	if all.Units != nil && all.Shown() {
		for _, cell := range all.Units.Cells {
			if cell.Answer == unit && cell.Count != nil && *cell.Count >= k {
				unitShown = true
			}
		}
	}
	if unitShown {
		r.Responses = intp(len(mine))
	}
	for i, q := range c.questions() {
		shown := unitShown && i < len(all.ByUnit) && all.ByUnit[i].Shown
		qr := questionTable(q, mine, k, shown)
		r.Questions = append(r.Questions, qr)
	}
	return r
}

func unitIndex(units []string, u string) int {
	if i := slices.Index(units, u); i >= 0 {
		return i
	}
	return len(units) - 1 // "" : not given
}

func questionLabel(q Question) func(string) (string, string) {
	return func(a string) (string, string) { return q.Label(a, "fr"), q.Label(a, "en") }
}

func countAnswers(q Question, answers []Answer) []int {
	counts := make([]int, len(scaleAnswers))
	for _, a := range answers {
		v := a.Values[q.ID]
		i := slices.Index(scaleAnswers, v)
		if i < 0 {
			i = len(scaleAnswers) - 1 // NotKnown
		}
		counts[i]++
	}
	return counts
}

func questionTable(q Question, answers []Answer, k int, show bool) QuestionResult {
	return QuestionResult{ID: q.ID, Fact: q.Fact, Text: q.Text.FR, TextEN: q.Text.EN,
		Cells: table(scaleAnswers, countAnswers(q, answers), k, show, questionLabel(q))}
}

// breakdown is shown only when every cell of every row is 0 or at least k:
// then nothing is hidden, and no difference of rows or with the whole
// question's table falls below k.
func breakdown(q Question, units []string, answers []Answer, k int, show bool) Breakdown {
	b := Breakdown{Question: q.ID, Rows: []UnitRow{}}
	byUnit := map[string][]Answer{}
	for _, a := range answers {
		u := units[unitIndex(units, a.Unit)]
		byUnit[u] = append(byUnit[u], a)
	}
	rows := make([][]int, len(units))
	ok := show
	for i, u := range units {
		rows[i] = countAnswers(q, byUnit[u])
		for _, c := range rows[i] {
			if c > 0 && c < k {
				ok = false
			}
		}
	}
	b.Shown = ok
	if !ok {
		return b
	}
	for i, u := range units {
		b.Rows = append(b.Rows, UnitRow{Unit: u, Cells: table(scaleAnswers, rows[i], k, true, questionLabel(q))})
	}
	return b
}

// SortAnswers orders answers by their values (unit, then each question in
// order), never by arrival, so that a list of answers says nothing of who
// answered when.
func SortAnswers(answers []Answer, ids []string) {
	key := func(a Answer) string {
		s := a.Unit + "\x00"
		for _, id := range ids {
			s += a.Values[id] + "\x00"
		}
		return s
	}
	sort.SliceStable(answers, func(i, j int) bool { return key(answers[i]) < key(answers[j]) })
}
