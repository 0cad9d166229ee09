package web

// The board "Échéances" of an organisation (/o/{org}/deadlines): every due
// date of every live action, soonest first; and its calendar: a secret
// address (/cal/{token}.ics) serving the same due dates as an iCalendar
// feed of all-day events, which an editor creates, renews or revokes.

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
)

func boardRoutes(s *Server, r chi.Router) {
	r.Get("/deadlines", s.handleBoard)
	if s.cfg.Calendar != nil {
		ed := r.With(s.need(vigie.RoleEditor))
		ed.Post("/deadlines/calendar", s.handleCalendarCreate)
		ed.Post("/deadlines/calendar/revoke", s.handleCalendarRevoke)
	}
}

// The board shows at most boardPage rows a page: by default the due dates
// passed and still awaited (overdue) and those of the next 30 days (to the
// same day of next month, so that a delay of one month counted from today
// is in it);
// every other month is a line of counts that opens that month (?month=);
// a date range (?from=&to=) shows its rows. No page grows with the
// register.
const boardPage = 100

// boardData is the data of the board.
type boardData struct {
	Rows     []dueRow   // the rows of the page
	Lines    []boardRow // Rows in words
	Cols     boardCols
	Today    vigie.Date
	SoonEnd  vigie.Date // the last day of the default view
	From, To string     // the date filter, as typed
	Month    string     // the month shown (YYYY-MM), "" when none
	// View is "soon" (the default), "month" or "range".
	View     string
	Months   []boardMonth // every month with due dates, with its counts
	Total    int          // rows of the view
	Overdue  int          // overdue rows of the view
	Page     int
	Pages    int
	Errors   map[string]string
	Calendar bool   // the calendar feature is on
	HasToken bool   // a secret address is live
	FeedURL  string // the new secret address, shown once after it is made
}

// boardMonth counts the due dates of a month.
type boardMonth struct {
	Month   string // YYYY-MM
	Label   string // "mars 2027"
	N       int    // due dates in the month
	Outside int    // of which not in the default view
	Overdue int
	Current bool // the month shown
}

func (d *boardData) Err(name string) string { return d.Errors[name] }

// PageURL is the address of page n of the same view.
func (d *boardData) PageURL(base string, n int) string {
	q := url.Values{}
	switch d.View {
	case "month":
		q.Set("month", d.Month)
	case "range":
		if d.From != "" {
			q.Set("from", d.From)
		}
		if d.To != "" {
			q.Set("to", d.To)
		}
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// monthKey is the YYYY-MM of d.
func monthKey(d vigie.Date) string { return d.String()[:7] }

// inSoon reports whether a row is in the default view: overdue, or due
// from today to end.
func inSoon(row dueRow, today, end vigie.Date) bool {
	return row.Overdue || (!row.Step.Due.Before(today) && !row.Step.Due.After(end))
}

// boardView filters rows for the view asked in q and pages them; it
// reports the errors of the filter by field.
func boardView(d *boardData, rows []dueRow, q url.Values, l *loc) {
	d.SoonEnd = d.Today.AddMonths(1)
	d.From, d.To = strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
	d.Month = strings.TrimSpace(q.Get("month"))
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
	var month vigie.Date
	if d.Month != "" {
		m, err := vigie.ParseDate(d.Month + "-01")
		if err != nil || len(d.Month) != 7 {
			d.Errors["month"] = l.T("board.err.month")
			d.Month = ""
		} else {
			month = m
		}
	}
	if len(d.Errors) > 0 {
		from, to, month = vigie.Date{}, vigie.Date{}, vigie.Date{}
		d.Month = ""
	}
	keep := func(row dueRow) bool { return inSoon(row, d.Today, d.SoonEnd) }
	d.View = "soon"
	switch {
	case !from.IsZero() || !to.IsZero():
		d.View = "range"
		keep = func(row dueRow) bool {
			return (from.IsZero() || !row.Step.Due.Before(from)) && (to.IsZero() || !row.Step.Due.After(to))
		}
	case !month.IsZero():
		d.View = "month"
		key := d.Month
		keep = func(row dueRow) bool { return monthKey(row.Step.Due) == key }
	}
	page, _ := strconv.Atoi(q.Get("page"))
	d.Page = max(page, 1)
	idx := map[string]int{}
	for _, row := range rows {
		k := monthKey(row.Step.Due)
		i, ok := idx[k]
		if !ok {
			i = len(d.Months)
			idx[k] = i
			d.Months = append(d.Months, boardMonth{Month: k, Label: assess.Month(lawLang(l), row.Step.Due.Year, int(row.Step.Due.Month)), Current: k == d.Month})
		}
		m := &d.Months[i]
		m.N++
		if !inSoon(row, d.Today, d.SoonEnd) {
			m.Outside++
		}
		if row.Overdue {
			m.Overdue++
		}
		if !keep(row) {
			continue
		}
		d.Total++
		if row.Overdue {
			d.Overdue++
		}
		if d.Total > (d.Page-1)*boardPage && d.Total <= d.Page*boardPage {
			d.Rows = append(d.Rows, row)
		}
	}
	d.Pages = max(1, (d.Total+boardPage-1)/boardPage)
	if d.Page > d.Pages {
		d.Page = d.Pages
	}
}

func (s *Server) boardData(r *http.Request) (*boardData, int, error) {
	org := currentOrg(r)
	d := &boardData{Today: actionsToday(), Errors: map[string]string{}, Calendar: s.cfg.Calendar != nil}
	rows, err := s.orgDues(r.Context(), org.ID, d.Today)
	if err != nil {
		return nil, 0, err
	}
	l := s.loc(r)
	boardView(d, rows, r.URL.Query(), l)
	d.Cols, d.Lines = newBoardCols(l), newBoardRows(l, "/o/"+org.ID, d.Rows)
	status := http.StatusOK
	if len(d.Errors) > 0 {
		status = http.StatusUnprocessableEntity
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
	d.FeedURL = s.requestScheme(r) + "://" + r.Host + "/cal/" + token + ".ics"
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
	today := actionsToday()
	rows, err := s.orgDues(r.Context(), orgID, today)
	if err != nil {
		s.log.Error("web: calendar feed", "err", err)
		http.Error(w, "erreur interne / internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	board := s.requestScheme(r) + "://" + r.Host + "/o/" + orgID + "/deadlines"
	if err := writeCalendar(w, rows, today, board); err != nil && r.Context().Err() == nil {
		s.log.Error("web: calendar feed", "err", err)
	}
}

// requestScheme is the scheme the client used: https over TLS, or when a
// trusted reverse proxy says so (X-Forwarded-Proto); http otherwise.
func (s *Server) requestScheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if s.peerIsTrustedProxy(r) {
		proto := strings.TrimSpace(strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")[0])
		if strings.EqualFold(proto, "https") {
			return "https"
		}
	}
	return "http"
}

// peerIsTrustedProxy reports whether the connection's peer is one of the
// configured reverse proxies.
func (s *Server) peerIsTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	for _, p := range s.cfg.TrustedProxies {
		if pr, err := netip.ParsePrefix(p); err == nil && pr.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// The calendar feed holds, as all-day events, the due dates from
// feedPast days ago to feedSoon days ahead, soonest first from the oldest,
// at most feedEvents of them; every other due date of the next feedMonths
// months (and any beyond the cap) is counted in one event per month, on
// its first day, which lists the first feedListed of them and links to the
// board. Whatever the size of the register, the feed stays under a few
// hundred kilobytes.
const (
	feedPast   = 30
	feedSoon   = 90
	feedMonths = 12
	feedEvents = 300
	feedListed = 10
)

// writeCalendar writes the due dates (RFC 5545, CRLF line ends, lines
// folded at 75 octets, every text escaped and free of control
// characters), in French. A due date's UID is its action's id and its
// step's id, so that it stays the same from one fetch to the next; DTSTAMP
// is the action's last change. A month's event has the UID of its month.
func writeCalendar(w io.Writer, rows []dueRow, today vigie.Date, board string) error {
	iw := newICal(w)
	iw.line("BEGIN:VCALENDAR")
	iw.line("VERSION:2.0")
	iw.line("PRODID:vigie")
	iw.line("METHOD:PUBLISH")
	iw.prop("NAME", "Échéances vigie")
	iw.prop("X-WR-CALNAME", "Échéances vigie")
	first, soonEnd, last := today.AddDays(-feedPast), today.AddDays(feedSoon), today.AddMonths(feedMonths)
	type month struct {
		key   string
		start vigie.Date
		rows  []dueRow // the first feedListed
		n     int
		stamp time.Time
	}
	var months []*month
	byKey := map[string]*month{}
	events := 0
	for _, row := range rows {
		st := row.Step
		if st.Due.Before(first) || st.Due.After(last) {
			continue
		}
		if !st.Due.After(soonEnd) && events < feedEvents {
			events++
			iw.line("BEGIN:VEVENT")
			iw.line("UID:" + icalSafe(row.Action.ID+"-"+st.ID) + "@vigie")
			iw.line("DTSTAMP:" + row.Action.UpdatedAt.UTC().Format("20060102T150405Z"))
			iw.line("DTSTART;VALUE=DATE:" + icalDate(st.Due))
			iw.line("DTEND;VALUE=DATE:" + icalDate(st.Due.AddDays(1)))
			iw.prop("SUMMARY", st.Label.In("fr")+" — "+row.SystemName)
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
			iw.prop("DESCRIPTION", strings.Join(desc, "\n"))
			iw.line("TRANSP:TRANSPARENT")
			iw.line("END:VEVENT")
			continue
		}
		k := monthKey(st.Due)
		m := byKey[k]
		if m == nil {
			m = &month{key: k, start: vigie.Date{Year: st.Due.Year, Month: st.Due.Month, Day: 1}}
			byKey[k] = m
			months = append(months, m)
		}
		m.n++
		if len(m.rows) < feedListed {
			m.rows = append(m.rows, row)
		}
		if row.Action.UpdatedAt.After(m.stamp) {
			m.stamp = row.Action.UpdatedAt
		}
	}
	for _, m := range months {
		iw.line("BEGIN:VEVENT")
		iw.line("UID:mois-" + m.key + "@vigie")
		iw.line("DTSTAMP:" + m.stamp.UTC().Format("20060102T150405Z"))
		iw.line("DTSTART;VALUE=DATE:" + icalDate(m.start))
		iw.line("DTEND;VALUE=DATE:" + icalDate(m.start.AddDays(1)))
		iw.prop("SUMMARY", fmt.Sprintf("%d échéance(s) en %s", m.n, assess.Month(law.FR, m.start.Year, int(m.start.Month))))
		var desc []string
		for _, row := range m.rows {
			desc = append(desc, assess.LongDate(law.FR, row.Step.Due.String())+" : "+row.Step.Label.In("fr")+" — "+row.SystemName)
		}
		if m.n > len(m.rows) {
			desc = append(desc, fmt.Sprintf("… et %d autre(s)", m.n-len(m.rows)))
		}
		desc = append(desc, "Le détail : "+board+"?month="+m.key)
		iw.prop("DESCRIPTION", strings.Join(desc, "\n"))
		iw.prop("URL", board+"?month="+m.key)
		iw.line("TRANSP:TRANSPARENT")
		iw.line("END:VEVENT")
	}
	iw.line("END:VCALENDAR")
	return iw.close()
}

func icalDate(d vigie.Date) string { return strings.ReplaceAll(d.String(), "-", "") }

var confidenceFR = map[string]string{"verified": "vérifié", "secondary": "sources secondaires", "unverified": "non vérifié"}
