// Package chart draws the charts that vigie's pages, PDFs and ODTs share:
// horizontal bars with optional confidence intervals, points with intervals
// on a linear or logarithmic axis (a forest plot), min–max range bars,
// stacked 100 % bars, and a timeline of dated events and spans.
//
// A Chart is data: rows with labels, values and colours, an axis, an
// optional shaded band and reference line. It is laid out once into a list
// of shapes; the SVG writer (for pages and ODT) and the PDF drawer (vector,
// through codeberg.org/go-pdf/fpdf) both draw that list, so a chart looks
// the same everywhere. Table gives the same figures as rows of text, for a
// fallback table next to the picture.
//
// The package is pure: no I/O, no clock. Every text in a chart is data,
// escaped when written.
package chart

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Mark is how a row's value is drawn.
type Mark int

const (
	// Bar draws a bar from the axis origin (0, or the axis minimum when 0
	// is outside it) to Value, with the interval Low–High as a whisker.
	Bar Mark = iota
	// Point draws a dot at Value with the interval Low–High as a line.
	Point
	// Range draws a bar from Low to High (a min–max range); a range of
	// zero width is drawn as a thin mark.
	Range
	// Stack draws the row's Segments end to end from the axis origin.
	Stack
)

// Chart is one chart. ID makes the ids of its title and description
// (ID+"-title", ID+"-desc"): give it when the page holds several charts.
type Chart struct {
	ID      string
	Title   string // the accessible name; callers show it as a caption too
	Desc    string // long description; empty: built from the rows' labels and notes
	Caption string // a line drawn above the plot (what the axis measures)
	Mark    Mark
	Axis    Axis
	Band    *Band    // a shaded interval behind the rows (a tolerance band)
	Ref     *float64 // a reference line (ratio 1, a threshold, today)
	Legend  []Legend
	Rows    []Row
	Lang    string // "fr" (default) or "en": decimal separator and month names of automatic ticks
	// Width is the width of the drawing in its own units (SVG pixels);
	// 0 means 720. LabelWidth and NoteWidth override the automatic
	// columns left and right of the plot.
	Width, LabelWidth, NoteWidth float64
}

// Axis is the horizontal scale. Without Min and Max (both 0) it spans the
// rows' values (from 0 for bars and stacks). Ticks without Label get one
// from the value.
type Axis struct {
	Log      bool // logarithmic scale; Min must then be > 0
	Time     bool // values are days since 1970-01-01 (see Day); ticks are dates
	Min, Max float64
	Ticks    []Tick
	NoTicks  bool   // draw no tick and no grid line (stacked shares, for instance)
	Unit     string // appended to automatic tick labels ("%", " kg")
}

// Tick is a grid line with its label.
type Tick struct {
	Value float64
	Label string
}

// Band is a shaded interval of the axis.
type Band struct {
	Low, High float64
	Fill      string // "#rrggbb"; empty: light green
}

// Legend is one entry of the legend drawn above the plot.
type Legend struct {
	Label  string
	Colour string
}

// Row is one line of the chart.
type Row struct {
	Label string
	// Value is the bar's end or the point; nil when there is none (Note
	// then says why, e.g. "undefined").
	Value *float64
	// Low and High are the interval around Value, or the range of a Range
	// row; nil when there is none.
	Low, High *float64
	Segments  []Segment // for Stack rows
	Colour    string    // "#rrggbb"; empty: dark blue
	Note      string    // written right of the plot, in the row's colour
}

// Segment is one part of a stacked bar.
type Segment struct {
	Value  float64
	Colour string
	Label  string // written inside the segment when it is wide enough
}

// V returns a pointer to x, for Row fields.
func V(x float64) *float64 { return &x }

// Day returns the axis value of a civil date for a Time axis.
func Day(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDay returns the axis value of a "YYYY-MM-DD" date.
func ParseDay(s string) (float64, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, false
	}
	return float64(t.Unix() / 86400), true
}

const (
	defaultColour = "#1d4ed8"
	textColour    = "#111827"
	gridColour    = "#d1d5db"
	refColour     = "#333333"
	bandColour    = "#e3f4e1"
)

// Table returns the chart's figures as text: a header and one row per
// chart row (label, then the note or the value with its interval, or the
// segments). It is the fallback for readers who cannot see the picture.
func (c *Chart) Table() (head []string, rows [][]string) {
	head = []string{c.tr("Élément", "Item"), c.tr("Valeur", "Value")}
	for _, r := range c.Rows {
		rows = append(rows, []string{r.Label, c.rowText(r)})
	}
	return head, rows
}

// rowText is the text of a row's figures: its note, or else its value,
// interval, range or segments.
func (c *Chart) rowText(r Row) string {
	if r.Note != "" {
		return r.Note
	}
	if c.Mark == Stack {
		var parts []string
		for _, s := range r.Segments {
			t := c.num(s.Value)
			if s.Label != "" {
				t = s.Label
			}
			parts = append(parts, t)
		}
		return strings.Join(parts, " / ")
	}
	if c.Mark == Range && r.Low != nil && r.High != nil {
		if *r.Low == *r.High {
			return c.num(*r.Low)
		}
		return c.num(*r.Low) + " – " + c.num(*r.High)
	}
	s := ""
	if r.Value != nil {
		s = c.num(*r.Value)
	}
	if r.Low != nil && r.High != nil {
		s += " [" + c.num(*r.Low) + " – " + c.num(*r.High) + "]"
	}
	return strings.TrimSpace(s)
}

// description is the chart's Desc or one built from its rows.
func (c *Chart) description() string {
	if c.Desc != "" {
		return c.Desc
	}
	sep := " : "
	if c.en() {
		sep = ": "
	}
	var parts []string
	for _, r := range c.Rows {
		parts = append(parts, r.Label+sep+c.rowText(r))
	}
	return strings.Join(parts, " ; ")
}

func (c *Chart) en() bool { return strings.HasPrefix(strings.ToLower(c.Lang), "en") }

func (c *Chart) tr(fr, en string) string {
	if c.en() {
		return en
	}
	return fr
}

// num formats a value of the axis: a date on a Time axis, otherwise a
// number with up to 3 significant decimals and the language's separator.
func (c *Chart) num(x float64) string {
	if c.Axis.Time {
		return time.Unix(int64(x)*86400, 0).UTC().Format("2006-01-02")
	}
	return formatNum(x, c.en()) + c.Axis.Unit
}

func formatNum(x float64, en bool) string {
	var s string
	switch ax := math.Abs(x); {
	case ax == 0:
		s = "0"
	case ax >= 1000 || ax == math.Trunc(ax):
		s = strconv.FormatFloat(x, 'f', 0, 64)
	case ax >= 1:
		s = strconv.FormatFloat(x, 'f', 2, 64)
	default:
		s = strconv.FormatFloat(x, 'g', 3, 64)
	}
	if strings.ContainsAny(s, ".") && !strings.ContainsAny(s, "e") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if !en {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
