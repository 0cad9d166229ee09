// Package observatory aggregates the systems that the sections of a
// federation shared with it: counts by AI Act tier, domain, vendor, sector,
// status, unmet obligation and high risk, the job counts, the deployments
// over time and the testimony totals, with every testimony figure leaving a
// section suppressed below MinShared responses.
//
// The package is pure: the store feeds it rows (one per system, see Row and
// RowOf) and the organisations; the date is an argument.
package observatory

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
)

// Schema is the schema tag of an observatory answer.
const Schema = "vigie/observatory/v1"

// MinShared is the smallest number of testimony responses of a section
// that may leave it: below, its responses are left out of every total.
const MinShared = 11

// Org is an organisation of the instance.
type Org struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	ParentID string `json:"parent_id,omitempty"`
}

// Row is one stored system as the observatory counts it: where it belongs,
// how far it is shared, and what its facts and its assessment say.
type Row struct {
	ID      string `json:"id"`
	OrgID   string `json:"org_id"`
	Sharing string `json:"sharing"`
	Sector  string `json:"sector,omitempty"` // of its workplace
	Summary
}

// Summary is what the observatory keeps of a system's facts and of its
// assessment on a date (AsOf). The store keeps it per system version.
type Summary struct {
	AsOf            string   `json:"as_of"`
	Name            string   `json:"name"`
	Vendor          string   `json:"vendor,omitempty"`
	Status          string   `json:"status,omitempty"`
	Domains         []string `json:"domains,omitempty"`
	Since           string   `json:"since,omitempty"` // deployment.since, YYYY-MM-DD
	Tier            string   `json:"tier"`
	Unmet           []string `json:"unmet,omitempty"`      // ids of the unmet obligations
	RisksHigh       []string `json:"risks_high,omitempty"` // dimensions of high priority
	PostsCut        *int     `json:"posts_cut,omitempty"`
	PostsThreatened *int     `json:"posts_threatened,omitempty"`
	PostsCreated    *int     `json:"posts_created,omitempty"`
}

// SummaryOf assesses s on date and keeps what the observatory counts.
func SummaryOf(s *vigie.System, date vigie.Date) Summary {
	return SummaryFrom(s, assess.Evaluate(s, date), date)
}

// SummaryFrom is SummaryOf with the assessment of s on date already made
// (assess.Evaluate), for a caller that derives more than this summary
// from one assessment.
func SummaryFrom(s *vigie.System, a *assess.Assessment, date vigie.Date) Summary {
	out := Summary{AsOf: date.String(), Name: s.Name, Vendor: strings.TrimSpace(s.Vendor), Status: s.Deployment.Status,
		Domains: slices.Clone(s.Purpose.Domains.Items), Tier: a.AIAct.Tier}
	if !s.Deployment.Since.IsZero() {
		out.Since = s.Deployment.Since.String()
	}
	for _, o := range a.Obligations {
		if o.Status == assess.StatusUnmet {
			out.Unmet = append(out.Unmet, o.ID)
		}
	}
	for _, r := range a.Risks {
		if r.Priority == assess.High {
			out.RisksHigh = append(out.RisksHigh, r.Dimension)
		}
	}
	if j := s.Jobs; j != nil {
		out.PostsCut, out.PostsThreatened, out.PostsCreated = known(j.PostsCut), known(j.PostsThreatened), known(j.PostsCreated)
	}
	return out
}

func known(o vigie.OptInt) *int {
	if !o.Known {
		return nil
	}
	v := o.V
	return &v
}

// Testimonies are the testimony totals of one organisation: its campaigns
// about systems it shares, and the responses they received.
type Testimonies struct {
	OrgID     string
	Campaigns int
	Responses int
}

// Input is what Aggregate reads.
type Input struct {
	Org         Org   // the federation (or a section, for its own picture)
	Orgs        []Org // the organisations of the instance, for the parent chains
	Rows        []Row // the systems of Org and of its members, any sharing
	Testimonies []Testimonies
	Date        vigie.Date
}

// Result is the observatory's answer (schema vigie/observatory/v1).
type Result struct {
	Schema     string         `json:"schema"`
	Federation string         `json:"federation"`
	Name       string         `json:"name"`
	Date       string         `json:"date"`
	Sections   int            `json:"sections"`
	Systems    int            `json:"systems"`
	ByTier     map[string]int `json:"by_tier"`
	ByDomain   map[string]int `json:"by_domain"`
	ByVendor   map[string]int `json:"by_vendor"`
	BySector   map[string]int `json:"by_sector"`
	ByStatus   map[string]int `json:"by_status"`
	Unmet      map[string]int `json:"unmet"`
	// RisksHigh counts, per risk dimension, the systems where it is of
	// high priority; HighRisk the systems with at least one.
	RisksHigh   map[string]int `json:"risks_high"`
	HighRisk    int            `json:"high_risk"`
	Jobs        Jobs           `json:"jobs"`
	Testimonies TestimonyTotal `json:"testimonies"`
	// Deployments counts the systems by month of first use (deployment.since).
	Deployments []Month      `json:"deployments"`
	Vendors     []VendorRow  `json:"vendors"`
	PerSection  []SectionRow `json:"per_section"`
	// AssessedFrom and AssessedTo bound the dates of the assessments
	// counted (each system is assessed when it changes).
	AssessedFrom string `json:"assessed_from,omitempty"`
	AssessedTo   string `json:"assessed_to,omitempty"`
}

// Jobs are the job counts of the systems counted: the sum of the known
// counts, and how many systems gave each.
type Jobs struct {
	PostsCut        int `json:"posts_cut"`
	PostsThreatened int `json:"posts_threatened"`
	PostsCreated    int `json:"posts_created"`
	SystemsWithCuts int `json:"systems_with_cuts"`
}

// TestimonyTotal sums the testimonies of the sections that may share
// theirs. Responses is null when every section with responses had fewer
// than MinShared.
type TestimonyTotal struct {
	Campaigns          int  `json:"campaigns"`
	Responses          *int `json:"responses"`
	SuppressedSections int  `json:"suppressed_sections"`
	MinResponses       int  `json:"min_responses"`
}

// Month is a count of first uses in one month (YYYY-MM).
type Month struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// VendorRow sums the systems of one vendor ("" when not given).
type VendorRow struct {
	Vendor   string         `json:"vendor"`
	Systems  int            `json:"systems"`
	Sections int            `json:"sections"`
	ByTier   map[string]int `json:"by_tier"`
	PostsCut int            `json:"posts_cut"`
}

// SectionRow sums what one member organisation shares.
type SectionRow struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Systems         int    `json:"systems"`
	PostsCut        int    `json:"posts_cut"`
	PostsThreatened int    `json:"posts_threatened"`
}

// Members returns the organisations whose parent chain reaches root (root
// itself excluded), by name. A cycle in the chains ends the walk.
func Members(root string, orgs []Org) []Org {
	parent := make(map[string]string, len(orgs))
	for _, o := range orgs {
		parent[o.ID] = o.ParentID
	}
	var out []Org
	for _, o := range orgs {
		if o.ID == root {
			continue
		}
		seen := map[string]bool{}
		for p := o.ParentID; p != "" && !seen[p]; p = parent[p] {
			seen[p] = true
			if p == root {
				out = append(out, o)
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b Org) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

// Counted reports whether row r counts in the observatory of root, whose
// members are in members: root's own systems always, a member's when it
// shares them beyond its section.
func Counted(root string, members map[string]bool, r Row) bool {
	return r.OrgID == root || (members[r.OrgID] && vigie.SharedBeyondSection(r.Sharing))
}

// Aggregate computes the observatory of in.Org.
func Aggregate(in Input) *Result {
	res := &Result{Schema: Schema, Federation: in.Org.ID, Name: in.Org.Name, Date: in.Date.String(),
		ByTier: map[string]int{}, ByDomain: map[string]int{}, ByVendor: map[string]int{}, BySector: map[string]int{},
		ByStatus: map[string]int{}, Unmet: map[string]int{}, RisksHigh: map[string]int{},
		Deployments: []Month{}, Vendors: []VendorRow{}, PerSection: []SectionRow{},
		Testimonies: TestimonyTotal{MinResponses: MinShared}}
	for _, t := range assess.Tiers {
		res.ByTier[t] = 0
	}
	members := Members(in.Org.ID, in.Orgs)
	res.Sections = len(members)
	isMember := make(map[string]bool, len(members))
	per := make(map[string]*SectionRow, len(members))
	for _, m := range members {
		isMember[m.ID] = true
		per[m.ID] = &SectionRow{ID: m.ID, Name: m.Name}
	}
	months := map[string]int{}
	vendors := map[string]*VendorRow{}
	vendorSections := map[string]map[string]bool{}
	for _, r := range in.Rows {
		if !Counted(in.Org.ID, isMember, r) {
			continue
		}
		res.Systems++
		res.ByTier[cmp.Or(r.Tier, vigie.Unknown)]++
		for _, d := range r.Domains {
			res.ByDomain[d]++
		}
		res.ByVendor[r.Vendor]++
		res.BySector[r.Sector]++
		res.ByStatus[cmp.Or(r.Status, vigie.Unknown)]++
		for _, u := range r.Unmet {
			res.Unmet[u]++
		}
		for _, d := range r.RisksHigh {
			res.RisksHigh[d]++
		}
		if len(r.RisksHigh) > 0 {
			res.HighRisk++
		}
		cut, threatened := val(r.PostsCut), val(r.PostsThreatened)
		res.Jobs.PostsCut += cut
		res.Jobs.PostsThreatened += threatened
		res.Jobs.PostsCreated += val(r.PostsCreated)
		if cut > 0 {
			res.Jobs.SystemsWithCuts++
		}
		if len(r.Since) >= 7 {
			months[r.Since[:7]]++
		}
		v := vendors[r.Vendor]
		if v == nil {
			v = &VendorRow{Vendor: r.Vendor, ByTier: map[string]int{}}
			vendors[r.Vendor] = v
			vendorSections[r.Vendor] = map[string]bool{}
		}
		v.Systems++
		v.ByTier[cmp.Or(r.Tier, vigie.Unknown)]++
		v.PostsCut += cut
		vendorSections[r.Vendor][r.OrgID] = true
		if s := per[r.OrgID]; s != nil {
			s.Systems++
			s.PostsCut += cut
			s.PostsThreatened += threatened
		}
		if r.AsOf != "" {
			if res.AssessedFrom == "" || r.AsOf < res.AssessedFrom {
				res.AssessedFrom = r.AsOf
			}
			if r.AsOf > res.AssessedTo {
				res.AssessedTo = r.AsOf
			}
		}
	}
	for m, n := range months {
		res.Deployments = append(res.Deployments, Month{Month: m, Count: n})
	}
	slices.SortFunc(res.Deployments, func(a, b Month) int { return cmp.Compare(a.Month, b.Month) })
	for name, v := range vendors {
		v.Sections = len(vendorSections[name])
		res.Vendors = append(res.Vendors, *v)
	}
	slices.SortFunc(res.Vendors, func(a, b VendorRow) int {
		return cmp.Or(cmp.Compare(b.Systems, a.Systems), cmp.Compare(a.Vendor, b.Vendor))
	})
	for _, m := range members {
		res.PerSection = append(res.PerSection, *per[m.ID])
	}
	// Testimonies: a section's responses leave it only from MinShared on.
	shown, any := 0, false
	for _, t := range in.Testimonies {
		if t.OrgID != in.Org.ID && !isMember[t.OrgID] {
			continue
		}
		res.Testimonies.Campaigns += t.Campaigns
		if t.Responses == 0 {
			continue
		}
		any = true
		if t.Responses < MinShared {
			res.Testimonies.SuppressedSections++
			continue
		}
		shown += t.Responses
	}
	if !any || shown > 0 {
		res.Testimonies.Responses = &shown
	}
	return res
}

func val(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
