package observatory

import (
	"encoding/json"
	"html"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
)

func TestMembersFollowsTheParentChainAndStopsOnACycle(t *testing.T) {
	orgs := []Org{{ID: "f", Name: "F"}, {ID: "a", Name: "A", ParentID: "f"}, {ID: "a1", Name: "A1", ParentID: "a"},
		{ID: "x", Name: "X", ParentID: "y"}, {ID: "y", Name: "Y", ParentID: "x"}, {ID: "z", Name: "Z"}}
	got := Members("f", orgs)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "a1" {
		t.Errorf("members of f: %+v", got)
	}
	if got := Members("z", orgs); len(got) != 0 {
		t.Errorf("members of z: %+v", got)
	}
}

func TestTestimoniesBelowElevenAreSuppressed(t *testing.T) {
	orgs := []Org{{ID: "f", Name: "F"}, {ID: "a", Name: "A", ParentID: "f"}, {ID: "b", Name: "B", ParentID: "f"}, {ID: "c", Name: "C", ParentID: "f"}}
	in := Input{Org: orgs[0], Orgs: orgs, Date: vigie.MustDate("2026-12-04"), Testimonies: []Testimonies{
		{OrgID: "a", Campaigns: 1, Responses: 11}, {OrgID: "b", Campaigns: 2, Responses: 10}, {OrgID: "c", Campaigns: 1, Responses: 0},
		{OrgID: "outside", Campaigns: 5, Responses: 500}}}
	r := Aggregate(in).Testimonies
	if r.Campaigns != 4 || r.Responses == nil || *r.Responses != 11 || r.SuppressedSections != 1 {
		t.Errorf("testimonies %+v (responses %v)", r, r.Responses)
	}
	in.Testimonies = []Testimonies{{OrgID: "a", Campaigns: 1, Responses: 3}}
	if r := Aggregate(in).Testimonies; r.Responses != nil || r.SuppressedSections != 1 {
		t.Errorf("a lone small section: %+v", r)
	}
}

func TestCountedOnlyWhenShared(t *testing.T) {
	members := map[string]bool{"a": true}
	for _, tc := range []struct {
		r    Row
		want bool
	}{
		{Row{OrgID: "a", Sharing: vigie.SharingSection}, false},
		{Row{OrgID: "a", Sharing: vigie.SharingFederation}, true},
		{Row{OrgID: "a", Sharing: vigie.SharingPublic}, true},
		{Row{OrgID: "f", Sharing: vigie.SharingSection}, true},
		{Row{OrgID: "z", Sharing: vigie.SharingPublic}, false},
	} {
		if got := Counted("f", members, tc.r); got != tc.want {
			t.Errorf("%+v: %v", tc.r, got)
		}
	}
}

// The parts of the sections, kept as JSON and merged, give the counts
// taken directly from the rows; a part of an organisation outside the
// federation, or a section's own part, is not merged.
func TestMergedPartsEqualADirectCount(t *testing.T) {
	orgs := []Org{{ID: "f", Name: "F"}, {ID: "a", Name: "A", ParentID: "f"}, {ID: "b", Name: "B", ParentID: "f"}, {ID: "z", Name: "Z"}}
	cut := func(n int) *int { return &n }
	rows := []Row{
		{OrgID: "a", Sharing: vigie.SharingFederation, Summary: Summary{Vendor: "V", Tier: "high", Domains: []string{"monitoring"}, Unmet: []string{"CT-NT"}, PostsCut: cut(10), Since: "2026-03-02", AsOf: "2026-11-01"}},
		{OrgID: "a", Sharing: vigie.SharingSection, Summary: Summary{Vendor: "Secret", Tier: "high", PostsCut: cut(500)}},
		{OrgID: "b", Sharing: vigie.SharingPublic, Summary: Summary{Vendor: "V", Tier: "minimal", RisksHigh: []string{"surveillance"}, PostsCut: cut(7), Since: "2026-03-20", AsOf: "2026-11-20"}},
		{OrgID: "f", Sharing: vigie.SharingSection, Summary: Summary{Vendor: "W", Tier: "transparency", PostsThreatened: cut(4)}},
		{OrgID: "z", Sharing: vigie.SharingPublic, Summary: Summary{Vendor: "V", Tier: "high", PostsCut: cut(1000)}},
	}
	var parts []Part
	for _, p := range []Part{PartOf("f", true, rows, Testimonies{Campaigns: 1, Responses: 30}), PartOf("a", false, rows, Testimonies{Campaigns: 2, Responses: 4}),
		PartOf("b", false, rows, Testimonies{Campaigns: 1, Responses: 11}), PartOf("z", false, rows, Testimonies{Campaigns: 9, Responses: 99}),
		PartOf("a", true, rows, Testimonies{})} {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Part
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, back)
	}
	r := Merge(orgs[0], orgs, parts, vigie.MustDate("2026-12-04"))
	if r.Systems != 3 || r.Sections != 2 || r.Jobs.PostsCut != 17 || r.Jobs.PostsThreatened != 4 || r.Jobs.SystemsWithCuts != 2 {
		t.Errorf("systems %d sections %d jobs %+v", r.Systems, r.Sections, r.Jobs)
	}
	if r.ByVendor["V"] != 2 || r.ByVendor["Secret"] != 0 || r.ByTier["high"] != 1 || r.ByTier["minimal"] != 1 || r.ByTier["transparency"] != 1 {
		t.Errorf("by vendor %v, by tier %v", r.ByVendor, r.ByTier)
	}
	if r.Unmet["CT-NT"] != 1 || r.HighRisk != 1 || len(r.Deployments) != 1 || r.Deployments[0].Count != 2 {
		t.Errorf("unmet %v, high risk %d, deployments %v", r.Unmet, r.HighRisk, r.Deployments)
	}
	if len(r.Vendors) != 2 || r.Vendors[0].Vendor != "V" || r.Vendors[0].Sections != 2 || r.Vendors[0].PostsCut != 17 {
		t.Errorf("vendors %+v", r.Vendors)
	}
	if r.AssessedFrom != "2026-11-01" || r.AssessedTo != "2026-11-20" {
		t.Errorf("assessed from %s to %s", r.AssessedFrom, r.AssessedTo)
	}
	if ts := r.Testimonies; ts.Campaigns != 4 || ts.Responses == nil || *ts.Responses != 41 || ts.SuppressedSections != 1 {
		t.Errorf("testimonies %+v (responses %v): section a's 4 are suppressed", ts, ts.Responses)
	}
	if len(r.PerSection) != 2 || r.PerSection[0].PostsCut != 10 || r.PerSection[1].PostsCut != 7 {
		t.Errorf("per section %+v", r.PerSection)
	}
}

// The text and HTML answers name the domains and statuses in the reader's
// language and write the date and the timeline's months in words, never
// the file's ids.
func TestRenderNamesValuesAndDate(t *testing.T) {
	r := &Result{Name: "Fédération F", Date: "2026-12-01", Sections: 2, Systems: 3,
		ByDomain: map[string]int{"performance_evaluation": 2, "recruitment": 1},
		ByStatus: map[string]int{"deployed": 2, "pilot": 1}, Deployments: []Month{{Month: "2026-09", Count: 2}}}
	value := func(lang string) Namer {
		return func(path, v string) string { return report.ValueWords(lang, path, v) }
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"1er décembre 2026", "En service", "À l'essai", "Recrutement", "septembre 2026"}},
		{"en", []string{"1 December 2026", "In service", "On trial", "Recruitment", "September 2026"}},
	} {
		var text, page strings.Builder
		if err := r.WriteText(&text, tc.lang, value(tc.lang)); err != nil {
			t.Fatal(err)
		}
		if err := r.WriteHTML(&page, tc.lang, value(tc.lang)); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"text": text.String(), "html": html.UnescapeString(page.String())} {
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s: %q missing", tc.lang, name, w)
				}
			}
			for _, id := range []string{"performance_evaluation", "recruitment", "deployed", "pilot", "2026-12-01", "2026-09"} {
				if strings.Contains(out, id) {
					t.Errorf("%s %s: raw %q shown", tc.lang, name, id)
				}
			}
		}
	}
}
