package web

// The board "Échéances" of an organisation (/o/{org}/deadlines): every due
// date of every live action, soonest first; and its calendar: a secret
// address (/cal/{token}.ics) serving the same due dates as an iCalendar
// feed of all-day events, which an editor creates, renews or revokes.

import (
	"bytes"
	"net/http"
	"strings"

	ics "github.com/arran4/golang-ical"
	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
)

func boardRoutes(s *Server, r chi.Router) {
	r.Get("/deadlines", s.handleBoard)
	if s.cfg.Calendar != nil {
		ed := r.With(s.need(vigie.RoleEditor))
		ed.Post("/deadlines/calendar", s.handleCalendarCreate)
		ed.Post("/deadlines/calendar/revoke", s.handleCalendarRevoke)
	}
}

// boardData is the data of the board.
type boardData struct {
	Rows     []dueRow
	Today    vigie.Date
	From, To string // the date filter, as typed
	Errors   map[string]string
	Calendar bool   // the calendar feature is on
	HasToken bool   // a secret address is live
	FeedURL  string // the new secret address, shown once after it is made
	Overdue  int
}

func (d *boardData) Err(name string) string { return d.Errors[name] }

func (s *Server) boardData(r *http.Request) (*boardData, int, error) {
	org := currentOrg(r)
	l := s.loc(r)
	d := &boardData{Today: actionsToday(), Errors: map[string]string{}, Calendar: s.cfg.Calendar != nil}
	q := r.URL.Query()
	d.From, d.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	var from, to vigie.Date
	for _, x := range []struct {
		field, v string
		dst      *vigie.Date
	}{{"from", d.From, &from}, {"to", d.To, &to}} {
		if x.v == "" {
			continue
		}
		p, err := vigie.ParseDate(x.v)
		if err != nil {
			d.Errors[x.field] = l.T("board.filter."+x.field) + " : " + l.T("err.date")
			continue
		}
		*x.dst = p
	}
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		from, to = vigie.Date{}, vigie.Date{}
	}
	rows, err := s.orgDues(r.Context(), org.ID, d.Today)
	if err != nil {
		return nil, 0, err
	}
	for _, row := range rows {
		if (!from.IsZero() && row.Step.Due.Before(from)) || (!to.IsZero() && row.Step.Due.After(to)) {
			continue
		}
		d.Rows = append(d.Rows, row)
		if row.Overdue {
			d.Overdue++
		}
	}
	if d.Calendar {
		if d.HasToken, err = s.cfg.Calendar.HasCalendarToken(r.Context(), org.ID); err != nil {
			return nil, 0, err
		}
	}
	return d, status, nil
}

func (s *Server) handleBoard(w http.ResponseWriter, r *http.Request) {
	d, status, err := s.boardData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "board", s.page(r, "board.title", d))
}

// handleCalendarCreate makes (or renews) the secret address and shows it
// once: only its hash is kept.
func (s *Server) handleCalendarCreate(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	token, err := s.cfg.Calendar.CreateCalendarToken(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, _, err := s.boardData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies {
		scheme = "https"
	}
	d.FeedURL = scheme + "://" + r.Host + "/cal/" + token + ".ics"
	p := s.page(r, "board.title", d)
	p.Flash = p.L.T("board.flash.created")
	s.render(w, r, http.StatusOK, "board", p)
}

func (s *Server) handleCalendarRevoke(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Calendar.RevokeCalendarToken(r.Context(), currentOrg(r).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(r, "board.flash.revoked")
	http.Redirect(w, r, "/o/"+currentOrg(r).ID+"/deadlines", http.StatusSeeOther)
}

// handleCalendarFeed serves the feed of the organisation whose live token
// is in the URL. It has no session: the token is the credential. A wrong
// or revoked token gets a bare 404.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	notFound := func() { http.Error(w, "404 page not found", http.StatusNotFound) }
	orgID, err := s.cfg.Calendar.OrgForCalendarToken(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		if vigie.ErrorCode(err) != vigie.ENOTFOUND {
			s.log.Error("web: calendar feed", "err", err)
			http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
			return
		}
		notFound()
		return
	}
	rows, err := s.orgDues(r.Context(), orgID, actionsToday())
	if err != nil {
		s.log.Error("web: calendar feed", "err", err)
		http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := writeCalendar(&buf, rows); err != nil {
		s.log.Error("web: calendar feed", "err", err)
		http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = buf.WriteTo(w)
}

// writeCalendar writes the due dates as all-day events, in French. A
// due date's UID is its action's id and its step's id, so that it stays
// the same from one fetch to the next; DTSTAMP is the action's last change.
func writeCalendar(w *bytes.Buffer, rows []dueRow) error {
	cal := ics.NewCalendarFor("vigie")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Échéances vigie")
	cal.SetXWRCalName("Échéances vigie")
	for _, row := range rows {
		st := row.Step
		e := cal.AddEvent(row.Action.ID + "-" + st.ID + "@vigie")
		e.SetDtStampTime(row.Action.UpdatedAt)
		e.SetAllDayStartAt(st.Due.Time())
		e.SetAllDayEndAt(st.Due.AddDays(1).Time())
		e.SetSummary(st.Label.In("fr") + " — " + row.SystemName)
		desc := []string{
			"Courrier : " + row.Action.Title,
			"Étape " + st.Number + " : " + st.Label.In("fr"),
			"Fondement : " + st.Basis.In("fr") + " (" + confidenceFR[st.Confidence] + ")",
		}
		if st.Assumed {
			desc = append(desc, "Date supposée")
		}
		for _, wn := range st.Warnings {
			desc = append(desc, "⚠ "+wn.Text.In("fr"))
		}
		e.SetDescription(strings.Join(desc, "\n"))
		e.SetTimeTransparency(ics.TransparencyTransparent)
	}
	return cal.SerializeTo(w)
}

var confidenceFR = map[string]string{"verified": "vérifié", "secondary": "sources secondaires", "unverified": "non vérifié"}
