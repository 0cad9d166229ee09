package audit

import (
	"strconv"
	"strings"
)

// The options the command line and the web form both take as text: one
// reading of each, so that they accept the same things.

// ParseDelimiter reads a delimiter: "" (detect), ",", ";", "|", "tab" or
// "space" (runs of spaces and tabs). ok is false for anything else.
func ParseDelimiter(s string) (r rune, ok bool) {
	switch s {
	case "":
		return 0, true
	case ",", ";", "|":
		return rune(s[0]), true
	case "tab", "\\t", "\t":
		return '\t', true
	case "space", " ", "whitespace":
		return ' ', true
	}
	return 0, false
}

// ParseEncoding reads an encoding: "" (detect), "utf-8" or "windows-1252"
// (any case; "utf8", "cp1252" and "latin-1" too).
func ParseEncoding(s string) (enc string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return "", true
	case "utf-8", "utf8":
		return "utf-8", true
	case "windows-1252", "cp1252", "latin-1", "latin1", "iso-8859-1":
		return "windows-1252", true
	}
	return "", false
}

// ParseRecode reads "attribute=value:new,value:new,*:other". When ok is
// false, bad is the pair at fault, or "" when the whole is not of that
// shape.
func ParseRecode(s string) (attr string, m map[string]string, bad string, ok bool) {
	attr, spec, found := strings.Cut(s, "=")
	if !found || attr == "" || spec == "" {
		return "", nil, "", false
	}
	m = map[string]string{}
	for _, pair := range strings.Split(spec, ",") {
		from, to, found := strings.Cut(pair, ":")
		if !found {
			return "", nil, pair, false
		}
		m[from] = to
	}
	return attr, m, "", true
}

// ParseCut reads "attribute=25,40": the bounds of the bands of a numeric
// column, increasing. When ok is false, bad is the bound at fault, or ""
// when the whole is not of that shape.
func ParseCut(s string) (attr string, cuts []float64, bad string, ok bool) {
	attr, spec, found := strings.Cut(s, "=")
	if !found || attr == "" || spec == "" {
		return "", nil, "", false
	}
	for _, b := range strings.Split(spec, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err != nil || len(cuts) > 0 && x <= cuts[len(cuts)-1] {
			return "", nil, b, false
		}
		cuts = append(cuts, x)
	}
	return attr, cuts, "", true
}
