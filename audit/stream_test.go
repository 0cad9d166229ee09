package audit

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// patternReader yields a header then the same block of rows again and again,
// up to size bytes of data: an input of any size that is never in memory.
type patternReader struct {
	head    string
	pattern []byte
	left    int64 // bytes of data still to give
	off     int
}

func (p *patternReader) Read(b []byte) (int, error) {
	if p.head != "" {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	if p.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(b) && p.left > 0 {
		k := copy(b[n:], p.pattern[p.off:])
		if int64(k) > p.left {
			k = int(p.left)
		}
		n += k
		p.left -= int64(k)
		p.off = (p.off + k) % len(p.pattern)
	}
	return n, nil
}

// TestStreamingMemory streams 192 MiB through Run under a 32 MiB memory
// limit and checks that the live heap stays far below the input size.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 192 MiB")
	}
	// 60 rows: group g{i%3}, origin o{i%5}, score (i%10)/10, label i%2
	var pat strings.Builder
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&pat, "%d,g%d,o%d,0.%d,%d\n", 1000+i, i%3, i%5, i%10, i%2)
	}
	pattern := []byte(pat.String())
	reps := int64(192<<20) / int64(len(pattern))
	size := reps * int64(len(pattern))
	old := debug.SetMemoryLimit(32 << 20)
	defer debug.SetMemoryLimit(old)
	runtime.GC()
	var peak uint64
	var ms runtime.MemStats
	calls := 0
	cfg := Config{Groups: []string{"g", "o"}, Intersect: true, Score: "s", Threshold: fptr(0.5), Label: "l", Size: size,
		Progress: func(read, total int64) {
			if calls++; calls%16 == 0 {
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak {
					peak = ms.HeapAlloc
				}
			}
		}}
	r, err := Run(context.Background(), &patternReader{head: "id,g,o,s,l\n", pattern: pattern, left: size}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r.Input.Rows != reps*60 || r.Input.Bytes != size+int64(len("id,g,o,s,l\n")) {
		t.Fatalf("rows %d bytes %d, want %d %d", r.Input.Rows, r.Input.Bytes, reps*60, size)
	}
	// exact counts: per 60 rows, g0 has 20 rows, flagged when i%10 >= 5
	g0 := group(t, attr(t, r, "g"), "g0")
	var flagged int64
	for i := 0; i < 60; i += 3 {
		if i%10 >= 5 {
			flagged++
		}
	}
	if g0.N != reps*20 || g0.Counts.Flagged != reps*flagged {
		t.Errorf("g0 %d/%d, want %d/%d", g0.Counts.Flagged, g0.N, reps*flagged, reps*20)
	}
	if calls < 16 || peak == 0 {
		t.Fatalf("progress called %d times", calls)
	}
	t.Logf("input %d MiB, peak live heap %.1f MiB", size>>20, float64(peak)/(1<<20))
	if peak > 24<<20 {
		t.Errorf("peak live heap %d MiB for a %d MiB stream", peak>>20, size>>20)
	}
}

// writeParquet writes rows (sexe, origine, score with nulls, label) in
// row groups of 1000 rows, and the same rows as CSV.
func writeParquet(t testing.TB, dir string, n int) (pq, csv string) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "sexe", Type: arrow.BinaryTypes.String},
		{Name: "origine", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "label", Type: arrow.FixedWidthTypes.Boolean},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	var sb strings.Builder
	sb.WriteString("id,sexe,origine,score,label\n")
	for i := 0; i < n; i++ {
		sexe := []string{"F", "M", "X"}[i%3]
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append(sexe)
		orig := ""
		if i%11 == 0 {
			b.Field(2).(*array.StringBuilder).AppendNull()
		} else {
			orig = []string{"Europe", "Afrique", "Asie"}[i%7%3]
			b.Field(2).(*array.StringBuilder).Append(orig)
		}
		sc := ""
		if i%13 == 0 {
			b.Field(3).(*array.Float64Builder).AppendNull()
		} else {
			v := float64(i%100) / 100
			b.Field(3).(*array.Float64Builder).Append(v)
			sc = fmt.Sprint(v)
		}
		lab := i%4 == 0
		b.Field(4).(*array.BooleanBuilder).Append(lab)
		fmt.Fprintf(&sb, "%d,%s,%s,%s,%v\n", i, sexe, orig, sc, lab)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	pq = filepath.Join(dir, "t.parquet")
	f, err := os.Create(pq)
	if err != nil {
		t.Fatal(err)
	}
	if err := pqarrow.WriteTable(tbl, f, 1000, parquet.NewWriterProperties(), pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	csv = filepath.Join(dir, "t.csv")
	if err := os.WriteFile(csv, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return pq, csv
}

func TestParquet(t *testing.T) {
	pq, csv := writeParquet(t, t.TempDir(), 5000)
	cfg := Config{Groups: []string{"sexe", "origine"}, Intersect: true, Score: "score", Threshold: fptr(0.5), Label: "label"}
	rp, err := RunFile(context.Background(), pq, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := RunFile(context.Background(), csv, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Input.Format != "parquet" || rp.Input.Rows != 5000 {
		t.Errorf("parquet input %+v", rp.Input)
	}
	if rp.Input.Exclusions["missing group"] != rc.Input.Exclusions["missing group"] || rp.Input.Exclusions["missing score"] != rc.Input.Exclusions["missing score"] ||
		rp.Input.Excluded == 0 {
		t.Errorf("exclusions parquet %v csv %v", rp.Input.Exclusions, rc.Input.Exclusions)
	}
	for ai := range rc.Attributes {
		for _, g := range rc.Attributes[ai].Groups {
			pg := group(t, rp.Attributes[ai], g.Value)
			if pg.N != g.N || *pg.Counts.TP != *g.Counts.TP || *pg.Counts.FP != *g.Counts.FP || *pg.Counts.FN != *g.Counts.FN {
				t.Errorf("%s: parquet %+v csv %+v", g.Value, pg.Counts, g.Counts)
			}
		}
	}
	h, err := ReadHeaderFile(pq)
	if err != nil || strings.Join(h.Columns, ",") != "id,sexe,origine,score,label" {
		t.Errorf("parquet header %+v %v", h, err)
	}
	if _, err := RunFile(context.Background(), pq, Config{Groups: []string{"nope"}, Score: "score", Threshold: fptr(1)}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing parquet column: %v", err)
	}
}
