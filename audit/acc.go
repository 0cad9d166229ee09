package audit

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"unsafe"
)

// Exclusion reasons, in the order they are checked on a row.
const (
	rShortRow = iota
	rMissingGroup
	rInvalidGroup
	rMissingLabel
	rInvalidLabel
	rMissingScore
	rInvalidScore
	nReasons
)

var reasonKey = [nReasons]string{"short row", "missing group", "invalid group", "missing label", "invalid label", "missing score", "invalid score"}

var reasonFR = [nReasons]string{"ligne trop courte", "groupe manquant", "groupe invalide", "label manquant", "label invalide", "score manquant", "score invalide"}

// plan is the resolved column layout shared by the readers.
type plan struct {
	cfg       *Config
	nAttr     int
	colSlot   []int // column index → slot, -1 when unused
	maxCol    int
	nSlot     int
	labelSlot int // -1 without label
	scoreSlot int
	slotCol   []int
	missing   [][]byte
	positive  [][]byte
	labelPos  [][]byte
	labelNeg  [][]byte
	cuts      [][]float64 // per attribute, nil when not cut
	thr       float64
	useThr    bool
	combos    bool
}

// badRef locates the first row excluded for a reason.
type badRef struct {
	set   bool
	block int   // block sequence number (parallel reader) or 0
	line  int64 // line of the record within its block (0-based), or absolute
	col   int
	val   string
}

type attrAcc struct {
	vals []string
	m    map[string]int32
	// fast maps a hash of (length, first byte, last byte) to id+1: most
	// lookups of a small attribute cost one comparison.
	fast [1024]int32
	key8 []uint64      // per id: the first 8 bytes, zero-padded
	cnt  [][2][2]int64 // [id][flagged][label positive]
}

// acc accumulates the counts of one reader goroutine.
type acc struct {
	p       *plan
	attrs   []attrAcc
	combo   map[uint64]int32
	cfast   [1024]int32 // cache of combo: hash of the key → index+1
	ckeys   []uint64
	ccnt    [][2][2]int64
	rows    int64
	excl    [nReasons]int64
	first   [nReasons]badRef
	ids     [maxIntersect]int32
	block   int
	fast    bool // addFast applies: no cut, no missing list, default labels, threshold
	tooMany int  // attribute index +1 whose values exceeded MaxGroups
}

func newAcc(p *plan) *acc {
	a := &acc{p: p, attrs: make([]attrAcc, p.nAttr)}
	for i := range a.attrs {
		if cuts := p.cuts[i]; cuts != nil {
			for _, l := range cutLabels(cuts) {
				a.attrs[i].vals = append(a.attrs[i].vals, l)
				a.attrs[i].key8 = append(a.attrs[i].key8, key8Of(l))
				a.attrs[i].cnt = append(a.attrs[i].cnt, [2][2]int64{})
			}
		}
	}
	if p.combos {
		a.combo = map[uint64]int32{}
	}
	a.fast = p.useThr && len(p.missing) == 0 && p.labelPos == nil && !p.cfg.slowAdd
	for _, c := range p.cuts {
		a.fast = a.fast && c == nil
	}
	return a
}

func cutLabels(cuts []float64) []string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	out := []string{"<= " + f(cuts[0])}
	for i := 1; i < len(cuts); i++ {
		out = append(out, "> "+f(cuts[i-1])+" & <= "+f(cuts[i]))
	}
	return append(out, "> "+f(cuts[len(cuts)-1]))
}

func (a *acc) exclude(r int, line int64, col int, v []byte) {
	a.excl[r]++
	if !a.first[r].set {
		if len(v) > 80 {
			v = v[:80]
		}
		a.first[r] = badRef{set: true, block: a.block, line: line, col: col, val: string(v)}
	}
}

func inSet(v []byte, set [][]byte) bool {
	for _, s := range set {
		if bytes.Equal(v, s) {
			return true
		}
	}
	return false
}

func (a *acc) isMissing(v []byte) bool {
	return len(v) == 0 || (len(a.p.missing) > 0 && inSet(v, a.p.missing))
}

// addFast counts a record in the common case — short known group values,
// a 0/1 label, a plain numeric score — and reports false, having changed
// nothing, for anything else, which add then handles in full.
func (a *acc) addFast(v [][]byte) bool {
	p := a.p
	var ids [maxIntersect]int32
	for i := 0; i < p.nAttr; i++ {
		x := v[i]
		n := len(x)
		if n == 0 || n > 8 || cap(x) < 8 {
			return false
		}
		at := &a.attrs[i]
		w := binary.LittleEndian.Uint64(x[:8]) & wordMask[n]
		id := at.fast[uint32((w*0x9E3779B97F4A7C15)>>54)] - 1
		if id < 0 || at.key8[id] != w || len(at.vals[id]) != n {
			return false
		}
		ids[i] = id
	}
	lab := 0
	if p.labelSlot >= 0 {
		x := v[p.labelSlot]
		if len(x) != 1 || (x[0] != '0' && x[0] != '1') {
			return false
		}
		lab = int(x[0] - '0')
	}
	f, ok := parseNum(v[p.scoreSlot])
	if !ok {
		return false
	}
	flag := 0
	if f >= p.thr {
		flag = 1
	}
	a.rows++
	for i := 0; i < p.nAttr; i++ {
		a.attrs[i].cnt[ids[i]][flag][lab]++
	}
	if p.combos {
		var k uint64
		for i := 0; i < p.nAttr; i++ {
			k = k<<16 | uint64(ids[i])
		}
		a.ccnt[a.comboID(k)][flag][lab]++
	}
	return true
}

// comboID returns the index of the combination k, adding it when new; a
// direct-mapped cache in front of the map serves most rows.
func (a *acc) comboID(k uint64) int32 {
	h := (k * 0x9E3779B97F4A7C15) >> 54
	if c := a.cfast[h] - 1; c >= 0 && a.ckeys[c] == k {
		return c
	}
	c, ok := a.combo[k]
	if !ok {
		c = int32(len(a.ckeys))
		a.combo[k] = c
		a.ckeys = append(a.ckeys, k)
		a.ccnt = append(a.ccnt, [2][2]int64{})
	}
	a.cfast[h] = c + 1
	return c
}

// add counts one record; v holds the slots (groups, label, score).
func (a *acc) add(v [][]byte, short bool, line int64) {
	p := a.p
	if a.fast && !short && a.addFast(v) {
		return
	}
	a.rows++
	if short {
		a.exclude(rShortRow, line, -1, nil)
		return
	}
	for i := 0; i < p.nAttr; i++ {
		x := v[i]
		if a.isMissing(x) {
			a.exclude(rMissingGroup, line, p.slotCol[i], x)
			return
		}
		var id int32
		if p.cuts[i] != nil {
			f, ok := parseNum(x)
			if !ok {
				a.exclude(rInvalidGroup, line, p.slotCol[i], x)
				return
			}
			id = int32(cutIndex(p.cuts[i], f))
		} else {
			id = a.lookup(i, x)
			if id < 0 {
				if a.tooMany == 0 {
					a.tooMany = i + 1
				}
				return
			}
		}
		a.ids[i] = id
	}
	lab := 0
	if p.labelSlot >= 0 {
		x := v[p.labelSlot]
		if a.isMissing(x) {
			a.exclude(rMissingLabel, line, p.slotCol[p.labelSlot], x)
			return
		}
		l, ok := p.parseLabel(x)
		if !ok {
			a.exclude(rInvalidLabel, line, p.slotCol[p.labelSlot], x)
			return
		}
		lab = l
	}
	x := v[p.scoreSlot]
	if a.isMissing(x) {
		a.exclude(rMissingScore, line, p.slotCol[p.scoreSlot], x)
		return
	}
	flag := 0
	if p.useThr {
		f, ok := parseNum(x)
		if !ok {
			a.exclude(rInvalidScore, line, p.slotCol[p.scoreSlot], x)
			return
		}
		if f >= p.thr {
			flag = 1
		}
	} else if inSet(x, p.positive) {
		flag = 1
	}
	for i := 0; i < p.nAttr; i++ {
		a.attrs[i].cnt[a.ids[i]][flag][lab]++
	}
	if p.combos {
		var k uint64
		for i := 0; i < p.nAttr; i++ {
			k = k<<16 | uint64(a.ids[i])
		}
		a.ccnt[a.comboID(k)][flag][lab]++
	}
}

func cutIndex(cuts []float64, f float64) int {
	for i, c := range cuts {
		if f <= c {
			return i
		}
	}
	return len(cuts)
}

// lookup returns the id of value x in attribute i, adding it when new; -1
// when the attribute already has MaxGroups values. A value of at most 8
// bytes is compared as one machine word read from the block (its slice has
// room behind it); longer ones by a hash of length and end bytes.
func (a *acc) lookup(i int, x []byte) int32 {
	at := &a.attrs[i]
	n := len(x)
	if n == 0 {
		return a.slowLookup(at, x)
	}
	var h uint32
	var w uint64
	short := n <= 8 && cap(x) >= 8
	if short {
		w = binary.LittleEndian.Uint64(x[:8]) & wordMask[n]
		h = uint32((w * 0x9E3779B97F4A7C15) >> 54)
		if id := at.fast[h] - 1; id >= 0 && at.key8[id] == w && len(at.vals[id]) == n {
			return id
		}
	} else {
		h = (uint32(n)*131 + uint32(x[0])*31 + uint32(x[n-1])) & 1023
		if id := at.fast[h] - 1; id >= 0 && at.vals[id] == unsafeString(x) {
			return id
		}
	}
	id := a.slowLookup(at, x)
	if id >= 0 && at.fast[h] == 0 {
		at.fast[h] = id + 1
	}
	return id
}

func key8Of(s string) uint64 {
	var k [8]byte
	copy(k[:], s)
	return binary.LittleEndian.Uint64(k[:])
}

var wordMask = [9]uint64{0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFF, 0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF}

func (a *acc) slowLookup(at *attrAcc, x []byte) int32 {
	if at.m == nil {
		for j, s := range at.vals {
			if s == unsafeString(x) {
				return int32(j)
			}
		}
	} else if id, ok := at.m[unsafeString(x)]; ok {
		return id
	}
	if len(at.vals) >= a.p.cfg.MaxGroups {
		return -1
	}
	s := string(x)
	id := int32(len(at.vals))
	at.vals = append(at.vals, s)
	at.key8 = append(at.key8, key8Of(s))
	at.cnt = append(at.cnt, [2][2]int64{})
	if at.m != nil {
		at.m[s] = id
	} else if len(at.vals) > 16 {
		at.m = make(map[string]int32, 64)
		for j, v := range at.vals {
			at.m[v] = int32(j)
		}
	}
	return id
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

var labelWords = []struct {
	w string
	v int
}{{"1", 1}, {"0", 0}, {"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"oui", 1}, {"non", 0},
	{"vrai", 1}, {"faux", 0}, {"1.0", 1}, {"0.0", 0}, {"t", 1}, {"f", 0}, {"y", 1}, {"n", 0}}

func (p *plan) parseLabel(x []byte) (int, bool) {
	if p.labelPos != nil {
		if inSet(x, p.labelPos) {
			return 1, true
		}
		if p.labelNeg == nil || inSet(x, p.labelNeg) {
			return 0, true
		}
		return 0, false
	}
	if len(x) == 1 {
		switch x[0] {
		case '1':
			return 1, true
		case '0':
			return 0, true
		}
	}
	for _, w := range labelWords {
		if bytes.EqualFold(x, []byte(w.w)) {
			return w.v, true
		}
	}
	return 0, false
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNum parses a decimal number. Plain decimals of at most 16 bytes whose
// digits make an integer below 2^53 take an exact fast path (m / 10^k with
// both exact is correctly rounded, the same result as strconv.ParseFloat);
// anything else goes to strconv.ParseFloat. A decimal comma ("0,75") is
// accepted. NaN and ±Inf are rejected.
func parseNum(b []byte) (float64, bool) {
	n := len(b)
	if n == 0 || n > 16 {
		return slowNum(b)
	}
	i := 0
	neg := false
	switch b[0] {
	case '-':
		neg, i = true, 1
	case '+':
		i = 1
	}
	start := i
	var m uint64
	for ; i < n; i++ {
		c := b[i] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
	}
	digits := i - start
	frac := 0
	if i < n && (b[i] == '.' || b[i] == ',') {
		i++
		s := i
		for ; i < n; i++ {
			c := b[i] - '0'
			if c > 9 {
				break
			}
			m = m*10 + uint64(c)
		}
		frac = i - s
		digits += frac
	}
	if i != n || digits == 0 || m >= 1<<53 {
		return slowNum(b)
	}
	f := float64(m) / pow10[frac]
	if neg {
		f = -f
	}
	return f, true
}

func slowNum(b []byte) (float64, bool) {
	s := string(b)
	if bytes.IndexByte(b, ',') >= 0 && bytes.IndexByte(b, '.') < 0 {
		s = string(bytes.Replace(b, []byte(","), []byte("."), 1))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}
