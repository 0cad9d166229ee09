package audit

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"math/bits"
)

// dialect is the lexical form of a CSV input.
type dialect struct {
	delim byte
	ws    bool // fields are runs of non-blank bytes; no quoting
	trim  [256]bool
}

func newDialect(delim byte) *dialect {
	d := &dialect{delim: delim, ws: delim == ' '}
	d.trim[' '] = true
	d.trim['\r'] = true
	d.trim['\t'] = delim != '\t'
	return d
}

// The two CSV readers below implement the same grammar, and the tests and
// the fuzz target check that they agree:
//
//   - records end at '\n' outside quotes; a record whose only field is
//     unquoted and empty (a blank line) is skipped;
//   - leading and trailing spaces, tabs (unless tab is the delimiter) and
//     '\r' around an unquoted field are dropped;
//   - a field whose first non-blank byte is '"' is quoted: it runs to the
//     next '"' not followed by another '"' ("" stands for "), may contain
//     delimiters and newlines, and ends at the end of input if unterminated;
//     bytes after the closing quote up to the delimiter are kept, right-trimmed;
//   - a '"' anywhere else is an ordinary byte;
//   - in whitespace mode (delimiter ' '), fields are the runs of bytes other
//     than space, tab and '\r'; quotes are ordinary bytes; a line without a
//     field is skipped.

// fastParser parses blocks that start and end at record boundaries. It only
// materialises the fields the plan uses and skips the rest of a record with
// one IndexByte when the rest holds no quote.
type fastParser struct {
	d       *dialect
	p       *plan
	a       *acc
	vals    [][]byte
	scratch [][]byte
	dmask   uint64
}

func newFastParser(d *dialect, p *plan, a *acc) *fastParser {
	return &fastParser{d: d, p: p, a: a, vals: make([][]byte, p.nSlot), scratch: make([][]byte, p.nSlot), dmask: lsb * uint64(d.delim)}
}

// parse counts the records of b and returns the number of lines it spans.
// plain says that b holds no quote at all.
func (f *fastParser) parse(b []byte, plain bool) int64 {
	if f.d.ws {
		return f.parseWS(b)
	}
	if plain {
		var line int64
		for p := 0; p < len(b); {
			e := bytes.IndexByte(b[p:], '\n')
			if e < 0 {
				f.simpleLine(b[p:], line)
				break
			}
			f.simpleLine(b[p:p+e], line)
			p += e + 1
			line++
		}
		return line
	}
	d := f.d
	colSlot := f.p.colSlot
	maxCol := f.p.maxCol
	var line int64
	p := 0
	n := len(b)
	for p < n {
		recLine := line
		// common case: a line without quotes
		if e := bytes.IndexByte(b[p:], '\n'); e >= 0 || p < n {
			end := n
			if e >= 0 {
				end = p + e
			}
			if bytes.IndexByte(b[p:end], '"') < 0 {
				f.simpleLine(b[p:end], recLine)
				p = end + 1
				if e >= 0 {
					line++
				}
				continue
			}
		}
		nf := 0
		firstEmpty, firstQuoted := false, false
		for col := 0; ; col++ {
			for p < n && d.trim[b[p]] {
				p++
			}
			slot := -1
			if col <= maxCol {
				slot = colSlot[col]
			}
			var val []byte
			quoted := false
			if p < n && b[p] == '"' {
				quoted = true
				var nl int64
				val, p, nl = f.quoted(b, p, slot)
				line += nl
			} else {
				s := p
				p = f.stop(b, p)
				if slot >= 0 || col == 0 {
					e := p
					for e > s && d.trim[b[e-1]] {
						e--
					}
					val = b[s:e]
				}
			}
			if slot >= 0 {
				f.vals[slot] = val
			}
			if col == 0 {
				firstEmpty, firstQuoted = len(val) == 0, quoted
			}
			nf++
			if p >= n {
				break
			}
			if b[p] == '\n' {
				p++
				line++
				break
			}
			p++ // delimiter
			if col >= maxCol {
				rest := b[p:]
				e := bytes.IndexByte(rest, '\n')
				if e < 0 {
					e = len(rest)
				}
				if bytes.IndexByte(rest[:e], '"') < 0 {
					p += e
					if p < n {
						p++
						line++
					}
					nf = maxCol + 2
					break
				}
			}
		}
		if nf == 1 && firstEmpty && !firstQuoted {
			continue
		}
		f.a.add(f.vals, nf <= maxCol, recLine)
	}
	return line
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

const low7 = 0x7F7F7F7F7F7F7F7F

func (d *dialect) trimBoth(v []byte) []byte {
	// every trimmed byte is <= ' '
	if len(v) > 0 && v[0] > ' ' && v[len(v)-1] > ' ' {
		return v
	}
	i, j := 0, len(v)
	for i < j && d.trim[v[i]] {
		i++
	}
	for j > i && d.trim[v[j-1]] {
		j--
	}
	return v[i:j]
}

// simpleLine counts a record that is one line without any quote: the
// delimiters are found eight bytes at a time, up to the last used column.
func (f *fastParser) simpleLine(line []byte, recLine int64) {
	maxCol := f.p.maxCol
	colSlot := f.p.colSlot
	d := f.d
	dm := f.dmask
	col, s := 0, 0
	n := len(line)
	i := 0
	for ; i+8 <= n; i += 8 {
		x := binary.LittleEndian.Uint64(line[i:]) ^ dm
		t := ^(((x & low7) + low7) | x | low7) // exact: high bit set iff byte == delimiter
		for t != 0 {
			pos := i + bits.TrailingZeros64(t)>>3
			t &= t - 1
			if sl := colSlot[col]; sl >= 0 {
				f.vals[sl] = d.trimBoth(line[s:pos])
			}
			col++
			s = pos + 1
			if col > maxCol {
				f.a.add(f.vals, false, recLine)
				return
			}
		}
	}
	for ; i < n; i++ {
		if line[i] == d.delim {
			if sl := colSlot[col]; sl >= 0 {
				f.vals[sl] = d.trimBoth(line[s:i])
			}
			col++
			s = i + 1
			if col > maxCol {
				f.a.add(f.vals, false, recLine)
				return
			}
		}
	}
	last := d.trimBoth(line[s:])
	if col == 0 && len(last) == 0 {
		return // blank line
	}
	if sl := colSlot[col]; sl >= 0 {
		f.vals[sl] = last
	}
	f.a.add(f.vals, col < maxCol, recLine)
}

// stop returns the index of the first delimiter or '\n' in b[p:], or
// len(b); eight bytes at a time.
func (f *fastParser) stop(b []byte, p int) int {
	n := len(b)
	dm := f.dmask
	for p+8 <= n {
		w := binary.LittleEndian.Uint64(b[p:])
		x := w ^ dm
		y := w ^ (lsb * '\n')
		t := ((x - lsb) &^ x) | ((y - lsb) &^ y)
		if t &= msb; t != 0 {
			return p + bits.TrailingZeros64(t)>>3
		}
		p += 8
	}
	for p < n && b[p] != f.d.delim && b[p] != '\n' {
		p++
	}
	return p
}

// quoted parses the quoted field at b[p] == '"' and the bytes after its
// closing quote up to the delimiter or newline (not consumed).
func (f *fastParser) quoted(b []byte, p, slot int) (val []byte, np int, nl int64) {
	start := p
	p++
	s := p
	var buf []byte
	simple := true
	if slot >= 0 {
		buf = f.scratch[slot][:0]
	}
	for {
		i := bytes.IndexByte(b[p:], '"')
		if i < 0 {
			if simple {
				val = b[s:]
			} else {
				buf = append(buf, b[s:]...)
				val = buf
			}
			p = len(b)
			break
		}
		q := p + i
		if q+1 < len(b) && b[q+1] == '"' {
			if slot >= 0 {
				buf = append(buf, b[s:q+1]...)
			}
			simple = false
			p = q + 2
			s = p
			continue
		}
		if simple {
			val = b[s:q]
		} else {
			buf = append(buf, b[s:q]...)
			val = buf
		}
		p = q + 1
		break
	}
	nl = int64(bytes.Count(b[start:p], []byte{'\n'}))
	// bytes after the closing quote
	rs := p
	for p < len(b) && b[p] != f.d.delim && b[p] != '\n' {
		p++
	}
	re := p
	for re > rs && f.d.trim[b[re-1]] {
		re--
	}
	if re > rs && slot >= 0 {
		if simple {
			buf = append(buf[:0], val...)
		}
		buf = append(buf, b[rs:re]...)
		val = buf
	}
	if slot >= 0 && buf != nil {
		f.scratch[slot] = buf
	}
	return val, p, nl
}

func (f *fastParser) parseWS(b []byte) int64 {
	var line int64
	maxCol := f.p.maxCol
	colSlot := f.p.colSlot
	trim := &f.d.trim
	p, n := 0, len(b)
	for p < n {
		nf := 0
		for {
			for p < n && trim[b[p]] {
				p++
			}
			if p >= n || b[p] == '\n' {
				break
			}
			s := p
			for p < n && !trim[b[p]] && b[p] != '\n' {
				p++
			}
			if nf <= maxCol {
				if sl := colSlot[nf]; sl >= 0 {
					f.vals[sl] = b[s:p]
				}
			}
			nf++
		}
		recLine := line
		if p < n {
			p++
			line++
		}
		if nf == 0 {
			continue
		}
		f.a.add(f.vals, nf <= maxCol, recLine)
	}
	return line
}

// recordEnd returns the length of the longest prefix of b (which starts at a
// record boundary) that ends at a record boundary, 0 if none, and whether b
// holds no quote (or quotes do not matter).
func (d *dialect) recordEnd(b []byte) (int, bool) {
	if d.ws || bytes.IndexByte(b, '"') < 0 {
		return bytes.LastIndexByte(b, '\n') + 1, true
	}
	return d.quotedEnd(b), false
}

func (d *dialect) quotedEnd(b []byte) int {
	last := 0
	p := 0 // start of the current unquoted region
	for {
		i := bytes.IndexByte(b[p:], '"')
		if i < 0 {
			if e := bytes.LastIndexByte(b[p:], '\n'); e >= 0 {
				last = p + e + 1
			}
			return last
		}
		q := p + i
		// is this quote at the start of a field?
		k := q - 1
		for k >= 0 && d.trim[b[k]] {
			k--
		}
		if k >= 0 && b[k] != d.delim && b[k] != '\n' {
			p = q + 1 // ordinary byte
			continue
		}
		if e := bytes.LastIndexByte(b[p:q], '\n'); e >= 0 {
			last = p + e + 1
		}
		// skip the quoted content
		r := q + 1
		for {
			j := bytes.IndexByte(b[r:], '"')
			if j < 0 {
				return last // ends inside a quoted field
			}
			c := r + j
			if c+1 < len(b) && b[c+1] == '"' {
				r = c + 2
				continue
			}
			if c+1 == len(b) {
				// cannot tell "" from a closing quote yet
				return last
			}
			p = c + 1
			break
		}
	}
}

// seqParser is the careful sequential reader: one byte at a time, all
// fields materialised.
type seqParser struct {
	d      *dialect
	r      *bufio.Reader
	off    int64 // bytes consumed
	line   int64 // newlines consumed
	fields [][]byte
	nf     int
	quoted []bool
	// recStart is the offset of the current record; a record longer than
	// max sets tooLong and ends the input.
	recStart, max int64
	tooLong       bool
}

func newSeqParser(d *dialect, r io.Reader) *seqParser {
	return &seqParser{d: d, r: bufio.NewReaderSize(r, 1<<16), max: maxRecord}
}

func (s *seqParser) readByte() (byte, bool) {
	if s.tooLong {
		return 0, false
	}
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, false
	}
	s.off++
	if s.off-s.recStart > s.max {
		// memory stays bounded: a record (an unclosed quote) is cut here and
		// the reader reports it
		s.tooLong = true
		return 0, false
	}
	if c == '\n' {
		s.line++
	}
	return c, true
}

func (s *seqParser) unread() {
	_ = s.r.UnreadByte()
	s.off--
}

func (s *seqParser) field() *[]byte {
	if s.nf == len(s.fields) {
		s.fields = append(s.fields, nil)
		s.quoted = append(s.quoted, false)
	}
	s.fields[s.nf] = s.fields[s.nf][:0]
	s.quoted[s.nf] = false
	s.nf++
	return &s.fields[s.nf-1]
}

func rtrim(d *dialect, b []byte) []byte {
	for len(b) > 0 && d.trim[b[len(b)-1]] {
		b = b[:len(b)-1]
	}
	return b
}

// next reads one record (blank lines skipped). It returns false at the end
// of input. The record's first line (0-based, counting from where the
// parser started) is in line.
func (s *seqParser) next() (fields [][]byte, line int64, ok bool) {
	for {
		if s.tooLong {
			return nil, s.line, false
		}
		s.nf = 0
		line = s.line
		s.recStart = s.off
		if _, more := s.r.Peek(1); more != nil {
			return nil, line, false
		}
		if s.d.ws {
			s.readWS()
			if s.nf == 0 {
				continue
			}
			return s.fields[:s.nf], line, true
		}
		s.readCSV()
		if s.nf == 1 && len(s.fields[0]) == 0 && !s.quoted[0] {
			continue
		}
		return s.fields[:s.nf], line, true
	}
}

func (s *seqParser) readWS() {
	var cur *[]byte
	for {
		c, ok := s.readByte()
		if !ok || c == '\n' {
			return
		}
		if s.d.trim[c] {
			cur = nil
			continue
		}
		if cur == nil {
			cur = s.field()
		}
		*cur = append(*cur, c)
	}
}

func (s *seqParser) readCSV() {
	d := s.d
	for {
		f := s.field()
		// leading blanks
		c, ok := s.readByte()
		for ok && d.trim[c] {
			c, ok = s.readByte()
		}
		if !ok {
			return
		}
		if c == '"' {
			s.quoted[s.nf-1] = true
			for {
				c, ok = s.readByte()
				if !ok {
					return
				}
				if c == '"' {
					c2, ok2 := s.readByte()
					if ok2 && c2 == '"' {
						*f = append(*f, '"')
						continue
					}
					if ok2 {
						s.unread()
						if c2 == '\n' {
							s.line--
						}
					}
					break
				}
				*f = append(*f, c)
			}
			// rest after the closing quote
			base := len(*f)
			for {
				c, ok = s.readByte()
				if !ok || c == d.delim || c == '\n' {
					break
				}
				*f = append(*f, c)
			}
			*f = append((*f)[:base], rtrim(d, (*f)[base:])...)
		} else {
			for ok && c != d.delim && c != '\n' {
				*f = append(*f, c)
				c, ok = s.readByte()
			}
			*f = rtrim(d, *f)
		}
		if !ok || c == '\n' {
			return
		}
	}
}
