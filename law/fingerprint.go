package law

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sync"
)

// Fingerprint returns a digest of the embedded knowledge base (every rule
// file and the sources): it changes whenever the rules do, so that results
// kept from an earlier version of the rules can be recomputed.
var Fingerprint = sync.OnceValue(func() string { return fsDigest(files) })

// fsDigest hashes the names and contents of the files of fsys, in the
// order fs.WalkDir gives (lexical).
func fsDigest(fsys fs.FS) string {
	h := sha256.New()
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p + "\x00"))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
