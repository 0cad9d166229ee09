package letters

import (
	"fmt"
	"strings"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
)

// Document is a filled letter, ready to render: the header blocks, the
// subject, the body as headings, paragraphs and lists, and the signature.
type Document struct {
	Letter    Letter
	Lang      string
	Date      vigie.Date
	Title     string
	From      []string
	To        []string
	PlaceDate string
	Subject   string
	Body      []Block
	Signature []string
	// Notes are for the sender only, on the sender's screen: what the
	// letter starts, what to attach, what is uncertain. No renderer of the
	// letter itself (Text, WritePDF, WriteODT, WriteHTML) writes them.
	Notes []string
	// Deadlines is the chain that sending the letter on its date starts
	// (see Deadlines); empty when no legal delay follows.
	Deadlines []deadline.Step
}

// Block kinds.
const (
	BlockHeading   = "h"
	BlockParagraph = "p"
	BlockList      = "ul"
)

// Block is a heading, a paragraph or a list.
type Block struct {
	Kind  string
	Text  string   // heading or paragraph
	Items []string // list
}

// parseDocument reads the output of a letter template. The markup is small:
//
//	@from, @to, @place, @subject, @body, @sign, @notes start a section;
//	in the header sections each non-empty line is a line;
//	in @body and @notes, blank lines separate paragraphs, "## " starts a
//	heading and "- " a list item; the lines of a paragraph are joined.
func parseDocument(s string) (*Document, error) {
	doc := &Document{}
	section := ""
	var para []string
	var list []string
	flush := func() {
		if len(para) > 0 {
			text := strings.Join(para, " ")
			if section == "notes" {
				doc.Notes = append(doc.Notes, text)
			} else {
				doc.Body = append(doc.Body, Block{Kind: BlockParagraph, Text: text})
			}
			para = nil
		}
		if len(list) > 0 {
			if section == "notes" {
				doc.Notes = append(doc.Notes, list...)
			} else {
				doc.Body = append(doc.Body, Block{Kind: BlockList, Items: list})
			}
			list = nil
		}
	}
	for n, raw := range strings.Split(s, "\n") {
		line := strings.Join(strings.Fields(raw), " ")
		if strings.HasPrefix(line, "@") {
			flush()
			section = strings.TrimPrefix(line, "@")
			switch section {
			case "from", "to", "place", "subject", "body", "sign", "notes":
			default:
				return nil, fmt.Errorf("line %d: unknown section %q", n+1, line)
			}
			continue
		}
		switch section {
		case "":
			if line != "" {
				return nil, fmt.Errorf("line %d: text before the first section: %q", n+1, line)
			}
		case "from":
			if line != "" {
				doc.From = append(doc.From, line)
			}
		case "to":
			if line != "" {
				doc.To = append(doc.To, line)
			}
		case "place":
			if line != "" {
				doc.PlaceDate = line
			}
		case "subject":
			if line != "" {
				doc.Subject = strings.TrimSpace(doc.Subject + " " + line)
			}
		case "sign":
			if line != "" {
				doc.Signature = append(doc.Signature, line)
			}
		case "body", "notes":
			switch {
			case line == "":
				flush()
			case strings.HasPrefix(line, "## "):
				flush()
				if section == "notes" {
					doc.Notes = append(doc.Notes, strings.TrimPrefix(line, "## "))
				} else {
					doc.Body = append(doc.Body, Block{Kind: BlockHeading, Text: strings.TrimPrefix(line, "## ")})
				}
			case strings.HasPrefix(line, "- "):
				if len(para) > 0 {
					flush()
				}
				list = append(list, strings.TrimPrefix(line, "- "))
			default:
				if len(list) > 0 {
					// A line after a list item continues the item.
					list[len(list)-1] += " " + line
				} else {
					para = append(para, line)
				}
			}
		}
	}
	flush()
	if doc.Subject == "" || len(doc.Body) == 0 {
		return nil, fmt.Errorf("a letter needs a subject and a body")
	}
	return doc, nil
}

// Text returns the letter as plain text, paragraphs wrapped at 78 columns.
func (d *Document) Text() string {
	var b strings.Builder
	for _, l := range d.From {
		b.WriteString(l + "\n")
	}
	if len(d.To) > 0 {
		b.WriteString("\n")
		for _, l := range d.To {
			b.WriteString(strings.Repeat(" ", 40) + l + "\n")
		}
	}
	b.WriteString("\n" + strings.Repeat(" ", 40) + d.PlaceDate + "\n\n")
	b.WriteString(wrap(d.Subject, 78, "") + "\n")
	for _, bl := range d.Body {
		b.WriteString("\n")
		switch bl.Kind {
		case BlockHeading:
			b.WriteString(bl.Text + "\n" + strings.Repeat("-", min(78, len([]rune(bl.Text)))) + "\n")
		case BlockParagraph:
			b.WriteString(wrap(bl.Text, 78, "") + "\n")
		case BlockList:
			for _, it := range bl.Items {
				b.WriteString(wrap("- "+it, 78, "  ") + "\n")
			}
		}
	}
	if len(d.Signature) > 0 {
		b.WriteString("\n")
		for _, l := range d.Signature {
			b.WriteString(strings.Repeat(" ", 40) + l + "\n")
		}
	}
	return b.String()
}

// NotesText is the sender's notes as plain text, for the sender's screen
// (the command line writes them to the standard error); they are never
// part of the letter's text, PDF or ODT.
func (d *Document) NotesText() string {
	if len(d.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(tr(d.Lang, "À l'usage de l'expéditeur (ne fait pas partie de la lettre)", "For the sender (not part of the letter)") + "\n")
	for _, n := range d.Notes {
		b.WriteString(wrap("* "+n, 78, "  ") + "\n")
	}
	return b.String()
}

// wrap breaks s into lines of at most width runes, continuation lines
// starting with indent.
func wrap(s string, width int, indent string) string {
	words := glue(strings.Fields(s))
	var b strings.Builder
	col := 0
	for i, w := range words {
		n := len([]rune(w))
		if i > 0 && col+1+n > width {
			b.WriteString("\n" + indent)
			col = len(indent)
		} else if i > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return strings.ReplaceAll(b.String(), "\x00", " ")
}

// glue keeps French high punctuation with the word before it and an opening
// guillemet with the word after it (joined by a NUL that wrap turns back
// into a space), so that a line never starts with ";" or
// "»" nor ends with "«".
func glue(ws []string) []string {
	var out []string
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if len(out) > 0 && (w == ";" || w == ":" || w == "!" || w == "?" || strings.HasPrefix(w, "»")) {
			out[len(out)-1] += "\x00" + w
			continue
		}
		if strings.HasSuffix(w, "«") && i+1 < len(ws) {
			w += "\x00" + ws[i+1]
			i++
		}
		out = append(out, w)
	}
	return out
}
