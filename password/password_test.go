package password

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestHashAndVerify(t *testing.T) {
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=2,p=1$") || strings.Count(h, "$") != 5 {
		t.Fatalf("not a PHC argon2id string: %s", h)
	}
	if !Verify(h, "correct horse battery staple") {
		t.Fatal("the right password is refused")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple "} {
		if Verify(h, wrong) {
			t.Fatalf("%q accepted", wrong)
		}
	}
	h2, _ := Hash("correct horse battery staple")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if NeedsRehash(h) {
		t.Fatal("a fresh hash needs a rehash")
	}
}

// TestKnownVector checks the encoding against argon2.IDKey computed
// independently, with other parameters than the defaults.
func TestKnownVector(t *testing.T) {
	salt := []byte("saltsaltsaltsalt")
	key := argon2.IDKey([]byte("motdepasse"), salt, 1, 1024, 1, 32)
	b64 := base64.RawStdEncoding
	h := "$argon2id$v=19$m=1024,t=1,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(key)
	if !Verify(h, "motdepasse") {
		t.Fatal("hash with explicit parameters not verified")
	}
	if !NeedsRehash(h) {
		t.Fatal("old parameters do not ask for a rehash")
	}
}

func TestMalformedHashesMatchNothing(t *testing.T) {
	for _, h := range []string{"", "motdepasse", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=999999999,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		"$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaGhhc2hoYXNoaGFzaA"} {
		if Verify(h, "motdepasse") || Verify(h, "") {
			t.Fatalf("malformed hash %q matched", h)
		}
	}
}

func TestCheck(t *testing.T) {
	if Check("court") != ErrTooShort || Check(strings.Repeat("x", MaxLength+1)) != ErrTooLong || Check("assez long") != nil {
		t.Fatal("Check bounds")
	}
	if Check("éééééééé") != nil {
		t.Fatal("8 accented letters are 8 characters")
	}
}
