package audit_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/vigie-app/vigie/audit"
)

func ExampleRun() {
	// 200 people; group B is flagged twice as often as group A.
	var b strings.Builder
	b.WriteString("groupe;score\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "A;%d\n", map[bool]int{true: 1, false: 0}[i < 20])
		fmt.Fprintf(&b, "B;%d\n", map[bool]int{true: 1, false: 0}[i < 40])
	}
	thr := 1.0
	rep, err := audit.Run(context.Background(), strings.NewReader(b.String()), audit.Config{
		Groups: []string{"groupe"}, Score: "score", Threshold: &thr, Reference: map[string]string{"groupe": "A"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := rep.Attributes[0]
	g := a.Groups[1]
	d := g.Disparities["pprev"]
	fmt.Printf("%s vs %s: ratio %.2f [%.2f, %.2f], %s\n", g.Value, a.Reference, *d.Ratio, *d.RatioCILow, *d.RatioCIHigh, d.Verdict)
	fmt.Println(rep.Sentence("en", "pprev", &a, &g))
	// Output:
	// B vs A: ratio 2.00 [1.26, 3.17], disparity
	// 40.0% of “B” were flagged against 20.0% of “A” (40/100 vs 20/100): 2.0 times as often (95% CI 1.26–3.17), i.e. 20 more people. Disparity established: the whole interval lies outside the 0.8–1.25 band and the corrected test (Holm) confirms it (adjusted p = 0.00203).
}

func ExampleReadHeaderFile() {
	h, err := audit.ReadHeaderFile("testdata/german.data")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(len(h.Columns), h.Columns[8], h.Delimiter, h.Sample[0][8])
	// Output:
	// 21 Status/sex space A93
}
