package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/web"
)

const actionsCase = "../testdata/cases/01-centre-appels-analyse-vocale.yaml"

// caseSystem records the system of a case file in o, as the operator.
func (e *env) caseSystem(o *vigie.Organisation, path string) *vigie.SystemRecord {
	e.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	sys, err := vigie.ParseSystem(path, b)
	if err != nil {
		e.t.Fatal(err)
	}
	rec := &vigie.SystemRecord{OrgID: o.ID, System: *sys}
	if err := e.db.CreateSystem(context.Background(), rec); err != nil {
		e.t.Fatal(err)
	}
	return rec
}

// actionsFixture is an organisation with the call-centre case, its admin,
// an editor, a reader, and the admin of another organisation.
type actionsFixture struct {
	e                         *env
	org, other                *vigie.Organisation
	rec                       *vigie.SystemRecord
	admin, editor, reader, ob string // session cookies
}

func newActionsFixture(t *testing.T) *actionsFixture { return actionsFixtureOn(t, newEnv(t)) }

func actionsFixtureOn(t *testing.T, e *env) *actionsFixture {
	admin := e.user("admin@example.org", "Alice Admin")
	editor := e.user("editor@example.org", "Eddy Editor")
	reader := e.user("reader@example.org", "Rita Reader")
	outsider := e.user("outsider@example.org", "Otto Outsider")
	org := e.org(admin, "Section Villeurbanne")
	other := e.org(outsider, "Section Ailleurs")
	e.member(org, editor, vigie.RoleEditor)
	e.member(org, reader, vigie.RoleReader)
	f := &actionsFixture{e: e, org: org, other: other, rec: e.caseSystem(org, actionsCase)}
	f.admin, f.editor, f.reader, f.ob = e.login(admin.Email), e.login(editor.Email), e.login(reader.Email), e.login(outsider.Email)
	return f
}

func (f *actionsFixture) o() string   { return "/o/" + f.org.ID }
func (f *actionsFixture) sys() string { return f.o() + "/systems/" + f.rec.ID }

var today = vigie.DateInFrance(time.Now())

// create saves a draft of letter as cookie and returns the action's id.
func (f *actionsFixture) create(t *testing.T, cookie, letter string, extra url.Values) string {
	t.Helper()
	form := url.Values{"letter": {letter}, "date": {today.String()}, "lang": {"fr"}, "addressee": {"M. le Directeur"}}
	for k, v := range extra {
		form[k] = v
	}
	r := f.e.post(f.sys()+"/actions", cookie, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create %s: %d\n%s", letter, r.status, r.body)
	}
	loc := r.header.Get("Location")
	prefix := f.o() + "/actions/"
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("create %s: redirected to %q", letter, loc)
	}
	return strings.TrimPrefix(loc, prefix)
}

func (f *actionsFixture) action(t *testing.T, id string) *vigie.Action {
	t.Helper()
	a, err := f.e.db.FindActionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// markSent records the sending of action id on date.
func (f *actionsFixture) markSent(t *testing.T, id string, on vigie.Date, extra url.Values) {
	t.Helper()
	form := url.Values{"sent_on": {on.String()}, "addressee": {"Direction des ressources humaines"}, "attachments": {"Tract ; relevé des alertes"}}
	for k, v := range extra {
		form[k] = v
	}
	r := f.e.post(f.o()+"/actions/"+id+"/sent", f.editor, form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("mark sent: %d\n%s", r.status, r.body)
	}
}

// dues computes, through the engine, the due dates (kind deadline) of a
// chain.
func dues(t *testing.T, proc string, from vigie.Date, o deadline.Options) []deadline.Step {
	t.Helper()
	steps, err := deadline.Compute(proc, from, o)
	if err != nil {
		t.Fatal(err)
	}
	var out []deadline.Step
	for _, s := range steps {
		if s.Kind == deadline.KindDeadline {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no due date", proc)
	}
	return out
}

var boardRowRe = regexp.MustCompile(`<tr data-action="([^"]+)" data-step="([^"]+)" data-due="([^"]+)"`)

type boardRow struct{ action, step, due string }

var boardMonthRe = regexp.MustCompile(`<tr data-month="([0-9]{4}-[0-9]{2})"`)

// boardAll reads every due date the board shows: its first page, then
// every month it counts, page after page, each due date once, by date.
func boardAll(t *testing.T, e *env, orgPath, cookie string) []boardRow {
	t.Helper()
	seen := map[boardRow]bool{}
	var out []boardRow
	read := func(path string) string {
		t.Helper()
		for page := 1; ; page++ {
			r := e.get(path+"&page="+strconv.Itoa(page), cookie)
			if r.status != http.StatusOK {
				t.Fatalf("%s: %d", path, r.status)
			}
			for _, row := range boardRows(r.body) {
				if !seen[row] {
					seen[row] = true
					out = append(out, row)
				}
			}
			if !strings.Contains(r.body, `rel="next"`) {
				return r.body
			}
		}
	}
	first := read(orgPath + "/deadlines?")
	for _, m := range boardMonthRe.FindAllStringSubmatch(first, -1) {
		read(orgPath + "/deadlines?month=" + m[1])
	}
	slices.SortStableFunc(out, func(a, b boardRow) int { return strings.Compare(a.due, b.due) })
	return out
}

func boardRows(body string) []boardRow {
	var out []boardRow
	for _, m := range boardRowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, boardRow{m[1], m[2], m[3]})
	}
	return out
}

// TestActionLetterPreview opens the letter for the unmet CSE consultation
// (CT-NT) of the call-centre case: the preview cites L2312-8 and names the
// system, in French and in English, and downloads as ODT and PDF.
func TestActionLetterPreview(t *testing.T) {
	f := newActionsFixture(t)
	r := f.e.get(f.sys()+"/actions/new?rule=CT-NT", f.editor)
	if r.status != http.StatusOK {
		t.Fatalf("new: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `<option value="cse-consultation-new-technology" selected>`) {
		t.Error("rule CT-NT does not preselect the CSE consultation letter")
	}
	preview := between(r.body, `<div id="letter"`, "</article>")
	for _, want := range []string{"L2312-8", "Analyse vocale des appels", `data-letter="cse-consultation-new-technology"`} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %q:\n%.2000s", want, preview)
		}
	}
	if !strings.Contains(r.body, "CT-NT") || !strings.Contains(r.body, `id="filled-from"`) {
		t.Error("the page does not say which unmet obligations fill the letter")
	}
	// The same letter in English, with the sender's fields.
	q := url.Values{"letter": {"cse-consultation-new-technology"}, "lang": {"en"}, "date": {"2026-11-02"},
		"sender": {"Élus CSE — Villeurbanne"}, "addressee": {"Mme la Directrice"}}
	r = f.e.get(f.sys()+"/actions/new?"+q.Encode(), f.editor)
	if r.status != http.StatusOK || !strings.Contains(r.body, "Élus CSE — Villeurbanne") || !strings.Contains(r.body, "Mme la Directrice") ||
		!strings.Contains(r.body, `lang="en"`) || !strings.Contains(r.body, "2 November 2026") {
		t.Errorf("English preview with sender and addressee: %d\n%.3000s", r.status, between(r.body, `<div id="letter"`, "</article>"))
	}
	// ODT and PDF of the same fill.
	odt := f.e.get(f.sys()+"/actions/new/letter.odt?"+q.Encode(), f.editor)
	if odt.status != http.StatusOK || !strings.HasPrefix(odt.header.Get("Content-Type"), "application/vnd.oasis.opendocument.text") {
		t.Fatalf("odt: %d %s", odt.status, odt.header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(strings.NewReader(odt.body), int64(len(odt.body)))
	if err != nil || len(zr.File) == 0 || zr.File[0].Name != "mimetype" {
		t.Fatalf("odt is not an OpenDocument zip: %v", err)
	}
	pdf := f.e.get(f.sys()+"/actions/new/letter.pdf?"+q.Encode(), f.editor)
	if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF-") {
		t.Fatalf("pdf: %d %.20q", pdf.status, pdf.body)
	}
	// A rule no letter acts on says so, and still offers the list.
	r = f.e.get(f.sys()+"/actions/new?rule=NOPE-1", f.editor)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="no-letter"`) || !strings.Contains(r.body, "NOPE-1") {
		t.Errorf("unknown rule: %d", r.status)
	}
	// A letter not yet usable (AI Act Art. 26(7), from 2027-12-02) names the field.
	r = f.e.get(f.sys()+"/actions/new?letter=ai-act-information&date=2026-11-02", f.editor)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="al-letter-err"`) || !strings.Contains(r.body, "2027-12-02") {
		t.Errorf("letter before its date: %d\n%s", r.status, between(r.body, `id="al-letter-err"`, "</small>"))
	}
	// The htmx request gets only the preview fragment.
	r = f.e.do(http.MethodGet, f.sys()+"/actions/new?letter=duerp-update", f.editor, nil, "", "HX-Request", "true", "HX-Target", "letter-preview")
	if r.status != http.StatusOK || strings.Contains(r.body, "<html") || !strings.Contains(r.body, `data-letter="duerp-update"`) {
		t.Errorf("htmx fragment: %d %.300s", r.status, r.body)
	}
}

// TestActionTracking saves a draft, marks it sent, and checks that the due
// dates shown are those the engine computes from the same input; then the
// answer, the options, the board's order and the escalation.
func TestActionTracking(t *testing.T) {
	f := newActionsFixture(t)
	id := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	a := f.action(t, id)
	if a.State != vigie.ActionDraft || a.Procedure != "cse-consultation" || !slices.Contains(a.Rules, "CT-NT") || a.SystemID != f.rec.ID ||
		!strings.Contains(a.Body, "L2312-8") || !strings.Contains(a.Body, "Analyse vocale des appels") || a.Addressee != "M. le Directeur" {
		t.Fatalf("draft: %+v", a)
	}
	page := f.e.get(f.o()+"/actions/"+id, f.reader)
	if page.status != http.StatusOK || !strings.Contains(page.body, `id="chain-missing"`) || strings.Contains(page.body, `id="mark-sent"`) {
		t.Errorf("draft page for a reader: %d", page.status)
	}
	// Mark it sent 20 days ago.
	sent := today.AddDays(-20)
	f.markSent(t, id, sent, nil)
	a = f.action(t, id)
	if a.State != vigie.ActionSent || a.SentOn != sent || a.Addressee != "Direction des ressources humaines" || a.Attachments != "Tract ; relevé des alertes" {
		t.Fatalf("sent: %+v", a)
	}
	want := dues(t, "cse-consultation", sent, deadline.Options{})
	page = f.e.get(f.o()+"/actions/"+id, f.reader)
	for _, st := range want {
		if !strings.Contains(page.body, `data-step="`+st.ID+`" data-kind="deadline" data-due="`+st.Due.String()+`"`) {
			t.Errorf("the action page lacks step %s due %s", st.ID, st.Due)
		}
	}
	if !strings.Contains(page.body, "vigie deadline --procedure cse-consultation --from "+sent.String()) {
		t.Error("the page does not give the command that reproduces the chain")
	}
	// The tab shows its next due date.
	tab := f.e.get(f.sys()+"/t/actions", f.reader)
	if !strings.Contains(tab.body, `data-action="`+id+`"`) || !strings.Contains(tab.body, `data-due="`+want[0].Due.String()+`"`) {
		t.Errorf("tab: next due date %s missing\n%s", want[0].Due, between(tab.body, `<table class="striped" id="actions">`, "</table>"))
	}

	// The expert option changes the chain: 2 months.
	r := f.e.post(f.o()+"/actions/"+id+"/options", f.editor, url.Values{"expert": {"on"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("options: %d\n%s", r.status, r.body)
	}
	withExpert := dues(t, "cse-consultation", sent, deadline.Options{Expert: true})
	rows := boardAll(t, f.e, f.o(), f.reader)
	var got []string
	for _, row := range rows {
		if row.action == id {
			got = append(got, row.step+"="+row.due)
		}
	}
	var wantRows []string
	for _, st := range withExpert {
		wantRows = append(wantRows, st.ID+"="+st.Due.String())
	}
	if strings.Join(got, " ") != strings.Join(wantRows, " ") {
		t.Errorf("board with expert: %v, want %v", got, wantRows)
	}

	// A second action, sent more recently and due later, comes after; a
	// third, sent earlier, first: the board is ordered by due date.
	id2 := f.create(t, f.editor, "duerp-update", nil)
	f.markSent(t, id2, today.AddDays(-2), nil)
	id3 := f.create(t, f.admin, "dpia-request", nil)
	f.markSent(t, id3, today.AddDays(-40), nil)
	rows = boardAll(t, f.e, f.o(), f.reader)
	if len(rows) < 3 {
		t.Fatalf("board: %v", rows)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].due < rows[i-1].due {
			t.Errorf("board not in date order: %v before %v", rows[i-1], rows[i])
		}
	}
	seen := map[string]bool{}
	for _, row := range rows {
		seen[row.action] = true
		if row.step == "information-transmitted" || row.step == "deployment-before-opinion" {
			t.Errorf("the board shows a step that is not a due date: %v", row)
		}
	}
	if !seen[id] || !seen[id2] || !seen[id3] {
		t.Errorf("board misses an action: %v", rows)
	}
	// The date filter keeps the rows in the range.
	from, to := today.AddDays(1), today.AddMonths(1)
	for _, row := range boardRows(f.e.get(f.o()+"/deadlines?from="+from.String()+"&to="+to.String(), f.reader).body) {
		if row.due < from.String() || row.due > to.String() {
			t.Errorf("filtered board: %v out of [%s, %s]", row, from, to)
		}
	}
	if r := f.e.get(f.o()+"/deadlines?from=hier", f.reader); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="bf-from-err"`) {
		t.Errorf("bad filter date: %d", r.status)
	}

	// The answer.
	r = f.e.post(f.o()+"/actions/"+id2+"/answer", f.editor, url.Values{"answered_on": {today.String()}, "answer": {"Mise à jour promise pour janvier."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", r.status, r.body)
	}
	if a := f.action(t, id2); a.State != vigie.ActionAnswered || a.Answer != "Mise à jour promise pour janvier." || a.AnsweredOn != today {
		t.Errorf("answered: %+v", a)
	}
	// No answer, then close: a closed action leaves the board.
	if r := f.e.post(f.o()+"/actions/"+id3+"/no-answer", f.editor, nil); r.status != http.StatusSeeOther || f.action(t, id3).State != vigie.ActionNoAnswer {
		t.Errorf("no answer: %d", r.status)
	}
	if r := f.e.post(f.o()+"/actions/"+id3+"/close", f.editor, nil); r.status != http.StatusSeeOther || f.action(t, id3).State != vigie.ActionClosed {
		t.Errorf("close: %d", r.status)
	}
	for _, row := range boardAll(t, f.e, f.o(), f.reader) {
		if row.action == id3 {
			t.Errorf("a closed action is on the board: %v", row)
		}
	}
	// A closed action cannot be marked sent again.
	if r := f.e.post(f.o()+"/actions/"+id3+"/sent", f.editor, url.Values{"sent_on": {today.String()}}); r.status != http.StatusConflict {
		t.Errorf("sent after close: %d", r.status)
	}
}

// TestActionEscalation: a GDPR access request left without an answer past
// its due date proposes the CNIL complaint, created in one click as a
// draft whose chain continues the request's.
func TestActionEscalation(t *testing.T) {
	f := newActionsFixture(t)
	id := f.create(t, f.editor, "gdpr-access-request", url.Values{"requester": {"Camille Durand"}})
	sent := today.AddMonths(-2)
	f.markSent(t, id, sent, nil)
	page := f.e.get(f.o()+"/actions/"+id, f.editor)
	if !strings.Contains(page.body, `id="proposal"`) || !strings.Contains(page.body, `name="letter" value="cnil-complaint"`) {
		t.Fatalf("no proposal after the answer's due date:\n%s", between(page.body, "<h2>", "</table>"))
	}
	// A reader sees the proposal but cannot act on it.
	if r := f.e.get(f.o()+"/actions/"+id, f.reader); strings.Contains(r.body, `id="escalate"`) {
		t.Error("a reader is offered the escalation")
	}
	if r := f.e.post(f.o()+"/actions/"+id+"/escalate", f.reader, url.Values{"letter": {"cnil-complaint"}}); r.status != http.StatusForbidden {
		t.Errorf("reader escalate: %d", r.status)
	}
	// Another letter than the proposal is refused.
	if r := f.e.post(f.o()+"/actions/"+id+"/escalate", f.editor, url.Values{"letter": {"cada-referral"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("escalate to another letter: %d", r.status)
	}
	r := f.e.post(f.o()+"/actions/"+id+"/escalate", f.editor, url.Values{"letter": {"cnil-complaint"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("escalate: %d\n%s", r.status, r.body)
	}
	childID := strings.TrimPrefix(r.header.Get("Location"), f.o()+"/actions/")
	child := f.action(t, childID)
	if child.ParentID != id || child.Letter != "cnil-complaint" || child.State != vigie.ActionDraft || child.Procedure != "gdpr-request" || child.Body == "" {
		t.Fatalf("child: %+v", child)
	}
	if p := f.action(t, id); p.State != vigie.ActionEscalated {
		t.Errorf("parent state %s", p.State)
	}
	// While the complaint is a draft, the request's due dates stay on the
	// board; once it is sent, its own chain (which continues the request's)
	// replaces them.
	onBoard := func() map[string]int {
		n := map[string]int{}
		for _, row := range boardAll(t, f.e, f.o(), f.reader) {
			n[row.action]++
		}
		return n
	}
	if n := onBoard(); n[id] == 0 || n[childID] != 0 {
		t.Errorf("board with the escalation in draft: %v", n)
	}
	// Sent today, the complaint marks its event in the request's chain.
	f.markSent(t, childID, today, nil)
	steps, err := deadline.Compute("gdpr-request", sent, deadline.Options{At: map[string]vigie.Date{"complaint-filed": today}})
	if err != nil {
		t.Fatal(err)
	}
	if n := onBoard(); n[id] != 0 || n[childID] == 0 {
		t.Errorf("board with the escalation sent: %v", n)
	}
	page = f.e.get(f.o()+"/actions/"+childID, f.reader)
	for _, st := range steps {
		if st.Kind == deadline.KindDeadline && !strings.Contains(page.body, `data-step="`+st.ID+`" data-kind="deadline" data-due="`+st.Due.String()+`"`) {
			t.Errorf("child chain lacks %s due %s", st.ID, st.Due)
		}
	}
	if !strings.Contains(page.body, `id="parent-link"`) {
		t.Error("the child does not link to its parent")
	}
}

// TestActionBadInput: bad input names the field and changes nothing.
func TestActionBadInput(t *testing.T) {
	f := newActionsFixture(t)
	id := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	before := f.action(t, id)
	cases := []struct {
		path  string
		form  url.Values
		field string
	}{
		{"/sent", url.Values{"sent_on": {"le 3 mars"}}, "at-sent_on-err"},
		{"/sent", url.Values{"sent_on": {""}}, "at-sent_on-err"},
		{"/sent", url.Values{"sent_on": {today.AddDays(3).String()}}, "at-sent_on-err"},
		{"/sent", url.Values{"sent_on": {today.String()}, "addressee": {strings.Repeat("x", 301)}}, "at-addressee-err"},
	}
	for _, c := range cases {
		r := f.e.post(f.o()+"/actions/"+id+c.path, f.editor, c.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="`+c.field+`"`) || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("%s %v: %d, want 422 with %s", c.path, c.form, r.status, c.field)
		}
	}
	// An answer before the letter was sent.
	f.markSent(t, id, today.AddDays(-3), nil)
	r := f.e.post(f.o()+"/actions/"+id+"/answer", f.editor, url.Values{"answered_on": {today.AddDays(-10).String()}, "answer": {"non"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="at-answered_on-err"`) {
		t.Errorf("answer before sending: %d", r.status)
	}
	r = f.e.post(f.o()+"/actions/"+id+"/answer", f.editor, url.Values{"answered_on": {today.String()}, "answer": {" "}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="at-answer-err"`) {
		t.Errorf("empty answer: %d", r.status)
	}
	if a := f.action(t, id); a.State != vigie.ActionSent || a.Answer != "" || !a.AnsweredOn.IsZero() {
		t.Errorf("a refused answer changed the action: %+v", a)
	}
	_ = before
	// Creating with an unknown letter or a bad date stores nothing.
	n := len(f.actions(t))
	for _, form := range []url.Values{{"letter": {"lettre-inconnue"}}, {"letter": {"duerp-update"}, "date": {"2026-13-01"}}, {}} {
		r := f.e.post(f.sys()+"/actions", f.editor, form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `aria-invalid="true"`) {
			t.Errorf("create %v: %d", form, r.status)
		}
	}
	if m := len(f.actions(t)); m != n {
		t.Errorf("%d actions after refused creations, want %d", m, n)
	}
}

func (f *actionsFixture) actions(t *testing.T) []*vigie.Action {
	t.Helper()
	as, err := f.e.db.FindActions(context.Background(), vigie.ActionFilter{OrgID: f.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// TestActionsRoleMatrix: each role gets the right status on each route, a
// member of another organisation gets 404 and learns nothing, and a
// reader's forged POST is refused and stores nothing; on SQLite, and on
// PostgreSQL when VIGIE_TEST_POSTGRES is set.
func TestActionsRoleMatrix(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { actionsRoleMatrix(t, actionsFixtureOn(t, newEnv(t))) })
	t.Run("postgres", func(t *testing.T) { actionsRoleMatrix(t, actionsFixtureOn(t, newPostgresEnv(t))) })
}

func actionsRoleMatrix(t *testing.T, f *actionsFixture) {
	id := f.create(t, f.admin, "cse-consultation-new-technology", nil)
	f.markSent(t, id, today.AddDays(-5), nil)
	secret := f.rec.System.Name
	gets := []struct {
		path                  string
		admin, editor, reader int
	}{
		{f.sys() + "/t/actions", 200, 200, 200},
		{f.sys() + "/actions/new?rule=CT-NT", 200, 200, 403},
		{f.sys() + "/actions/new/letter.pdf?letter=duerp-update", 200, 200, 403},
		{f.o() + "/actions/" + id, 200, 200, 200},
		{f.o() + "/actions/" + id + "/letter.txt", 200, 200, 200},
		{f.o() + "/actions/" + id + "/letter.odt", 200, 200, 200},
		{f.o() + "/deadlines", 200, 200, 200},
	}
	for _, g := range gets {
		for _, c := range []struct {
			cookie string
			want   int
		}{{f.admin, g.admin}, {f.editor, g.editor}, {f.reader, g.reader}, {f.ob, 404}} {
			r := f.e.get(g.path, c.cookie)
			if r.status != c.want {
				t.Errorf("GET %s: %d, want %d", g.path, r.status, c.want)
			}
			if c.cookie == f.ob && (strings.Contains(r.body, secret) || strings.Contains(r.body, "Villeurbanne")) {
				t.Errorf("GET %s leaks to another organisation", g.path)
			}
		}
	}
	// The other organisation's admin, through their own organisation's URL.
	if r := f.e.get("/o/"+f.other.ID+"/actions/"+id, f.ob); r.status != 404 {
		t.Errorf("action through another organisation: %d", r.status)
	}
	// Writes: editor and admin may; a reader's forged POST is 403; the
	// outsider 404; nothing changes.
	posts := []struct {
		path string
		form url.Values
	}{
		{f.sys() + "/actions", url.Values{"letter": {"duerp-update"}}},
		{f.o() + "/actions/" + id + "/sent", url.Values{"sent_on": {today.String()}}},
		{f.o() + "/actions/" + id + "/answer", url.Values{"answered_on": {today.String()}, "answer": {"oui"}}},
		{f.o() + "/actions/" + id + "/no-answer", nil},
		{f.o() + "/actions/" + id + "/options", url.Values{"expert": {"on"}}},
		{f.o() + "/actions/" + id + "/escalate", url.Values{"letter": {"cse-agenda-expert"}}},
		{f.o() + "/actions/" + id + "/close", nil},
		{f.o() + "/deadlines/calendar", nil},
		{f.o() + "/deadlines/calendar/revoke", nil},
	}
	before := f.action(t, id)
	n := len(f.actions(t))
	for _, p := range posts {
		if r := f.e.post(p.path, f.reader, p.form); r.status != http.StatusForbidden {
			t.Errorf("reader POST %s: %d, want 403", p.path, r.status)
		}
		if r := f.e.post(p.path, f.ob, p.form); r.status != http.StatusNotFound {
			t.Errorf("outsider POST %s: %d, want 404", p.path, r.status)
		}
		// A cross-site POST (no same-origin headers) from an editor.
		r := f.e.do(http.MethodPost, p.path, f.editor, strings.NewReader(p.form.Encode()), "application/x-www-form-urlencoded",
			"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", p.path, r.status)
		}
	}
	after := f.action(t, id)
	if after.State != before.State || after.SentOn != before.SentOn || after.Options != before.Options || after.Answer != before.Answer {
		t.Errorf("refused POSTs changed the action: %+v → %+v", before, after)
	}
	if m := len(f.actions(t)); m != n {
		t.Errorf("refused POSTs created actions: %d → %d", n, m)
	}
	if has, _ := f.e.db.HasCalendarToken(context.Background(), f.org.ID); has {
		t.Error("a refused POST created a calendar token")
	}
	// The editor may.
	if r := f.e.post(f.o()+"/actions/"+id+"/options", f.editor, url.Values{"expert": {"on"}}); r.status != http.StatusSeeOther || !f.action(t, id).Options.Expert {
		t.Errorf("editor options: %d", r.status)
	}
}

var feedURLRe = regexp.MustCompile(`value="(https?://[^"]+/cal/([^"]+)\.ics)"`)

// TestCalendarFeed: the secret address serves every due date as an
// all-day event with stable UIDs; a wrong, renewed or revoked token is a
// bare 404.
func TestCalendarFeed(t *testing.T) {
	f := newActionsFixture(t)
	id := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	sent := today.AddDays(-3)
	f.markSent(t, id, sent, url.Values{"alsace_moselle": {"on"}})
	draft := f.create(t, f.editor, "duerp-update", nil) // a draft has no date
	want := dues(t, "cse-consultation", sent, deadline.Options{AlsaceMoselle: true})

	board := f.e.get(f.o()+"/deadlines", f.reader)
	if !strings.Contains(board.body, `id="calendar-state"`) || strings.Contains(board.body, `id="calendar-create"`) {
		t.Error("a reader sees the calendar state but not its buttons")
	}
	r := f.e.post(f.o()+"/deadlines/calendar", f.editor, nil)
	m := feedURLRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || m == nil {
		t.Fatalf("create token: %d\n%s", r.status, between(r.body, `<section id="calendar">`, "</section>"))
	}
	token := m[2]
	if !strings.HasPrefix(m[1], f.e.ts.URL+"/cal/") {
		t.Errorf("feed URL %s", m[1])
	}
	// The token is shown once: the board does not show it again.
	if b := f.e.get(f.o()+"/deadlines", f.editor).body; strings.Contains(b, token) || !strings.Contains(b, `id="calendar-revoke"`) {
		t.Error("the board shows the secret again, or no revoke button")
	}

	fetch := func() (*ics.Calendar, string) {
		t.Helper()
		r := f.e.get("/cal/"+token+".ics", "") // no session, no cookie
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s\n%s", r.status, r.header.Get("Content-Type"), r.body)
		}
		if r.header.Get("Set-Cookie") != "" {
			t.Error("the feed sets a cookie")
		}
		cal, err := ics.ParseCalendar(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("ParseCalendar: %v", err)
		}
		return cal, r.body
	}
	cal, raw := fetch()
	events := cal.Events()
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d\n%s", len(events), len(want), raw)
	}
	var uids []string
	for i, ev := range events {
		uid := ev.Id()
		uids = append(uids, uid)
		if uid != id+"-"+want[i].ID+"@vigie" {
			t.Errorf("event %d UID %q", i, uid)
		}
		if strings.Contains(uid, draft) {
			t.Error("a draft is in the feed")
		}
		start, err := ev.GetAllDayStartAt()
		if err != nil || vigie.DateOf(start) != want[i].Due {
			t.Errorf("event %s starts %v (%v), want %s", uid, start, err, want[i].Due)
		}
		p := ev.GetProperty(ics.ComponentPropertyDtStart)
		if p == nil || p.ICalParameters["VALUE"] == nil || p.ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("event %s is not an all-day event: %+v", uid, p)
		}
		if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || !strings.Contains(s.Value, want[i].Label.FR) {
			t.Errorf("event %s summary not in French: %+v", uid, s)
		}
	}
	if !strings.Contains(raw, "DTSTART;VALUE=DATE:"+strings.ReplaceAll(want[0].Due.String(), "-", "")) {
		t.Errorf("no DTSTART;VALUE=DATE line:\n%s", raw)
	}
	cal2, raw2 := fetch()
	var uids2 []string
	for _, ev := range cal2.Events() {
		uids2 = append(uids2, ev.Id())
	}
	if !slices.Equal(uids, uids2) || raw != raw2 {
		t.Errorf("two fetches differ: %v / %v", uids, uids2)
	}

	// Wrong tokens: a bare 404, the same for every kind of wrong.
	var first string
	for i, bad := range []string{"nope", token + "x", strings.Repeat("A", len(token)), strings.ToLower(token)} {
		r := f.e.get("/cal/"+url.PathEscape(bad)+".ics", "")
		if r.status != http.StatusNotFound || strings.Contains(r.body, "calendrier") || strings.Contains(r.body, "<html") {
			t.Errorf("wrong token %q: %d %q", bad, r.status, r.body)
		}
		if i == 0 {
			first = r.body
		} else if r.body != first {
			t.Errorf("wrong token %q: %q differs from %q", bad, r.body, first)
		}
	}
	// A path that is no token is the application's ordinary 404.
	if r := f.e.get("/cal/"+url.PathEscape("../../etc/passwd")+".ics", ""); r.status != http.StatusNotFound || strings.Contains(r.body, "BEGIN:VCALENDAR") {
		t.Errorf("odd path: %d", r.status)
	}
	// Renewing revokes the old address.
	r = f.e.post(f.o()+"/deadlines/calendar", f.editor, nil)
	m2 := feedURLRe.FindStringSubmatch(r.body)
	if m2 == nil || m2[2] == token {
		t.Fatal("renew gave no new token")
	}
	if r := f.e.get("/cal/"+token+".ics", ""); r.status != http.StatusNotFound {
		t.Errorf("old token after renewal: %d", r.status)
	}
	if r := f.e.get("/cal/"+m2[2]+".ics", ""); r.status != http.StatusOK {
		t.Errorf("new token: %d", r.status)
	}
	// Revoking.
	if r := f.e.post(f.o()+"/deadlines/calendar/revoke", f.editor, nil); r.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := f.e.get("/cal/"+m2[2]+".ics", ""); r.status != http.StatusNotFound || bytes.Contains([]byte(r.body), []byte("BEGIN:VCALENDAR")) {
		t.Errorf("revoked token: %d", r.status)
	}
}

// TestActionPagesAccessible renders every page of the feature in French
// and English: every control has a label, every fieldset a legend, no
// message is missing, no inline script or style (the CSP forbids them).
func TestActionPagesAccessible(t *testing.T) {
	f := newActionsFixture(t)
	id := f.create(t, f.editor, "gdpr-access-request", nil)
	f.markSent(t, id, today.AddMonths(-2), nil)
	draft := f.create(t, f.editor, "cse-consultation-new-technology", nil)
	pages := []string{f.sys() + "/t/actions", f.sys() + "/actions/new", f.sys() + "/actions/new?rule=CT-NT",
		f.sys() + "/actions/new?letter=cnil-complaint&request_sent_on=2026-09-01", f.o() + "/actions/" + id, f.o() + "/actions/" + draft, f.o() + "/deadlines"}
	inline := regexp.MustCompile(`\sstyle=|<script>|<script\s+[^>]*>[^<]+</script>|\son[a-z]+=`)
	for _, lang := range []string{"fr", "en"} {
		for _, p := range pages {
			r := f.e.get(p, f.editor+"; vigie_lang="+lang)
			if r.status != http.StatusOK || !strings.Contains(r.body, `<html lang="`+lang+`">`) {
				t.Errorf("%s (%s): %d", p, lang, r.status)
				continue
			}
			if bad := unlabelled(r.body); len(bad) > 0 {
				t.Errorf("%s: controls without a label: %v", p, bad)
			}
			if strings.Count(r.body, "<fieldset") != strings.Count(r.body, "<legend>") {
				t.Errorf("%s: a fieldset without a legend", p)
			}
			if m := inline.FindString(r.body); m != "" {
				t.Errorf("%s: inline code %q", p, m)
			}
		}
	}
	// An invalid field is marked and described.
	r := f.e.post(f.o()+"/actions/"+draft+"/sent", f.editor, url.Values{"sent_on": {"31/02"}})
	if !strings.Contains(r.body, `aria-invalid="true" aria-describedby="at-sent_on-err"`) || !strings.Contains(r.body, `id="at-sent_on-err">Date d&#39;envoi : `) {
		t.Errorf("the invalid date is not marked:\n%s", between(r.body, `id="sent-form"`, "</fieldset>"))
	}
	for _, m := range web.MissingMessages() {
		for _, pre := range []string{"action", "board", "nav.deadlines"} {
			if strings.HasPrefix(m[3:], pre) {
				t.Errorf("missing message %s", m)
			}
		}
	}
}
