package letters

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// Fingerprint returns a digest of the embedded catalogue of letters (their
// procedures and events decide the deadline chains): it changes whenever
// the catalogue does.
var Fingerprint = sync.OnceValue(func() string {
	b, _ := files.ReadFile("catalogue.yaml")
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
})
