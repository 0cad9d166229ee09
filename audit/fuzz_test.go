package audit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

// tallyKey renders a tally canonically (values sorted) for comparison.
func tallyKey(t *tally) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "rows %d excl %v\n", t.rows, t.excl)
	for i := range t.attrVals {
		var lines []string
		for k, v := range t.attrVals[i] {
			lines = append(lines, fmt.Sprintf("%q %v", v, t.attrCnt[i][k]))
		}
		sort.Strings(lines)
		fmt.Fprintf(&b, "attr %d: %v\n", i, lines)
	}
	var lines []string
	for k, v := range t.comboVals {
		lines = append(lines, fmt.Sprintf("%q %v", v, t.comboCnt[k]))
	}
	sort.Strings(lines)
	fmt.Fprintf(&b, "combos %v\n", lines)
	for r, f := range t.first {
		if f.set {
			fmt.Fprintf(&b, "first %d: line %d col %d %q\n", r, f.line, f.col, f.val)
		}
	}
	return b.String()
}

// FuzzReaders: on any input, neither reader panics, and the parallel
// reader (with tiny blocks, so records straddle blocks) and the careful
// sequential reader agree exactly: same rows, exclusions, counts and first
// excluded lines, or both fail.
func FuzzReaders(f *testing.F) {
	seeds := []string{
		"a,1,0\nb,0,1\n",
		"a,1,0\r\nb,0,1\r\n\r\n",
		"\"a,b\",1,0\n\"c\nd\",0.5,1\n",
		"\"x\"\"y\",1,oui\n\"unterminated,1,0\n",
		"a\"b,1,0\n \"c\" d ,0,1\n",
		"a,,0\n,1,1\nb,x,0\nc,1\n",
		"é,1,1\n\xe9,0,0\n",
		"a,1e3,true\nb,-0,FALSE\nc,0,5,0\n",
	}
	for _, s := range seeds {
		for _, d := range []byte{',', ';', '\t', ' '} {
			f.Add([]byte(s), d)
		}
	}
	f.Add(readFile(f, "quoted.csv"), byte(','))
	f.Fuzz(func(t *testing.T, body []byte, delim byte) {
		switch delim {
		case ',', ';', '\t', ' ', '|':
		default:
			delim = ','
		}
		d := string(delim)
		data := append([]byte("g"+d+"s"+d+"l\n"), body...)
		base := Config{Groups: []string{"g", "l"}, Intersect: true, Score: "s", Threshold: fptr(0.5), Delimiter: rune(delim), MaxGroups: 50}
		seq := base
		seq.Reader = ReaderSequential
		ts, errS := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(seq))
		slow := seq
		slow.slowAdd = true
		if tsl, err := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(slow)); (err == nil) != (errS == nil) ||
			(err == nil && tallyKey(tsl) != tallyKey(ts)) {
			t.Fatalf("fast and full counting differ on %q", data)
		}
		for _, bs := range []int{16, 64} {
			par := base
			par.Reader = ReaderParallel
			par.blockSize = bs
			tp, errP := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(par))
			if (errS == nil) != (errP == nil) {
				t.Fatalf("block %d: sequential error %v, parallel error %v", bs, errS, errP)
			}
			if errS != nil {
				continue
			}
			if a, b := tallyKey(ts), tallyKey(tp); a != b {
				t.Fatalf("block %d: readers differ on %q\nsequential:\n%s\nparallel:\n%s", bs, data, a, b)
			}
		}
	})
}

// TestReadersAgreeRandom runs the fuzz property on 2000 random inputs drawn
// from the bytes that matter to the grammar.
func TestReadersAgreeRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	alphabet := []byte("ab,;\t \"\n\r0101.5-é")
	for i := 0; i < 2000; i++ {
		n := rng.IntN(200)
		body := make([]byte, n)
		for k := range body {
			body[k] = alphabet[rng.IntN(len(alphabet))]
		}
		delim := []byte{',', ';', '\t', ' '}[rng.IntN(4)]
		d := string(delim)
		data := append([]byte("g"+d+"s"+d+"l\n"), body...)
		base := Config{Groups: []string{"g", "l"}, Intersect: true, Score: "s", Threshold: fptr(0.5), Delimiter: rune(delim), MaxGroups: 50}
		if i%2 == 1 {
			base = Config{Groups: []string{"g"}, Label: "l", Score: "s", Threshold: fptr(0.5), Delimiter: rune(delim), MaxGroups: 50}
		}
		seq := base
		seq.Reader = ReaderSequential
		ts, errS := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(seq))
		slow := seq
		slow.slowAdd = true
		if tsl, err := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(slow)); (err == nil) != (errS == nil) ||
			(err == nil && tallyKey(tsl) != tallyKey(ts)) {
			t.Fatalf("fast and full counting differ on %q", data)
		}
		for _, bs := range []int{16, 40} {
			par := base
			par.Reader = ReaderParallel
			par.blockSize = bs
			tp, errP := scanCSV(context.Background(), bytes.NewReader(data), withDefaults(par))
			if (errS == nil) != (errP == nil) {
				t.Fatalf("%q block %d: sequential error %v, parallel error %v", data, bs, errS, errP)
			}
			if errS == nil {
				if a, b := tallyKey(ts), tallyKey(tp); a != b {
					t.Fatalf("block %d: readers differ on %q\nsequential:\n%s\nparallel:\n%s", bs, data, a, b)
				}
			}
		}
	}
}
