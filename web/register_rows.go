package web

import (
	"cmp"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/letters"
)

// The register's rows are put in words once, in Go, and the template only
// places them: written with the template's functions, a page of 50 rows
// made some forty reflective calls per row, most of its CPU time.

// registerCols are the column names, which the phone's cards repeat in
// each cell.
type registerCols struct {
	Name, Workplace, Status, Tier, Unmet, Due, Jobs, Domain, Updated string
}

// registerRow is one system of the register, ready to show.
type registerRow struct {
	Href, Name, Vendor       string
	SharingTag, SharingTitle string // empty for a system kept in its section
	Workplace, Status        string
	Tier                     string // the tier's key ("" until computed)
	Unmet                    int
	TierCell, UnmetCell      template.HTML
	DueCell, JobsCell        template.HTML
	Domain                   string
	UpdatedISO, Updated      string
}

func newRegisterCols(l *loc) registerCols {
	return registerCols{Name: l.T("fact.name"), Workplace: l.T("register.workplace"), Status: l.T("fact.deployment.status"),
		Tier: l.T("register.col.tier"), Unmet: l.T("register.col.unmet"), Due: l.T("register.col.due"),
		Jobs: l.T("register.col.jobs"), Domain: l.T("register.domain"), Updated: l.T("register.updated")}
}

func newRegisterRows(l *loc, d *listData, recs []*vigie.SystemRecord) []registerRow {
	rows := make([]registerRow, 0, len(recs))
	unknown := statusBadge("unknown", l.Lang)
	for _, rec := range recs {
		sum := rec.Summary
		row := registerRow{
			Href:       "/o/" + rec.OrgID + "/systems/" + rec.ID,
			Name:       rec.System.Name,
			Workplace:  d.WPNames[rec.WorkplaceID],
			Status:     l.Value("deployment.status", cmp.Or(rec.System.Deployment.Status, "unknown")),
			Tier:       sum.Tier,
			Unmet:      sum.Unmet,
			TierCell:   unknown,
			UnmetCell:  unknown,
			DueCell:    "—",
			JobsCell:   "—",
			Domain:     l.Value("purpose.domains", rec.System.Purpose.Domains.String()),
			UpdatedISO: rec.UpdatedAt.Format("2006-01-02T15:04:05Z07:00"),
			Updated:    letters.LongDate(vigie.DateInFrance(rec.UpdatedAt), l.Lang),
		}
		if v := rec.System.Vendor; v != "" {
			row.Vendor = shortText(v, 80)
		}
		if rec.Sharing != "" && rec.Sharing != vigie.SharingSection {
			row.SharingTag, row.SharingTitle = l.T("sharing.tag."+rec.Sharing), l.T("sharing."+rec.Sharing)
		}
		if sum.Tier != "" {
			row.TierCell = template.HTML(`<span class="as-tier as-tier-` + html.EscapeString(sum.Tier) + `">` + html.EscapeString(d.TierLabel(sum.Tier)) + `</span>`)
			switch sum.Unmet {
			case 0:
				row.UnmetCell = badge("met", l.T("register.unmet.none"))
			case 1:
				row.UnmetCell = badge("unmet", l.T("register.unmet.one"))
			default:
				row.UnmetCell = badge("unmet", l.T("register.unmet.n", "N", sum.Unmet))
			}
		}
		if !sum.NextDue.IsZero() {
			var b strings.Builder
			b.WriteString(`<span class="st st-upcoming" data-status="upcoming"><span class="st-icon" aria-hidden="true">→</span> <time datetime="`)
			b.WriteString(sum.NextDue.String())
			b.WriteString(`">`)
			b.WriteString(html.EscapeString(letters.LongDate(sum.NextDue, l.Lang)))
			b.WriteString(`</time></span><br><small>`)
			b.WriteString(html.EscapeString(l.T("register.due." + sum.NextDueKind)))
			b.WriteString(`</small>`)
			row.DueCell = template.HTML(b.String())
		}
		if sum.PostsCut.Known {
			row.JobsCell = "0"
			if sum.PostsCut.V != 0 {
				row.JobsCell = template.HTML("<strong>" + strconv.Itoa(sum.PostsCut.V) + "</strong>")
			}
		}
		rows = append(rows, row)
	}
	return rows
}
