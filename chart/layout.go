package chart

import (
	"math"
	"time"
	"unicode/utf8"
)

// shape is one primitive of a laid-out chart, in the chart's units (SVG
// pixels, y downwards). Both writers draw the same shapes.
type shape struct {
	op         byte    // 'r' rect, 'l' line, 'c' circle, 't' text, 'p' polygon
	x, y, w, h float64 // rect; line from (x, y) to (w, h); circle centre (x, y); text baseline (x, y)
	r          float64 // circle radius
	pts        []float64
	text       string
	anchor     byte // text: 's' start, 'm' middle, 'e' end
	size       float64
	bold       bool
	fill       string
	stroke     string
	sw         float64 // stroke width
}

// layout is a chart laid out: its size and shapes.
type layout struct {
	w, h   float64
	shapes []shape
}

const (
	labelSize = 12.0
	noteSize  = 11.0
	tickSize  = 10.0
	charW     = 0.56 // average advance of a sans-serif character, in em
)

func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charW
}

// fit shortens s with an ellipsis so that it fits in w at size.
func fit(s string, size, w float64) string {
	n := int(w / (size * charW))
	if n < 4 {
		n = 4
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// scale maps axis values to x.
type scale struct {
	log, time bool
	min, max  float64
	x0, x1    float64
}

func (s scale) at(v float64) float64 {
	v = math.Max(s.min, math.Min(s.max, v))
	if s.max == s.min {
		return s.x0
	}
	if s.log {
		return s.x0 + (s.x1-s.x0)*(math.Log(v)-math.Log(s.min))/(math.Log(s.max)-math.Log(s.min))
	}
	return s.x0 + (s.x1-s.x0)*(v-s.min)/(s.max-s.min)
}

func (s scale) in(v float64) bool { return v >= s.min && v <= s.max }

// domain returns the axis span: the caller's, or one that holds every
// value of the rows, the band and the reference line.
func (c *Chart) domain() (lo, hi float64) {
	if c.Axis.Min != 0 || c.Axis.Max != 0 {
		return c.Axis.Min, c.Axis.Max
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	add := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) || (c.Axis.Log && v <= 0) {
			return
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, r := range c.Rows {
		for _, p := range []*float64{r.Value, r.Low, r.High} {
			if p != nil {
				add(*p)
			}
		}
		if c.Mark == Stack {
			sum := 0.0
			for _, s := range r.Segments {
				sum += s.Value
			}
			add(sum)
		}
	}
	if c.Band != nil {
		add(c.Band.Low)
		add(c.Band.High)
	}
	if c.Ref != nil {
		add(*c.Ref)
	}
	for _, t := range c.Axis.Ticks {
		add(t.Value)
	}
	if math.IsInf(lo, 1) {
		lo, hi = 0, 1
	}
	switch {
	case c.Axis.Log:
		lo, hi = math.Pow(10, math.Floor(math.Log10(lo))), math.Pow(10, math.Ceil(math.Log10(hi)))
		if lo == hi {
			hi = lo * 10
		}
	case c.Axis.Time:
		a, b := dayTime(lo), dayTime(hi)
		lo = Day(a.Year(), a.Month(), 1)
		b = time.Date(b.Year(), b.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		hi = Day(b.Year(), b.Month(), 1)
	default:
		if (c.Mark == Bar || c.Mark == Stack) && lo > 0 {
			lo = 0
		}
		if hi <= 0 && lo < 0 && (c.Mark == Bar || c.Mark == Stack) {
			hi = 0
		}
		if lo == hi {
			hi = lo + 1
		}
		step := niceStep((hi - lo) / 5)
		lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	}
	return lo, hi
}

func dayTime(d float64) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x*0.999 {
			return m * p
		}
	}
	return 10 * p
}

var monthsFR = []string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}

// ticks returns the caller's ticks, labelled, or automatic ones.
func (c *Chart) ticks(s scale) []Tick {
	if c.Axis.NoTicks {
		return nil
	}
	label := func(v float64) string {
		if c.Axis.Time {
			t := dayTime(v)
			if c.en() {
				return t.Format("Jan 2006")
			}
			return monthsFR[t.Month()-1] + " " + t.Format("2006")
		}
		return formatNum(v, c.en()) + c.Axis.Unit
	}
	if len(c.Axis.Ticks) > 0 {
		out := make([]Tick, len(c.Axis.Ticks))
		for i, t := range c.Axis.Ticks {
			if t.Label == "" {
				t.Label = label(t.Value)
			}
			out[i] = t
		}
		return out
	}
	var vs []float64
	switch {
	case s.log:
		for p := math.Floor(math.Log10(s.min)); p <= math.Ceil(math.Log10(s.max)); p++ {
			for _, m := range []float64{1, 2, 5} {
				if v := m * math.Pow(10, p); s.in(v) {
					vs = append(vs, v)
				}
			}
		}
	case s.time:
		a, b := dayTime(s.min), dayTime(s.max)
		months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month())
		step := 1
		for months/step > 6 {
			step++
		}
		for t := a; !t.After(b); t = time.Date(t.Year(), t.Month()+time.Month(step), 1, 0, 0, 0, 0, time.UTC) {
			vs = append(vs, Day(t.Year(), t.Month(), 1))
		}
	default:
		step := niceStep((s.max - s.min) / 5)
		for v := math.Ceil(s.min/step) * step; v <= s.max+step*1e-9; v += step {
			vs = append(vs, math.Round(v/step)*step)
		}
	}
	out := make([]Tick, len(vs))
	for i, v := range vs {
		out[i] = Tick{Value: v, Label: label(v)}
	}
	return out
}

// lay lays the chart out.
func (c *Chart) lay() layout {
	W := c.Width
	if W <= 0 {
		W = 720
	}
	var sh []shape
	text := func(x, y float64, s string, size float64, anchor byte, fill string, bold bool) {
		sh = append(sh, shape{op: 't', x: x, y: y, text: s, size: size, anchor: anchor, fill: fill, bold: bold})
	}
	// Columns: labels left of the plot, notes right of it.
	labelW := c.LabelWidth
	if labelW <= 0 {
		for _, r := range c.Rows {
			labelW = math.Max(labelW, textWidth(r.Label, labelSize))
		}
		labelW = math.Min(math.Max(labelW+12, 60), W*0.38)
	}
	noteW := c.NoteWidth
	if noteW <= 0 {
		noteW = 0
		for _, r := range c.Rows {
			if r.Note != "" {
				noteW = math.Max(noteW, textWidth(r.Note, noteSize)+10)
			}
		}
		noteW = math.Min(noteW, W*0.3)
	}
	lo, hi := c.domain()
	s := scale{log: c.Axis.Log, time: c.Axis.Time, min: lo, max: hi, x0: labelW, x1: W - noteW - 10}
	y := 6.0
	if len(c.Legend) > 0 {
		x := s.x0
		for _, l := range c.Legend {
			sh = append(sh, shape{op: 'r', x: x, y: y, w: 14, h: 14, fill: colour(l.Colour)})
			text(x+20, y+12, l.Label, labelSize, 's', textColour, false)
			x += 20 + textWidth(l.Label, labelSize) + 24
		}
		y += 24
	}
	if c.Caption != "" {
		text(s.x0, y+12, fit(c.Caption, noteSize, W-s.x0), noteSize, 's', textColour, false)
		y += 20
	}
	rowH, barH := 30.0, 20.0
	if c.Mark == Point {
		rowH = 24
	}
	top := y + 8
	bottom := top + rowH*float64(len(c.Rows))
	ticks := c.ticks(s)
	if c.Band != nil {
		fill := c.Band.Fill
		if fill == "" {
			fill = bandColour
		}
		a, b := s.at(c.Band.Low), s.at(c.Band.High)
		sh = append(sh, shape{op: 'r', x: a, y: top - 6, w: b - a, h: bottom - top + 12, fill: fill})
	}
	refDrawn := false
	for _, t := range ticks {
		if !s.in(t.Value) {
			continue
		}
		col := gridColour
		if c.Ref != nil && t.Value == *c.Ref {
			col, refDrawn = refColour, true
		}
		x := s.at(t.Value)
		sh = append(sh, shape{op: 'l', x: x, y: top - 6, w: x, h: bottom + 6, stroke: col, sw: 1})
		text(x, bottom+18, t.Label, tickSize, 'm', textColour, false)
	}
	if c.Ref != nil && !refDrawn && s.in(*c.Ref) {
		x := s.at(*c.Ref)
		sh = append(sh, shape{op: 'l', x: x, y: top - 6, w: x, h: bottom + 6, stroke: refColour, sw: 1.5})
	}
	origin := 0.0
	if c.Axis.Log || !s.in(0) {
		origin = s.min
	}
	for i, r := range c.Rows {
		y := top + rowH*float64(i)
		cy := y + rowH/2
		col := colour(r.Colour)
		text(s.x0-8, cy+4, fit(r.Label, labelSize, s.x0-12), labelSize, 'e', textColour, false)
		switch c.Mark {
		case Bar:
			if r.Value != nil {
				a, b := s.at(origin), s.at(*r.Value)
				if b < a {
					a, b = b, a
				}
				sh = append(sh, shape{op: 'r', x: a, y: cy - barH/2, w: math.Max(b-a, 1), h: barH, fill: col})
			}
			if r.Low != nil && r.High != nil {
				a, b := s.at(*r.Low), s.at(*r.High)
				sh = append(sh, shape{op: 'l', x: a, y: cy, w: b, h: cy, stroke: textColour, sw: 1.5},
					shape{op: 'l', x: a, y: cy - 5, w: a, h: cy + 5, stroke: textColour, sw: 1.5},
					shape{op: 'l', x: b, y: cy - 5, w: b, h: cy + 5, stroke: textColour, sw: 1.5})
			}
		case Point:
			if r.Low != nil && r.High != nil {
				sh = append(sh, shape{op: 'l', x: s.at(*r.Low), y: cy, w: s.at(*r.High), h: cy, stroke: col, sw: 2})
			}
			if r.Value != nil {
				v := *r.Value
				x := s.at(v)
				sh = append(sh, shape{op: 'c', x: x, y: cy, r: 4, fill: col})
				if v < s.min {
					sh = append(sh, shape{op: 'p', pts: []float64{x - 2, cy - 11, x + 6, cy - 15, x + 6, cy - 7}, fill: col})
				} else if v > s.max {
					sh = append(sh, shape{op: 'p', pts: []float64{x + 2, cy - 11, x - 6, cy - 15, x - 6, cy - 7}, fill: col})
				}
			}
		case Range:
			if r.Low != nil && r.High != nil {
				a, b := s.at(*r.Low), s.at(*r.High)
				if b-a < 3 {
					m := (a + b) / 2
					a, b = m-1.5, m+1.5
				}
				sh = append(sh, shape{op: 'r', x: a, y: cy - barH/2, w: b - a, h: barH, fill: col})
			}
			if r.Value != nil {
				x := s.at(*r.Value)
				sh = append(sh, shape{op: 'l', x: x, y: cy - barH/2 - 3, w: x, h: cy + barH/2 + 3, stroke: textColour, sw: 2})
			}
		case Stack:
			x := s.at(origin)
			acc := origin
			for j, seg := range r.Segments {
				acc += seg.Value
				nx := s.at(acc)
				sh = append(sh, shape{op: 'r', x: x, y: cy - barH/2, w: nx - x, h: barH, fill: colour(seg.Colour)})
				if seg.Label != "" && nx-x >= textWidth(seg.Label, labelSize)+12 {
					if j == 0 {
						text(x+6, cy+5, seg.Label, labelSize, 's', "#ffffff", false)
					} else {
						text(nx-6, cy+5, seg.Label, labelSize, 'e', "#ffffff", false)
					}
				}
				x = nx
			}
		}
		if r.Note != "" {
			text(s.x1+8, cy+4, fit(r.Note, noteSize, W-s.x1-8), noteSize, 's', noteColour(r.Colour), false)
		}
	}
	h := bottom + 8
	if len(ticks) > 0 {
		h = bottom + 26
	}
	return layout{w: W, h: h, shapes: sh}
}

func colour(c string) string {
	if c == "" {
		return defaultColour
	}
	return c
}

// noteColour is the row's colour for its note, or the text colour.
func noteColour(c string) string {
	if c == "" {
		return textColour
	}
	return c
}
