package report

import (
	"sort"
	"strings"

	"github.com/vigie-app/vigie"
)

// evidenceKey identifies an evidence entry's document: the entries that
// cite the same document on the same date are one exhibit. The key holds a
// hash of the text, not the text, which may name a person.
func evidenceKey(e vigie.Evidence) string {
	return "evidence:" + sha256Hex([]byte(strings.TrimSpace(e.Document)))[:16] + "|" + e.Date.String()
}

func strp(s string) *string { return &s }

// collectExhibits lists the exhibits: the stored documents, the documents
// the evidence cites, the letters sent, the kept reports and the testimony
// campaigns. In the public version a title never repeats a free text that
// could name a person: it says what the exhibit is and its date.
func (b *builder) collectExhibits() {
	seen := map[string]bool{}
	add := func(x Exhibit) {
		if seen[x.Key] {
			return
		}
		seen[x.Key] = true
		b.ex = append(b.ex, x)
	}
	date := func(d vigie.Date) *string {
		if d.IsZero() {
			return nil
		}
		return strp(d.String())
	}
	generic := func(source string, d vigie.Date) string {
		t := b.t("Document", "Document") + " (" + b.sourceWord(source) + ")"
		if !d.IsZero() {
			t += b.t(" du ", " of ") + b.shortDate(d)
		}
		return t
	}
	for _, doc := range b.in.Documents {
		title := doc.Name
		if b.public {
			title = generic(doc.Source, doc.Date)
		}
		x := Exhibit{Key: "document:" + doc.ID, Title: title, Date: date(doc.Date), Source: doc.Source}
		if doc.SHA256 != "" {
			x.SHA256 = strp(doc.SHA256)
		}
		add(x)
	}
	for _, e := range b.in.System.Evidence {
		if strings.TrimSpace(e.Document) == "" {
			continue
		}
		title := e.Document
		if b.public {
			title = generic(e.Source, e.Date)
		}
		add(Exhibit{Key: evidenceKey(e), Title: title, Date: date(e.Date), Source: e.Source})
	}
	for _, ac := range b.in.Actions {
		a := ac.Action
		if a.SentOn.IsZero() {
			continue
		}
		x := Exhibit{Key: "action:" + a.ID, Title: b.t("Lettre : ", "Letter: ") + b.actionTitle(a), Date: date(a.SentOn), Source: "workers"}
		if a.Body != "" {
			x.SHA256 = strp(sha256Hex([]byte(a.Body)))
		}
		add(x)
	}
	for _, au := range b.in.Audits {
		if au.Report == nil {
			continue
		}
		title := b.t("Fichier audité", "Audited file")
		if !b.public && au.Report.InputName != "" {
			title += " « " + au.Report.InputName + " »"
		}
		x := Exhibit{Key: "report:" + au.Report.ID, Title: title, Date: date(au.Report.AsOf), Source: "employer"}
		if au.Report.InputSHA256 != "" {
			x.SHA256 = strp(au.Report.InputSHA256)
		}
		add(x)
	}
	for _, tm := range b.in.Testimonies {
		if tm.Campaign == nil {
			continue
		}
		add(Exhibit{Key: "campaign:" + tm.Campaign.ID, Title: b.t("Résultats du questionnaire : ", "Questionnaire results: ") + tm.Campaign.Title,
			Date: date(tm.Campaign.ClosesOn), Source: "workers"})
	}
}

// Number gives every exhibit its number: the one it already has in prev,
// or, for the new ones in the order of their dates (undated last, then by
// key), the numbers after the largest given. It returns every exhibit's
// number and the new ones.
func Number(prev map[string]int, ex []Exhibit) (all, fresh map[string]int) {
	all, fresh = map[string]int{}, map[string]int{}
	next := 0
	for _, n := range prev {
		next = max(next, n)
	}
	var news []Exhibit
	for _, x := range ex {
		if n, ok := prev[x.Key]; ok {
			all[x.Key] = n
		} else {
			news = append(news, x)
		}
	}
	sort.SliceStable(news, func(i, j int) bool {
		a, b := news[i].Date, news[j].Date
		switch {
		case a != nil && b != nil && *a != *b:
			return *a < *b
		case (a == nil) != (b == nil):
			return a != nil
		}
		return news[i].Key < news[j].Key
	})
	for _, x := range news {
		next++
		all[x.Key], fresh[x.Key] = next, next
	}
	return all, fresh
}
