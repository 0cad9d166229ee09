package audit

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
)

// benchData is a CSV of n rows with two attributes, a score and a label,
// about 40 bytes a row.
func benchData(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("id,sexe,origine,region,score,label\n")
	sexes := []string{"F", "M"}
	orig := []string{"Europe", "Maghreb", "Afrique", "Asie", "Autre"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,%s,%s,R%02d,%.4f,%d\n", 10000000+i, sexes[rng.IntN(2)], orig[rng.IntN(5)], rng.IntN(100), rng.Float64(), rng.IntN(2))
	}
	return b.Bytes()
}

func benchRun(b *testing.B, mode ReaderMode, intersect bool, noHash ...bool) {
	data := benchData(500_000)
	cfg := Config{Groups: []string{"sexe", "origine"}, Intersect: intersect, Score: "score", Threshold: fptr(0.5), Label: "label", Reader: mode,
		NoHash: len(noHash) > 0 && noHash[0]}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), bytes.NewReader(data), cfg); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time is steadier than wall time on a shared machine
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/500_000, "cpu-ns/row")
}

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func BenchmarkParallel(b *testing.B)          { benchRun(b, ReaderParallel, false) }
func BenchmarkParallelIntersect(b *testing.B) { benchRun(b, ReaderParallel, true) }
func BenchmarkParallelNoHash(b *testing.B)    { benchRun(b, ReaderParallel, false, true) }
func BenchmarkSequential(b *testing.B)        { benchRun(b, ReaderSequential, false) }

func BenchmarkParseNum(b *testing.B) {
	vals := [][]byte{[]byte("0.7342"), []byte("12"), []byte("-3.5"), []byte("1e-3")}
	for i := 0; i < b.N; i++ {
		parseNum(vals[i&3])
	}
}

// BenchmarkParseBlock times the block parser alone on one goroutine.
func BenchmarkParseBlock(b *testing.B) {
	data := benchData(100_000)
	cfg := withDefaults(Config{Groups: []string{"sexe", "origine"}, Score: "score", Threshold: fptr(0.5), Label: "label"})
	i := bytes.IndexByte(data, '\n')
	cols := []string{"id", "sexe", "origine", "region", "score", "label"}
	p, err := resolve(cfg, cols)
	if err != nil {
		b.Fatal(err)
	}
	body := data[i+1:]
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		fp := newFastParser(newDialect(','), p, newAcc(p))
		fp.parse(body, true)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/100_000, "ns/row")
}
