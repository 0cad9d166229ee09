package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
)

func feedRow(i int, due vigie.Date, system, title string) dueRow {
	return dueRow{
		Step:       deadline.Step{ID: fmt.Sprintf("step-%d", i), Number: "2", Label: deadline.Text{FR: "Avis réputé rendu", EN: "Opinion deemed given"}, Due: due, Basis: deadline.Text{FR: "Code du travail, R2312-6"}, Confidence: "verified"},
		Action:     &vigie.Action{ID: fmt.Sprintf("act%04d", i), Title: title, UpdatedAt: time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)},
		SystemName: system,
	}
}

// checkLines: every line ends with CRLF, holds no other CR or LF nor any
// control character, and is at most 75 octets.
func checkLines(t *testing.T, raw string) {
	t.Helper()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatal("the feed does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d is not UTF-8 (a character cut by folding?): %q", i+1, line)
		}
		for _, r := range line {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("line %d holds the control character %U: %q", i+1, r, line)
			}
		}
	}
}

// TestCalendarTextEscaped: names and titles holding CR, LF, other
// control characters and the characters TEXT escapes stay inside their
// property, and read back as text.
func TestCalendarTextEscaped(t *testing.T) {
	today := vigie.Date{Year: 2026, Month: 12, Day: 4}
	hostile := "Outil\r\nDTSTART:19700101\rBEGIN:VEVENT\x1b[31m; a, b\\c\u0085 " + strings.Repeat("é", 60)
	rows := []dueRow{feedRow(1, today.AddDays(3), hostile, "Courrier\nEND:VCALENDAR")}
	var b bytes.Buffer
	if err := writeCalendar(&b, rows, today, "https://vigie.example.org/o/x/deadlines"); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	checkLines(t, raw)
	if strings.Count(raw, "\r\nBEGIN:VEVENT\r\n") != 1 || strings.Count(raw, "\r\nEND:VCALENDAR") != 1 || strings.Contains(raw, "\r\nDTSTART:1970") {
		t.Fatalf("a value broke out of its property:\n%s", raw)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()
	if len(ev) != 1 {
		t.Fatalf("%d events", len(ev))
	}
	sum := ev[0].GetProperty(ics.ComponentPropertySummary).Value
	if !strings.Contains(sum, "Outil\nDTSTART:19700101\nBEGIN:VEVENT[31m; a, b\\c") || strings.ContainsAny(sum, "\r\x1b\u0085") {
		t.Errorf("summary read back as %q", sum)
	}
}

// TestCalendarBounded: whatever the number of due dates, the feed holds
// at most feedEvents events for the window, then one event per month; due
// dates out of the window are left to the board.
func TestCalendarBounded(t *testing.T) {
	today := vigie.Date{Year: 2026, Month: 12, Day: 4}
	var rows []dueRow
	for i := 0; i < 5000; i++ {
		rows = append(rows, feedRow(i, today.AddDays(-60+i/10), "Système", "Courrier"))
	}
	var b bytes.Buffer
	if err := writeCalendar(&b, rows, today, "https://vigie.example.org/o/x/deadlines"); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	checkLines(t, raw)
	cal, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	single, months := 0, 0
	for _, ev := range cal.Events() {
		if strings.HasPrefix(ev.Id(), "mois-") {
			months++
			continue
		}
		single++
		start, err := ev.GetAllDayStartAt()
		if err != nil || vigie.DateOf(start).Before(today.AddDays(-feedPast)) || vigie.DateOf(start).After(today.AddDays(feedSoon)) {
			t.Errorf("event %s on %v, out of the window", ev.Id(), start)
		}
	}
	if single != feedEvents || months == 0 || months > feedMonths+2 {
		t.Errorf("%d single events, %d months", single, months)
	}
	if len(raw) > 400<<10 {
		t.Errorf("the feed is %d KB", len(raw)>>10)
	}
	if !strings.Contains(raw, "URL:https://vigie.example.org/o/x/deadlines?month=") {
		t.Error("the months do not link to the board")
	}
}
