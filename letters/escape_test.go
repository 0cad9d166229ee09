package letters

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
	"text/template"

	"github.com/vigie-app/vigie"
)

// letterPayloads are texts a user may type that look like the letter's own
// markup or like a placeholder.
var letterPayloads = []string{
	"Outil\n@notes\nSECRET-NOTE",
	"@sign\nSECRET-SIGN",
	"@bogus",
	"{{.Name}}",
	"{{",
	"%!d(MISSING)",
	"<no value>",
	"## SECRET-HEADING",
	"- SECRET-ITEM",
	"Outil\r\n@to\r\nSECRET-TO",
	"Outil\u2028@notes",
	"\ue001@notes",
}

// setTexts puts v into every free text of s (not the enumerations) and of d.
func setTexts(d *Data, s *vigie.System, v string) {
	s.Name, s.Vendor, s.Description = v, v, v
	s.Deployment.Units = vigie.SetOf(v, "Plateau")
	if s.Usage != nil {
		s.Usage.Model = v
	}
	for i := range s.Evidence {
		s.Evidence[i].Document = v
	}
	d.Sender, d.Addressee, d.Place, d.Signatory, d.Requester = v, v, v, v, v
	d.Documents = []string{v, "Le registre"}
}

// shape is the structure of a document: its blocks and lines, not its words.
func shape(doc *Document) string {
	var b strings.Builder
	b.WriteString(strings.Repeat("f", len(doc.From)) + "|" + strings.Repeat("t", len(doc.To)) + "|" + strings.Repeat("s", len(doc.Signature)) + "|")
	for _, bl := range doc.Body {
		b.WriteString(bl.Kind + strings.Repeat(".", len(bl.Items)))
	}
	b.WriteString("|" + strings.Repeat("n", len(doc.Notes)))
	return b.String()
}

// TestLetterValuesAreData: a fact or a field holding a newline and @notes,
// @sign, {{, %! or @bogus changes neither the structure of any letter (in
// either language) nor makes it fail; the text is kept, as text.
func TestLetterValuesAreData(t *testing.T) {
	for _, l := range Catalogue() {
		for _, lang := range []string{"fr", "en"} {
			base, _ := goldenData(t, l.ID)
			plain := *base.System
			setTexts(&base, &plain, "Valeur ordinaire")
			base.System = &plain
			want, err := Build(l.ID, base, lang)
			if err != nil {
				t.Fatalf("%s.%s: %v", l.ID, lang, err)
			}
			for i, p := range letterPayloads {
				d, _ := goldenData(t, l.ID)
				s := *d.System
				setTexts(&d, &s, p)
				d.System = &s
				doc, err := Build(l.ID, d, lang)
				if err != nil {
					t.Errorf("%s.%s with %q: %v", l.ID, lang, p, err)
					continue
				}
				if got := shape(doc); got != shape(want) {
					t.Errorf("%s.%s with %q: structure %s, want %s", l.ID, lang, p, got, shape(want))
				}
				// The value stays where the template put it: in the
				// same lines, not in a section of its own.
				for _, sig := range doc.Signature {
					if strings.Contains(sig, "SECRET-SIGN") && !strings.HasPrefix(sig, "@sign") {
						t.Errorf("%s.%s with %q: a value became a signature line: %q", l.ID, lang, p, sig)
					}
				}
				text := doc.Text()
				if strings.Contains(text, "\ue001") {
					t.Errorf("%s.%s with %q: the guard is left in the text", l.ID, lang, p)
				}
				for _, format := range []string{FormatHTML, FormatODT, FormatPDF} {
					if i > 2 && format != FormatHTML {
						break // the documents are the same: the writers are tried on a few
					}
					var buf bytes.Buffer
					if err := Render(l.ID, d, lang, format, &buf); err != nil {
						t.Errorf("%s.%s %s with %q: %v", l.ID, lang, format, p, err)
					}
				}
			}
		}
	}
}

// TestEscapeValue: values lose line breaks and control characters and keep
// their words.
func TestEscapeValue(t *testing.T) {
	for in, want := range map[string]string{
		"Analyse vocale":        "Analyse vocale",
		"a\nb\r\nc":             "a b c",
		"\x1b[31mrouge":         "[31mrouge",
		"  @sign  ":             guard + "@sign",
		"x {{.Name}} y":         "x {" + guard + "{.Name}" + guard + "} y",
		"déploiement":           "déploiement",
		"-3 %!":                 guard + "-3 %" + guard + "!",
		"a" + guard + "@" + "b": "a@b",
	} {
		if got := escapeValue(in); got != want {
			t.Errorf("escapeValue(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTemplatesChecked: a template naming an unknown section or a field the
// view does not have is refused when it is read, not when a user's value
// fills it.
func TestTemplatesChecked(t *testing.T) {
	for _, l := range Catalogue() {
		for _, lang := range []string{"fr", "en"} {
			if _, err := parseTemplate(l.ID, lang); err != nil {
				t.Errorf("%s.%s: %v", l.ID, lang, err)
			}
		}
	}
	for src, want := range map[string]string{
		`{{define "letter"}}@from
x
@bogus
{{end}}`: "unknown section",
		`{{define "letter"}}@body
{{.Nom}}
{{end}}`: "unknown field .Nom",
		`{{define "letter"}}@body
{{range .Units}}{{$.Vendeur}}{{end}}
{{end}}`: "unknown field .Vendeur",
	} {
		tm := template.Must(template.New("t").Funcs(funcs("fr")).Parse(src))
		err := checkTemplate(tm)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
	ok := template.Must(template.New("t").Funcs(funcs("fr")).Parse(`{{define "letter"}}@body
{{range .Units}}{{.}}{{end}} {{with .Obligations}}{{range .}}{{.Title}}{{end}}{{end}} {{join .Domains}}
{{end}}`))
	if err := checkTemplate(ok); err != nil {
		t.Errorf("a correct template refused: %v", err)
	}
	if !slices.Contains(sections, "notes") || reflect.TypeOf(view{}).NumField() == 0 {
		t.Fatal("sections or view empty")
	}
}

// FuzzLetterValues: whatever text a fact or a field holds, the letter is
// built, in its usual structure, with no guard left in it.
func FuzzLetterValues(f *testing.F) {
	for _, p := range letterPayloads {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ReplaceAll(escapeValue(v), guard, "") == "" {
			return // an empty value leaves out what it would fill: another letter
		}
		const id = "cse-consultation-new-technology"
		base, _ := goldenData(t, id)
		plain := *base.System
		setTexts(&base, &plain, "Valeur ordinaire")
		base.System = &plain
		want, err := Build(id, base, "fr")
		if err != nil {
			t.Fatal(err)
		}
		d, _ := goldenData(t, id)
		s := *d.System
		setTexts(&d, &s, v)
		d.System = &s
		doc, err := Build(id, d, "fr")
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if shape(doc) != shape(want) {
			t.Fatalf("%q: structure %s, want %s", v, shape(doc), shape(want))
		}
		if strings.Contains(doc.Text(), guard) {
			t.Fatalf("%q: guard left", v)
		}
	})
}
