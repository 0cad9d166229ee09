package law_test

import (
	"strings"
	"testing"

	"github.com/vigie-app/vigie/law"
)

func TestPlainRewritesIds(t *testing.T) {
	b := law.MustLoad()
	for _, r := range b.Rules() {
		for _, l := range []law.Lang{law.FR, law.EN} {
			for _, s := range []string{r.Obligation.In(l), r.Demand.In(l), r.Trigger.In(l), r.Deadline.Text.In(l)} {
				p := b.Plain(l, s)
				for _, o := range b.Rules() {
					if strings.Contains(" "+p+" ", " "+o.ID+" ") || strings.Contains(p, "("+o.ID+")") || strings.Contains(p, "("+o.ID+",") {
						t.Errorf("%s (%s): id %s left in %q", r.ID, l, o.ID, p)
					}
				}
				if strings.Contains(p, "PROC-") {
					t.Errorf("%s (%s): procedure id left in %q", r.ID, l, p)
				}
			}
		}
	}
	got := b.Plain(law.FR, "délais de CT-DEL (CT-NT, CT-SURV) et PROC-A.")
	if strings.Contains(got, "CT-") || !strings.Contains(got, "« "+b.Rule("CT-DEL").Title.FR+" »") || !strings.Contains(got, "procédure de consultation du CSE") {
		t.Errorf("Plain: %q", got)
	}
	if got := b.Plain(law.FR, "AIA-26-7 et AIA-26"); !strings.Contains(got, b.Rule("AIA-26-7").Title.FR) {
		t.Errorf("longest id first: %q", got)
	}
}
