package web

import (
	"html/template"
	"strings"
)

// The board's rows are put in words once, in Go, as the register's are
// (register_rows.go): the template only places them.

// boardCols are the column names, repeated in each cell for the phone's
// cards.
type boardCols struct {
	Date, System, Action, Step, Basis string
}

// boardRow is one due date of the board, ready to show.
type boardRow struct {
	ActionID, StepID, Due string
	Overdue               bool
	DateWords             string
	Badge                 template.HTML
	NonWorking            string // why the day is not a working day, "" when it is
	SystemHref, System    string
	ActionHref, Title     string
	TitleLang             string // the letter's language when not the page's
	State                 string
	Step                  string // "2. Réponse de l'employeur"
	Warnings              []string
	Basis                 string // basis — confidence[ — assumed]
}

func newBoardCols(l *loc) boardCols {
	return boardCols{Date: l.T("board.col.date"), System: l.T("board.col.system"), Action: l.T("board.col.action"),
		Step: l.T("board.col.step"), Basis: l.T("board.col.basis")}
}

func newBoardRows(l *loc, orgPath string, rows []dueRow) []boardRow {
	out := make([]boardRow, 0, len(rows))
	lang := l.Lang
	for _, r := range rows {
		st, a := r.Step, r.Action
		b := boardRow{
			ActionID: a.ID, StepID: st.ID, Due: st.Due.String(), Overdue: r.Overdue,
			DateWords:  st.Due.Words(lang),
			SystemHref: orgPath + "/systems/" + a.SystemID + "/t/actions", System: r.SystemName,
			ActionHref: orgPath + "/actions/" + a.ID, Title: a.Title,
			State: l.T("action.state." + a.State),
			Step:  st.Number + ". " + st.Label.In(lang),
		}
		switch {
		case r.Overdue:
			b.Badge = badge("unmet", l.T("board.overdue"))
		case r.Past:
			b.Badge = badge("not_applicable", l.T("board.past"))
		default:
			b.Badge = badge("upcoming", l.T("board.upcoming"))
		}
		if len(st.NonWorking) > 0 {
			var nw strings.Builder
			nw.WriteString(l.T("board.nonworking"))
			for _, t := range st.NonWorking {
				nw.WriteString(" " + t.In(lang))
			}
			b.NonWorking = nw.String()
		}
		if a.Lang != "" && a.Lang != lang {
			b.TitleLang = a.Lang
		}
		for _, w := range st.Warnings {
			if w.Code != "non-working-day" {
				b.Warnings = append(b.Warnings, w.Text.In(lang))
			}
		}
		b.Basis = st.Basis.In(lang) + " — " + l.T("action.confidence."+st.Confidence)
		if st.Assumed {
			b.Basis += " — " + l.T("board.assumed")
		}
		out = append(out, b)
	}
	return out
}
