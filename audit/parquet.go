package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

func sizeOf(r io.Reader) (int64, bool) {
	if v, ok := r.(interface{ Size() int64 }); ok {
		return v.Size(), true
	}
	if s, ok := r.(io.Seeker); ok {
		cur, err := s.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		end, err := s.Seek(0, io.SeekEnd)
		if err != nil {
			return 0, false
		}
		if _, err := s.Seek(cur, io.SeekStart); err != nil {
			return 0, false
		}
		return end, true
	}
	return 0, false
}

func openParquet(ra io.ReaderAt, size int64, cfg *Config) (*file.Reader, error) {
	pf, err := file.NewParquetReader(io.NewSectionReader(ra, 0, size))
	if err != nil {
		return nil, invalid("%s : fichier Parquet illisible (%v) / %s: unreadable Parquet file (%v)", inputName(cfg), err, inputName(cfg), err)
	}
	return pf, nil
}

func parquetColumns(pf *file.Reader) []string {
	sc := pf.MetaData().Schema
	var cols []string
	for i := 0; i < sc.NumColumns(); i++ {
		cols = append(cols, sc.Column(i).Path())
	}
	return cols
}

func parquetHeader(ra io.ReaderAt, size int64) (*Header, error) {
	cfg := &Config{}
	pf, err := openParquet(ra, size, cfg)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	return &Header{Columns: parquetColumns(pf), Format: "parquet"}, nil
}

// scanParquet reads only the used columns, one row group at a time, in
// batches of 64 Ki rows.
func scanParquet(ctx context.Context, ra io.ReaderAt, size int64, cfg *Config) (*tally, error) {
	pf, err := openParquet(ra, size, cfg)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	cols := parquetColumns(pf)
	p, err := resolve(cfg, cols)
	if err != nil {
		return nil, err
	}
	t := &tally{columns: cols, encoding: "utf-8", format: "parquet", reader: "parquet", bytes: size, rowGroups: pf.NumRowGroups()}
	if !cfg.NoHash {
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(ra, 0, size)); err != nil {
			return nil, fmt.Errorf("lecture de %s / reading %s: %w", inputName(cfg), inputName(cfg), err)
		}
		t.sha = hex.EncodeToString(h.Sum(nil))
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		return nil, invalid("%s : schéma Parquet non pris en charge (%v) / %s: unsupported Parquet schema (%v)", inputName(cfg), err, inputName(cfg), err)
	}
	a := newAcc(p)
	vals := make([][]byte, p.nSlot)
	bufs := make([][]byte, p.nSlot)
	var row int64
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rr, err := fr.GetRecordReader(ctx, p.slotCol, []int{rg})
		if err != nil {
			return nil, invalid("%s : groupe de lignes %d illisible (%v) / %s: unreadable row group %d (%v)", inputName(cfg), rg, err, inputName(cfg), rg, err)
		}
		for rr.Next() {
			rec := rr.RecordBatch()
			n := int(rec.NumRows())
			arrs := make([]arrow.Array, p.nSlot)
			for s := range arrs {
				arrs[s] = rec.Column(s)
			}
			for i := 0; i < n; i++ {
				for s, arr := range arrs {
					bufs[s] = valueBytes(arr, i, bufs[s][:0])
					vals[s] = bufs[s]
				}
				a.add(vals, false, row)
				row++
				if a.tooMany > 0 {
					rr.Release()
					return nil, checkTooMany([]*acc{a}, cfg)
				}
			}
		}
		if err := rr.Err(); err != nil && err != io.EOF {
			rr.Release()
			return nil, invalid("%s : groupe de lignes %d illisible (%v) / %s: unreadable row group %d (%v)", inputName(cfg), rg, err, inputName(cfg), rg, err)
		}
		rr.Release()
		if cfg.Progress != nil {
			cfg.Progress(int64(rg+1)*size/int64(pf.NumRowGroups()), size)
		}
	}
	for i := range a.first {
		if a.first[i].set {
			a.first[i].line++
		}
	}
	if err := merge(t, p, []*acc{a}, cfg); err != nil {
		return nil, err
	}
	return t, nil
}

// valueBytes appends the text of arr[i] to buf; a null is empty (missing).
func valueBytes(arr arrow.Array, i int, buf []byte) []byte {
	if arr.IsNull(i) {
		return buf
	}
	switch a := arr.(type) {
	case *array.String:
		return append(buf, a.Value(i)...)
	case *array.LargeString:
		return append(buf, a.Value(i)...)
	case *array.Binary:
		return append(buf, a.Value(i)...)
	case *array.Int64:
		return strconv.AppendInt(buf, a.Value(i), 10)
	case *array.Int32:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Int8:
		return strconv.AppendInt(buf, int64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(buf, a.Value(i), 10)
	case *array.Uint32:
		return strconv.AppendUint(buf, uint64(a.Value(i)), 10)
	case *array.Float64:
		return strconv.AppendFloat(buf, a.Value(i), 'g', -1, 64)
	case *array.Float32:
		return strconv.AppendFloat(buf, float64(a.Value(i)), 'g', -1, 32)
	case *array.Boolean:
		return strconv.AppendBool(buf, a.Value(i))
	case *array.Dictionary:
		return valueBytes(a.Dictionary(), a.GetValueIndex(i), buf)
	}
	return append(buf, arr.ValueStr(i)...)
}
