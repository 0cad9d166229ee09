package testimony

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/vigie-app/vigie"
)

// Week returns the ISO week of t, as "2026-W12": the only time a submission
// keeps.
func Week(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekOfDate returns the ISO week of a civil date.
func WeekOfDate(d vigie.Date) string { return Week(d.Time()) }

var weekRE = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// ValidWeek reports whether s is an ISO week such as "2026-W12".
func ValidWeek(s string) bool {
	m := weekRE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	w, _ := strconv.Atoi(m[2])
	return w >= 1 && w <= 53
}

// Period writes the weeks from first to last in French and in English:
// "semaines 2026-W47 à W49" / "weeks 2026-W47 to W49", "semaine 2026-W47"
// for one week, the year repeated when it changes.
func Period(first, last string) (fr, en string) {
	if last == "" || last == first {
		return "semaine " + first, "week " + first
	}
	end := last
	if len(first) >= 4 && len(last) >= 4 && first[:4] == last[:4] {
		end = last[5:]
	}
	return "semaines " + first + " à " + end, "weeks " + first + " to " + end
}

// Observation is what a closed campaign says of one work.* fact: the
// workers' level, as evidence beside the representatives' own rating.
type Observation struct {
	Fact     string `json:"fact"`
	Question string `json:"question"`
	// Value is the median level of the answers that gave a level (the
	// lower one of the two middle answers when their number is even),
	// computed from the shown counts only: unknown when the hidden counts
	// leave it undetermined, or when no answer gave a level.
	Value      vigie.OptInt `json:"value"`
	Cells      []Cell       `json:"cells"`
	Source     string       `json:"source"`      // always "workers"
	Document   string       `json:"document"`    // "questionnaire, n = 23, semaines 2026-W47 à W49"
	DocumentEN string       `json:"document_en"` // "questionnaire, n = 23, weeks 2026-W47 to W49"
	Date       vigie.Date   `json:"date"`        // the closing date
}

// Closed is what Observations needs of a closed campaign besides its
// results: the weeks it was open and the day it closed.
type Closed struct {
	FirstWeek, LastWeek string
	ClosedOn            vigie.Date
}

// ClosedOf returns what Observations needs from results whose adapter
// filled the weeks and the closing day; false when the campaign is not
// closed.
func ClosedOf(r *Results) (Closed, bool) {
	if r == nil || r.ClosedOn == nil {
		return Closed{}, false
	}
	return Closed{FirstWeek: r.FirstWeek, LastWeek: r.LastWeek, ClosedOn: *r.ClosedOn}, true
}

// Observations turns the results of a closed campaign into evidence for the
// work.* facts its questions observe. There is none while the results are
// not shown (fewer than MinGroup answered).
func Observations(r *Results, c Closed) []Observation {
	if r == nil || !r.Shown() || r.Unit != nil {
		return nil
	}
	fr, en := Period(c.FirstWeek, c.LastWeek)
	doc := fmt.Sprintf("questionnaire, n = %d, %s", *r.Responses, fr)
	docEN := fmt.Sprintf("questionnaire, n = %d, %s", *r.Responses, en)
	var out []Observation
	for _, q := range r.Questions {
		if q.Fact == "" {
			continue
		}
		out = append(out, Observation{Fact: q.Fact, Question: q.ID, Value: median(q.Cells, *r.Responses),
			Cells: q.Cells, Source: "workers", Document: doc, DocumentEN: docEN, Date: c.ClosedOn})
	}
	return out
}

// median is the lower median of the levels, or unknown when the hidden
// counts leave it open. The hidden answers (total minus the shown counts)
// may lie in any hidden cell; the median is known when every placement of
// all of them in one hidden cell gives the same one. The answers giving a
// given median form a convex set of placements, so its corners decide.
func median(cells []Cell, total int) vigie.OptInt {
	counts := make([]int, len(cells))
	var hidden []int
	rest := total
	for i, c := range cells {
		if c.Count == nil {
			hidden = append(hidden, i)
			continue
		}
		counts[i] = *c.Count
		rest -= *c.Count
	}
	if len(hidden) == 0 {
		return lowerMedian(cells, counts)
	}
	var got []vigie.OptInt
	for _, h := range hidden {
		cs := slices.Clone(counts)
		cs[h] += rest
		got = append(got, lowerMedian(cells, cs))
	}
	for _, g := range got[1:] {
		if g != got[0] {
			return vigie.OptInt{}
		}
	}
	return got[0]
}

func lowerMedian(cells []Cell, counts []int) vigie.OptInt {
	n := 0
	for i, c := range cells {
		if c.Answer != NotKnown {
			n += counts[i]
		}
	}
	if n == 0 {
		return vigie.OptInt{}
	}
	cum := 0
	for i, c := range cells {
		if c.Answer == NotKnown {
			continue
		}
		cum += counts[i]
		if 2*cum >= n {
			v, _ := strconv.Atoi(c.Answer)
			return vigie.OptInt{V: v, Known: true}
		}
	}
	return vigie.OptInt{}
}

// Apply returns a copy of sys that carries the observations as evidence
// (source workers) for their work.* facts. A fact the representatives left
// unknown takes the workers' level; a fact they rated keeps their rating,
// and the two are shown side by side. sys itself is not changed.
func Apply(sys *vigie.System, obs []Observation) *vigie.System {
	out := *sys
	out.Evidence = slices.Clone(sys.Evidence)
	for _, o := range obs {
		if !o.Value.Known {
			continue
		}
		out.Evidence = append(out.Evidence, vigie.Evidence{Fact: o.Fact, Source: o.Source, Document: o.Document, Date: o.Date})
		if f := workField(&out.Work, o.Fact); f != nil && !f.Known {
			*f = o.Value
		}
	}
	return &out
}

func workField(w *vigie.Work, fact string) *vigie.OptInt {
	switch fact {
	case "work.workload_increase":
		return &w.WorkloadIncrease
	case "work.error_repair":
		return &w.ErrorRepair
	case "work.autonomy_loss":
		return &w.AutonomyLoss
	case "work.surveillance_felt":
		return &w.SurveillanceFelt
	case "work.deskilling":
		return &w.Deskilling
	case "work.opacity":
		return &w.Opacity
	case "work.discrimination_signals":
		return &w.DiscriminationSignals
	case "work.jobs_cut":
		return &w.JobsCut
	case "work.health_signals":
		return &w.HealthSignals
	}
	return nil
}

// Rating returns the representatives' own rating of a work.* fact in sys.
func Rating(sys *vigie.System, fact string) vigie.OptInt {
	w := sys.Work
	if f := workField(&w, fact); f != nil {
		return *f
	}
	return vigie.OptInt{}
}

// ResultsOf aggregates the stored answers of a campaign as of today, with the
// weeks of its answers and, once it takes no more answers, its closing day.
func ResultsOf(tc *vigie.TestimonyCampaign, answers []vigie.TestimonyAnswer, firstWeek, lastWeek string, today vigie.Date) *Results {
	as := make([]Answer, len(answers))
	for i, a := range answers {
		as[i] = Answer(a)
	}
	r := Aggregate(CampaignOf(tc), as)
	if r.Shown() {
		r.FirstWeek, r.LastWeek = firstWeek, lastWeek
	}
	if tc.ClosedBy(today) {
		d := tc.ClosedDay()
		r.ClosedOn = &d
	}
	return r
}

// CampaignOf is what aggregation needs of a stored campaign.
func CampaignOf(tc *vigie.TestimonyCampaign) Campaign {
	return Campaign{ID: tc.ID, MinGroup: tc.MinGroup, Questions: tc.Questions, Units: tc.Units}
}
