package letters

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// frenchSample holds characters that every French letter here must keep intact.
var frenchSample = []string{"é", "è", "à", "ç", "«", "»", "°", "œ"}

func buildDoc(t *testing.T, id, lang string) *Document {
	t.Helper()
	d, _ := goldenData(t, id)
	doc, err := Build(id, d, lang)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
	}
}

func TestODT(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		doc := buildDoc(t, "cse-consultation-new-technology", lang)
		var buf bytes.Buffer
		if err := doc.WriteODT(&buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.Bytes()
		// The mimetype entry comes first, stored, with no extra field, so that
		// "mimetype" and the media type sit at fixed offsets (ODF 1.3 part 2, 3.3).
		if string(raw[0:4]) != "PK\x03\x04" {
			t.Fatal("not a zip")
		}
		if m := binary.LittleEndian.Uint16(raw[8:10]); m != 0 {
			t.Errorf("mimetype compression method %d, want 0 (stored)", m)
		}
		if extra := binary.LittleEndian.Uint16(raw[28:30]); extra != 0 {
			t.Errorf("mimetype has a %d-byte extra field", extra)
		}
		if flags := binary.LittleEndian.Uint16(raw[6:8]); flags&0x8 != 0 {
			t.Error("mimetype uses a data descriptor")
		}
		if string(raw[30:38]) != "mimetype" || string(raw[38:38+len(ODTMimeType)]) != ODTMimeType {
			t.Errorf("bytes 30–: %q", raw[30:38+len(ODTMimeType)])
		}

		z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
		if err != nil {
			t.Fatal(err)
		}
		if z.File[0].Name != "mimetype" || z.File[0].Method != zip.Store {
			t.Errorf("first entry %s method %d", z.File[0].Name, z.File[0].Method)
		}
		contents := map[string][]byte{}
		var names []string
		for _, f := range z.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc) // checks the CRC too
			rc.Close()
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			contents[f.Name] = b
			names = append(names, f.Name)
		}
		for _, n := range []string{"content.xml", "styles.xml", "meta.xml", "META-INF/manifest.xml"} {
			b, ok := contents[n]
			if !ok {
				t.Errorf("%s missing", n)
				continue
			}
			wellFormed(t, n, b)
		}
		// The manifest lists every file of the package, and nothing else.
		var manifest struct {
			Entries []struct {
				Path  string `xml:"full-path,attr"`
				Media string `xml:"media-type,attr"`
			} `xml:"file-entry"`
		}
		if err := xml.Unmarshal(contents["META-INF/manifest.xml"], &manifest); err != nil {
			t.Fatal(err)
		}
		listed := map[string]string{}
		for _, e := range manifest.Entries {
			listed[e.Path] = e.Media
		}
		if listed["/"] != ODTMimeType {
			t.Errorf("manifest root entry %q", listed["/"])
		}
		for _, n := range names {
			if n == "mimetype" || strings.HasPrefix(n, "META-INF/") {
				continue
			}
			if _, ok := listed[n]; !ok {
				t.Errorf("%s is not in the manifest", n)
			}
		}
		for p := range listed {
			if p != "/" && !slices.Contains(names, p) {
				t.Errorf("manifest lists %s, which is not in the package", p)
			}
		}
		// The text is there, escaped once, with its French characters.
		text := xmlText(t, contents["content.xml"])
		if !strings.Contains(text, norm(doc.Subject)) {
			t.Errorf("the subject is not in content.xml")
		}
		if lang == "fr" {
			for _, c := range frenchSample {
				if !strings.Contains(text, c) {
					t.Errorf("content.xml lost %q", c)
				}
			}
		}
		if !strings.Contains(string(contents["meta.xml"]), "<dc:language>"+lang+"</dc:language>") {
			t.Error("meta.xml has no language")
		}
		if !strings.Contains(string(contents["styles.xml"]), `fo:language="`+lang+`"`) {
			t.Error("styles.xml does not set the letter's language")
		}
		// Deterministic.
		var again bytes.Buffer
		if err := doc.WriteODT(&again); err != nil || !bytes.Equal(again.Bytes(), raw) {
			t.Errorf("two renderings differ (%v)", err)
		}
	}
}

// xmlText returns the character data of an XML document, whitespace-normalised.
func xmlText(t *testing.T, b []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var sb strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case xml.CharData:
			sb.Write(x)
		case xml.StartElement:
			sb.WriteByte(' ')
		}
	}
	return norm(sb.String())
}

func TestHTMLEscapes(t *testing.T) {
	d, _ := goldenData(t, "cse-consultation-new-technology")
	s := *d.System
	s.Name = `<script>alert("x")</script> & « outil »`
	d.System = &s
	var buf bytes.Buffer
	if err := Render("cse-consultation-new-technology", d, "fr", FormatHTML, &buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>") {
		t.Error("the system's name was not escaped")
	}
	if !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, "« outil »") {
		t.Error("escaped name or French quotes missing")
	}
	for _, want := range []string{`<html lang="fr">`, `<meta charset="utf-8">`, "L2312-8", "24/01457", `class="subject"`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	wellFormedHTMLish(t, out)
}

// wellFormedHTMLish checks that the block elements the renderer writes are
// balanced.
func wellFormedHTMLish(t *testing.T, s string) {
	for _, tag := range []string{"p", "ul", "li", "h2", "div", "article"} {
		open := len(regexp.MustCompile(`<`+tag+`[ >]`).FindAllString(s, -1))
		closed := strings.Count(s, "</"+tag+">")
		if open != closed {
			t.Errorf("<%s>: %d opened, %d closed", tag, open, closed)
		}
	}
}

// pdfText extracts the text that fpdf writes with a UTF-8 font: the content
// streams are deflated; each string shown with Tj is UTF-16BE (the font is
// Identity-H with the code points as CIDs).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	streams := regexp.MustCompile(`(?s)<<([^>]*?/Filter /FlateDecode[^>]*?)>>\s*stream\r?\n`)
	var out strings.Builder
	for _, m := range streams.FindAllSubmatchIndex(pdf, -1) {
		dict := string(pdf[m[2]:m[3]])
		if strings.Contains(dict, "Length1") { // an embedded font program
			continue
		}
		end := bytes.Index(pdf[m[1]:], []byte("endstream"))
		if end < 0 {
			continue
		}
		r, err := zlib.NewReader(bytes.NewReader(pdf[m[1] : m[1]+end]))
		if err != nil {
			continue
		}
		data, err := io.ReadAll(r)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			continue
		}
		for _, s := range pdfStrings(data) {
			if len(s)%2 != 0 {
				continue
			}
			u := make([]uint16, len(s)/2)
			for i := range u {
				u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
			}
			out.WriteString(string(utf16.Decode(u)))
			out.WriteByte(' ')
		}
	}
	return norm(out.String())
}

// pdfStrings returns the literal strings shown by Tj, and the strings of
// the arrays shown by TJ (justified lines), in a content stream.
func pdfStrings(data []byte) [][]byte {
	var out, array [][]byte
	inArray := false
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '[':
			inArray, array = true, nil
			continue
		case ']':
			rest := bytes.TrimLeft(data[i+1:], " \r\n")
			if inArray && bytes.HasPrefix(rest, []byte("TJ")) {
				out = append(out, bytes.Join(array, nil))
			}
			inArray = false
			continue
		case '(':
		default:
			continue
		}
		s, j := pdfLiteral(data, i+1)
		if inArray {
			array = append(array, s)
		} else if rest := bytes.TrimLeft(data[j:], " \r\n"); bytes.HasPrefix(rest, []byte("Tj")) {
			out = append(out, s)
		}
		i = j - 1
	}
	return out
}

// pdfLiteral reads a literal string whose "(" is just before data[j], and
// returns it unescaped with the index after its ")".
func pdfLiteral(data []byte, j int) ([]byte, int) {
	var s []byte
	depth := 1
	for ; j < len(data) && depth > 0; j++ {
		c := data[j]
		switch {
		case c == '\\' && j+1 < len(data):
			j++
			switch e := data[j]; e {
			case 'n':
				s = append(s, '\n')
			case 'r':
				s = append(s, '\r')
			case 't':
				s = append(s, '\t')
			case 'b':
				s = append(s, '\b')
			case 'f':
				s = append(s, '\f')
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v, k := 0, 0
				for ; k < 3 && j+k < len(data) && data[j+k] >= '0' && data[j+k] <= '7'; k++ {
					v = v*8 + int(data[j+k]-'0')
				}
				s = append(s, byte(v))
				j += k - 1
			default:
				s = append(s, e)
			}
		case c == '(':
			depth++
			s = append(s, c)
		case c == ')':
			depth--
			if depth > 0 {
				s = append(s, c)
			}
		default:
			s = append(s, c)
		}
	}
	return s, j
}

func TestPDF(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		doc := buildDoc(t, "cse-consultation-new-technology", lang)
		var buf bytes.Buffer
		if err := doc.WritePDF(&buf); err != nil {
			t.Fatal(err)
		}
		raw := buf.Bytes()
		if !bytes.HasPrefix(raw, []byte("%PDF-")) || !bytes.Contains(raw, []byte("%%EOF")) {
			t.Fatal("not a PDF")
		}
		// The TrueType font is embedded, as a Unicode (Identity-H) font with a
		// ToUnicode map, so that the text can be copied and searched.
		for _, want := range []string{"/FontFile2", "/Identity-H", "/ToUnicode", "liberationserif"} {
			if !bytes.Contains(raw, []byte(want)) {
				t.Errorf("PDF lacks %s", want)
			}
		}
		text := pdfText(t, raw)
		// Words cut at line ends are joined by a space: compare word by word.
		for _, phrase := range []string{doc.Subject, doc.Body[0].Text} {
			for _, w := range strings.Fields(phrase) {
				if !strings.Contains(text, w) {
					t.Errorf("%s: word %q is not in the PDF text", lang, w)
					break
				}
			}
		}
		for _, cite := range doc.Letter.Cites {
			if !strings.Contains(text, cite) {
				t.Errorf("%s: the PDF does not cite %q", lang, cite)
			}
		}
		if lang == "fr" {
			for _, c := range frenchSample {
				if !strings.Contains(text, c) {
					t.Errorf("the PDF lost %q", c)
				}
			}
			if !strings.Contains(text, "œuvre") || !strings.Contains(text, "référé") {
				t.Error("French words damaged in the PDF")
			}
		}
		var again bytes.Buffer
		if err := doc.WritePDF(&again); err != nil || !bytes.Equal(again.Bytes(), raw) {
			t.Errorf("two renderings differ (%v)", err)
		}
		pdftotext(t, raw, doc)
	}
}

// pdftotext cross-checks with poppler's pdftotext when it is installed.
func pdftotext(t *testing.T, raw []byte, doc *Document) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Log("pdftotext not installed: cross-check with poppler skipped (the built-in extraction above still ran)")
		return
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "l.pdf")
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := norm(string(out))
	for _, w := range strings.Fields(doc.Subject) {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext: %q missing", w)
		}
	}
	if doc.Lang == "fr" {
		for _, c := range frenchSample {
			if !strings.Contains(text, c) {
				t.Errorf("pdftotext lost %q", c)
			}
		}
	}
}

func TestHTMLFragment(t *testing.T) {
	doc := buildDoc(t, "gdpr-access-request", "en")
	var frag, page bytes.Buffer
	if err := doc.WriteHTMLFragment(&frag); err != nil {
		t.Fatal(err)
	}
	if err := doc.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	f := frag.String()
	notes, article, ok := strings.Cut(f, "</aside>")
	if strings.Contains(f, "<html") || strings.Contains(f, "<body") || !ok || !strings.HasPrefix(notes, `<aside class="notes">`) ||
		!strings.HasPrefix(strings.TrimSpace(article), `<article class="letter" data-letter="gdpr-access-request" lang="en">`) {
		t.Errorf("fragment: the sender's notes, then the letter: %.200s", f)
	}
	// The standalone page is the letter alone: no notes.
	if !strings.Contains(page.String(), strings.TrimSpace(article)) || strings.Contains(page.String(), `class="notes"`) {
		t.Error("the page does not hold the letter, or holds the notes")
	}
	wellFormedHTMLish(t, f)
}
