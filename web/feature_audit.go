package web

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-chi/chi/v5"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/audit"
	"github.com/vigie-app/vigie/letters"
)

// The discrimination audit on the system's evidence tab (issue 4, item 5).
//
// The tab "evidence" (Preuves) keeps what the web foundation shows there
// and adds a section « Audit de discrimination »: the audits already run on
// the system and, for an editor, an upload form. The flow is:
//
//  1. POST /systems/{id}/audits/upload streams the file (multipart, never
//     held in memory) to a temporary file, computing its sha256 while
//     copying, within AuditMaxBytes (413 beyond). The file is registered
//     under a random id bound to the user, the session and the system, and
//     removed after AuditUploadTTL if nothing is done with it.
//  2. GET /systems/{id}/audits/new/{up} shows the detected columns
//     (audit.ReadHeaderFile) to choose the group, score and label columns.
//  3. POST /systems/{id}/audits/new/{up} runs audit.RunFile and keeps a
//     vigie.Report of kind audit (config, input name, sha256 and rows, the
//     report's JSON); the raw file only when the user asked for it.
//  4. GET /systems/{id}/audits/{rid} shows the report: the engine's HTML
//     (tables and SVG charts; it has no script and no style attribute, so
//     it fits the CSP once its <style> head is left out) and its text.
var (
	// AuditMaxBytes bounds an audit upload (2 GiB); it is enforced while
	// copying. It is read when a server is built (NewServer).
	AuditMaxBytes int64 = 2 << 30
	// AuditUploadTTL is how long an uploaded file waits for its columns to
	// be chosen before it is removed. Read when a server is built.
	AuditUploadTTL = time.Hour
)

// auditKeepMax is the largest input file a report can keep (the store's
// MaxReportContent): keeping it reads it into memory once.
const auditKeepMax = 256 << 20

// auditPendingPerUser bounds the uploads waiting for their columns per
// user: a new one removes the oldest.
const auditPendingPerUser = 3

func init() {
	addFeature(feature{
		Name: "audit",
		Tabs: func(s *Server) []Tab {
			if s.cfg.Reports == nil {
				return nil
			}
			s.auditState() // fixes the limits of this server
			return []Tab{{ID: "evidence", Label: "tab.evidence", Template: "tab-evidence-audit", Load: s.loadEvidenceAudit}}
		},
		OrgRoutes: func(s *Server, r chi.Router) {
			if s.cfg.Reports == nil {
				return
			}
			ed := r.With(s.need(vigie.RoleEditor))
			ed.Post("/systems/{id}/audits/upload", s.handleAuditUpload)
			ed.Get("/systems/{id}/audits/new/{up}", s.handleAuditPick)
			ed.Post("/systems/{id}/audits/new/{up}", s.handleAuditRun)
			ed.Post("/systems/{id}/audits/new/{up}/discard", s.handleAuditDiscard)
			r.Get("/systems/{id}/audits/{rid}", s.handleAuditReport)
			r.Get("/systems/{id}/audits/{rid}/report.json", s.handleAuditJSON)
			r.Get("/systems/{id}/audits/{rid}/report.html", s.handleAuditHTML)
			r.Get("/systems/{id}/audits/{rid}/input", s.handleAuditInput)
		},
	})
	streamedUploads = append(streamedUploads, isAuditUpload)
}

// isAuditUpload recognises the audit upload, whose handler bounds its body
// to AuditMaxBytes instead of MaxUploadBytes.
func isAuditUpload(r *http.Request) bool {
	p := r.URL.Path
	return r.Method == http.MethodPost && strings.HasPrefix(p, "/o/") && strings.HasSuffix(p, "/audits/upload") && strings.Count(p, "/") == 6
}

// auditUpload is a file uploaded for an audit, waiting for its columns.
type auditUpload struct {
	ID       string
	Path     string // the temporary file; never taken from a form
	Name     string // the file name the browser gave, base name only
	SHA256   string
	Size     int64
	Header   *audit.Header
	userID   string
	session  string
	systemID string
	created  time.Time
	timer    *time.Timer
	busy     bool // an audit is running on it
}

// auditState is the audit feature's state in one server: its limits and
// the uploads waiting for their columns.
type auditState struct {
	maxBytes int64
	ttl      time.Duration
	mu       sync.Mutex
	uploads  map[string]*auditUpload
	inflight map[string]int // uploads being received, by user
}

var auditStates sync.Map // *Server → *auditState

func (s *Server) auditState() *auditState {
	if st, ok := auditStates.Load(s); ok {
		return st.(*auditState)
	}
	st, loaded := auditStates.LoadOrStore(s, &auditState{maxBytes: AuditMaxBytes, ttl: AuditUploadTTL, uploads: map[string]*auditUpload{}})
	if !loaded {
		st.(*auditState).sweep()
	}
	return st.(*auditState)
}

// sweep removes the audit uploads left in the temporary directory by a
// process that stopped before their expiry: those older than the TTL.
func (st *auditState) sweep() {
	old, _ := filepath.Glob(filepath.Join(os.TempDir(), "vigie-audit-*"))
	for _, p := range old {
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > st.ttl {
			_ = os.Remove(p)
		}
	}
}

// claim marks up as running an audit, so that a second submission waits
// for the first and the expiry does not remove the file under it.
func (st *auditState) claim(up *auditUpload) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if up.busy || st.uploads[up.ID] != up {
		return false
	}
	up.busy = true
	up.timer.Stop()
	return true
}

// release ends a run that kept nothing: the file waits again for a
// corrected choice, until it expires.
func (st *auditState) release(up *auditUpload) {
	st.mu.Lock()
	defer st.mu.Unlock()
	up.busy = false
	if st.uploads[up.ID] == up {
		up.timer = time.AfterFunc(st.ttl, func() { st.expire(up) })
	}
}

// auditInFlightPerUser bounds the uploads of one user being received at
// the same time: each holds a connection and a temporary file growing to
// the size limit.
const auditInFlightPerUser = 2

// begin counts an upload of userID being received, unless the user has
// auditInFlightPerUser already; end uncounts it.
func (st *auditState) begin(userID string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.inflight == nil {
		st.inflight = map[string]int{}
	}
	if st.inflight[userID] >= auditInFlightPerUser {
		return false
	}
	st.inflight[userID]++
	return true
}

func (st *auditState) end(userID string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.inflight[userID]--; st.inflight[userID] <= 0 {
		delete(st.inflight, userID)
	}
}

// add registers up, removing the user's oldest pending upload beyond
// auditPendingPerUser, and arms its expiry.
func (st *auditState) add(up *auditUpload) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var mine []*auditUpload
	for _, u := range st.uploads {
		if u.userID == up.userID && !u.busy {
			mine = append(mine, u)
		}
	}
	slices.SortFunc(mine, func(a, b *auditUpload) int { return a.created.Compare(b.created) })
	for len(mine) >= auditPendingPerUser {
		st.removeLocked(mine[0])
		mine = mine[1:]
	}
	st.uploads[up.ID] = up
	up.timer = time.AfterFunc(st.ttl, func() { st.expire(up) })
}

// expire removes up when its time is over, unless an audit runs on it.
func (st *auditState) expire(up *auditUpload) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !up.busy {
		st.removeLocked(up)
	}
}

func (st *auditState) remove(up *auditUpload) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.removeLocked(up)
}

func (st *auditState) removeLocked(up *auditUpload) {
	if up.timer != nil {
		up.timer.Stop()
	}
	delete(st.uploads, up.ID)
	_ = os.Remove(up.Path)
}

// get returns the upload id if it belongs to the user, the session and the
// system of the request; anything else is not found.
func (s *Server) auditUploadFor(r *http.Request, rec *vigie.SystemRecord) (*auditUpload, error) {
	st := s.auditState()
	st.mu.Lock()
	up := st.uploads[chi.URLParam(r, "up")]
	st.mu.Unlock()
	u := currentUser(r)
	if up == nil || u == nil || up.userID != u.ID || up.session != s.sessions.Token(r.Context()) || up.systemID != rec.ID {
		return nil, vigie.Errorf(vigie.ENOTFOUND, "fichier introuvable ou expiré / file not found or expired")
	}
	return up, nil
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// auditTab is the data of the evidence tab with its audit section.
type auditTab struct {
	Evidence any // what the builtin evidence tab loads
	Audits   []auditRow
	Error    string // the upload was refused
	MaxSize  string // the upload limit, in the request's language
	// Pending are the user's uploads on this system waiting for their
	// columns.
	Pending []*auditUpload
}

// Base is the tab's data for the builtin evidence template.
func (a *auditTab) Base(td *TabData) *TabData {
	c := *td
	c.Data = a.Evidence
	return &c
}

// auditRow is one past audit in the list.
type auditRow struct {
	R      *vigie.Report
	Counts verdictCounts
}

type verdictCounts struct{ Disparity, Parity, Insufficient int }

// countVerdicts counts the verdicts of every comparison of the report.
func countVerdicts(rep *audit.Report) verdictCounts {
	var c verdictCounts
	for _, a := range rep.Attributes {
		for _, g := range a.Groups {
			for _, d := range g.Disparities {
				switch d.Verdict {
				case audit.VerdictDisparity:
					c.Disparity++
				case audit.VerdictParity:
					c.Parity++
				case audit.VerdictInsufficient:
					c.Insufficient++
				}
			}
		}
	}
	return c
}

// summaryFR is the one line kept with the report for lists and events.
func (c verdictCounts) summaryFR() string {
	pl := func(n int, one, many string) string {
		if n <= 1 {
			return strconv.Itoa(n) + " " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	return pl(c.Disparity, "disparité", "disparités") + ", " + pl(c.Parity, "parité", "parités") + ", " + pl(c.Insufficient, "insuffisant", "insuffisants")
}

func (s *Server) loadEvidenceAudit(r *http.Request, rec *vigie.SystemRecord) (any, error) {
	base, err := s.loadEvidence(r, rec)
	if err != nil {
		return nil, err
	}
	reps, err := s.cfg.Reports.FindReports(r.Context(), rec.ID, vigie.ReportAudit)
	if err != nil {
		return nil, err
	}
	d := &auditTab{Evidence: base, MaxSize: humanSize(s.auditState().maxBytes, requestLang(r))}
	if u := currentUser(r); u != nil && currentRole(r).Allows(vigie.RoleEditor) {
		st := s.auditState()
		token := s.sessions.Token(r.Context())
		st.mu.Lock()
		for _, up := range st.uploads {
			if up.userID == u.ID && up.session == token && up.systemID == rec.ID {
				d.Pending = append(d.Pending, up)
			}
		}
		st.mu.Unlock()
		slices.SortFunc(d.Pending, func(a, b *auditUpload) int { return a.created.Compare(b.created) })
	}
	for _, rp := range reps {
		row := auditRow{R: rp}
		var ar audit.Report
		if json.Unmarshal(rp.Result, &ar) == nil {
			row.Counts = countVerdicts(&ar)
		}
		d.Audits = append(d.Audits, row)
	}
	return d, nil
}

// renderEvidence renders the system page on the evidence tab with the
// template tmpl and data: the column picker, a report, or the tab with an
// error.
func (s *Server) renderEvidence(w http.ResponseWriter, r *http.Request, status int, rec *vigie.SystemRecord, tmpl string, data any) {
	i := slices.IndexFunc(s.tabs, func(t Tab) bool { return t.ID == "evidence" })
	if i < 0 {
		s.fail(w, r, vigie.Errorf(vigie.ENOTFOUND, "onglet inconnu / unknown tab"))
		return
	}
	sp := &systemPage{Rec: rec, Tabs: s.tabs, Active: "evidence"}
	if rec.WorkplaceID != "" {
		if wp, err := s.cfg.Workplaces.FindWorkplaceByID(r.Context(), rec.WorkplaceID); err == nil {
			sp.Workplace = wp
		}
	}
	p := s.page(r, "", sp)
	p.Title = rec.System.Name
	var buf bytes.Buffer
	if err := s.pages["system"].t.ExecuteTemplate(&buf, tmpl, &TabData{Tab: s.tabs[i], P: p, Rec: rec, Data: data}); err != nil {
		s.fail(w, r, err)
		return
	}
	sp.Body = template.HTML(buf.String())
	s.render(w, r, status, "system", p)
}

// auditTooLarge answers 413 with the audit's own limit.
func (s *Server) auditTooLarge(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	s.render(w, r, http.StatusRequestEntityTooLarge, "error", errorPage{Status: http.StatusRequestEntityTooLarge,
		Message: s.loc(r).T("audit.toolarge", "Max", humanSize(s.auditState().maxBytes, requestLang(r)))})
}

// humanSize writes n bytes in GiB or MiB (or bytes when small), in French
// or English units.
func humanSize(n int64, lang string) string {
	u := [3]string{" Gio", " Mio", " o"}
	if lang == "en" {
		u = [3]string{" GiB", " MiB", " B"}
	}
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + u[0]
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + u[1]
	}
	return strconv.FormatInt(n, 10) + u[2]
}

// uploadName keeps the base name of the browser's file name.
func uploadName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 32 || (r >= 127 && r <= 159) || r == 0x2028 || r == 0x2029 {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "fichier.csv"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:]) // keep the extension
	}
	return name
}

// fieldMsg names the field of a message: « Seuil : … » in French,
// "Threshold: …" in English.
func fieldMsg(l *loc, field, msg string) string {
	if l.Lang == "en" {
		return l.T(field) + ": " + msg
	}
	return l.T(field) + " : " + msg
}

// cleanMessage replaces the temporary path in an engine message by the
// name the user knows.
func cleanMessage(err error, up *auditUpload) string {
	return strings.ReplaceAll(vigie.ErrorMessage(err), up.Path, up.Name)
}

func (s *Server) handleAuditUpload(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := s.auditState()
	if !st.begin(currentUser(r).ID) {
		w.Header().Set("Retry-After", "60")
		s.render(w, r, http.StatusTooManyRequests, "error", errorPage{Status: http.StatusTooManyRequests, Message: s.loc(r).T("audit.err.inflight", "Max", auditInFlightPerUser)})
		return
	}
	defer st.end(currentUser(r).ID)
	const slack = 1 << 20 // the multipart envelope
	limit := st.maxBytes
	if r.ContentLength > limit+slack {
		s.auditTooLarge(w, r)
		return
	}
	// A large file over a slow link takes longer than the server's
	// ordinary read timeout.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(2 * time.Hour))
	_ = rc.SetWriteDeadline(time.Now().Add(2 * time.Hour))
	r.Body = http.MaxBytesReader(w, r.Body, limit+slack)
	mr, err := r.MultipartReader()
	if err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	l := s.loc(r)
	var up *auditUpload
	fail := func(err error) {
		if up != nil {
			_ = os.Remove(up.Path)
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || errors.Is(err, errAuditTooLarge) {
			s.auditTooLarge(w, r)
			return
		}
		s.fail(w, r, err)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(badFormOrSize(err))
			return
		}
		if part.FormName() != "file" || part.FileName() == "" || up != nil {
			// Other fields are not used; drain them within the body limit.
			if _, err := io.Copy(io.Discard, part); err != nil {
				fail(badFormOrSize(err))
				return
			}
			continue
		}
		up = &auditUpload{Name: uploadName(part.FileName())}
		if err := st.save(up, part); err != nil {
			fail(err)
			return
		}
	}
	if up == nil {
		s.fail(w, r, &vigie.Error{Code: vigie.EINVALID, Field: "file", Message: fieldMsg(l, "audit.file", l.T("err.required"))})
		return
	}
	h, err := audit.ReadHeaderFile(up.Path)
	if err != nil {
		_ = os.Remove(up.Path)
		if vigie.ErrorCode(err) != vigie.EINVALID {
			s.fail(w, r, err)
			return
		}
		d, lerr := s.loadEvidenceAudit(r, rec)
		if lerr != nil {
			s.fail(w, r, lerr)
			return
		}
		d.(*auditTab).Error = cleanMessage(err, up)
		s.renderEvidence(w, r, http.StatusUnprocessableEntity, rec, "tab-evidence-audit", d)
		return
	}
	up.Header = h
	up.ID = randomID()
	up.userID = currentUser(r).ID
	up.session = s.sessions.Token(r.Context())
	up.systemID = rec.ID
	up.created = time.Now()
	st.add(up)
	http.Redirect(w, r, systemPath(rec)+"/audits/new/"+up.ID, http.StatusSeeOther)
}

var errAuditTooLarge = errors.New("audit: upload too large")

func badFormOrSize(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if err != nil && strings.Contains(err.Error(), "request body too large") {
		return errAuditTooLarge
	}
	return badForm(err)
}

// save copies the part to a new temporary file, computing its sha256 and
// stopping beyond the limit.
func (st *auditState) save(up *auditUpload, part io.Reader) error {
	ext := ".csv"
	if audit.IsParquetName(up.Name) {
		ext = ".parquet"
	}
	f, err := os.CreateTemp("", "vigie-audit-*"+ext)
	if err != nil {
		return err
	}
	up.Path = f.Name()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(part, st.maxBytes+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return badFormOrSize(err)
	}
	if n > st.maxBytes {
		return errAuditTooLarge
	}
	up.Size = n
	up.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}

// auditInput is the column picker's form as typed, to show it again.
type auditInput struct {
	Groups        []string
	Intersect     bool
	Score         string
	Mode          string // "threshold" or "positive"
	Threshold     string
	Positive      string
	Label         string
	LabelPositive string
	Missing       string
	Reference     map[string]string // column → reference group
	Direction     string
	MinN          string
	Keep          bool
	// How to read the file and shape its groups, as the command line's
	// --delimiter, --encoding, --recode and --cut (one per line).
	Delimiter, Encoding, Recode, Cut string
}

// HasGroup reports whether the column is checked as a group.
func (in auditInput) HasGroup(col string) bool { return slices.Contains(in.Groups, col) }

// Ref returns the reference group typed for the column.
func (in auditInput) Ref(col string) string { return in.Reference[col] }

// auditSettings are the settings of an audit as kept in the report's
// Config: what the user chose on the form.
type auditSettings struct {
	Groups        []string                     `json:"groups"`
	Intersect     bool                         `json:"intersect"`
	Score         string                       `json:"score"`
	Threshold     *float64                     `json:"threshold,omitempty"`
	Positive      []string                     `json:"positive,omitempty"`
	Label         string                       `json:"label,omitempty"`
	LabelPositive []string                     `json:"label_positive,omitempty"`
	Missing       []string                     `json:"missing,omitempty"`
	Reference     map[string]string            `json:"reference,omitempty"`
	Direction     audit.Direction              `json:"direction"`
	MinN          int                          `json:"min_n"`
	KeepFile      bool                         `json:"keep_file"`
	Delimiter     string                       `json:"delimiter,omitempty"` // as audit.ParseDelimiter reads it
	Encoding      string                       `json:"encoding,omitempty"`
	Recode        map[string]map[string]string `json:"recode,omitempty"`
	Cut           map[string][]float64         `json:"cut,omitempty"`
	// ReferenceAuto lists the columns whose reference the form left empty
	// and that took their least flagged group.
	ReferenceAuto []string `json:"reference_auto,omitempty"`
}

// autoReference gives each group column without a reference the least
// flagged group of at least MinN people in rep, and reports whether the
// audit must run again with it.
func (a *auditSettings) autoReference(rep *audit.Report) bool {
	rerun := false
	for _, col := range a.Groups {
		if a.Reference[col] != "" {
			continue
		}
		v, ok := rep.LeastFlagged(col, a.MinN)
		if !ok {
			continue
		}
		if a.Reference == nil {
			a.Reference = map[string]string{}
		}
		a.Reference[col] = v
		a.ReferenceAuto = append(a.ReferenceAuto, col)
		for _, at := range rep.Attributes {
			if at.Name == col && at.Reference != v {
				rerun = true
			}
		}
	}
	return rerun
}

// AutoRef reports whether the reference of column col was chosen as its
// least flagged group.
func (a auditSettings) AutoRef(col string) bool { return slices.Contains(a.ReferenceAuto, col) }

// Config is the engine's configuration for these settings.
func (a auditSettings) Config(name string) audit.Config {
	d, _ := audit.ParseDelimiter(a.Delimiter) // checked by parseAuditForm
	return audit.Config{Groups: a.Groups, Intersect: a.Intersect, Score: a.Score, Threshold: a.Threshold, Positive: a.Positive,
		Label: a.Label, LabelPositive: a.LabelPositive, Reference: a.Reference, Direction: a.Direction, MinN: a.MinN, Missing: a.Missing, Path: name,
		Delimiter: d, Encoding: a.Encoding, Recode: a.Recode, Cut: a.Cut}
}

// lines returns the non-empty lines of a text area, trimmed.
func lines(s string) []string {
	var out []string
	for _, v := range strings.Split(s, "\n") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// parseAuditForm reads the picker's form against the file's columns.
func parseAuditForm(r *http.Request, h *audit.Header, l *loc) (auditInput, auditSettings, *vigie.Error) {
	f := r.PostForm
	in := auditInput{Groups: f["groups"], Intersect: f.Get("intersect") != "", Score: f.Get("score"), Mode: f.Get("mode"),
		Threshold: strings.TrimSpace(f.Get("threshold")), Positive: f.Get("positive"), Label: f.Get("label"),
		LabelPositive: f.Get("label_positive"), Missing: f.Get("missing"), Direction: f.Get("direction"), MinN: strings.TrimSpace(f.Get("min_n")),
		Keep: f.Get("keep") != "", Reference: map[string]string{},
		Delimiter: f.Get("delimiter"), Encoding: f.Get("encoding"), Recode: f.Get("recode"), Cut: f.Get("cut")}
	for i, c := range h.Columns {
		if v := strings.TrimSpace(f.Get("ref-" + strconv.Itoa(i))); v != "" {
			in.Reference[c] = v
		}
	}
	bad := func(field, label, msg string) (auditInput, auditSettings, *vigie.Error) {
		return in, auditSettings{}, &vigie.Error{Code: vigie.EINVALID, Field: field, Message: fieldMsg(l, label, msg)}
	}
	a := auditSettings{Groups: in.Groups, Intersect: in.Intersect, Score: in.Score, Label: in.Label, KeepFile: in.Keep}
	if len(a.Groups) == 0 {
		return bad("groups", "audit.groups", l.T("audit.err.groups"))
	}
	if a.Score == "" {
		return bad("score", "audit.score", l.T("err.required"))
	}
	switch in.Mode {
	case "threshold":
		t, err := strconv.ParseFloat(strings.ReplaceAll(in.Threshold, ",", "."), 64)
		if err != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return bad("threshold", "audit.threshold", l.T("audit.err.number"))
		}
		a.Threshold = &t
	case "positive":
		if a.Positive = splitList(in.Positive); len(a.Positive) == 0 {
			return bad("positive", "audit.positive", l.T("err.required"))
		}
	default:
		return bad("mode", "audit.mode", l.T("err.choice"))
	}
	a.LabelPositive = splitList(in.LabelPositive)
	a.Missing = splitList(in.Missing)
	if len(a.LabelPositive) > 0 && a.Label == "" {
		return bad("label_positive", "audit.label_positive", l.T("audit.err.nolabel"))
	}
	switch in.Direction {
	case string(audit.Adverse), string(audit.Favourable):
		a.Direction = audit.Direction(in.Direction)
	default:
		return bad("direction", "audit.direction", l.T("err.choice"))
	}
	a.MinN = 30
	if in.MinN != "" {
		n, err := strconv.Atoi(in.MinN)
		if err != nil || n < 1 {
			return bad("min_n", "audit.min_n", l.T("audit.err.minn"))
		}
		a.MinN = n
	}
	if _, ok := audit.ParseDelimiter(in.Delimiter); !ok {
		return bad("delimiter", "audit.delimiter", l.T("err.choice"))
	}
	a.Delimiter = in.Delimiter
	enc, ok := audit.ParseEncoding(in.Encoding)
	if !ok {
		return bad("encoding", "audit.encoding", l.T("err.choice"))
	}
	a.Encoding = enc
	isColumn := func(c string) bool { return slices.Contains(h.Columns, c) }
	for i, line := range lines(in.Recode) {
		col, m, pair, ok := audit.ParseRecode(line)
		switch {
		case !ok && pair == "":
			return bad("recode", "audit.recode", l.T("audit.err.recode", "Line", i+1))
		case !ok:
			return bad("recode", "audit.recode", l.T("audit.err.recode.pair", "Line", i+1, "Pair", pair))
		case !isColumn(col):
			return bad("recode", "audit.recode", l.T("audit.err.column", "Line", i+1, "Col", col))
		case !slices.Contains(a.Groups, col):
			return bad("recode", "audit.recode", l.T("audit.err.notgroup", "Line", i+1, "Col", col))
		}
		if a.Recode == nil {
			a.Recode = map[string]map[string]string{}
		}
		a.Recode[col] = m
	}
	for i, line := range lines(in.Cut) {
		col, cuts, bound, ok := audit.ParseCut(line)
		switch {
		case !ok && bound == "":
			return bad("cut", "audit.cut", l.T("audit.err.cut", "Line", i+1))
		case !ok:
			return bad("cut", "audit.cut", l.T("audit.err.cut.bound", "Line", i+1, "Bound", bound))
		case !isColumn(col):
			return bad("cut", "audit.cut", l.T("audit.err.column", "Line", i+1, "Col", col))
		case !slices.Contains(a.Groups, col):
			return bad("cut", "audit.cut", l.T("audit.err.notgroup", "Line", i+1, "Col", col))
		}
		if a.Cut == nil {
			a.Cut = map[string][]float64{}
		}
		a.Cut[col] = cuts
	}
	for _, g := range a.Groups {
		if v, ok := in.Reference[g]; ok {
			if a.Reference == nil {
				a.Reference = map[string]string{}
			}
			a.Reference[g] = v
		}
	}
	return in, a, nil
}

// auditPick is the data of the column picker.
type auditPick struct {
	Up      *auditUpload
	Columns []auditColumn
	// Shown are the columns of the table of groups (all, or those found
	// by Query); Total is the number of columns.
	Shown       []auditColumn
	Query       string
	Total       int
	SearchShown bool // the search form is offered (many columns)
	In          auditInput
	Error       string
	Field       string
	KeepMiB     int64
	CanKeep     bool
}

// auditColumn is a detected column with a few sample values.
type auditColumn struct {
	Index   int
	Name    string
	Samples string
}

func newAuditPick(up *auditUpload, in auditInput) *auditPick {
	p := &auditPick{Up: up, In: in, KeepMiB: auditKeepMax >> 20, CanKeep: up.Size <= auditKeepMax}
	for i, c := range up.Header.Columns {
		var seen []string
		for _, row := range up.Header.Sample {
			if i < len(row) && !slices.Contains(seen, row[i]) {
				seen = append(seen, row[i])
			}
		}
		p.Columns = append(p.Columns, auditColumn{Index: i, Name: c, Samples: strings.Join(seen, ", ")})
	}
	p.Shown, p.Total, p.SearchShown = p.Columns, len(p.Columns), len(p.Columns) > 12
	return p
}

func (s *Server) handleAuditPick(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, err := s.auditUploadFor(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := newAuditPick(up, auditInput{Mode: "threshold", Direction: string(audit.Adverse), MinN: "30"})
	p.filter(r.URL.Query().Get("q"))
	s.renderEvidence(w, r, http.StatusOK, rec, "tab-audit-pick", p)
}

// filter keeps in the table of groups the columns whose name holds q
// (accents and case ignored): a file of hundreds of columns is searched
// with a plain form, without JavaScript.
func (p *auditPick) filter(q string) {
	q = strings.TrimSpace(vigie.Clip(q, 100))
	p.Query = q
	if q == "" {
		return
	}
	k := foldKey(q)
	p.Shown = nil
	for _, c := range p.Columns {
		if strings.Contains(foldKey(c.Name), k) {
			p.Shown = append(p.Shown, c)
		}
	}
}

// foldKey lowers s and removes its accents, for a search.
func foldKey(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

func (s *Server) handleAuditDiscard(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, err := s.auditUploadFor(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.auditState().remove(up)
	s.setFlash(r, "audit.flash.discarded")
	http.Redirect(w, r, systemPath(rec)+"/t/evidence", http.StatusSeeOther)
}

func (s *Server) handleAuditRun(w http.ResponseWriter, r *http.Request) {
	rec, err := s.loadSystem(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	up, err := s.auditUploadFor(r, rec)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badForm(err))
		return
	}
	l := s.loc(r)
	in, set, verr := parseAuditForm(r, up.Header, l)
	again := func(msg, field string) {
		p := newAuditPick(up, in)
		p.Error, p.Field = msg, field
		s.renderEvidence(w, r, http.StatusUnprocessableEntity, rec, "tab-audit-pick", p)
	}
	if verr != nil {
		again(verr.Message, verr.Field)
		return
	}
	if set.KeepFile && up.Size > auditKeepMax {
		again(fieldMsg(l, "audit.keep", l.T("audit.err.keep", "Max", humanSize(auditKeepMax, requestLang(r)))), "keep")
		return
	}
	st := s.auditState()
	if !st.claim(up) {
		s.fail(w, r, vigie.Errorf(vigie.ECONFLICT, "audit déjà en cours sur ce fichier / an audit is already running on this file"))
		return
	}
	done := false
	defer func() {
		if done {
			st.remove(up)
		} else {
			// The file stays for a corrected choice until it expires.
			st.release(up)
		}
	}()
	// A large file takes longer to read than the ordinary write timeout.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour))
	rep, err := audit.RunFile(r.Context(), up.Path, set.Config(up.Name))
	if err == nil {
		// A column left without a reference takes the least flagged group
		// of at least min-n people (the command line keeps the largest):
		// every other group then reads as flagged as often or more. The
		// report says so, and the picker can name another one.
		if rerun := set.autoReference(rep); rerun {
			rep, err = audit.RunFile(r.Context(), up.Path, set.Config(up.Name))
		}
	}
	if err != nil {
		if vigie.ErrorCode(err) == vigie.EINVALID {
			again(cleanMessage(err, up), "")
			return
		}
		s.fail(w, r, err)
		return
	}
	if rep.Input.SHA256 != up.SHA256 {
		s.fail(w, r, fmt.Errorf("audit: the temporary file changed (sha256 %s, uploaded %s)", rep.Input.SHA256, up.SHA256))
		return
	}
	cfg, err := json.Marshal(set)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	result, err := json.Marshal(rep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	vr := &vigie.Report{OrgID: rec.OrgID, SystemID: rec.ID, Kind: vigie.ReportAudit, SystemVersion: rec.Version,
		Title: up.Name, Summary: countVerdicts(rep).summaryFR(), InputName: up.Name, InputSHA256: rep.Input.SHA256,
		InputRows: rep.Input.Rows, Config: cfg, Result: result}
	var content []byte
	if set.KeepFile {
		if content, err = os.ReadFile(up.Path); err != nil {
			s.fail(w, r, err)
			return
		}
		if content == nil {
			content = []byte{}
		}
	}
	if err := s.cfg.Reports.CreateReport(r.Context(), vr, content); err != nil {
		if vigie.ErrorCode(err) == vigie.EINVALID {
			again(vigie.ErrorMessage(err), "")
			return
		}
		s.fail(w, r, err)
		return
	}
	done = true
	s.setFlash(r, "audit.flash.done")
	http.Redirect(w, r, systemPath(rec)+"/audits/"+vr.ID, http.StatusSeeOther)
}

// loadAuditReport finds an audit report of the system of the URL.
func (s *Server) loadAuditReport(r *http.Request) (*vigie.SystemRecord, *vigie.Report, *audit.Report, error) {
	rec, err := s.loadSystem(r)
	if err != nil {
		return nil, nil, nil, err
	}
	vr, err := s.cfg.Reports.FindReportByID(r.Context(), chi.URLParam(r, "rid"))
	if err != nil {
		return nil, nil, nil, err
	}
	if vr.SystemID != rec.ID || vr.OrgID != rec.OrgID || vr.Kind != vigie.ReportAudit {
		return nil, nil, nil, vigie.Errorf(vigie.ENOTFOUND, "rapport introuvable / report not found")
	}
	var ar audit.Report
	if err := json.Unmarshal(vr.Result, &ar); err != nil {
		return nil, nil, nil, fmt.Errorf("audit report %s: %w", vr.ID, err)
	}
	return rec, vr, &ar, nil
}

// auditView is the data of the report page.
type auditView struct {
	R        *vigie.Report
	Settings auditSettings
	Counts   verdictCounts
	Body     template.HTML // the engine's HTML report, without its head
	Text     string        // the engine's plain text
	Short    []textBlock   // the text's introduction and « En bref »
}

// textBlock is a piece of the engine's text: a heading, a paragraph or a
// list.
type textBlock struct {
	Kind  string // "h", "p", "ul"
	Text  string
	Items []string
}

// textBlocks splits the engine's text into headings ("== … =="), lists
// ("- …") and paragraphs, up to the second heading: the introduction and
// the summary.
func textBlocks(text string) []textBlock {
	var out []textBlock
	heads := 0
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " ")
		switch {
		case i == 0 || line == "":
			// The title is the page's.
		case strings.HasPrefix(line, "== ") && strings.HasSuffix(line, " =="):
			if heads++; heads > 1 {
				return out
			}
			out = append(out, textBlock{Kind: "h", Text: strings.TrimSuffix(strings.TrimPrefix(line, "== "), " ==")})
		case strings.HasPrefix(line, "- "):
			if n := len(out); n > 0 && out[n-1].Kind == "ul" {
				out[n-1].Items = append(out[n-1].Items, strings.TrimPrefix(line, "- "))
			} else {
				out = append(out, textBlock{Kind: "ul", Items: []string{strings.TrimPrefix(line, "- ")}})
			}
		default:
			out = append(out, textBlock{Kind: "p", Text: line})
		}
	}
	return out
}

// reportBody returns the detail of the engine's HTML page: its body from
// the first attribute on (the introduction and the summary before it are
// the text's, shown above it), with its headings lowered by two levels
// under the page's own, and without the head and its <style>, which the
// CSP forbids. The engine escapes every value, so the tags handled here
// are its own.
func reportBody(page string) (string, bool) {
	i := strings.Index(page, "<body>")
	j := strings.LastIndex(page, "</body>")
	if i < 0 || j < i {
		return "", false
	}
	b := page[i+len("<body>") : j]
	// <h2>En bref</h2>, then one <h2> per attribute.
	if k := strings.Index(b, "<h2>"); k >= 0 {
		if m := strings.Index(b[k+len("<h2>"):], "<h2>"); m >= 0 {
			b = b[k+len("<h2>")+m:]
		}
	}
	b = strings.NewReplacer("<h3>", "<h5>", "</h3>", "</h5>", "<h2>", "<h4>", "</h2>", "</h4>", "<h1>", "<h3>", "</h1>", "</h3>").Replace(b)
	return b, true
}

func (s *Server) handleAuditReport(w http.ResponseWriter, r *http.Request) {
	rec, vr, ar, err := s.loadAuditReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := requestLang(r)
	var page, text bytes.Buffer
	if err := ar.WriteHTML(&page, lang); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := ar.WriteText(&text, lang); err != nil {
		s.fail(w, r, err)
		return
	}
	v := &auditView{R: vr, Counts: countVerdicts(ar), Text: text.String(), Short: textBlocks(text.String())}
	_ = json.Unmarshal(vr.Config, &v.Settings)
	if b, ok := reportBody(page.String()); ok {
		v.Body = template.HTML(b) // the engine's html/template output
	}
	s.renderEvidence(w, r, http.StatusOK, rec, "tab-audit-report", v)
}

// auditFileStem is the stem of the downloads of a report.
func auditFileStem(vr *vigie.Report) string {
	return "audit-" + slug(strings.TrimSuffix(vr.InputName, filepath.Ext(vr.InputName))) + "-" + vr.CreatedAt.UTC().Format("20060102-150405")
}

func (s *Server) handleAuditJSON(w http.ResponseWriter, r *http.Request) {
	_, vr, _, err := s.loadAuditReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "application/json", auditFileStem(vr)+".json", vr.Result)
}

func (s *Server) handleAuditHTML(w http.ResponseWriter, r *http.Request) {
	rec, vr, ar, err := s.loadAuditReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The page is handed on: it names the system, the organisation and the
	// day of the audit (the file and its sha256 are the engine's).
	lang := requestLang(r)
	about := audit.About{System: rec.System.Name, Organisation: s.orgName(r),
		Date: letters.LongDate(vigie.DateInFrance(vr.CreatedAt), lang)}
	var b bytes.Buffer
	if err := ar.WriteHTMLAbout(&b, lang, about); err != nil {
		s.fail(w, r, err)
		return
	}
	// The stand-alone page has its own <style>; it is a download, opened
	// sandboxed, with no script allowed.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	download(w, "text/html; charset=utf-8", auditFileStem(vr)+".html", b.Bytes())
}

func (s *Server) handleAuditInput(w http.ResponseWriter, r *http.Request) {
	_, vr, _, err := s.loadAuditReport(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	content, err := s.cfg.Reports.ReportContent(r.Context(), vr.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; sandbox")
	download(w, "application/octet-stream", vr.InputName, content)
}
