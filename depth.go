package vigie

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// nestingLine returns the 1-based line at which the nesting of the YAML or
// JSON text b goes deeper than max, or 0 when it never does. It reads b once
// with no allocation beyond a small stack, so that a file nested thousands
// deep is refused before a parser builds its tree.
//
// The depth of a line is the number of block levels open at its start
// (indentations deeper than the previous one, plus each "- " or "? " that
// opens an entry on the line) plus the flow collections ([ and {) open at
// that point. Quoted strings, comments and block scalars (| and >) are
// skipped. It may count a level that a YAML parser would not (a bracket in
// a plain scalar), never fewer, which is enough for a bound far above what
// a system file needs.
func nestingLine(b []byte, max int) int {
	var indents [64]int // block indentation stack; only its depth matters past 64
	depth := 0          // block depth
	flow := 0           // flow depth
	quote := byte(0)    // open quote, across lines
	scalarIndent := -1  // indentation of the line that opened a block scalar
	line := 0
	for len(b) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			l, b = b, nil
		}
		ind := 0
		for ind < len(l) && l[ind] == ' ' {
			ind++
		}
		rest := l[ind:]
		blank := len(bytes.TrimSpace(rest)) == 0
		if scalarIndent >= 0 {
			if blank || ind > scalarIndent {
				continue // content of a block scalar
			}
			scalarIndent = -1
		}
		i := 0
		d := depth // depth at this point of the line
		if quote == 0 && flow == 0 {
			if blank || rest[0] == '#' {
				continue
			}
			for depth > 0 && indents[min(depth, len(indents))-1] > ind {
				depth--
			}
			if depth == 0 || indents[min(depth, len(indents))-1] < ind {
				if depth < len(indents) {
					indents[depth] = ind
				}
				depth++
			}
			// Entries opened on the same line: "- - x", "- ? x". The
			// next line, indented further, opens its own level.
			d = depth
			for i < len(rest) && (rest[i] == '-' || rest[i] == '?') && (i+1 == len(rest) || rest[i+1] == ' ' || rest[i+1] == '\t') {
				d++
				i++
				for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t') {
					i++
				}
			}
			if d > max {
				return line
			}
		}
		prev := byte(' ')
		for ; i < len(rest); i++ {
			c := rest[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote:
					if quote == '\'' && i+1 < len(rest) && rest[i+1] == '\'' {
						i++
					} else {
						quote = 0
					}
				}
				prev = c
				continue
			}
			switch c {
			case '"', '\'':
				if flow > 0 || prev == ' ' || prev == ':' || prev == '-' || prev == '[' || prev == '{' || prev == ',' || prev == '\t' {
					quote = c
				}
			case '#':
				if prev == ' ' || prev == '\t' {
					i = len(rest)
					continue
				}
			case '[', '{':
				if flow > 0 || prev == ' ' || prev == '\t' || prev == ':' || prev == '-' {
					flow++
					if d+flow > max {
						return line
					}
				}
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case '|', '>':
				if flow == 0 && (prev == ' ' || prev == '\t') && isBlockScalarHeader(rest[i+1:]) {
					scalarIndent = ind
					i = len(rest)
					continue
				}
			}
			if c != ' ' && c != '\t' {
				prev = c
			} else {
				prev = ' '
			}
		}
	}
	return 0
}

// isBlockScalarHeader reports whether what follows | or > on a line is a
// block scalar header: indicators (digits, + or -), then nothing but a comment.
func isBlockScalarHeader(s []byte) bool {
	i := 0
	for i < len(s) && (s[i] == '+' || s[i] == '-' || (s[i] >= '1' && s[i] <= '9')) {
		i++
	}
	s = bytes.TrimLeft(s[i:], " \t")
	return len(s) == 0 || s[0] == '#'
}

// invalidUTF8Line returns the 1-based line and column (in bytes) of the
// first byte of b that is not UTF-8, or 0, 0.
func invalidUTF8Line(b []byte) (line, col int) {
	line, start := 1, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c == '\n' {
			line, start = line+1, i+1
			i++
			continue
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return line, i - start + 1
		}
		i += n
	}
	return 0, 0
}

// Text encodings a system file may be read from.
const (
	EncodingUTF8        = "utf-8"
	EncodingWindows1252 = "windows-1252"
)

// DecodeSystemFile returns the text of a system file in UTF-8: b itself
// (its byte order mark removed) when encoding is "" or utf-8, b decoded
// from Windows-1252 (which includes Latin-1's printable characters) when
// the user asked for it. Any other encoding is an EINVALID *Error.
func DecodeSystemFile(b []byte, encoding string) ([]byte, error) {
	switch encoding {
	case "", EncodingUTF8, "utf8", "UTF-8":
		return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), nil
	case EncodingWindows1252, "cp1252", "latin1", "latin-1", "iso-8859-1", "Windows-1252":
		out, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return nil, &Error{Code: EINVALID, Err: err, Message: fmt.Sprintf("décodage Windows-1252 impossible / cannot decode Windows-1252: %v", err)}
		}
		return out, nil
	}
	return nil, &Error{Code: EINVALID, Field: "encoding", Message: fmt.Sprintf("encodage %q inconnu (utf-8, windows-1252) / unknown encoding %q (utf-8, windows-1252)", Clip(encoding, 40), Clip(encoding, 40))}
}
