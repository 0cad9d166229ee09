package assess_test

import (
	"fmt"
	"os"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

func ExampleEvaluate() {
	raw, _ := os.ReadFile("testdata/cases/03-poste-planification-bureaux.yaml")
	sys, err := vigie.ParseSystem("03-poste-planification-bureaux.yaml", raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []string{"2027-12-01", "2027-12-02"} {
		a := assess.Evaluate(sys, vigie.MustDate(d))
		o, _ := a.Obligation("AIA-26-7")
		fmt.Println(d, a.AIAct.Tier, a.AIAct.AnnexIII, a.AIAct.Grounds[0].InForce, o.Status)
	}
	// In service since 2026, never significantly changed: the AI Act's
	// Art. 111(2) spares a private deployer, whatever the date.
	// Output:
	// 2027-12-01 high [4(b)] false not_applicable
	// 2027-12-02 high [4(b)] true not_applicable
}
