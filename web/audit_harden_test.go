package web_test

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestAuditWideHeader: a header of 209,000 columns (1 MiB) is refused with
// 422 naming the bound, without building the picker (88 MB of page before).
func TestAuditWideHeader(t *testing.T) {
	f := newAuditFixture(t)
	var b strings.Builder
	for i := 0; i < 209000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "c%d", i%1000)
	}
	b.WriteString("\n1,2,3\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := f.e.auditUpload(f.rec, f.editor, "large.csv", []byte(b.String()))
	runtime.ReadMemStats(&after)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "au plus 1000") || len(r.body) > 1<<20 {
		t.Fatalf("status %d, %d bytes\n%s", r.status, len(r.body), Clip(between(r.body, `id="audit-error"`, "</div>")))
	}
	if extra := after.TotalAlloc - before.TotalAlloc; extra > 200<<20 {
		t.Errorf("%d MB allocated to refuse it", extra>>20)
	}
}

// TestAuditPickerSearch: the table of groups of a file with many columns is
// searched by a plain GET form (no JavaScript), accents and case ignored.
func TestAuditPickerSearch(t *testing.T) {
	f := newAuditFixture(t)
	var b strings.Builder
	cols := []string{"id", "Sexe", "âge", "origine", "score"}
	for i := 0; i < 40; i++ {
		cols = append(cols, fmt.Sprintf("var%02d", i))
	}
	b.WriteString(strings.Join(cols, ",") + "\n")
	for i := 0; i < 5; i++ {
		b.WriteString(strings.Repeat("1,", len(cols)-1) + "0\n")
	}
	pick := pickPath(t, f.e.auditUpload(f.rec, f.editor, "wide.csv", []byte(b.String())))
	page := f.e.get(pick, f.editor).body
	if !strings.Contains(page, `id="audit-search"`) || strings.Count(page, `name="groups"`) != len(cols) {
		t.Fatalf("no search form or not every column: %d", strings.Count(page, `name="groups"`))
	}
	page = f.e.get(pick+"?q=AGE", f.editor).body
	if n := strings.Count(page, `name="groups"`); n != 1 || !strings.Contains(page, `value="âge"`) {
		t.Errorf("?q=AGE: %d columns", n)
	}
	if !strings.Contains(page, "1 colonne(s) sur 45") {
		t.Errorf("no count:\n%s", Clip(between(page, `id="audit-search"`, "</form>")))
	}
	// The score list keeps every column.
	if !strings.Contains(between(page, `id="score"`, "</select>"), `value="var39"`) {
		t.Error("the score list was filtered")
	}
}

// TestAuditUploadsInFlight: a user sends at most two files at once; a third
// is refused with 429 while they are received; another user is not held.
func TestAuditUploadsInFlight(t *testing.T) {
	f := newAuditFixture(t)
	url := f.e.ts.URL + "/o/" + f.rec.OrgID + "/systems/" + f.rec.ID + "/audits/upload"
	send := func(cookie string, body io.Reader, ct string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, url, body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", f.e.ts.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Cookie", cookie)
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := c.Do(req)
		if err != nil {
			return nil // an upload cut short by the test
		}
		return res
	}
	var writers []*io.PipeWriter
	done := make(chan *http.Response, 2)
	for i := 0; i < 2; i++ {
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		writers = append(writers, pw)
		go func() { done <- send(f.editor, pr, mw.FormDataContentType()) }()
		go func() {
			fw, _ := mw.CreateFormFile("file", "lent.csv")
			fw.Write([]byte("sexe,score\n"))
		}()
	}
	time.Sleep(500 * time.Millisecond) // both uploads are being received
	body, ct := multipartFile("troisieme.csv", auditCSV(50))
	if res := send(f.editor, body, ct); res == nil || res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("third upload at once: %v, want 429", res.StatusCode)
	}
	body, ct = multipartFile("autre.csv", auditCSV(50))
	if res := send(f.editor2, body, ct); res == nil || res.StatusCode != http.StatusSeeOther {
		t.Errorf("another user's upload: %v, want 303", res.StatusCode)
	}
	for _, w := range writers {
		w.CloseWithError(io.ErrUnexpectedEOF)
	}
	<-done
	<-done
	// The server counts an upload until its handler returns, a moment
	// after the client saw the connection end.
	status := 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		body, ct = multipartFile("apres.csv", auditCSV(50))
		if res := send(f.editor, body, ct); res != nil {
			if status = res.StatusCode; status != http.StatusTooManyRequests {
				break
			}
		}
	}
	if status != http.StatusSeeOther {
		t.Errorf("upload after the others ended: %d, want 303", status)
	}
}
