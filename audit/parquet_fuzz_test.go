package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
)

// parquetFuzzConfig audits the columns of writeParquet's file.
func parquetFuzzConfig() Config {
	return Config{Format: "parquet", Groups: []string{"sexe", "origine"}, Score: "score", Threshold: fptr(0.5), Label: "label", NoHash: true}
}

// smallParquet is a valid Parquet file of writeParquet's columns.
func smallParquet(t testing.TB, rows int) []byte {
	t.Helper()
	pq, _ := writeParquet(t, t.TempDir(), rows)
	b, err := os.ReadFile(pq)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// auditParquet runs the header reader and the audit on b and fails t if
// either panics or returns an error that is not EINVALID.
func auditParquet(t *testing.T, b []byte) {
	t.Helper()
	if _, err := ReadHeader(bytes.NewReader(b), &Config{Format: "parquet"}); err != nil && vigie.ErrorCode(err) != vigie.EINVALID {
		t.Fatalf("header: %v", err)
	}
	if _, err := Run(context.Background(), bytes.NewReader(b), parquetFuzzConfig()); err != nil && vigie.ErrorCode(err) != vigie.EINVALID {
		t.Fatalf("audit: %v", err)
	}
}

// FuzzParquet: on any bytes, the Parquet readers give a report or a clear
// EINVALID error, never a panic. The seeds are a valid file and the mutants
// that made the library panic (testdata/fuzz/FuzzParquet).
func FuzzParquet(f *testing.F) {
	f.Add(smallParquet(f, 50))
	f.Add([]byte("PAR1PAR1"))
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, b []byte) { auditParquet(t, b) })
}

// mutate returns a copy of b with a few bytes changed, a span zeroed, a
// length field grown, or a cut: the corruptions of a file on a bad disk or
// made by hand.
func mutate(r *rand.Rand, b []byte) []byte {
	m := bytes.Clone(b)
	switch r.IntN(4) {
	case 0:
		for k := 1 + r.IntN(4); k > 0; k-- {
			m[r.IntN(len(m))] = byte(r.IntN(256))
		}
	case 1:
		i := r.IntN(len(m))
		for j := i; j < len(m) && j < i+1+r.IntN(16); j++ {
			m[j] = 0
		}
	case 2:
		i := r.IntN(len(m))
		m[i] = 0xff
		if i+1 < len(m) {
			m[i+1] = 0x7f
		}
	case 3:
		// Keep the footer so that the reader goes past the magic number.
		cut := r.IntN(len(m) - 8)
		m = append(m[:cut:cut], b[len(b)-8-r.IntN(64):]...)
	}
	return m
}

// TestParquetMutants mutates a valid file 3,000 times: every mutant gives a
// report or an EINVALID error; the mutants that made the library panic are
// counted (and, with VIGIE_WRITE_FUZZ_SEEDS=1, written as fuzz seeds).
func TestParquetMutants(t *testing.T) {
	good := smallParquet(t, 200)
	r := rand.New(rand.NewPCG(2026, 12))
	panicked := 0
	for i := 0; i < 3000; i++ {
		m := mutate(r, good)
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("mutant %d: a panic escaped: %v", i, p)
				}
			}()
			_, err := Run(context.Background(), bytes.NewReader(m), parquetFuzzConfig())
			if err != nil && vigie.ErrorCode(err) != vigie.EINVALID {
				t.Fatalf("mutant %d: %v", i, err)
			}
			if err != nil && bytes.Contains([]byte(err.Error()), []byte("corrompu")) {
				panicked++
				if os.Getenv("VIGIE_WRITE_FUZZ_SEEDS") == "1" {
					writeSeed(t, "FuzzParquet", m)
				}
			}
		}()
	}
	t.Logf("%d of 3000 mutants made the Parquet library panic, each turned into an EINVALID error", panicked)
}

// writeSeed keeps b as a seed of the fuzz target name.
func writeSeed(t *testing.T, name string, b []byte) {
	sum := sha256.Sum256(b)
	dir := filepath.Join("testdata", "fuzz", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf("go test fuzz v1\n[]byte(%s)\n", strconv.Quote(string(b)))
	if err := os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:8])), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHeaderColumnsBounded: a header of more than MaxColumns columns is
// refused naming the bound; MaxColumns columns are read.
func TestHeaderColumnsBounded(t *testing.T) {
	for n, ok := range map[int]bool{MaxColumns: true, MaxColumns + 1: false, 209000: false} {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "c%d", i%1000)
		}
		b.WriteString("\n")
		h, err := ReadHeader(bytes.NewReader(b.Bytes()), nil)
		if ok && (err != nil || len(h.Columns) != n) {
			t.Errorf("%d columns: %v", n, err)
		}
		if !ok && (vigie.ErrorCode(err) != vigie.EINVALID || !strings.Contains(err.Error(), "au plus 1000")) {
			t.Errorf("%d columns: %v", n, err)
		}
	}
}
