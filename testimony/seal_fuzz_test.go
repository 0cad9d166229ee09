package testimony

import (
	"testing"

	"github.com/vigie-app/vigie"
)

// FuzzOpen: the age envelope reader, on any bytes, opens a text sealed for
// the identity or refuses with EINVALID; never a panic. A valid envelope
// with one byte changed anywhere is refused (age authenticates it).
func FuzzOpen(f *testing.F) {
	id, rcpt, err := NewIdentity()
	if err != nil {
		f.Fatal(err)
	}
	ids, err := ParseIdentity(id)
	if err != nil {
		f.Fatal(err)
	}
	sealed, err := Seal("Les alertes arrivent sans arrêt.", []string{rcpt})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed, -1)
	f.Add(sealed, 0)
	f.Add(sealed, len(sealed)-1)
	f.Add([]byte("age-encryption.org/v1\n-> X25519 \n---\n"), -1)
	f.Add([]byte{}, -1)
	f.Fuzz(func(t *testing.T, b []byte, flip int) {
		changed := false
		if flip >= 0 && flip < len(b) {
			b = append([]byte(nil), b...)
			b[flip] ^= 0x01
			changed = true
		}
		texts, err := Open([][]byte{b}, ids)
		if err != nil {
			if vigie.ErrorCode(err) != vigie.EINVALID {
				t.Fatalf("not EINVALID: %v", err)
			}
			return
		}
		if changed && string(b) != string(sealed) && len(texts) == 1 && texts[0] == "Les alertes arrivent sans arrêt." && len(b) == len(sealed) {
			t.Fatalf("a changed envelope opened")
		}
	})
}
