package deadline_test

import (
	"fmt"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
)

// The consultation of a CSE with an expert, started on 31 January 2026:
// two months later is 31 March; without the expert, one month later would
// be 28 February (the last day of a shorter month).
func ExampleCompute() {
	steps, err := deadline.Compute("cse-consultation", vigie.MustDate("2026-01-31"), deadline.Options{Expert: true})
	if err != nil {
		panic(err)
	}
	for _, s := range steps {
		if s.Kind == deadline.KindDeadline {
			fmt.Println(s.Due, s.ID, "—", s.Basis.EN, "—", s.Confidence)
		}
	}
	// Output:
	// 2026-03-31 negative-opinion-deemed — French Labour Code R2312-6 (absent an agreement, L2312-16 and L2312-19) — verified
	// 2026-03-31 seize-court-missing-information — French Labour Code L2312-15 — verified
}
