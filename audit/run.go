package audit

import (
	"context"
	"github.com/vigie-app/vigie"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Run audits the input read from r (CSV, or Parquet when cfg.Format is
// "parquet" and r is an io.ReaderAt with a Size or Seek method, such as an
// *os.File). It reads r once and keeps only per-group counts.
func Run(ctx context.Context, r io.Reader, cfg Config) (*Report, error) {
	cfg.defaults()
	if err := cfg.check(); err != nil {
		return nil, err
	}
	var t *tally
	var err error
	if strings.EqualFold(cfg.Format, "parquet") {
		ra, ok := r.(io.ReaderAt)
		size, ok2 := sizeOf(r)
		if !ok || !ok2 {
			return nil, invalid("%s : Parquet demande un fichier (io.ReaderAt) / %s: Parquet needs a file (io.ReaderAt)", inputName(&cfg), inputName(&cfg))
		}
		t, err = scanParquet(ctx, ra, size, &cfg)
	} else {
		t, err = scanCSV(ctx, r, &cfg)
	}
	if err != nil {
		return nil, err
	}
	return build(t, &cfg)
}

// RunFile audits the file at path. The format is Parquet when cfg.Format
// says so or the name ends in .parquet or .pq, CSV otherwise.
func RunFile(ctx context.Context, path string, cfg Config) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, invalid("%s : fichier illisible (%v) / %s: cannot open file (%v)", path, err, path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, invalid("%s : c'est un répertoire / %s: is a directory", path, path)
	}
	if cfg.Path == "" {
		cfg.Path = path
	}
	cfg.Size = st.Size()
	if cfg.Format == "" && IsParquetName(path) {
		cfg.Format = "parquet"
	}
	return Run(ctx, f, cfg)
}

// IsParquetName reports whether the file name has a Parquet extension.
func IsParquetName(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".parquet", ".pq":
		return true
	}
	return false
}

// ReadHeaderFile reads the header of the file at path (CSV or Parquet by
// extension), for a column picker.
func ReadHeaderFile(path string) (*Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, invalid("%s : fichier illisible (%v) / %s: cannot open file (%v)", path, err, path, err)
	}
	defer f.Close()
	cfg := &Config{Path: path}
	if IsParquetName(path) {
		cfg.Format = "parquet"
	}
	return ReadHeader(f, cfg)
}

func vigieCode(err error) string { return vigie.ErrorCode(err) }
