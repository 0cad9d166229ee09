package report

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationmonoregular"
	"codeberg.org/go-fonts/liberation/liberationserifbold"
	"codeberg.org/go-fonts/liberation/liberationserifregular"
	"codeberg.org/go-pdf/fpdf"

	"github.com/vigie-app/vigie/chart"
)

// The PDF is set in Liberation Serif, as the letters are, with Liberation
// Sans for headings and charts and Liberation Mono for hashes and
// commands, all embedded (SIL Open Font License 1.1).
const (
	serif = "LiberationSerif"
	mono  = "LiberationMono"
)

// nbsp keeps French guillemets and high punctuation with their word: fpdf
// breaks lines only at ordinary spaces.
// The PDF fonts have no warning sign: it is written "(!)".
var nbsp = strings.NewReplacer("⚠", "(!)", "« ", "«\u00a0", " »", "\u00a0»", " ;", "\u00a0;", " :", "\u00a0:", " ?", "\u00a0?", " !", "\u00a0!", "n° ", "n°\u00a0")

// statusRGB are the text and background colours of a status cell, as in
// the HTML.
var statusRGB = map[string][2][3]int{
	"met": {{22, 101, 52}, {220, 252, 231}}, "unmet": {{153, 27, 27}, {254, 226, 226}}, "high": {{153, 27, 27}, {254, 226, 226}},
	"disparity": {{153, 27, 27}, {254, 226, 226}}, "unknown": {{146, 64, 14}, {254, 243, 199}}, "medium": {{146, 64, 14}, {254, 243, 199}},
	"upcoming": {{30, 64, 175}, {219, 234, 254}}, "in_progress": {{30, 64, 175}, {219, 234, 254}},
	"not_applicable": {{55, 65, 81}, {243, 244, 246}}, "low": {{55, 65, 81}, {243, 244, 246}}, "parity": {{55, 65, 81}, {243, 244, 246}},
}

// WritePDF writes the dossier as an A4 PDF: a cover with the table of
// contents and the page of each section, the sections each from a new
// page, page numbers, vector charts, bookmarks, embedded fonts. The output
// is deterministic: its dates are the dossier's date.
func (d *Dossier) WritePDF(w io.Writer) error {
	// Two passes: the first learns on which page each section starts, the
	// second writes them into the table of contents (same pagination: the
	// contents take the same room in both).
	pages, err := d.pdf(nil, nil)
	if err != nil {
		return err
	}
	_, err = d.pdf(w, pages)
	return err
}

type pdfw struct {
	size, lh float64 // body text size and line height of the section
	pdf      *fpdf.Fpdf
	sans     string
	width    float64
	left     float64
	lang     string
}

// Body text: 11 pt on 5 mm lines; the summary, read aloud from one
// page, is set tighter.
const (
	bodySize, bodyLH       = 11.0, 5.0
	summarySize, summaryLH = 9.8, 4.3
)

func (d *Dossier) pdf(w io.Writer, pages []int) ([]int, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(serif, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(serif, "B", liberationserifbold.TTF)
	pdf.AddUTF8FontFromBytes(mono, "", liberationmonoregular.TTF)
	sans := chart.RegisterPDFFont(pdf)
	date := d.Date.Time()
	if d.Date.IsZero() {
		date = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(d.Title, true)
	pdf.SetSubject(d.Subtitle, true)
	pdf.SetCreator("vigie", true)
	pdf.SetProducer("vigie", true)
	pdf.SetLang(map[bool]string{true: "en-GB", false: "fr-FR"}[d.Lang == "en"])
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	t := func(fr, en string) string { return pick(d.Lang, fr, en) }
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(sans, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 4, d.Title+" — "+t("page ", "page ")+strconv.Itoa(pdf.PageNo())+" / {nb}", "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	p := &pdfw{size: bodySize, lh: bodyLH, pdf: pdf, sans: sans, width: pageW - left - right, left: left, lang: d.Lang}

	// Cover and contents.
	pdf.AddPage()
	pdf.SetFont(sans, "B", 22)
	pdf.MultiCell(p.width, 9, nbsp.Replace(d.Title), "", "L", false)
	pdf.SetFont(sans, "", 12)
	pdf.SetTextColor(75, 85, 99)
	pdf.MultiCell(p.width, 6, nbsp.Replace(d.Subtitle), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(4)
	p.fields(d.Cover)
	pdf.Ln(6)
	pdf.SetFont(sans, "B", 14)
	pdf.CellFormat(p.width, 8, t("Sommaire", "Contents"), "B", 1, "L", false, 0, "")
	pdf.Ln(2)
	links := make([]int, len(d.Sections))
	for i, s := range d.Sections {
		links[i] = pdf.AddLink()
		pdf.SetFont(serif, "", 11)
		page := ""
		if pages != nil {
			page = strconv.Itoa(pages[i])
		}
		y := pdf.GetY()
		pdf.CellFormat(p.width-15, 7, strconv.Itoa(i+1)+". "+s.Title, "", 0, "L", false, links[i], "")
		pdf.CellFormat(15, 7, page, "", 1, "R", false, links[i], "")
		pdf.SetDrawColor(209, 213, 219)
		pdf.Line(p.left, y+7, p.left+p.width, y+7)
	}
	got := make([]int, len(d.Sections))
	for i, s := range d.Sections {
		pdf.AddPage()
		got[i] = pdf.PageNo()
		pdf.SetLink(links[i], 0, -1)
		pdf.Bookmark(s.Title, 0, 0)
		pdf.SetFont(sans, "B", 16)
		pdf.MultiCell(p.width, 8, nbsp.Replace(strconv.Itoa(i+1)+". "+s.Title), "", "L", false)
		pdf.SetDrawColor(17, 24, 39)
		pdf.SetLineWidth(0.5)
		pdf.Line(p.left, pdf.GetY()+1, p.left+p.width, pdf.GetY()+1)
		pdf.SetLineWidth(0.2)
		pdf.Ln(4)
		p.size, p.lh = bodySize, bodyLH
		if s.ID == "summary" {
			p.size, p.lh = summarySize, summaryLH
		}
		for _, bl := range s.Blocks {
			p.block(bl)
		}
		p.size, p.lh = bodySize, bodyLH
	}
	if err := pdf.Error(); err != nil {
		return nil, err
	}
	if w == nil { // the first pass only counts pages
		return got, nil
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	_, err := w.Write(buf.Bytes())
	return got, err
}

// room starts a new page unless h mm fit below the cursor.
func (p *pdfw) room(h float64) {
	_, pageH := p.pdf.GetPageSize()
	_, _, _, bottom := p.pdf.GetMargins()
	if p.pdf.GetY()+h > pageH-bottom {
		p.pdf.AddPage()
	}
}

func (p *pdfw) fields(fs []Field) {
	pdf := p.pdf
	lw := p.width * 0.32
	for _, f := range fs {
		pdf.SetFont(serif, "B", p.size)
		lines := len(pdf.SplitText(nbsp.Replace(f.Value), p.width-lw))
		p.room(float64(max(lines, 1)) * p.lh)
		y := pdf.GetY()
		pdf.MultiCell(lw, p.lh, nbsp.Replace(f.Label), "", "L", false)
		y2 := pdf.GetY()
		pdf.SetXY(p.left+lw, y)
		pdf.SetFont(serif, "", p.size)
		pdf.MultiCell(p.width-lw, p.lh, nbsp.Replace(f.Value), "", "L", false)
		pdf.SetY(max(y2, pdf.GetY()) + 0.8)
	}
}

func (p *pdfw) block(bl Block) {
	pdf := p.pdf
	switch bl.Kind {
	case Heading:
		p.room(18)
		pdf.Ln(2)
		pdf.SetFont(p.sans, "B", 12)
		pdf.MultiCell(p.width, 6, nbsp.Replace(bl.Text), "", "L", false)
		pdf.Ln(1.5)
	case Paragraph:
		if bl.Text == "" {
			return
		}
		pdf.SetFont(serif, "", p.size)
		pdf.MultiCell(p.width, p.lh, nbsp.Replace(bl.Text), "", "J", false)
		pdf.Ln(2)
	case Warning:
		pdf.SetFont(serif, "", 10)
		pdf.SetFillColor(254, 243, 199)
		pdf.MultiCell(p.width, p.lh, nbsp.Replace("⚠ "+bl.Text), "L", "L", true)
		pdf.Ln(2)
	case List:
		pdf.SetFont(serif, "", p.size)
		for _, it := range bl.Items {
			p.room(p.lh)
			pdf.SetX(p.left + 1)
			pdf.CellFormat(5, p.lh, "•", "", 0, "L", false, 0, "")
			pdf.SetLeftMargin(p.left + 6)
			pdf.MultiCell(p.width-6, p.lh, nbsp.Replace(it), "", "L", false)
			pdf.SetLeftMargin(p.left)
			pdf.Ln(0.8)
		}
		pdf.Ln(1.5)
	case Fields:
		p.fields(bl.Fields)
		pdf.Ln(2)
	case Table:
		p.table(bl.Table)
	case Figure:
		h := bl.Chart.Size(p.width)
		p.room(h + 8)
		y := pdf.GetY()
		bl.Chart.DrawPDF(pdf, p.left, y, p.width, p.sans)
		pdf.SetY(y + h + 1)
		pdf.SetFont(p.sans, "", 8.5)
		pdf.SetTextColor(75, 85, 99)
		pdf.MultiCell(p.width, 4, nbsp.Replace(bl.Chart.Title), "", "L", false)
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(3)
	}
}

// table draws a table whose rows grow with their text; the header is
// repeated on each page.
func (p *pdfw) table(t *TableData) {
	pdf := p.pdf
	const size, clh = 8.5, 3.8
	ws := make([]float64, len(t.Head))
	total := 0.0
	for i := range ws {
		ws[i] = 1
		if i < len(t.Widths) {
			ws[i] = t.Widths[i]
		}
		total += ws[i]
	}
	for i := range ws {
		ws[i] *= p.width / total
	}
	if t.Caption != "" {
		p.room(12)
		pdf.SetFont(serif, "B", 10)
		pdf.MultiCell(p.width, p.lh, nbsp.Replace(t.Caption), "", "L", false)
	}
	font := func(c Cell, head bool) {
		switch {
		case head:
			pdf.SetFont(p.sans, "B", size)
		case c.Mono:
			pdf.SetFont(mono, "", size-1)
		case c.Status != "":
			pdf.SetFont(p.sans, "B", size)
		default:
			pdf.SetFont(serif, "", size+0.5)
		}
	}
	height := func(cells []Cell, head bool) float64 {
		n := 1
		for i, c := range cells {
			if i >= len(ws) {
				break
			}
			font(c, head)
			n = max(n, len(pdf.SplitText(nbsp.Replace(c.Text), ws[i])))
			if c.Tag != "" {
				n++
			}
		}
		return float64(n)*clh + 1.6
	}
	row := func(cells []Cell, head bool) {
		h := height(cells, head)
		y := pdf.GetY()
		x := p.left
		pdf.SetDrawColor(209, 213, 219)
		for i, c := range cells {
			if i >= len(ws) {
				break
			}
			fill := false
			switch {
			case head:
				pdf.SetFillColor(243, 244, 246)
				fill = true
			case c.Status != "":
				if col, ok := statusRGB[c.Status]; ok {
					pdf.SetFillColor(col[1][0], col[1][1], col[1][2])
					pdf.SetTextColor(col[0][0], col[0][1], col[0][2])
					fill = true
				}
			}
			pdf.Rect(x, y, ws[i], h, map[bool]string{true: "FD", false: "D"}[fill])
			font(c, head)
			pdf.SetXY(x, y+0.8)
			pdf.MultiCell(ws[i], clh, nbsp.Replace(c.Text), "", "L", false)
			if c.Tag != "" {
				// The rule id, small and grey under the title.
				pdf.SetFont(p.sans, "", size-1.5)
				pdf.SetTextColor(75, 85, 99)
				pdf.SetX(x)
				pdf.MultiCell(ws[i], clh, c.Tag, "", "L", false)
			}
			pdf.SetTextColor(0, 0, 0)
			x += ws[i]
		}
		pdf.SetXY(p.left, y+h)
	}
	head := make([]Cell, len(t.Head))
	for i, h := range t.Head {
		head[i] = Cell{Text: h}
	}
	// MultiCell must not break a page inside a cell: rows are placed by hand.
	pdf.SetAutoPageBreak(false, 18)
	defer pdf.SetAutoPageBreak(true, 18)
	p.room(height(head, true) + 8)
	row(head, true)
	for _, r := range t.Rows {
		h := height(r, false)
		_, pageH := pdf.GetPageSize()
		if pdf.GetY()+h > pageH-18 {
			pdf.AddPage()
			row(head, true)
		}
		row(r, false)
	}
	pdf.Ln(3)
}
