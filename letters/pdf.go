package letters

import (
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-fonts/liberation/liberationserifbold"
	"codeberg.org/go-fonts/liberation/liberationserifregular"
	"codeberg.org/go-pdf/fpdf"
)

// The PDF is set in Liberation Serif (SIL Open Font License 1.1), embedded
// from the Go module codeberg.org/go-fonts/liberation (BSD-3 for the Go
// code), which already is in the module graph through gonum/plot. It covers
// the French characters (é è ê à â ç ô û ù ï œ æ « » ’ …) and €.
const pdfFont = "LiberationSerif"

// nbsp keeps French guillemets and high punctuation with their word: fpdf
// breaks lines only at ordinary spaces.
var nbsp = strings.NewReplacer("« ", "«\u00a0", " »", "\u00a0»", " ;", "\u00a0;", " :", "\u00a0:", " ?", "\u00a0?", " !", "\u00a0!")

// WritePDF writes the letter as an A4 PDF with the font embedded (subset).
// The output is deterministic: its dates are the letter's date.
func (d *Document) WritePDF(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(pdfFont, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", liberationserifbold.TTF)
	date := time.Date(d.Date.Year, d.Date.Month, d.Date.Day, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(d.Title, true)
	pdf.SetSubject(d.Subject, true)
	pdf.SetCreator("vigie", true)
	pdf.SetProducer("vigie", true)
	if d.Lang == "en" {
		pdf.SetLang("en-GB")
	} else {
		pdf.SetLang("fr-FR")
	}
	pdf.SetMargins(22, 20, 22)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont(pdfFont, "", 8)
		pdf.CellFormat(0, 5, strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	const lh = 5.2 // line height, mm
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right
	half := left + width/2

	pdf.SetFont(pdfFont, "", 11)
	for _, l := range d.From {
		pdf.MultiCell(width/2, lh, nbsp.Replace(l), "", "L", false)
	}
	pdf.Ln(6)
	block := func(ls []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont(pdfFont, style, 11)
		for _, l := range ls {
			pdf.SetX(half)
			pdf.MultiCell(width/2, lh, nbsp.Replace(l), "", "L", false)
		}
	}
	block(d.To, false)
	pdf.Ln(6)
	block([]string{d.PlaceDate}, false)
	pdf.Ln(8)
	pdf.SetFont(pdfFont, "B", 11)
	pdf.MultiCell(width, lh, nbsp.Replace(d.Subject), "", "L", false)
	pdf.Ln(4)
	bullets := func(items []string, size float64) {
		pdf.SetFont(pdfFont, "", size)
		for _, it := range items {
			pdf.SetLeftMargin(left + 6)
			pdf.SetX(left + 1)
			pdf.CellFormat(5, lh, "•", "", 0, "L", false, 0, "")
			pdf.MultiCell(width-6, lh, nbsp.Replace(it), "", "J", false)
			pdf.SetLeftMargin(left)
			pdf.Ln(0.8)
		}
	}
	for _, bl := range d.Body {
		switch bl.Kind {
		case BlockHeading:
			pdf.Ln(2)
			pdf.SetFont(pdfFont, "B", 11.5)
			pdf.MultiCell(width, lh+0.4, nbsp.Replace(bl.Text), "", "L", false)
			pdf.Ln(1.5)
		case BlockParagraph:
			pdf.SetFont(pdfFont, "", 11)
			pdf.MultiCell(width, lh, nbsp.Replace(bl.Text), "", "J", false)
			pdf.Ln(2.5)
		case BlockList:
			bullets(bl.Items, 11)
			pdf.Ln(1.7)
		}
	}
	pdf.Ln(4)
	block(d.Signature, false)
	return pdf.Output(w)
}
