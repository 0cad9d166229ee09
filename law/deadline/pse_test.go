package deadline

import (
	"testing"

	"github.com/vigie-app/vigie"
)

// The CSE's opinion on a collective dismissal is due 2, 3 or 4 months after
// the first meeting, by number of dismissals (L1233-30).
func TestPSEConsultationDelays(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "2027-03-15"}, {10, "2027-03-15"}, {99, "2027-03-15"}, {100, "2027-04-15"}, {249, "2027-04-15"}, {250, "2027-05-15"}, {383, "2027-05-15"}} {
		m := stepDates(t, "pse-consultation", "2027-01-15", Options{Dismissals: tc.n})
		if got := m["opinion-deemed"].Due; got != vigie.MustDate(tc.want) {
			t.Errorf("%d dismissals: opinion due %s, want %s", tc.n, got, tc.want)
		}
		if got := m["second-meeting"].Due; got != vigie.MustDate("2027-01-30") {
			t.Errorf("second meeting from %s", got)
		}
		if m["administration-decision"].Due != m["opinion-deemed"].Due.AddDays(21) {
			t.Errorf("administration decision %s", m["administration-decision"].Due)
		}
	}
	// The rule names the chain by its reference id.
	if p, ok := Lookup("CT-PSE"); !ok || p.ID != "pse-consultation" {
		t.Errorf("Lookup(CT-PSE) = %s, %v", p.ID, ok)
	}
	if _, err := Compute("pse-consultation", vigie.MustDate("2027-01-15"), Options{Dismissals: -1}); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("negative dismissals: %v", err)
	}
	if _, err := Compute("cse-consultation", vigie.MustDate("2027-01-15"), Options{Dismissals: 120}); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("dismissals on a chain without them: %v", err)
	}
}
