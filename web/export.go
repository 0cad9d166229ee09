package web

// The register's downloads (/o/{org}/export.csv, .ods, .json): streamed
// one system at a time from the store, in the reader's language, so that
// their memory does not grow with the register; and the limit on how many
// such heavy downloads run at once.

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ods"
	"github.com/vigie-app/vigie/register"
)

// MaxDownloads is the number of heavy downloads (the register's exports,
// open data) served at once when Config.MaxDownloads is 0; one more gets
// 429 Too Many Requests with a Retry-After.
const MaxDownloads = 4

// downloadRetry is the Retry-After of a refused heavy download, seconds.
const downloadRetry = 10

// heavySlot takes one of the heavy download slots, or answers 429 with a
// Retry-After and returns ok false. The caller calls release when done.
func (s *Server) heavySlot(w http.ResponseWriter, r *http.Request) (release func(), ok bool) {
	if release, ok := s.downloadSlot(); ok {
		return release, true
	}
	w.Header().Set("Retry-After", strconv.Itoa(downloadRetry))
	s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Status: http.StatusTooManyRequests, Message: s.loc(r).T("export.busy")})
	return nil, false
}

// downloadSlot takes a heavy download slot if one is free.
func (s *Server) downloadSlot() (release func(), ok bool) {
	s.heavyOnce.Do(func() {
		n := s.cfg.MaxDownloads
		if n <= 0 {
			n = MaxDownloads
		}
		s.heavy = make(chan struct{}, n)
	})
	select {
	case s.heavy <- struct{}{}:
		return func() { <-s.heavy }, true
	default:
		return nil, false
	}
}

// streamStart sets the headers of a streamed download (no length: it is
// written as it is read).
func streamStart(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// streamAbort ends a download that failed after its first bytes: the
// connection is cut, so that the client sees an incomplete download rather
// than a file that looks whole.
func (s *Server) streamAbort(r *http.Request, err error) {
	if r.Context().Err() == nil {
		s.log.Error("web: download", "path", r.URL.Path, "err", err)
	}
	panic(http.ErrAbortHandler)
}

// extendWrite gives a long download another minute to write, past the
// server's WriteTimeout, while it keeps writing.
func extendWrite(w http.ResponseWriter) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
}

// registerTypes are the media types of the register's formats.
var registerTypes = map[string]string{
	register.CSV:  "text/csv; charset=utf-8",
	register.ODS:  ods.MediaType,
	register.JSON: "application/json; charset=utf-8",
}

// handleRegisterExport writes the register of the organisation: CSV or ODS
// with headers and values in the reader's language (CSV in the dialect of
// French spreadsheets), or with the attribute names of the Eurocities
// standard (?columns=ats for CSV; JSON always).
func (s *Server) handleRegisterExport(w http.ResponseWriter, r *http.Request) {
	org := currentOrg(r)
	format := chi.URLParam(r, "format")
	ct, ok := registerTypes[format]
	if !ok {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "format inconnu / unknown format"))
		return
	}
	columns := r.URL.Query().Get("columns")
	if columns != register.ColumnsWords && (columns != register.ColumnsATS || format == register.ODS) {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "columns", Message: s.loc(r).T("export.err.columns")})
		return
	}
	wps, err := s.cfg.Workplaces.FindWorkplaces(r.Context(), org.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	release, ok := s.heavySlot(w, r)
	if !ok {
		return
	}
	defer release()
	l := s.loc(r)
	date := today()
	name := l.T("export.filename") + "-" + slug(org.Name) + "-" + date.String()
	if columns == register.ColumnsATS {
		name += "-ats"
	}
	streamStart(w, ct, name+"."+format)
	rw, err := register.New(w, register.Options{Format: format, Columns: columns, Lang: l.Lang, Labels: l,
		Organisation: org.Name, Sheet: l.T("export.sheet")})
	if err != nil {
		s.streamAbort(r, err)
	}
	err = register.Stream(r.Context(), s.cfg.Systems, org.ID, wps, date, rw, func() { extendWrite(w) })
	if err != nil {
		s.streamAbort(r, err)
	}
}

// Messages returns the interface's messages in lang ("fr" or "en"), for
// the register's exports written by the command line.
func Messages(lang string) (register.Labels, error) {
	b, err := newBundle()
	if err != nil {
		return nil, err
	}
	return newLoc(b, lang), nil
}
