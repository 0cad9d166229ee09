package chart

import (
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
)

// PDFFont is the family that RegisterPDFFont adds: Liberation Sans (SIL
// Open Font License 1.1), embedded, with the French characters.
const PDFFont = "LiberationSans"

// RegisterPDFFont adds Liberation Sans, regular and bold, to pdf and
// returns its family name for DrawPDF. Calling it again does nothing.
func RegisterPDFFont(pdf *fpdf.Fpdf) string {
	pdf.AddUTF8FontFromBytes(PDFFont, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(PDFFont, "B", liberationsansbold.TTF)
	return PDFFont
}

// Size returns the height the chart takes when drawn w wide, in the
// document's unit.
func (c *Chart) Size(w float64) float64 {
	l := c.lay()
	return l.h * w / l.w
}

// DrawPDF draws the chart as vector graphics with its top-left corner at
// (x, y), w wide (in the document's unit, millimetres for vigie), in the
// font family (see RegisterPDFFont), and returns the height it took. The
// document's colours, line width and font are restored afterwards.
func (c *Chart) DrawPDF(pdf *fpdf.Fpdf, x, y, w float64, family string) float64 {
	l := c.lay()
	k := w / l.w
	ptPerUnit := pdf.GetConversionRatio() // fpdf sizes fonts in points
	fr, fg, fb := pdf.GetFillColor()
	dr, dg, db := pdf.GetDrawColor()
	tr, tg, tb := pdf.GetTextColor()
	lw := pdf.GetLineWidth()
	fam, style := pdf.GetFontFamily(), pdf.GetFontStyle()
	size, _ := pdf.GetFontSize()
	defer func() {
		pdf.SetFillColor(fr, fg, fb)
		pdf.SetDrawColor(dr, dg, db)
		pdf.SetTextColor(tr, tg, tb)
		pdf.SetLineWidth(lw)
		if fam != "" {
			pdf.SetFont(fam, style, size)
		}
	}()
	X := func(v float64) float64 { return x + v*k }
	Y := func(v float64) float64 { return y + v*k }
	for _, s := range l.shapes {
		switch s.op {
		case 'r':
			pdf.SetFillColor(rgb(s.fill))
			pdf.Rect(X(s.x), Y(s.y), s.w*k, s.h*k, "F")
		case 'l':
			pdf.SetDrawColor(rgb(s.stroke))
			pdf.SetLineWidth(s.sw * k)
			pdf.Line(X(s.x), Y(s.y), X(s.w), Y(s.h))
		case 'c':
			pdf.SetFillColor(rgb(s.fill))
			pdf.Circle(X(s.x), Y(s.y), s.r*k, "F")
		case 'p':
			var pts []fpdf.PointType
			for i := 0; i+1 < len(s.pts); i += 2 {
				pts = append(pts, fpdf.PointType{X: X(s.pts[i]), Y: Y(s.pts[i+1])})
			}
			pdf.SetFillColor(rgb(s.fill))
			pdf.Polygon(pts, "F")
		case 't':
			st := ""
			if s.bold {
				st = "B"
			}
			pdf.SetFont(family, st, s.size*k*ptPerUnit)
			pdf.SetTextColor(rgb(s.fill))
			tx := X(s.x)
			switch s.anchor {
			case 'm':
				tx -= pdf.GetStringWidth(s.text) / 2
			case 'e':
				tx -= pdf.GetStringWidth(s.text)
			}
			pdf.Text(tx, Y(s.y), s.text)
		}
	}
	return l.h * k
}
