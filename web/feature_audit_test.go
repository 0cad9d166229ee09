package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/audit"
	"github.com/vigie-app/vigie/internal/testenv"
	"github.com/vigie-app/vigie/web"
)

// auditCSV makes a file of n people with a known disparity: a woman
// ("F") is flagged (score 0.8) in 9 cases out of 20, a man ("H") in 4 out
// of 20. The column "pays" has one value and "ville" is not numeric.
func auditCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("sexe;age;score;fraude;pays;ville\n")
	for i := range n {
		sexe, k := "F", 9
		if i%2 == 1 {
			sexe, k = "H", 4
		}
		score := "0,2"
		if (i/2)%20 < k {
			score = "0,8"
		}
		age := "moins de 40 ans"
		if i%3 == 0 {
			age = "40 ans et plus"
		}
		fmt.Fprintf(&b, "%s;%s;%s;%d;FR;%s\n", sexe, age, score, (i/7)%2, []string{"Lyon", "Lille", "Nice"}[i%3])
	}
	return b.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// auditTemp points the temporary files of the test to a directory of its
// own and returns a function listing the audit files left in it.
func auditTemp(t *testing.T) func() []string {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "vigie-audit-*"))
		return m
	}
}

// multipartFile is a multipart body with one file field.
func multipartFile(name string, content []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	return &b, mw.FormDataContentType()
}

func (e *env) auditUpload(rec *vigie.SystemRecord, cookie, name string, content []byte) resp {
	e.t.Helper()
	body, ct := multipartFile(name, content)
	return e.do(http.MethodPost, "/o/"+rec.OrgID+"/systems/"+rec.ID+"/audits/upload", cookie, body, ct)
}

// pickPath is the column picker's path from the upload's redirect.
func pickPath(t testing.TB, r resp) string {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("upload: status %d, want 303\n%s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	if !strings.Contains(loc, "/audits/new/") {
		t.Fatalf("upload: redirected to %q", loc)
	}
	return loc
}

// the settings of the test's audit, as the form and as the engine's
// configuration.
func auditForm(groups ...string) url.Values {
	return url.Values{"groups": groups, "score": {"score"}, "mode": {"threshold"}, "threshold": {"0,5"},
		"direction": {"adverse"}, "min_n": {"30"}}
}

// leastFlaggedConfig is cfg with, for each group column without a
// reference, its least flagged group of at least MinN people: the
// reference the web form proposes when the box is left empty.
func leastFlaggedConfig(t testing.TB, content []byte, cfg audit.Config) audit.Config {
	t.Helper()
	first, err := audit.Run(context.Background(), bytes.NewReader(content), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ref := map[string]string{}
	for k, v := range cfg.Reference {
		ref[k] = v
	}
	rerun := false
	for _, g := range cfg.Groups {
		if ref[g] == "" {
			if v, ok := first.LeastFlagged(g, cfg.MinN); ok {
				ref[g] = v
				for _, a := range first.Attributes {
					rerun = rerun || a.Name == g && a.Reference != v
				}
			}
		}
	}
	if !rerun {
		return cfg
	}
	cfg.Reference = ref
	return cfg
}

func auditConfig(name string, groups ...string) audit.Config {
	thr := 0.5
	return audit.Config{Groups: groups, Score: "score", Threshold: &thr, Direction: audit.Adverse, MinN: 30, Path: name}
}

func sameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored JSON: %v", err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("stored report differs from audit.Run on the same bytes:\n got %s\nwant %s", got, want)
	}
}

// noInlineCode checks that a page has nothing the CSP would block: no
// <style>, no style attribute, no inline script.
func noInlineCode(t *testing.T, page string) {
	t.Helper()
	if strings.Contains(page, "<style") || strings.Contains(page, " style=") {
		t.Error("the page has inline style, which the CSP blocks")
	}
	for rest := page; ; {
		i := strings.Index(rest, "<script")
		if i < 0 {
			break
		}
		end := strings.Index(rest[i:], ">")
		if !strings.Contains(rest[i:i+end], "src=") {
			t.Errorf("inline script: %s", rest[i:i+end+1])
		}
		rest = rest[i+end:]
	}
}

type auditFixture struct {
	e                              *env
	org                            *vigie.Organisation
	rec, other                     *vigie.SystemRecord
	admin, editor, reader, outside string // session cookies
	editor2                        string
}

func newAuditFixture(t *testing.T) *auditFixture {
	e := newEnv(t)
	admin := e.user("admin@example.org", "Alice Admin")
	org := e.org(admin, "Section Alpha")
	for _, u := range []struct {
		email string
		role  vigie.Role
	}{{"editor@example.org", vigie.RoleEditor}, {"editor2@example.org", vigie.RoleEditor}, {"reader@example.org", vigie.RoleReader}} {
		e.member(org, e.user(u.email, u.email), u.role)
	}
	outsider := e.user("outside@example.org", "Oscar Outside")
	e.org(outsider, "Section Beta")
	return &auditFixture{e: e, org: org, rec: e.system(org, "Score de risque"), other: e.system(org, "Planning"),
		admin: e.login("admin@example.org"), editor: e.login("editor@example.org"), editor2: e.login("editor2@example.org"),
		reader: e.login("reader@example.org"), outside: e.login("outside@example.org")}
}

func (f *auditFixture) sys(rec *vigie.SystemRecord) string {
	return "/o/" + rec.OrgID + "/systems/" + rec.ID
}

func (f *auditFixture) reports(t *testing.T) []*vigie.Report {
	t.Helper()
	reps, err := f.e.db.FindReports(context.Background(), f.rec.ID, vigie.ReportAudit)
	if err != nil {
		t.Fatal(err)
	}
	return reps
}

// TestAuditUploadRunKeep uploads a file, chooses the columns, runs the
// audit and checks the kept report against audit.Run on the same bytes;
// then reads it back as a reader, and keeps the raw file on request.
func TestAuditUploadRunKeep(t *testing.T) {
	left := auditTemp(t)
	f := newAuditFixture(t)
	e := f.e
	content := auditCSV(400)

	pick := pickPath(t, e.auditUpload(f.rec, f.editor, "scores caf.csv", content))
	if n := len(left()); n != 1 {
		t.Errorf("%d temporary files after the upload, want 1", n)
	}
	p := e.get(pick, f.editor)
	if p.status != http.StatusOK {
		t.Fatalf("picker: %d\n%s", p.status, p.body)
	}
	for _, want := range []string{`value="sexe"`, `value="score"`, `value="fraude"`, "0,8", sha(content), "Choisir les colonnes"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("picker: no %q", want)
		}
	}
	if p := e.get(pick, f.editor+"; vigie_lang=en"); p.status != http.StatusOK || !strings.Contains(p.body, "Choose the audit") {
		t.Errorf("English picker: %d", p.status)
	}
	if p := e.post(pick, f.editor+"; vigie_lang=en", auditForm()); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Group columns: tick at least one column") {
		t.Errorf("English picker error: %d", p.status)
	}
	r := e.post(pick, f.editor, auditForm("sexe", "age"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("run: %d\n%s", r.status, r.body)
	}
	reps := f.reports(t)
	if len(reps) != 1 {
		t.Fatalf("%d reports, want 1", len(reps))
	}
	rep := reps[0]
	if rep.InputSHA256 != sha(content) || rep.InputRows != 400 || rep.InputName != "scores caf.csv" || rep.HasContent {
		t.Errorf("report: sha256 %s rows %d name %q kept %v; want %s 400 \"scores caf.csv\" false", rep.InputSHA256, rep.InputRows, rep.InputName, rep.HasContent, sha(content))
	}
	want, err := audit.Run(context.Background(), bytes.NewReader(content), leastFlaggedConfig(t, content, auditConfig("scores caf.csv", "sexe", "age")))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want)
	sameJSON(t, rep.Result, wantJSON)
	var cfg map[string]any
	if err := json.Unmarshal(rep.Config, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["score"] != "score" || cfg["threshold"] != 0.5 || cfg["direction"] != "adverse" || cfg["min_n"] != 30.0 || !reflect.DeepEqual(cfg["groups"], []any{"sexe", "age"}) {
		t.Errorf("config: %s", rep.Config)
	}
	// The known disparity: "F" and "H" are as many, so the reference is the
	// lexically first, "F" (flagged 45 %); "H" (20 %) is a disparity.
	var dis int
	for _, a := range want.Attributes {
		for _, g := range a.Groups {
			if g.Disparities["pprev"].Verdict == audit.VerdictDisparity {
				dis++
			}
		}
	}
	if dis != 1 || !strings.HasPrefix(rep.Summary, "1 disparité,") {
		t.Errorf("disparities %d, summary %q", dis, rep.Summary)
	}
	if n := len(left()); n != 0 {
		t.Errorf("%d temporary files left after the run", n)
	}
	if r := e.get(pick, f.editor); r.status != http.StatusNotFound {
		t.Errorf("picker after the run: %d, want 404", r.status)
	}

	// The report page, in French and English, as a reader.
	page := r.header.Get("Location")
	if page != f.sys(f.rec)+"/audits/"+rep.ID {
		t.Errorf("run redirected to %q", page)
	}
	fr := e.get(page, f.reader)
	if fr.status != http.StatusOK {
		t.Fatalf("report page: %d\n%s", fr.status, fr.body)
	}
	var text bytes.Buffer
	if err := want.WriteText(&text, "fr"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"<svg", rep.InputSHA256, "Audit de discrimination", html.EscapeString(want.Sentence("fr", "pprev", &want.Attributes[0], &want.Attributes[0].Groups[1])),
		html.EscapeString(strings.Split(text.String(), "\n")[2]), "report.json"} {
		if !strings.Contains(fr.body, w) {
			t.Errorf("report page: no %q", w)
		}
	}
	if strings.Contains(fr.body, "/input") {
		t.Error("report page offers a file that was not kept")
	}
	noInlineCode(t, fr.body)
	en := e.get(page, f.reader+"; vigie_lang=en")
	if en.status != http.StatusOK || !strings.Contains(en.body, html.EscapeString(want.Sentence("en", "pprev", &want.Attributes[0], &want.Attributes[0].Groups[1]))) {
		t.Errorf("English report page: %d, no English sentence", en.status)
	}
	for _, m := range web.MissingMessages() {
		if strings.Contains(m, ":audit.") {
			t.Errorf("missing message %s", m)
		}
	}
	j := e.get(page+"/report.json", f.reader)
	if j.status != http.StatusOK || !strings.HasPrefix(j.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("JSON download: %d %q", j.status, j.header.Get("Content-Disposition"))
	}
	sameJSON(t, []byte(j.body), wantJSON)
	h := e.get(page+"/report.html", f.reader)
	if h.status != http.StatusOK || !strings.Contains(h.header.Get("Content-Security-Policy"), "sandbox") || !strings.Contains(h.body, "<svg") {
		t.Errorf("HTML download: %d, CSP %q", h.status, h.header.Get("Content-Security-Policy"))
	}
	if r := e.get(page+"/input", f.reader); r.status != http.StatusNotFound {
		t.Errorf("input of a report that kept none: %d, want 404", r.status)
	}
	if tab := e.get(f.sys(f.rec)+"/t/evidence", f.editor+"; vigie_lang=en"); tab.status != http.StatusOK || !strings.Contains(tab.body, "Discrimination audit") {
		t.Errorf("English evidence tab: %d", tab.status)
	}
	tab := e.get(f.sys(f.rec)+"/t/evidence", f.reader)
	for _, w := range []string{"scores caf.csv", rep.InputSHA256[:12], "audits/" + rep.ID, "Sources des faits", "Documents déposés"} {
		if !strings.Contains(tab.body, w) {
			t.Errorf("evidence tab: no %q", w)
		}
	}
	if strings.Contains(tab.body, `id="audit-upload"`) {
		t.Error("a reader is offered the upload form")
	}
	if tab := e.get(f.sys(f.rec)+"/t/evidence", f.editor); !strings.Contains(tab.body, `id="audit-upload"`) {
		t.Error("an editor is not offered the upload form")
	}

	// Not found elsewhere: another organisation, another system.
	for _, p := range []string{page, page + "/report.json", page + "/report.html"} {
		if r := e.get(p, f.outside); r.status != http.StatusNotFound {
			t.Errorf("outsider GET %s: %d, want 404", p, r.status)
		}
		if r := e.get(strings.Replace(p, f.rec.ID, f.other.ID, 1), f.admin); r.status != http.StatusNotFound {
			t.Errorf("report under another system: %d, want 404", r.status)
		}
	}

	// Keeping the raw file on request.
	pick = pickPath(t, e.auditUpload(f.rec, f.admin, "scores.csv", content))
	form := auditForm("sexe", "ville")
	form.Set("keep", "1")
	form.Set("missing", "Nice, NA")
	if r := e.post(pick, f.admin, form); r.status != http.StatusSeeOther {
		t.Fatalf("run with keep: %d\n%s", r.status, r.body)
	}
	reps = f.reports(t)
	if len(reps) != 2 || !reps[0].HasContent {
		t.Fatalf("kept report: %d reports, newest kept %v", len(reps), len(reps) > 0 && reps[0].HasContent)
	}
	cfg2 := auditConfig("scores.csv", "sexe", "ville")
	cfg2.Missing = []string{"Nice", "NA"}
	want2, err := audit.Run(context.Background(), bytes.NewReader(content), leastFlaggedConfig(t, content, cfg2))
	if err != nil {
		t.Fatal(err)
	}
	want2JSON, _ := json.Marshal(want2)
	sameJSON(t, reps[0].Result, want2JSON)
	if want2.Input.Excluded != 133 {
		t.Errorf("rows excluded as missing: %d, want the 133 of Nice", want2.Input.Excluded)
	}
	in := e.get(f.sys(f.rec)+"/audits/"+reps[0].ID+"/input", f.reader)
	if in.status != http.StatusOK || in.body != string(content) {
		t.Errorf("kept file: %d, %d bytes, want %d", in.status, len(in.body), len(content))
	}
	if r := e.get(f.sys(f.rec)+"/audits/"+reps[0].ID+"/input", f.outside); r.status != http.StatusNotFound {
		t.Errorf("outsider gets the kept file: %d", r.status)
	}
	for _, m := range web.MissingMessages() {
		if strings.Contains(m, ":audit.") {
			t.Errorf("missing message %s", m)
		}
	}
}

// TestAuditBadInput: the engine's message next to the form (422), nothing
// stored; an empty file is refused at once and removed.
func TestAuditBadInput(t *testing.T) {
	left := auditTemp(t)
	f := newAuditFixture(t)
	e := f.e
	content := auditCSV(200)
	pick := pickPath(t, e.auditUpload(f.rec, f.editor, "scores.csv", content))

	engine := func(cfg audit.Config) string {
		_, err := audit.Run(context.Background(), bytes.NewReader(content), cfg)
		if vigie.ErrorCode(err) != vigie.EINVALID {
			t.Fatalf("audit.Run: %v, want EINVALID", err)
		}
		return vigie.ErrorMessage(err)
	}
	nonNumeric := auditForm("sexe")
	nonNumeric.Set("score", "ville")
	nnCfg := auditConfig("scores.csv", "sexe")
	nnCfg.Score = "ville"
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"missing column", auditForm("nope"), engine(auditConfig("scores.csv", "nope"))},
		{"one value", auditForm("pays"), engine(auditConfig("scores.csv", "pays"))},
		{"non-numeric score", nonNumeric, engine(nnCfg)},
	} {
		r := e.post(pick, f.editor, c.form)
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", c.name, r.status)
		}
		if !strings.Contains(r.body, html.EscapeString(c.want)) || !strings.Contains(r.body, `id="audit-error"`) || !strings.Contains(r.body, `id="audit-run"`) {
			t.Errorf("%s: the engine's message %q is not shown next to the form\n%s", c.name, c.want, r.body)
		}
		if strings.Contains(r.body, os.Getenv("TMPDIR")) {
			t.Errorf("%s: the message shows the temporary path", c.name)
		}
	}
	// The form's own checks name the field.
	noGroup := auditForm()
	badThr := auditForm("sexe")
	badThr.Set("threshold", "beaucoup")
	badMinN := auditForm("sexe")
	badMinN.Set("min_n", "-3")
	for name, c := range map[string]struct {
		form url.Values
		want string
	}{"no group": {noGroup, "Colonnes de groupe"}, "threshold": {badThr, "Seuil : nombre attendu"}, "min_n": {badMinN, "Effectif minimal pour conclure"}} {
		r := e.post(pick, f.editor, c.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d, want 422 naming %q", name, r.status, c.want)
		}
	}
	if n := len(f.reports(t)); n != 0 {
		t.Fatalf("%d reports stored after bad input", n)
	}
	// The file stays for a corrected choice, then is used and removed.
	if r := e.post(pick, f.editor, auditForm("sexe")); r.status != http.StatusSeeOther {
		t.Fatalf("corrected run: %d\n%s", r.status, r.body)
	}
	if n := len(f.reports(t)); n != 1 {
		t.Errorf("%d reports after the corrected run, want 1", n)
	}

	// An empty file, a header without rows: refused at upload, not kept.
	for name, body := range map[string][]byte{"vide.csv": nil} {
		r := e.auditUpload(f.rec, f.editor, name, body)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "fichier vide") || !strings.Contains(r.body, name) {
			t.Errorf("empty file: %d\n%s", r.status, r.body)
		}
	}
	headerOnly := pickPath(t, e.auditUpload(f.rec, f.editor, "entete.csv", []byte("sexe,score\n")))
	r := e.post(headerOnly, f.editor, auditForm("sexe"))
	if r.status != http.StatusUnprocessableEntity {
		t.Errorf("header only: %d, want 422", r.status)
	}
	if r := e.do(http.MethodPost, headerOnly+"/discard", f.editor, nil, ""); r.status != http.StatusSeeOther {
		t.Errorf("discard: %d", r.status)
	}
	if n := len(left()); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
	if n := len(f.reports(t)); n != 1 {
		t.Errorf("%d reports, want 1", n)
	}
	// No file in the form.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("x", "y")
	_ = mw.Close()
	if r := e.do(http.MethodPost, f.sys(f.rec)+"/audits/upload", f.editor, &b, mw.FormDataContentType()); r.status != http.StatusUnprocessableEntity {
		t.Errorf("no file: %d, want 422", r.status)
	}
}

// TestAuditAccess: the role matrix of the audit routes, and an upload id
// bound to its user, session and system.
func TestAuditAccess(t *testing.T) {
	left := auditTemp(t)
	f := newAuditFixture(t)
	e := f.e
	content := auditCSV(100)
	if r := e.auditUpload(f.rec, f.reader, "a.csv", content); r.status != http.StatusForbidden {
		t.Errorf("reader upload: %d, want 403", r.status)
	}
	if r := e.auditUpload(f.rec, f.outside, "a.csv", content); r.status != http.StatusNotFound {
		t.Errorf("outsider upload: %d, want 404", r.status)
	}
	if r := e.auditUpload(f.rec, "", "a.csv", content); r.status != http.StatusUnauthorized {
		t.Errorf("anonymous upload: %d, want 401", r.status)
	}
	if n := len(left()); n != 0 {
		t.Errorf("refused uploads left %d files", n)
	}
	pick := pickPath(t, e.auditUpload(f.rec, f.editor, "a.csv", content))
	id := pick[strings.LastIndex(pick, "/")+1:]
	// The owner finds it again on the tab; nobody else sees it.
	if r := e.get(f.sys(f.rec)+"/t/evidence", f.editor); !strings.Contains(r.body, `id="audit-pending"`) || !strings.Contains(r.body, id) {
		t.Error("the pending upload is not offered to its owner on the tab")
	}
	for _, c := range []string{f.editor2, f.admin, f.reader} {
		if r := e.get(f.sys(f.rec)+"/t/evidence", c); strings.Contains(r.body, id) {
			t.Error("a pending upload is shown to another user")
		}
	}
	if r := e.get(f.sys(f.other)+"/t/evidence", f.editor); strings.Contains(r.body, id) {
		t.Error("a pending upload is shown on another system")
	}
	forged := []struct {
		name, path, cookie string
		want               int
	}{
		{"another editor", pick, f.editor2, http.StatusNotFound},
		{"the admin", pick, f.admin, http.StatusNotFound},
		{"a reader", pick, f.reader, http.StatusForbidden},
		{"another organisation", pick, f.outside, http.StatusNotFound},
		{"another system", f.sys(f.other) + "/audits/new/" + id, f.editor, http.StatusNotFound},
		{"a made-up id", f.sys(f.rec) + "/audits/new/" + strings.Repeat("0", 32), f.editor, http.StatusNotFound},
		{"a path", f.sys(f.rec) + "/audits/new/" + url.PathEscape("../../etc/passwd"), f.editor, http.StatusNotFound},
	}
	for _, c := range forged {
		if r := e.get(c.path, c.cookie); r.status != c.want {
			t.Errorf("GET picker by %s: %d, want %d", c.name, r.status, c.want)
		}
		if r := e.post(c.path, c.cookie, auditForm("sexe")); r.status != c.want {
			t.Errorf("POST run by %s: %d, want %d", c.name, r.status, c.want)
		}
		if r := e.do(http.MethodPost, c.path+"/discard", c.cookie, nil, ""); r.status != c.want {
			t.Errorf("POST discard by %s: %d, want %d", c.name, r.status, c.want)
		}
	}
	// The browser's file name is kept as a base name only; the file is in
	// the temporary directory whatever the name.
	named := pickPath(t, e.auditUpload(f.rec, f.editor, `..\..\C:\Users\x/../scores "2025".csv`, content))
	if r := e.get(named, f.editor); !strings.Contains(r.body, `<strong id="audit-name">scores &#34;2025&#34;.csv</strong>`) {
		t.Errorf("uploaded name not reduced to its base name")
	}
	for _, p := range left() {
		if filepath.Dir(p) != os.Getenv("TMPDIR") {
			t.Errorf("temporary file outside the temporary directory: %s", p)
		}
	}
	if r := e.do(http.MethodPost, named+"/discard", f.editor, nil, ""); r.status != http.StatusSeeOther {
		t.Errorf("discard: %d", r.status)
	}
	// The same user in another session does not get it either.
	if r := e.get(pick, e.login("editor@example.org")); r.status != http.StatusNotFound {
		t.Errorf("another session: %d, want 404", r.status)
	}
	if n := len(f.reports(t)); n != 0 {
		t.Fatalf("%d reports stored by forged requests", n)
	}
	if r := e.post(pick, f.editor, auditForm("sexe")); r.status != http.StatusSeeOther {
		t.Fatalf("the owner's run: %d\n%s", r.status, r.body)
	}
	rid := f.reports(t)[0].ID
	page := f.sys(f.rec) + "/audits/" + rid
	for _, c := range []struct {
		cookie string
		want   int
	}{{f.admin, 200}, {f.editor, 200}, {f.reader, 200}, {f.outside, 404}} {
		if r := e.get(page, c.cookie); r.status != c.want {
			t.Errorf("report page: %d, want %d", r.status, c.want)
		}
		if r := e.get(page+"/report.json", c.cookie); r.status != c.want {
			t.Errorf("report JSON: %d, want %d", r.status, c.want)
		}
		if c.want == 404 {
			if r := e.get(f.sys(f.rec)+"/t/evidence", c.cookie); r.status != 404 || strings.Contains(r.body, rid) {
				t.Errorf("outsider evidence tab: %d", r.status)
			}
		}
	}
	if r := e.get(f.sys(f.rec)+"/audits/"+strings.Repeat("a", 32), f.admin); r.status != http.StatusNotFound {
		t.Errorf("missing report: %d, want 404", r.status)
	}
}

// TestAuditUploadLimit: beyond the limit, 413 while copying (also when no
// length is announced), and nothing left on disk; below it, a file larger
// than the ordinary upload limit goes through.
func TestAuditUploadLimit(t *testing.T) {
	left := auditTemp(t)
	defer func(n int64) { web.AuditMaxBytes = n }(web.AuditMaxBytes)
	web.AuditMaxBytes = web.MaxUploadBytes + 2<<20
	f := newAuditFixture(t)
	e := f.e
	big := auditCSV(400)
	for len(big) <= web.MaxUploadBytes+1<<20 {
		big = append(big, big[len("sexe;age;score;fraude;pays;ville\n"):]...)
	}
	big = big[:bytes.LastIndexByte(big[:web.MaxUploadBytes+1<<20], '\n')+1]
	pick := pickPath(t, e.auditUpload(f.rec, f.editor, "grand.csv", big))
	if r := e.post(pick, f.editor, auditForm("sexe")); r.status != http.StatusSeeOther {
		t.Fatalf("run on %d bytes: %d\n%s", len(big), r.status, r.body)
	}
	if reps := f.reports(t); len(reps) != 1 || reps[0].InputSHA256 != sha(big) {
		t.Fatalf("large file: report missing or wrong sha256")
	}

	tooBig := append(big, big...)
	if r := e.auditUpload(f.rec, f.editor, "trop.csv", tooBig); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("announced too large: %d, want 413", r.status)
	}
	// No Content-Length: the limit is found while copying.
	body, ct := multipartFile("trop.csv", tooBig)
	r := e.do(http.MethodPost, f.sys(f.rec)+"/audits/upload", f.editor, io.MultiReader(body), ct)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.body, "trop volumineux") {
		t.Errorf("streamed too large: %d, want 413\n%s", r.status, r.body)
	}
	if n := len(left()); n != 0 {
		t.Errorf("%d temporary files left after refused uploads", n)
	}
	if n := len(f.reports(t)); n != 1 {
		t.Errorf("%d reports, want 1", n)
	}
	// Other uploads keep their ordinary limit.
	body, ct = multipartFile("doc.pdf", big)
	if r := e.do(http.MethodPost, f.sys(f.rec)+"/documents", f.editor, body, ct); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("document upload of %d bytes: %d, want 413", len(big), r.status)
	}
}

// TestAuditUploadExpires: an upload nobody uses is removed after
// AuditUploadTTL.
func TestAuditUploadExpires(t *testing.T) {
	left := auditTemp(t)
	defer func(d time.Duration) { web.AuditUploadTTL = d }(web.AuditUploadTTL)
	web.AuditUploadTTL = 50 * time.Millisecond
	f := newAuditFixture(t)
	pick := pickPath(t, f.e.auditUpload(f.rec, f.editor, "a.csv", auditCSV(50)))
	deadline := time.Now().Add(10 * time.Second)
	for len(left()) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(left()); n != 0 {
		t.Fatalf("%d temporary files after the expiry", n)
	}
	if r := f.e.get(pick, f.editor); r.status != http.StatusNotFound {
		t.Errorf("expired upload: %d, want 404", r.status)
	}
}

// auditParquet makes the rows of auditCSV(n) (sexe, score) as Parquet.
func auditParquet(t *testing.T, n int) []byte {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "sexe", Type: arrow.BinaryTypes.String},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range n {
		sexe, k := "F", 9
		if i%2 == 1 {
			sexe, k = "H", 4
		}
		b.Field(0).(*array.StringBuilder).Append(sexe)
		switch {
		case i%50 == 0:
			b.Field(1).(*array.Float64Builder).AppendNull()
		case (i/2)%20 < k:
			b.Field(1).(*array.Float64Builder).Append(0.8)
		default:
			b.Field(1).(*array.Float64Builder).Append(0.2)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	var out bytes.Buffer
	if err := pqarrow.WriteTable(tbl, &out, 100, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestAuditParquet: a Parquet file goes through the same steps, and its
// report equals audit.Run on the same bytes.
func TestAuditParquet(t *testing.T) {
	left := auditTemp(t)
	f := newAuditFixture(t)
	content := auditParquet(t, 400)
	pick := pickPath(t, f.e.auditUpload(f.rec, f.editor, "scores.parquet", content))
	if p := f.e.get(pick, f.editor); p.status != http.StatusOK || !strings.Contains(p.body, `value="sexe"`) || !strings.Contains(p.body, `value="score"`) {
		t.Fatalf("Parquet picker: %d", p.status)
	}
	if r := f.e.post(pick, f.editor, auditForm("sexe")); r.status != http.StatusSeeOther {
		t.Fatalf("Parquet run: %d\n%s", r.status, r.body)
	}
	cfg := auditConfig("scores.parquet", "sexe")
	cfg.Format = "parquet"
	want, err := audit.Run(context.Background(), bytes.NewReader(content), leastFlaggedConfig(t, content, cfg))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want)
	reps := f.reports(t)
	if len(reps) != 1 || reps[0].InputSHA256 != sha(content) || reps[0].InputRows != 400 {
		t.Fatalf("Parquet report: %d reports", len(reps))
	}
	sameJSON(t, reps[0].Result, wantJSON)
	if want.Input.Excluded != 8 {
		t.Errorf("excluded %d rows, want the 8 null scores", want.Input.Excluded)
	}
	if n := len(left()); n != 0 {
		t.Errorf("%d temporary files left", n)
	}
}

// TestAuditSweep: a new server removes the uploads that an earlier
// process left behind once they are older than the TTL, and only those.
func TestAuditSweep(t *testing.T) {
	auditTemp(t)
	dir := os.Getenv("TMPDIR")
	old := filepath.Join(dir, "vigie-audit-old.csv")
	fresh := filepath.Join(dir, "vigie-audit-fresh.csv")
	other := filepath.Join(dir, "autre-fichier.csv")
	for _, p := range []string{old, fresh, other} {
		if err := os.WriteFile(p, []byte("a,b\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	past := time.Now().Add(-web.AuditUploadTTL - time.Hour)
	for _, p := range []string{old, other} {
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
	}
	newEnv(t)
	for p, want := range map[string]bool{old: false, fresh: true, other: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
}

// BenchmarkAuditUploadRun uploads a file of a million rows (32 MB,
// streamed from a generator, never in memory), chooses the columns and runs
// the audit through the web routes. B/op, a quarter of the file's size, shows
// that neither the upload nor the run holds the file.
//
//	go test ./web -run '^$' -bench AuditUploadRun -benchtime 3x
func BenchmarkAuditUploadRun(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("TMPDIR", dir)
	e := newEnv(b)
	admin := e.user("admin@example.org", "Alice Admin")
	org := e.org(admin, "Section Alpha")
	rec := e.system(org, "Score")
	c := e.login("admin@example.org")
	const rows = 1_000_000
	block := auditCSV(1000)
	head := bytes.IndexByte(block, '\n') + 1
	size := int64(head + (len(block)-head)*(rows/1000))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			fw, _ := mw.CreateFormFile("file", "grand.csv")
			_, _ = fw.Write(block[:head])
			for range rows / 1000 {
				_, _ = fw.Write(block[head:])
			}
			_ = mw.Close()
			_ = pw.Close()
		}()
		r := e.do(http.MethodPost, "/o/"+org.ID+"/systems/"+rec.ID+"/audits/upload", c, pr, mw.FormDataContentType())
		pick := pickPath(b, r)
		if r := e.post(pick, c, auditForm("sexe", "age")); r.status != http.StatusSeeOther {
			b.Fatalf("run: %d", r.status)
		}
	}
}

// TestAuditBrowser drives Chromium through the audit: the evidence tab →
// upload → choose the columns → the report with its charts, with no CSP
// violation in the console. It skips when Chromium is absent.
func TestAuditBrowser(t *testing.T) {
	chromium := testenv.Chromium(t)
	auditTemp(t)
	f := newAuditFixture(t)
	file := filepath.Join(t.TempDir(), "scores.csv")
	if err := os.WriteFile(file, auditCSV(400), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
	defer cancelT()
	var (
		mu      sync.Mutex
		console []chromedp.ConsoleMessage
	)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			console = append(console, m)
			mu.Unlock()
		}
	}()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			body, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("main")))
			t.Fatalf("%s: %v\n%.3000s", step, err, body)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	base := f.e.ts.URL
	do("login",
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#login-submit")),
		chromedp.SendKeys(css("#email"), "editor@example.org"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#logout")), // only once logged in
	)
	do("upload",
		chromedp.Navigate(base+f.sys(f.rec)+"/t/evidence"),
		chromedp.WaitVisible(css("#audit-upload")),
		chromedp.SetUploadFiles(css("#audit-file"), []string{file}),
		chromedp.Click(css("#audit-upload button")),
		chromedp.WaitVisible(css("#audit-run")),
	)
	if got := text("#audit-name"); got != "scores.csv" {
		t.Errorf("picker shows %q", got)
	}
	do("choose",
		chromedp.Click(css(`input[name="groups"][value="sexe"]`)),
		chromedp.SetValue(css("#score"), "score"),
		chromedp.SendKeys(css("#threshold"), "0,5"),
		chromedp.Click(css("#audit-submit")),
		chromedp.WaitVisible(css("#audit-report-title")),
	)
	if got := text("#audit-report-rows"); got != "400" {
		t.Errorf("rows on the report page: %q", got)
	}
	if got := text("#audit-report"); !strings.Contains(got, "disparité") {
		t.Errorf("the report's detail has no verdict:\n%s", got)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#audit-report svg circle").length`))
	if err != nil || n != 1 {
		t.Errorf("charts: %d points drawn (%v), want 1", n, err)
	}
	if reps := f.reports(t); len(reps) != 1 || reps[0].InputRows != 400 {
		t.Errorf("reports after the browser run: %d", len(reps))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, m := range console {
		if m.IsException() || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Content-Security-Policy") {
			t.Errorf("browser console: %s", m)
		}
	}
}

// TestAuditProposesLeastFlagged runs an audit from the web form on a file
// whose largest group is the most flagged, the reference left empty: the
// report compares with the least flagged group of at least min-n people,
// says so, and its French sentences read "fois plus" from the side of the
// group flagged more. The engine's own default (the command line's) stays
// the largest group.
func TestAuditProposesLeastFlagged(t *testing.T) {
	f := newAuditFixture(t)
	var b bytes.Buffer
	b.WriteString("origine;score\n")
	for _, g := range []struct {
		name    string
		n, flag int
	}{{"Métropole", 600, 360}, {"Outre-mer", 120, 30}, {"Étranger", 80, 12}, {"Autre", 10, 0}} {
		for i := range g.n {
			s := "0,2"
			if i < g.flag {
				s = "0,9"
			}
			fmt.Fprintf(&b, "%s;%s\n", g.name, s)
		}
	}
	content := b.Bytes()
	pick := pickPath(t, f.e.auditUpload(f.rec, f.editor, "origine.csv", content))
	if p := f.e.get(pick, f.editor); !strings.Contains(p.body, "le moins signalé") {
		t.Errorf("the picker does not say the reference defaults to the least flagged group")
	}
	r := f.e.post(pick, f.editor, auditForm("origine"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("run: %d\n%s", r.status, r.body)
	}
	rep := f.reports(t)[0]
	var res audit.Report
	if err := json.Unmarshal(rep.Result, &res); err != nil {
		t.Fatal(err)
	}
	// "Autre" (10 people, none flagged) is under min-n: "Étranger" (15 %) is
	// the least flagged group that counts.
	if a := res.Attributes[0]; a.Reference != "Étranger" {
		t.Errorf("reference %q, want Étranger", a.Reference)
	}
	page := f.e.get(r.header.Get("Location"), f.reader)
	if !strings.Contains(page.body, "le groupe le moins signalé parmi ceux d&#39;au moins 30 personnes") && !strings.Contains(page.body, "le groupe le moins signalé parmi ceux d'au moins 30 personnes") {
		t.Errorf("the report does not say how the reference was chosen")
	}
	if body := strings.ReplaceAll(page.body, "\u00a0", " "); !strings.Contains(body, "des « Métropole » ont été signalées contre") || !strings.Contains(body, "fois plus") {
		t.Errorf("the report does not read from the side of Métropole")
	}
	if strings.Contains(page.body, "fois le taux de référence") {
		t.Error("a sentence reads backwards")
	}
	// The engine, as the command line runs it, keeps the largest group.
	cli, err := audit.Run(context.Background(), bytes.NewReader(content), audit.Config{Groups: []string{"origine"}, Score: "score", Threshold: ptrF(0.5), MinN: 30})
	if err != nil {
		t.Fatal(err)
	}
	if a := cli.Attributes[0]; a.Reference != "Métropole" || a.ReferenceRule == "given" {
		t.Errorf("engine default reference %q (%s), want the largest", a.Reference, a.ReferenceRule)
	}
}

func ptrF(v float64) *float64 { return &v }
