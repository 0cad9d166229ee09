package observatory

import (
	"testing"

	"github.com/vigie-app/vigie"
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
