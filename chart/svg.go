package chart

import (
	"html"
	"strconv"
	"strings"
)

// SVG returns the chart as an inline SVG element: role="img", a <title>
// and a <desc> that screen readers announce, no script and no style
// attribute (pages forbid them), every text escaped. It scales to the
// width of its container.
func (c *Chart) SVG() string {
	l := c.lay()
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg"`)
	titleID, descID := "", ""
	if c.ID != "" {
		titleID, descID = c.ID+"-title", c.ID+"-desc"
		b.WriteString(` id="` + html.EscapeString(c.ID) + `" aria-labelledby="` + html.EscapeString(titleID+" "+descID) + `"`)
	} else {
		b.WriteString(` aria-label="` + html.EscapeString(c.Title) + `"`)
	}
	b.WriteString(` role="img" viewBox="0 0 ` + n(l.w) + " " + n(l.h) + `" width="100%" preserveAspectRatio="xMinYMin meet" font-family="sans-serif" font-size="12">`)
	b.WriteString("<title")
	if titleID != "" {
		b.WriteString(` id="` + html.EscapeString(titleID) + `"`)
	}
	b.WriteString(">" + html.EscapeString(c.Title) + "</title><desc")
	if descID != "" {
		b.WriteString(` id="` + html.EscapeString(descID) + `"`)
	}
	b.WriteString(">" + html.EscapeString(c.description()) + "</desc>")
	for _, s := range l.shapes {
		switch s.op {
		case 'r':
			b.WriteString(`<rect x="` + n(s.x) + `" y="` + n(s.y) + `" width="` + n(s.w) + `" height="` + n(s.h) + `" fill="` + safeColour(s.fill) + `"/>`)
		case 'l':
			b.WriteString(`<line x1="` + n(s.x) + `" y1="` + n(s.y) + `" x2="` + n(s.w) + `" y2="` + n(s.h) + `" stroke="` + safeColour(s.stroke) + `" stroke-width="` + n(s.sw) + `"/>`)
		case 'c':
			b.WriteString(`<circle cx="` + n(s.x) + `" cy="` + n(s.y) + `" r="` + n(s.r) + `" fill="` + safeColour(s.fill) + `"/>`)
		case 'p':
			var pts []string
			for i := 0; i+1 < len(s.pts); i += 2 {
				pts = append(pts, n(s.pts[i])+","+n(s.pts[i+1]))
			}
			b.WriteString(`<polygon points="` + strings.Join(pts, " ") + `" fill="` + safeColour(s.fill) + `"/>`)
		case 't':
			b.WriteString(`<text x="` + n(s.x) + `" y="` + n(s.y) + `"`)
			switch s.anchor {
			case 'm':
				b.WriteString(` text-anchor="middle"`)
			case 'e':
				b.WriteString(` text-anchor="end"`)
			}
			if s.size != 12 {
				b.WriteString(` font-size="` + n(s.size) + `"`)
			}
			if s.bold {
				b.WriteString(` font-weight="bold"`)
			}
			b.WriteString(` fill="` + safeColour(s.fill) + `">` + html.EscapeString(s.text) + `</text>`)
		}
	}
	b.WriteString("</svg>")
	return b.String()
}

// TableHTML returns the chart's figures as an HTML table with the chart's
// title as caption: the fallback for readers who cannot see the picture.
func (c *Chart) TableHTML() string {
	head, rows := c.Table()
	var b strings.Builder
	b.WriteString("<table><caption>" + html.EscapeString(c.Title) + "</caption><thead><tr>")
	for _, h := range head {
		b.WriteString(`<th scope="col">` + html.EscapeString(h) + "</th>")
	}
	b.WriteString("</tr></thead><tbody>")
	for _, r := range rows {
		b.WriteString("<tr>")
		for i, v := range r {
			if i == 0 {
				b.WriteString(`<th scope="row">` + html.EscapeString(v) + "</th>")
			} else {
				b.WriteString("<td>" + html.EscapeString(v) + "</td>")
			}
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// n writes a coordinate with at most two decimals.
func n(x float64) string {
	return strconv.FormatFloat(float64(int64(x*100+copysign(0.5, x)))/100, 'f', -1, 64)
}

func copysign(a, x float64) float64 {
	if x < 0 {
		return -a
	}
	return a
}

// safeColour returns c if it is "#rgb" or "#rrggbb", else the default
// colour: a colour is data and never reaches an attribute unchecked.
func safeColour(c string) string {
	if (len(c) == 4 || len(c) == 7) && c[0] == '#' {
		ok := true
		for _, r := range c[1:] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				ok = false
			}
		}
		if ok {
			return c
		}
	}
	return defaultColour
}

// rgb returns the components of a colour checked by safeColour.
func rgb(c string) (int, int, int) {
	c = safeColour(c)
	if len(c) == 4 {
		c = "#" + strings.Repeat(c[1:2], 2) + strings.Repeat(c[2:3], 2) + strings.Repeat(c[3:4], 2)
	}
	v, _ := strconv.ParseUint(c[1:], 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
