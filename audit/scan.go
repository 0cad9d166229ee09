package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/vigie-app/vigie"
)

const (
	defaultBlock = 1 << 20
	maxRecord    = 64 << 20
)

func (c *Config) block() int {
	if c.blockSize > 0 {
		return c.blockSize
	}
	return defaultBlock
}

// group counts: [flagged][label positive].
type cell = [2][2]int64

// tally is what a reader hands to the statistics: counts per raw value.
type tally struct {
	columns   []string
	rows      int64
	excl      [nReasons]int64
	first     [nReasons]badRef // line is absolute (1-based) here
	attrVals  [][]string       // per attribute, raw values in first-seen order
	attrCnt   [][]cell
	comboVals [][]string // per combination, the raw value of each attribute
	comboCnt  []cell
	encoding  string
	delimiter string
	reader    string
	format    string
	bytes     int64
	sha       string
	warnings  []string
	rowGroups int
}

type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if n > 0 {
		h.n += int64(n)
		if h.h != nil {
			h.h.Write(p[:n])
		}
	}
	return n, err
}

// detectEncoding says whether b is UTF-8; a rune cut at the end of a
// partial sample is not held against it.
func detectEncoding(b []byte, complete bool) string {
	if !complete {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if utf8.Valid(b) {
				return "utf-8"
			}
			if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
				break
			}
			b = b[:len(b)-1]
		}
	}
	if utf8.Valid(b) {
		return "utf-8"
	}
	return "windows-1252"
}

// detectDelimiter looks at the first two lines: the most frequent of , ; tab
// | in the first line; if there is none and both lines split into the same
// number (≥ 2) of blank-separated fields, fields are separated by blanks.
func detectDelimiter(b []byte) byte {
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	best, bestN := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		if n := bytes.Count(first, []byte{c}); n > bestN {
			best, bestN = c, n
		}
	}
	if bestN > 0 {
		return best
	}
	lines := bytes.SplitN(b, []byte{'\n'}, 3)
	if len(lines) >= 2 {
		n1 := len(bytes.Fields(lines[0]))
		n2 := len(bytes.Fields(lines[1]))
		if n1 >= 2 && n1 == n2 {
			return ' '
		}
	}
	return ','
}

func decodeCP1252(b []byte) string {
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

func (t *tally) text(b []byte) string {
	if t.encoding == "windows-1252" {
		return decodeCP1252(b)
	}
	if !utf8.Valid(b) {
		return decodeCP1252(b)
	}
	return string(b)
}

func inputName(cfg *Config) string {
	if cfg.Path != "" {
		return cfg.Path
	}
	return "entrée / input"
}

// Header is the first record of a CSV file or the schema of a Parquet file.
type Header struct {
	// Columns are the column names, decoded to UTF-8, duplicates renamed
	// "name.2", "name.3"…
	Columns []string `json:"columns"`
	// Sample holds up to 5 data rows (CSV only), for a column picker.
	Sample [][]string `json:"sample,omitempty"`
	// Delimiter and Encoding are the detected (or given) ones.
	Delimiter string   `json:"delimiter,omitempty"`
	Encoding  string   `json:"encoding,omitempty"`
	Format    string   `json:"format"`
	Warnings  []string `json:"warnings,omitempty"`
}

type prelude struct {
	d        *dialect
	columns  []string
	warnings []string
	encoding string
	rest     []byte // data bytes after the header, from the first chunk
	buf      []byte
	eof      bool
	hdrLines int64
}

// readPrelude reads the first chunk and parses the header.
// MaxColumns bounds the columns of an input file (CSV header or Parquet
// schema): an audit needs a handful, a column picker shows them all.
const MaxColumns = 1000

func readPrelude(r io.Reader, cfg *Config) (*prelude, error) {
	buf := make([]byte, cfg.block())
	n, err := io.ReadFull(r, buf)
	eof := false
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		eof = true
	} else if err != nil {
		return nil, fmt.Errorf("lecture de %s / reading %s: %w", inputName(cfg), inputName(cfg), err)
	}
	b := buf[:n]
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return nil, invalid("%s : encodage UTF-16 non pris en charge, enregistrez le fichier en UTF-8 / %s: UTF-16 is not supported, save the file as UTF-8", inputName(cfg), inputName(cfg))
	}
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, invalid("%s : fichier vide / %s: empty file", inputName(cfg), inputName(cfg))
	}
	pr := &prelude{buf: buf, eof: eof}
	pr.encoding = normEncoding(cfg.Encoding)
	if pr.encoding == "" {
		pr.encoding = detectEncoding(b, eof)
	}
	delim := byte(cfg.Delimiter)
	if cfg.Delimiter == 0 {
		delim = detectDelimiter(b)
	}
	pr.d = newDialect(delim)
	sp := newSeqParser(pr.d, bytes.NewReader(b))
	fields, _, ok := sp.next()
	if !ok {
		return nil, invalid("%s : fichier vide / %s: empty file", inputName(cfg), inputName(cfg))
	}
	if !eof && sp.off >= int64(len(b)) {
		return nil, invalid("%s : en-tête de plus de %d octets / %s: header longer than %d bytes", inputName(cfg), cfg.block(), inputName(cfg), cfg.block())
	}
	pr.hdrLines = sp.line
	if sp.off > 0 && b[sp.off-1] != '\n' {
		// header ended at end of input without a newline
		pr.hdrLines++
	}
	if len(fields) > MaxColumns {
		return nil, invalid("%s : %d colonnes dans l'en-tête, au plus %d (gardez les colonnes utiles à l'audit) / %s: %d columns in the header, at most %d (keep the columns the audit needs)",
			inputName(cfg), len(fields), MaxColumns, inputName(cfg), len(fields), MaxColumns)
	}
	seen := map[string]int{}
	for i, f := range fields {
		name := strings.TrimSpace(strings.Map(func(r rune) rune {
			if r == utf8.RuneError {
				return '?'
			}
			return r
		}, decodeAs(f, pr.encoding)))
		if name == "" {
			name = fmt.Sprintf("col%d", i+1)
		}
		seen[name]++
		if k := seen[name]; k > 1 {
			newName := fmt.Sprintf("%s.%d", name, k)
			pr.warnings = append(pr.warnings, fmt.Sprintf(
				"colonne « %s » en double (colonne %d) : renommée « %s » / duplicated column %q (column %d): renamed %q",
				name, i+1, newName, name, i+1, newName))
			name = newName
		}
		pr.columns = append(pr.columns, name)
	}
	pr.rest = b[sp.off:]
	return pr, nil
}

func decodeAs(b []byte, enc string) string {
	if enc == "windows-1252" || !utf8.Valid(b) {
		return decodeCP1252(b)
	}
	return string(b)
}

func delimName(d byte) string {
	switch d {
	case '\t':
		return "tab"
	case ' ':
		return "space"
	}
	return string(d)
}

// resolve builds the plan from the header.
func resolve(cfg *Config, columns []string) (*plan, error) {
	idx := map[string]int{}
	for i, c := range columns {
		if _, ok := idx[c]; !ok {
			idx[c] = i
		}
	}
	find := func(flag, name string) (int, error) {
		if i, ok := idx[name]; ok {
			return i, nil
		}
		list := columns
		more := ""
		if len(list) > 30 {
			list, more = list[:30], ", …"
		}
		return 0, invalid("%s : colonne %s « %s » absente de l'en-tête (colonnes : %s%s) / %s: %s column %q not in the header (columns: %s%s)",
			inputName(cfg), flag, name, strings.Join(list, ", "), more, inputName(cfg), flag, name, strings.Join(list, ", "), more)
	}
	p := &plan{cfg: cfg, nAttr: len(cfg.Groups), labelSlot: -1, combos: cfg.Intersect}
	var cols []int
	for _, g := range cfg.Groups {
		i, err := find("--group", g)
		if err != nil {
			return nil, err
		}
		cols = append(cols, i)
		p.cuts = append(p.cuts, cfg.Cut[g])
	}
	if cfg.Label != "" {
		i, err := find("--label", cfg.Label)
		if err != nil {
			return nil, err
		}
		p.labelSlot = len(cols)
		cols = append(cols, i)
	}
	i, err := find("--score", cfg.Score)
	if err != nil {
		return nil, err
	}
	p.scoreSlot = len(cols)
	cols = append(cols, i)
	p.slotCol = cols
	p.nSlot = len(cols)
	for _, c := range cols {
		if c > p.maxCol {
			p.maxCol = c
		}
	}
	p.colSlot = make([]int, p.maxCol+1)
	for i := range p.colSlot {
		p.colSlot[i] = -1
	}
	for s, c := range cols {
		if p.colSlot[c] >= 0 {
			return nil, invalid("la colonne « %s » sert deux fois (--group, --label, --score) / column %q is used twice (--group, --label, --score)", columns[c], columns[c])
		}
		p.colSlot[c] = s
	}
	toBytes := func(v []string) [][]byte {
		var out [][]byte
		for _, s := range v {
			out = append(out, []byte(s))
		}
		return out
	}
	p.missing = toBytes(cfg.Missing)
	p.positive = toBytes(cfg.Positive)
	p.labelPos = toBytes(cfg.LabelPositive)
	p.labelNeg = toBytes(cfg.LabelNegative)
	if cfg.Threshold != nil {
		p.thr, p.useThr = *cfg.Threshold, true
	}
	return p, nil
}

// encodeValues converts the user's UTF-8 values (Positive, Missing…) to the
// input's encoding so that they compare with the raw bytes.
func encodeValues(p *plan, enc string) {
	if enc != "windows-1252" {
		return
	}
	e := charmap.Windows1252.NewEncoder()
	conv := func(v [][]byte) {
		for i, b := range v {
			if out, err := e.Bytes(b); err == nil {
				v[i] = out
			}
		}
	}
	conv(p.missing)
	conv(p.positive)
	conv(p.labelPos)
	conv(p.labelNeg)
}

// scanCSV reads the whole CSV input once.
func scanCSV(ctx context.Context, r io.Reader, cfg *Config) (*tally, error) {
	var h hash.Hash
	if !cfg.NoHash {
		h = sha256.New()
	}
	hr := &hashingReader{r: r, h: h}
	pr, err := readPrelude(hr, cfg)
	if err != nil {
		return nil, err
	}
	p, err := resolve(cfg, pr.columns)
	if err != nil {
		return nil, err
	}
	encodeValues(p, pr.encoding)
	t := &tally{columns: pr.columns, encoding: pr.encoding, delimiter: delimName(pr.d.delim), format: "csv", warnings: pr.warnings}
	mode := cfg.Reader
	if mode == ReaderAuto {
		mode = ReaderParallel
		if pr.eof || cfg.Workers < 2 {
			mode = ReaderSequential
		}
	}
	t.reader = string(mode)
	var accs []*acc
	var blockLines []int64
	if mode == ReaderSequential {
		a := newAcc(p)
		src := io.MultiReader(bytes.NewReader(pr.rest), hr)
		sp := newSeqParser(pr.d, src)
		sp.max = int64(cfg.maxRecord())
		vals := make([][]byte, p.nSlot)
		var n int64
		for {
			fields, line, ok := sp.next()
			if !ok {
				break
			}
			for s, c := range p.slotCol {
				if c < len(fields) {
					vals[s] = fields[c]
				}
			}
			a.add(vals, len(fields) <= p.maxCol, line)
			if a.tooMany > 0 {
				break
			}
			if n++; n&0xFFFF == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				if cfg.Progress != nil {
					cfg.Progress(hr.n, cfg.Size)
				}
			}
		}
		if sp.tooLong {
			return nil, invalid("%s : enregistrement de plus de %d Mo (guillemet non fermé ?) / %s: record longer than %d MB (unclosed quote?)",
				inputName(cfg), maxRecord>>20, inputName(cfg), maxRecord>>20)
		}
		accs = []*acc{a}
		blockLines = []int64{0}
	} else {
		accs, blockLines, err = dispatch(ctx, hr, pr, p, cfg)
		if err != nil {
			return nil, err
		}
	}
	if err := checkTooMany(accs, cfg); err != nil {
		return nil, err
	}
	if _, err := io.Copy(io.Discard, hr); err != nil {
		return nil, fmt.Errorf("lecture de %s / reading %s: %w", inputName(cfg), inputName(cfg), err)
	}
	t.bytes = hr.n
	if h != nil {
		t.sha = hex.EncodeToString(h.Sum(nil))
	}
	// absolute line numbers: header lines + lines of earlier blocks
	starts := make([]int64, len(blockLines))
	run := pr.hdrLines
	for i, l := range blockLines {
		starts[i] = run
		run += l
	}
	for _, a := range accs {
		for i := range a.first {
			if a.first[i].set {
				a.first[i].line += starts[a.first[i].block] + 1
			}
		}
	}
	if err := merge(t, p, accs, cfg); err != nil {
		return nil, err
	}
	return t, nil
}

type job struct {
	buf   []byte
	data  []byte
	seq   int
	plain bool // no quote in data
}

// dispatch reads blocks, cuts them at the last record boundary and hands
// them to cfg.Workers parsers. Memory: a fixed pool of blocks.
func dispatch(ctx context.Context, r io.Reader, pr *prelude, p *plan, cfg *Config) ([]*acc, []int64, error) {
	nw := cfg.Workers
	nbuf := 2*nw + 2
	pool := make(chan []byte, nbuf)
	pool <- pr.buf[:cap(pr.buf)]
	for i := 1; i < nbuf; i++ {
		pool <- make([]byte, cfg.block())
	}
	work := make(chan job, nbuf)
	accs := make([]*acc, nw)
	var mu sync.Mutex
	var lines []int64
	var stop sync.Once
	stopped := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < nw; w++ {
		a := newAcc(p)
		accs[w] = a
		fp := newFastParser(pr.d, p, a)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				a.block = j.seq
				l := fp.parse(j.data, j.plain)
				mu.Lock()
				for len(lines) <= j.seq {
					lines = append(lines, 0)
				}
				lines[j.seq] = l
				mu.Unlock()
				if a.tooMany > 0 {
					stop.Do(func() { close(stopped) })
				}
				pool <- j.buf
			}
		}()
	}
	// the first buffer holds the header and the first data bytes
	cur := <-pool
	fill := copy(cur, pr.rest)
	eof := pr.eof
	seq := 0
	var rerr error
	var read int64
loop:
	for {
		for !eof && fill < len(cur) {
			n, err := r.Read(cur[fill:])
			fill += n
			read += int64(n)
			if err == io.EOF {
				eof = true
			} else if err != nil {
				rerr = err
				break loop
			}
		}
		if err := ctx.Err(); err != nil {
			rerr = err
			break
		}
		select {
		case <-stopped:
			break loop
		default:
		}
		split := fill
		plain := false
		if !eof {
			split, plain = pr.d.recordEnd(cur[:fill])
			if split == 0 {
				if len(cur) >= cfg.maxRecord() {
					rerr = invalid("%s : enregistrement de plus de %d Mo (guillemet non fermé ?) / %s: record longer than %d MB (unclosed quote?)",
						inputName(cfg), maxRecord>>20, inputName(cfg), maxRecord>>20)
					break
				}
				bigger := make([]byte, 2*len(cur))
				copy(bigger, cur[:fill])
				cur = bigger
				continue
			}
		}
		next := <-pool
		if len(next) < fill-split {
			next = make([]byte, len(cur))
		}
		left := copy(next, cur[split:fill])
		if split > 0 {
			if eof {
				plain = pr.d.ws || bytes.IndexByte(cur[:split], '"') < 0
			}
			work <- job{buf: cur, data: cur[:split], seq: seq, plain: plain}
			seq++
		} else {
			pool <- cur
		}
		cur, fill = next, left
		if cfg.Progress != nil {
			cfg.Progress(read, cfg.Size)
		}
		if eof && fill == 0 {
			break
		}
	}
	close(work)
	wg.Wait()
	if rerr != nil {
		var ve *vigie.Error
		if errors.As(rerr, &ve) || errors.Is(rerr, context.Canceled) || errors.Is(rerr, context.DeadlineExceeded) {
			return nil, nil, rerr
		}
		return nil, nil, fmt.Errorf("lecture de %s / reading %s: %w", inputName(cfg), inputName(cfg), rerr)
	}
	mu.Lock()
	defer mu.Unlock()
	for len(lines) < seq {
		lines = append(lines, 0)
	}
	return accs, lines, nil
}

// merge combines the accumulators by raw value.
func checkTooMany(accs []*acc, cfg *Config) error {
	for _, a := range accs {
		if a.tooMany > 0 {
			g := cfg.Groups[a.tooMany-1]
			return invalid("%s : la colonne de groupe « %s » a plus de %d valeurs distinctes ; est-ce bien un attribut de groupe ? (--cut pour une colonne numérique) / %s: group column %q has more than %d distinct values; is it really a group attribute? (--cut for a numeric column)",
				inputName(cfg), g, cfg.MaxGroups, inputName(cfg), g, cfg.MaxGroups)
		}
	}
	return nil
}

func merge(t *tally, p *plan, accs []*acc, cfg *Config) error {
	if err := checkTooMany(accs, cfg); err != nil {
		return err
	}
	t.attrVals = make([][]string, p.nAttr)
	t.attrCnt = make([][]cell, p.nAttr)
	index := make([]map[string]int, p.nAttr)
	for i := range index {
		index[i] = map[string]int{}
	}
	comboIdx := map[string]int{}
	for _, a := range accs {
		t.rows += a.rows
		for r := range a.excl {
			t.excl[r] += a.excl[r]
			if f := a.first[r]; f.set && (!t.first[r].set || f.line < t.first[r].line) {
				t.first[r] = f
			}
		}
		for i := range a.attrs {
			for id, v := range a.attrs[i].vals {
				k, ok := index[i][v]
				if !ok {
					k = len(t.attrVals[i])
					index[i][v] = k
					t.attrVals[i] = append(t.attrVals[i], v)
					t.attrCnt[i] = append(t.attrCnt[i], cell{})
				}
				addCell(&t.attrCnt[i][k], &a.attrs[i].cnt[id])
			}
		}
		for c, key := range a.ckeys {
			vals := make([]string, p.nAttr)
			for i := p.nAttr - 1; i >= 0; i-- {
				vals[i] = a.attrs[i].vals[key&0xFFFF]
				key >>= 16
			}
			k := strings.Join(vals, "\x00")
			j, ok := comboIdx[k]
			if !ok {
				j = len(t.comboVals)
				comboIdx[k] = j
				t.comboVals = append(t.comboVals, vals)
				t.comboCnt = append(t.comboCnt, cell{})
			}
			addCell(&t.comboCnt[j], &a.ccnt[c])
		}
	}
	// drop cut bands that stayed empty
	for i := range t.attrVals {
		if p.cuts[i] == nil {
			continue
		}
		var vs []string
		var cs []cell
		for k, c := range t.attrCnt[i] {
			if c[0][0]+c[0][1]+c[1][0]+c[1][1] > 0 {
				vs = append(vs, t.attrVals[i][k])
				cs = append(cs, c)
			}
		}
		t.attrVals[i], t.attrCnt[i] = vs, cs
	}
	return nil
}

func addCell(dst, src *cell) {
	dst[0][0] += src[0][0]
	dst[0][1] += src[0][1]
	dst[1][0] += src[1][0]
	dst[1][1] += src[1][1]
}

// ReadHeader reads the header of a CSV input (detecting delimiter and
// encoding as Run does) and up to 5 data rows, for a column picker. cfg
// may be nil; only Delimiter, Encoding and Format are used.
func ReadHeader(r io.Reader, cfg *Config) (*Header, error) {
	c := Config{}
	if cfg != nil {
		c = *cfg
	}
	if c.Format == "parquet" {
		ra, ok := r.(io.ReaderAt)
		sz, ok2 := sizeOf(r)
		if !ok || !ok2 {
			return nil, invalid("Parquet : il faut un fichier (io.ReaderAt) / Parquet needs a file (io.ReaderAt)")
		}
		return parquetHeader(ra, sz)
	}
	pr, err := readPrelude(r, &c)
	if err != nil {
		return nil, err
	}
	h := &Header{Columns: pr.columns, Delimiter: delimName(pr.d.delim), Encoding: pr.encoding, Format: "csv", Warnings: pr.warnings}
	sp := newSeqParser(pr.d, bytes.NewReader(pr.rest))
	for len(h.Sample) < 5 {
		fields, _, ok := sp.next()
		if !ok {
			break
		}
		row := make([]string, len(fields))
		for i, f := range fields {
			row[i] = decodeAs(f, pr.encoding)
		}
		h.Sample = append(h.Sample, row)
	}
	return h, nil
}
