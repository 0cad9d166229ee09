package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// The Parquet reader uses the column chunk readers of parquet/file
// directly (not pqarrow, whose dependencies — arrow compute, Flight, gRPC —
// would slow the start of every vigie command).

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
	if n := pf.MetaData().Schema.NumColumns(); n > MaxColumns {
		pf.Close()
		return nil, invalid("%s : %d colonnes, au plus %d (gardez les colonnes utiles à l'audit) / %s: %d columns, at most %d (keep the columns the audit needs)",
			inputName(cfg), n, MaxColumns, inputName(cfg), n, MaxColumns)
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

// recoverParquet turns a panic of the Parquet library on a malformed file
// (a slice made from a corrupt length, a missing page header) into the
// clear error of an unreadable file: exit 2 on the command line, 422 on
// the web, instead of a stack trace or a dropped connection.
func recoverParquet(cfg *Config, err *error) {
	if r := recover(); r != nil {
		*err = invalid("%s : fichier Parquet illisible ou corrompu (%v) / %s: unreadable or corrupt Parquet file (%v)",
			inputName(cfg), clipPanic(r), inputName(cfg), clipPanic(r))
	}
}

// clipPanic is the value of a panic as a short text.
func clipPanic(r any) string {
	s := fmt.Sprint(r)
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

func parquetHeader(ra io.ReaderAt, size int64) (h *Header, err error) {
	defer recoverParquet(&Config{}, &err)
	cfg := &Config{}
	pf, err := openParquet(ra, size, cfg)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	return &Header{Columns: parquetColumns(pf), Format: "parquet"}, nil
}

const pqBatch = 4096

// pqCol reads one column of a row group in batches and gives each row's
// value as text (empty when null).
type pqCol struct {
	name   string
	maxDef int16
	rd     file.ColumnChunkReader
	defs   []int16
	ba     []parquet.ByteArray
	flba   []parquet.FixedLenByteArray
	i64    []int64
	i32    []int32
	f64    []float64
	f32    []float32
	bo     []bool
	vi     int // next value (values skip nulls)
}

func (c *pqCol) read(n int64) (int64, error) {
	c.vi = 0
	var total int64
	var err error
	switch r := c.rd.(type) {
	case *file.ByteArrayColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.ba, c.defs, nil)
	case *file.FixedLenByteArrayColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.flba, c.defs, nil)
	case *file.Int64ColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.i64, c.defs, nil)
	case *file.Int32ColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.i32, c.defs, nil)
	case *file.Float64ColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.f64, c.defs, nil)
	case *file.Float32ColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.f32, c.defs, nil)
	case *file.BooleanColumnChunkReader:
		total, _, err = r.ReadBatch(n, c.bo, c.defs, nil)
	default:
		return 0, fmt.Errorf("type %s", c.rd.Type())
	}
	return total, err
}

// value appends row r's text to buf.
func (c *pqCol) value(r int, buf []byte) []byte {
	if c.maxDef > 0 && c.defs[r] < c.maxDef {
		return buf
	}
	i := c.vi
	c.vi++
	switch c.rd.(type) {
	case *file.ByteArrayColumnChunkReader:
		return append(buf, c.ba[i]...)
	case *file.FixedLenByteArrayColumnChunkReader:
		return append(buf, c.flba[i]...)
	case *file.Int64ColumnChunkReader:
		return strconv.AppendInt(buf, c.i64[i], 10)
	case *file.Int32ColumnChunkReader:
		return strconv.AppendInt(buf, int64(c.i32[i]), 10)
	case *file.Float64ColumnChunkReader:
		return strconv.AppendFloat(buf, c.f64[i], 'g', -1, 64)
	case *file.Float32ColumnChunkReader:
		return strconv.AppendFloat(buf, float64(c.f32[i]), 'g', -1, 32)
	case *file.BooleanColumnChunkReader:
		return strconv.AppendBool(buf, c.bo[i])
	}
	return buf
}

// scanParquet reads only the used columns, one row group at a time, in
// batches of 4096 rows.
func scanParquet(ctx context.Context, ra io.ReaderAt, size int64, cfg *Config) (t *tally, err error) {
	defer recoverParquet(cfg, &err)
	return scanParquetFile(ctx, ra, size, cfg)
}

func scanParquetFile(ctx context.Context, ra io.ReaderAt, size int64, cfg *Config) (*tally, error) {
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
	sc := pf.MetaData().Schema
	for _, ci := range p.slotCol {
		c := sc.Column(ci)
		if c.MaxRepetitionLevel() > 0 {
			return nil, invalid("%s : la colonne « %s » est répétée (liste) : non prise en charge / %s: column %q is repeated (a list): not supported", inputName(cfg), cols[ci], inputName(cfg), cols[ci])
		}
		switch c.PhysicalType() {
		case parquet.Types.ByteArray, parquet.Types.FixedLenByteArray, parquet.Types.Int64, parquet.Types.Int32,
			parquet.Types.Double, parquet.Types.Float, parquet.Types.Boolean:
		default:
			return nil, invalid("%s : colonne « %s » de type %s non prise en charge / %s: column %q of type %s is not supported", inputName(cfg), cols[ci], c.PhysicalType(), inputName(cfg), cols[ci], c.PhysicalType())
		}
	}
	t := &tally{columns: cols, encoding: "utf-8", format: "parquet", reader: "parquet", bytes: size, rowGroups: pf.NumRowGroups()}
	if !cfg.NoHash {
		h := sha256.New()
		if _, err := io.Copy(h, io.NewSectionReader(ra, 0, size)); err != nil {
			return nil, fmt.Errorf("lecture de %s / reading %s: %w", inputName(cfg), inputName(cfg), err)
		}
		t.sha = hex.EncodeToString(h.Sum(nil))
	}
	a := newAcc(p)
	vals := make([][]byte, p.nSlot)
	bufs := make([][]byte, p.nSlot)
	pcs := make([]*pqCol, p.nSlot)
	for s, ci := range p.slotCol {
		pcs[s] = &pqCol{name: cols[ci], maxDef: sc.Column(ci).MaxDefinitionLevel(), defs: make([]int16, pqBatch)}
	}
	var row int64
	for rg := 0; rg < pf.NumRowGroups(); rg++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rgr := pf.RowGroup(rg)
		for s, ci := range p.slotCol {
			rd, err := rgr.Column(ci)
			if err != nil {
				return nil, invalid("%s : groupe de lignes %d illisible (%v) / %s: unreadable row group %d (%v)", inputName(cfg), rg, err, inputName(cfg), rg, err)
			}
			c := pcs[s]
			c.rd = rd
			switch rd.(type) {
			case *file.ByteArrayColumnChunkReader:
				c.ba = make([]parquet.ByteArray, pqBatch)
			case *file.FixedLenByteArrayColumnChunkReader:
				c.flba = make([]parquet.FixedLenByteArray, pqBatch)
			case *file.Int64ColumnChunkReader:
				c.i64 = make([]int64, pqBatch)
			case *file.Int32ColumnChunkReader:
				c.i32 = make([]int32, pqBatch)
			case *file.Float64ColumnChunkReader:
				c.f64 = make([]float64, pqBatch)
			case *file.Float32ColumnChunkReader:
				c.f32 = make([]float32, pqBatch)
			case *file.BooleanColumnChunkReader:
				c.bo = make([]bool, pqBatch)
			}
		}
		left := rgr.NumRows()
		for left > 0 {
			var n int64 = -1
			for _, c := range pcs {
				got, err := c.read(pqBatch)
				if err != nil {
					return nil, invalid("%s : colonne « %s », groupe de lignes %d illisible (%v) / %s: column %q, row group %d unreadable (%v)", inputName(cfg), c.name, rg, err, inputName(cfg), c.name, rg, err)
				}
				if n >= 0 && got != n {
					return nil, invalid("%s : colonnes de longueurs différentes dans le groupe de lignes %d / %s: columns of different lengths in row group %d", inputName(cfg), rg, inputName(cfg), rg)
				}
				n = got
			}
			if n <= 0 {
				break
			}
			for i := 0; i < int(n); i++ {
				for s, c := range pcs {
					bufs[s] = c.value(i, bufs[s][:0])
					vals[s] = bufs[s]
				}
				a.add(vals, false, row)
				row++
				if a.tooMany > 0 {
					return nil, checkTooMany([]*acc{a}, cfg)
				}
			}
			left -= n
		}
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
