package testimony

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestSuppressRules(t *testing.T) {
	cases := []struct {
		counts []int
		k      int
		want   []bool
	}{
		{[]int{9, 7, 0, 6, 1}, 5, []bool{false, false, false, true, true}}, // 1 hidden, then the smallest (6)
		{[]int{9, 7, 5, 6, 0}, 5, []bool{false, false, false, false, false}},
		{[]int{2, 2, 9, 9, 0}, 5, []bool{true, true, true, false, false}}, // 2+2 < 5: one more
		{[]int{3, 3, 20, 0, 0}, 5, []bool{true, true, false, false, false}},
		{[]int{0, 0, 0, 0, 23}, 5, []bool{false, false, false, false, false}},
	}
	for _, c := range cases {
		if got := Suppress(c.counts, c.k); !slices.Equal(got, c.want) {
			t.Errorf("Suppress(%v, %d) = %v, want %v", c.counts, c.k, got, c.want)
		}
	}
}

// checkTable asserts the two rules of a shown table of total answers:
// every shown cell is 0 or ≥ k, and the hidden answers (total − shown) are
// never 1 to k−1; when one cell is hidden, at least another is.
func checkTable(t *testing.T, where string, cells []Cell, total, k int) {
	t.Helper()
	visible, hidden := 0, 0
	for _, c := range cells {
		if c.Count == nil {
			hidden++
			continue
		}
		if *c.Count != 0 && *c.Count < k {
			t.Fatalf("%s: cell %q shows %d < k=%d", where, c.Answer, *c.Count, k)
		}
		visible += *c.Count
	}
	if d := total - visible; d > 0 && d < k {
		t.Fatalf("%s: total %d − visible %d = %d, in 1..%d", where, total, visible, d, k-1)
	}
	if hidden == 1 {
		t.Fatalf("%s: a single hidden cell is the total minus the others", where)
	}
	if hidden == 0 && visible != total {
		t.Fatalf("%s: nothing hidden but %d shown of %d", where, visible, total)
	}
}

func randomAnswers(r *rand.Rand, n int, units []string, qs []string) []Answer {
	// Skewed answers, so that small cells are common.
	var out []Answer
	for range n {
		a := Answer{Values: map[string]string{}}
		if len(units) > 0 && r.IntN(5) > 0 {
			a.Unit = units[min(r.IntN(len(units)), r.IntN(len(units)))]
		}
		for _, q := range qs {
			if r.IntN(4) == 0 {
				continue // left out: not known
			}
			a.Values[q] = scaleAnswers[min(r.IntN(len(scaleAnswers)), r.IntN(len(scaleAnswers)))]
		}
		out = append(out, a)
	}
	return out
}

// TestSuppressionProperties draws random campaigns and answers and checks
// every table of every filter (the whole, each unit): every shown cell is 0
// or ≥ k, the hidden remainder never 1..k−1, and no difference between the
// whole and a unit's shown counts falls in 1..k−1.
func TestSuppressionProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	ids := Questions().IDs()
	for iter := range 3000 {
		k := 2 + r.IntN(10)
		var units []string
		for i := range r.IntN(5) {
			units = append(units, fmt.Sprintf("unité %d", i))
		}
		qs := ids[:1+r.IntN(len(ids))]
		c := Campaign{ID: "c", MinGroup: k, Questions: qs, Units: units}
		n := r.IntN(80)
		answers := randomAnswers(r, n, units, qs)
		where := fmt.Sprintf("iter %d (k=%d, n=%d, units=%d)", iter, k, n, len(units))
		all := Aggregate(c, answers)
		if n < k {
			if all.Responses != nil {
				t.Fatalf("%s: responses shown below k", where)
			}
			for _, q := range all.Questions {
				for _, cell := range q.Cells {
					if cell.Count != nil {
						t.Fatalf("%s: a count shown below k", where)
					}
				}
			}
			continue
		}
		if *all.Responses != n {
			t.Fatalf("%s: responses %d", where, *all.Responses)
		}
		for _, q := range all.Questions {
			checkTable(t, where+" "+q.ID, q.Cells, n, k)
		}
		if len(units) > 0 {
			checkTable(t, where+" units", all.Units.Cells, n, k)
			for _, b := range all.ByUnit {
				for _, row := range b.Rows {
					rowTotal := 0
					for _, a := range answers {
						if a.Unit == row.Unit {
							rowTotal++
						}
					}
					checkTable(t, where+" "+b.Question+" by "+row.Unit, row.Cells, rowTotal, k)
				}
			}
		}
		for _, u := range append(slices.Clone(units), "") {
			one := AggregateUnit(c, answers, u)
			if one.Responses == nil {
				for _, q := range one.Questions {
					for _, cell := range q.Cells {
						if cell.Count != nil {
							t.Fatalf("%s unit %q: a count shown while the unit's total is hidden", where, u)
						}
					}
				}
				continue
			}
			m := *one.Responses
			if m < k {
				t.Fatalf("%s unit %q: %d responses shown below k", where, u, m)
			}
			if d := n - m; d > 0 && d < k {
				t.Fatalf("%s unit %q: the rest of the answers, %d, is below k", where, u, d)
			}
			for qi, q := range one.Questions {
				checkTable(t, where+" unit "+u+" "+q.ID, q.Cells, m, k)
				for ci, cell := range q.Cells {
					whole := all.Questions[qi].Cells[ci].Count
					if cell.Count != nil && whole != nil {
						if d := *whole - *cell.Count; d > 0 && d < k {
							t.Fatalf("%s unit %q %s %q: whole %d − unit %d = %d < k", where, u, q.ID, cell.Answer, *whole, *cell.Count, d)
						}
					}
				}
			}
		}
	}
}

func TestAggregateJSONShape(t *testing.T) {
	c := Campaign{ID: "0b0c2bd9-5a0e-4b8e-9d57-0c6a1d1c3f00", Units: []string{"Plateau A", "Plateau B"}}
	var answers []Answer
	for i := range 23 {
		a := Answer{Unit: "Plateau A", Values: map[string]string{"surveillance_felt": "3"}}
		if i%3 == 0 {
			a.Values["surveillance_felt"] = "0"
		}
		if i == 0 {
			a.Values["surveillance_felt"] = "1"
		}
		answers = append(answers, a)
	}
	for i := range answers {
		if err := c.Validate(&answers[i]); err != nil {
			t.Fatal(err)
		}
	}
	res := Aggregate(c, answers)
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back["schema"] != ResultsSchema || back["min_group"] != 5.0 || back["responses"] != 23.0 || back["campaign"] != c.ID {
		t.Fatalf("header: %s", raw)
	}
	var sv QuestionResult
	for _, q := range res.Questions {
		if q.ID == "surveillance_felt" {
			sv = q
		}
	}
	got := map[string]string{}
	for _, cell := range sv.Cells {
		if cell.Count == nil {
			got[cell.Answer] = "null"
		} else {
			got[cell.Answer] = fmt.Sprint(*cell.Count)
		}
	}
	// 15 × "3", 7 × "0", 1 × "1": the 1 is hidden, and with it the 7.
	want := map[string]string{"0": "null", "1": "null", "2": "0", "3": "15", "na": "0"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("surveillance_felt cells = %v, want %v", got, want)
	}
	if !strings.Contains(string(raw), `"count":null`) {
		t.Fatalf("a suppressed count is not null: %s", raw)
	}
	// Few answers: nothing at all.
	few := Aggregate(c, answers[:4])
	raw, _ = json.Marshal(few)
	if !strings.Contains(string(raw), `"responses":null`) || strings.Contains(string(raw), `"count":4`) {
		t.Fatalf("below k: %s", raw)
	}
}

func TestValidate(t *testing.T) {
	c := Campaign{Questions: []string{"surveillance_felt", "opacity"}, Units: []string{"A"}}
	for _, bad := range []Answer{
		{Unit: "B"},
		{Values: map[string]string{"surveillance_felt": "4"}},
		{Values: map[string]string{"surveillance_felt": "-1"}},
		{Values: map[string]string{"health_signals": "1"}},
	} {
		if err := c.Validate(&bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	a := Answer{Unit: "A", Values: map[string]string{"opacity": "2"}}
	if err := c.Validate(&a); err != nil {
		t.Fatal(err)
	}
	if a.Values["surveillance_felt"] != NotKnown {
		t.Fatalf("a question left out should count as not known: %v", a.Values)
	}
}

func TestSortAnswersIgnoresArrival(t *testing.T) {
	ids := []string{"surveillance_felt"}
	as := []Answer{{Values: map[string]string{"surveillance_felt": "3"}}, {Values: map[string]string{"surveillance_felt": "0"}}, {Unit: "B", Values: map[string]string{"surveillance_felt": "1"}}}
	SortAnswers(as, ids)
	if as[0].Values["surveillance_felt"] != "0" || as[1].Values["surveillance_felt"] != "3" || as[2].Unit != "B" {
		t.Fatalf("order: %+v", as)
	}
}
