package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	qr "github.com/piglig/go-qr"

	"github.com/vigie-app/vigie/chart"
	"github.com/vigie-app/vigie/testimony"
)

// The poster of a campaign: an A4 page with the public link and its QR code
// (SVG in the page, PNG and PDF to print).

// tmQR encodes the public link at error correction level Medium, which
// stands a crease or a stain on a printed poster.
func tmQR(url string) (*qr.QrCode, error) { return qr.EncodeText(url, qr.Medium) }

// tmQRSVG draws the QR code of url as an SVG of px pixels with a quiet zone
// of 4 modules, in one path of unit squares.
func tmQRSVG(url string, px int) (template.HTML, error) {
	code, err := tmQR(url)
	if err != nil {
		return "", err
	}
	n := code.Size()
	var d strings.Builder
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if code.Module(x, y) {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x+4, y+4)
			}
		}
	}
	total := n + 8
	// Every part of this SVG is made here from numbers and the escaped
	// link: nothing of the request enters it unescaped.
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="tm-qr" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		px, px, total, total, template.HTMLEscapeString("QR : "+url), total, total, d.String())
	return template.HTML(svg), nil
}

// tmPosterData is the poster page.
type tmPosterData struct {
	tmShowData
	QR      template.HTML
	Warning string // the warning of the free text, in the page's language
}

func (s *Server) tmPosterData(r *http.Request) (*tmPosterData, error) {
	d, err := s.tmShow(r)
	if err != nil {
		return nil, err
	}
	q, err := tmQRSVG(d.URL, 320)
	if err != nil {
		return nil, err
	}
	return &tmPosterData{tmShowData: *d, QR: q, Warning: testimony.Questions().FreeText.Warning.In(d.Lang)}, nil
}

func (s *Server) handleTmPoster(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmPosterData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.page(r, "", d)
	p.Title = d.C.Title
	s.render(w, r, http.StatusOK, "testimony_poster", p)
}

func (s *Server) handleTmQRSVG(w http.ResponseWriter, r *http.Request) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	svg, err := tmQRSVG(tmPublicURL(r, tc), 512)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "image/svg+xml", "qr-"+tc.ID+".svg", []byte(svg))
}

func (s *Server) handleTmQRPNG(w http.ResponseWriter, r *http.Request) {
	tc, err := s.tmCampaign(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code, err := tmQR(tmPublicURL(r, tc))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	png, err := code.ToPNGBytes(qr.NewQrCodeImgConfig(16, 4))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "image/png", "qr-"+tc.ID+".png", png)
}

// handleTmPosterPDF writes the poster as an A4 PDF: the title, the QR code
// drawn as vector squares, the link, and what is kept and what is not.
func (s *Server) handleTmPosterPDF(w http.ResponseWriter, r *http.Request) {
	d, err := s.tmShow(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := s.loc(r)
	code, err := tmQR(d.URL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	font := chart.RegisterPDFFont(pdf)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(d.C.Title, true)
	pdf.SetCreator("vigie", true)
	pdf.SetProducer("vigie", true)
	if l.Lang == "en" {
		pdf.SetLang("en-GB")
	} else {
		pdf.SetLang("fr-FR")
	}
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(false, 15)
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	width := pageW - 40
	pdf.SetFont(font, "B", 26)
	pdf.MultiCell(width, 11, l.T("tm.poster.heading"), "", "C", false)
	pdf.Ln(3)
	pdf.SetFont(font, "", 16)
	pdf.MultiCell(width, 8, d.C.Title, "", "C", false)
	pdf.Ln(6)
	// The QR code, 90 mm wide with its quiet zone.
	n := code.Size()
	side := 90.0
	mod := side / float64(n+8)
	x0, y0 := (pageW-side)/2, pdf.GetY()
	pdf.SetFillColor(0, 0, 0)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if code.Module(x, y) {
				pdf.Rect(x0+float64(x+4)*mod, y0+float64(y+4)*mod, mod, mod, "F")
			}
		}
	}
	pdf.SetY(y0 + side + 4)
	pdf.SetFont(font, "", 11)
	pdf.MultiCell(width, 5.5, d.URL, "", "C", false)
	pdf.Ln(4)
	pdf.SetFont(font, "", 12)
	for _, id := range []string{"tm.poster.who", "tm.public.kept", "tm.public.notkept", "tm.poster.until"} {
		pdf.MultiCell(width, 6, l.T(id, "Date", tmDay(l, d.C.ClosesOn), "K", d.C.MinGroup), "", "L", false)
		pdf.Ln(2)
	}
	pdf.SetFont(font, "B", 12)
	pdf.MultiCell(width, 6, testimony.Questions().FreeText.Warning.In(l.Lang), "", "L", false)
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, "application/pdf", "affiche-"+d.C.ID+".pdf", buf.Bytes())
}
