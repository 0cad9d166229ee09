package letters_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/letters"
)

// From an unmet obligation of an assessment to the letter that acts on it,
// and to the deadline chain that sending it starts.
func ExampleForRule() {
	b, err := os.ReadFile("testdata/cases/01-centre-appels-analyse-vocale.yaml")
	if err != nil {
		panic(err)
	}
	sys, err := vigie.ParseSystem("01.yaml", b)
	if err != nil {
		panic(err)
	}
	date := vigie.MustDate("2026-11-26")
	a := assess.Evaluate(sys, date)
	o, _ := a.Obligation("CT-NT")
	l := letters.ForRule(o.ID, sys)[0]
	fmt.Println(o.Status, "→", l.ID, "→", l.Procedure)

	var out strings.Builder
	d := letters.WithAssessment(letters.Data{System: sys, Date: date}, a)
	if err := letters.Render(l.ID, d, "fr", letters.FormatText, &out); err != nil {
		panic(err)
	}
	fmt.Println(strings.Contains(out.String(), "RG n° 24/01457"))
	// Output:
	// unmet → cse-consultation-new-technology → cse-consultation
	// true
}
