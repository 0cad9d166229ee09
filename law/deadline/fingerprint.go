package deadline

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// Fingerprint returns a digest of the embedded chains: it changes whenever
// a procedure does, so that due dates kept from an earlier version can be
// recomputed.
var Fingerprint = sync.OnceValue(func() string {
	h := sha256.Sum256(chainsYAML)
	return hex.EncodeToString(h[:])
})
