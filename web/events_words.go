package web

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/letters"
)

// The journal in words: each event's kind and detail as a sentence of the
// page's language, never the store's codes (report.audit, draft → sent,
// v2: work.x, capabilities.y).
func init() {
	funcs["eventKind"] = eventKind
	funcs["eventDetail"] = eventDetail
	funcs["when"] = when
}

// when writes an instant as a date and time in France: "4 décembre 2026,
// 14:05" or "4 December 2026, 14:05".
func when(t time.Time, lang string) string {
	f := t.In(vigie.France)
	return letters.LongDate(vigie.DateOf(f), lang) + ", " + f.Format("15:04")
}

// eventKind names the event ("Lettre envoyée", "Évaluation enregistrée").
func eventKind(l *loc, ev vigie.Event) string {
	switch ev.Kind {
	case "action.updated":
		if _, to, ok := strings.Cut(ev.Detail, " → "); ok && l.Has("event.action."+to) {
			return l.T("event.action." + to)
		}
	case "action.created":
		return l.T("event.action.drafted")
	}
	if l.Has("event." + ev.Kind) {
		return l.T("event." + ev.Kind)
	}
	if strings.HasPrefix(ev.Kind, "report.") {
		return l.T("event.report.other")
	}
	return l.T("event.other")
}

var versionPrefix = regexp.MustCompile(`^v(\d+): (.*)$`)

// eventDetail is the detail of the event in words.
func eventDetail(l *loc, ev vigie.Event) string {
	d := ev.Detail
	switch ev.Kind {
	case "action.created":
		id, state, _ := strings.Cut(d, " ")
		title := id
		if lt, ok := letters.Lookup(id); ok {
			title = lt.Title.In(l.Lang)
		}
		if state != "" && l.Has("action.state."+state) {
			return title + " — " + strings.ToLower(l.T("action.state."+state))
		}
		return title
	case "action.updated":
		from, to, ok := strings.Cut(d, " → ")
		if !ok {
			return l.T("event.action.state", "State", strings.ToLower(l.T("action.state."+d)))
		}
		return l.T("event.action.change", "From", strings.ToLower(l.T("action.state."+from)), "To", strings.ToLower(l.T("action.state."+to)))
	case "member.added", "member.removed", "invitation.created", "invitation.accepted":
		if l.Has("role." + d) {
			return l.T("role." + d)
		}
	case "member.role_changed":
		if from, to, ok := strings.Cut(d, " → "); ok {
			return l.T("event.role.change", "From", l.T("role."+from), "To", l.T("role."+to))
		}
	case "system.updated":
		if m := versionPrefix.FindStringSubmatch(d); m != nil {
			var facts []string
			for _, p := range strings.Split(m[2], ", ") {
				p = strings.TrimSpace(p)
				if p == "" {
					continue
				}
				if l.Has("fact." + p) {
					facts = append(facts, l.T("fact."+p))
				} else {
					facts = append(facts, l.T("event.fact.other"))
				}
			}
			return l.T("event.system.version", "V", m[1], "Facts", strings.Join(uniq(facts), " ; "))
		}
	case "report.audit":
		// The report's one line, kept in French: said again in the page's
		// language.
		if m := auditCounts.FindStringSubmatch(d); m != nil && l.Lang == "en" {
			pl := func(n, one, many string) string {
				if n == "0" || n == "1" {
					return n + " " + one
				}
				return n + " " + many
			}
			return pl(m[1], "disparity", "disparities") + ", " + pl(m[2], "parity", "parities") + ", " + pl(m[3], "inconclusive", "inconclusive")
		}
	case "document.added":
		if name, sum, ok := strings.Cut(d, " sha256:"); ok {
			return fmt.Sprintf("%s (SHA-256 %s…)", name, sum[:min(len(sum), 12)])
		}
	}
	return d
}

// auditCounts reads the one line an audit report keeps (see summaryFR).
var auditCounts = regexp.MustCompile(`^(\d+) disparités?, (\d+) parités?, (\d+) insuffisants?$`)

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func init() {
	funcs["dateOf"] = vigie.DateInFrance
}
