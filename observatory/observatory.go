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

// SummaryFrom keeps what the observatory counts of s and of a, its
// assessment on date (so that one assessment feeds every summary).
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

// Part is what the systems of one organisation add to an observatory: all
// of them in the organisation's own observatory (Own), those shared beyond
// the section in the observatory of an organisation above it. Every count
// is additive, so that an answer is the merge of the parts of the
// organisation and of its members (Merge), and a part is recomputed only
// when something of its organisation changed.
type Part struct {
	OrgID     string                 `json:"org_id"`
	Own       bool                   `json:"own"`
	Systems   int                    `json:"systems"`
	ByTier    map[string]int         `json:"by_tier"`
	ByDomain  map[string]int         `json:"by_domain"`
	ByVendor  map[string]int         `json:"by_vendor"`
	BySector  map[string]int         `json:"by_sector"`
	ByStatus  map[string]int         `json:"by_status"`
	Unmet     map[string]int         `json:"unmet"`
	RisksHigh map[string]int         `json:"risks_high"`
	HighRisk  int                    `json:"high_risk"`
	Jobs      Jobs                   `json:"jobs"`
	Months    map[string]int         `json:"months"`
	Vendors   map[string]*VendorPart `json:"vendors"`
	// Testimonies are the organisation's own: whether they may leave it
	// (MinShared) is decided when the parts are merged, section by section.
	Campaigns    int    `json:"campaigns"`
	Responses    int    `json:"responses"`
	AssessedFrom string `json:"assessed_from,omitempty"`
	AssessedTo   string `json:"assessed_to,omitempty"`
}

// VendorPart is what one part counts of one vendor.
type VendorPart struct {
	Systems  int            `json:"systems"`
	ByTier   map[string]int `json:"by_tier"`
	PostsCut int            `json:"posts_cut"`
}

// PartOf returns the part of the organisation orgID: of rows, those of
// orgID that count (all when own, those shared beyond the section
// otherwise), and its testimonies t (about the systems it shares, unless
// own).
func PartOf(orgID string, own bool, rows []Row, t Testimonies) Part {
	p := Part{OrgID: orgID, Own: own, ByTier: map[string]int{}, ByDomain: map[string]int{}, ByVendor: map[string]int{},
		BySector: map[string]int{}, ByStatus: map[string]int{}, Unmet: map[string]int{}, RisksHigh: map[string]int{},
		Months: map[string]int{}, Vendors: map[string]*VendorPart{}, Campaigns: t.Campaigns, Responses: t.Responses}
	for _, r := range rows {
		if r.OrgID != orgID || (!own && !vigie.SharedBeyondSection(r.Sharing)) {
			continue
		}
		p.Systems++
		tier := cmp.Or(r.Tier, vigie.Unknown)
		p.ByTier[tier]++
		for _, d := range r.Domains {
			p.ByDomain[d]++
		}
		p.ByVendor[r.Vendor]++
		p.BySector[r.Sector]++
		p.ByStatus[cmp.Or(r.Status, vigie.Unknown)]++
		for _, u := range r.Unmet {
			p.Unmet[u]++
		}
		for _, d := range r.RisksHigh {
			p.RisksHigh[d]++
		}
		if len(r.RisksHigh) > 0 {
			p.HighRisk++
		}
		cut := val(r.PostsCut)
		p.Jobs.PostsCut += cut
		p.Jobs.PostsThreatened += val(r.PostsThreatened)
		p.Jobs.PostsCreated += val(r.PostsCreated)
		if cut > 0 {
			p.Jobs.SystemsWithCuts++
		}
		if len(r.Since) >= 7 {
			p.Months[r.Since[:7]]++
		}
		v := p.Vendors[r.Vendor]
		if v == nil {
			v = &VendorPart{ByTier: map[string]int{}}
			p.Vendors[r.Vendor] = v
		}
		v.Systems++
		v.ByTier[tier]++
		v.PostsCut += cut
		if r.AsOf != "" {
			if p.AssessedFrom == "" || r.AsOf < p.AssessedFrom {
				p.AssessedFrom = r.AsOf
			}
			if r.AsOf > p.AssessedTo {
				p.AssessedTo = r.AsOf
			}
		}
	}
	return p
}

// Merge computes the observatory of org on date from the parts of org
// (its own) and of its members (among orgs, see Members; their shared
// part). A member without a part counts zero; a part of an organisation
// that is neither is ignored.
func Merge(org Org, orgs []Org, parts []Part, date vigie.Date) *Result {
	res := &Result{Schema: Schema, Federation: org.ID, Name: org.Name, Date: date.String(),
		ByTier: map[string]int{}, ByDomain: map[string]int{}, ByVendor: map[string]int{}, BySector: map[string]int{},
		ByStatus: map[string]int{}, Unmet: map[string]int{}, RisksHigh: map[string]int{},
		Deployments: []Month{}, Vendors: []VendorRow{}, PerSection: []SectionRow{},
		Testimonies: TestimonyTotal{MinResponses: MinShared}}
	for _, t := range assess.Tiers {
		res.ByTier[t] = 0
	}
	members := Members(org.ID, orgs)
	res.Sections = len(members)
	isMember := make(map[string]bool, len(members))
	per := make(map[string]*SectionRow, len(members))
	for _, m := range members {
		isMember[m.ID] = true
		per[m.ID] = &SectionRow{ID: m.ID, Name: m.Name}
	}
	months := map[string]int{}
	vendors := map[string]*VendorRow{}
	add := func(dst, src map[string]int) {
		for k, n := range src {
			dst[k] += n
		}
	}
	shown, anyResponses := 0, false
	for _, p := range parts {
		if (p.OrgID == org.ID) != p.Own || (!p.Own && !isMember[p.OrgID]) {
			continue
		}
		res.Systems += p.Systems
		add(res.ByTier, p.ByTier)
		add(res.ByDomain, p.ByDomain)
		add(res.ByVendor, p.ByVendor)
		add(res.BySector, p.BySector)
		add(res.ByStatus, p.ByStatus)
		add(res.Unmet, p.Unmet)
		add(res.RisksHigh, p.RisksHigh)
		add(months, p.Months)
		res.HighRisk += p.HighRisk
		res.Jobs.PostsCut += p.Jobs.PostsCut
		res.Jobs.PostsThreatened += p.Jobs.PostsThreatened
		res.Jobs.PostsCreated += p.Jobs.PostsCreated
		res.Jobs.SystemsWithCuts += p.Jobs.SystemsWithCuts
		for name, vp := range p.Vendors {
			v := vendors[name]
			if v == nil {
				v = &VendorRow{Vendor: name, ByTier: map[string]int{}}
				vendors[name] = v
			}
			v.Systems += vp.Systems
			add(v.ByTier, vp.ByTier)
			v.PostsCut += vp.PostsCut
			v.Sections++
		}
		if s := per[p.OrgID]; s != nil {
			s.Systems += p.Systems
			s.PostsCut += p.Jobs.PostsCut
			s.PostsThreatened += p.Jobs.PostsThreatened
		}
		if p.AssessedFrom != "" && (res.AssessedFrom == "" || p.AssessedFrom < res.AssessedFrom) {
			res.AssessedFrom = p.AssessedFrom
		}
		if p.AssessedTo > res.AssessedTo {
			res.AssessedTo = p.AssessedTo
		}
		// Testimonies: a section's responses leave it only from
		// MinShared on.
		res.Testimonies.Campaigns += p.Campaigns
		if p.Responses == 0 {
			continue
		}
		anyResponses = true
		if p.Responses < MinShared {
			res.Testimonies.SuppressedSections++
			continue
		}
		shown += p.Responses
	}
	if !anyResponses || shown > 0 {
		res.Testimonies.Responses = &shown
	}
	for m, n := range months {
		res.Deployments = append(res.Deployments, Month{Month: m, Count: n})
	}
	slices.SortFunc(res.Deployments, func(a, b Month) int { return cmp.Compare(a.Month, b.Month) })
	for _, v := range vendors {
		res.Vendors = append(res.Vendors, *v)
	}
	slices.SortFunc(res.Vendors, func(a, b VendorRow) int {
		return cmp.Or(cmp.Compare(b.Systems, a.Systems), cmp.Compare(a.Vendor, b.Vendor))
	})
	for _, m := range members {
		res.PerSection = append(res.PerSection, *per[m.ID])
	}
	return res
}

// Aggregate computes the observatory of in.Org: the part of in.Org and of
// each of its members, merged.
func Aggregate(in Input) *Result {
	rows := map[string][]Row{}
	for _, r := range in.Rows {
		rows[r.OrgID] = append(rows[r.OrgID], r)
	}
	tm := map[string]Testimonies{}
	for _, t := range in.Testimonies {
		s := tm[t.OrgID]
		s.Campaigns += t.Campaigns
		s.Responses += t.Responses
		tm[t.OrgID] = s
	}
	parts := []Part{PartOf(in.Org.ID, true, rows[in.Org.ID], tm[in.Org.ID])}
	for _, m := range Members(in.Org.ID, in.Orgs) {
		parts = append(parts, PartOf(m.ID, false, rows[m.ID], tm[m.ID]))
	}
	return Merge(in.Org, in.Orgs, parts, in.Date)
}

func val(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
