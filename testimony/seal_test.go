package testimony

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSealOpen(t *testing.T) {
	id, rcpt, err := NewIdentity()
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := NewIdentity()
	blob, err := Seal("le chef surveille nos pauses", []string{rcpt})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(blob, []byte("age-encryption.org/v1")) || bytes.Contains(blob, []byte("pauses")) {
		t.Fatalf("not an age file: %q", blob[:40])
	}
	ids, err := ParseIdentity(id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Open([][]byte{blob}, ids)
	if err != nil || got[0] != "le chef surveille nos pauses" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	wrong, _ := ParseIdentity(other)
	if _, err := Open([][]byte{blob}, wrong); err == nil {
		t.Fatal("another identity decrypted the text")
	}
	if _, err := ParseIdentity("not a key"); err == nil {
		t.Fatal("bad identity accepted")
	}
	if _, err := ParseRecipients("age1nope"); err == nil {
		t.Fatal("bad recipient accepted")
	}
	if rs, err := ParseRecipients("# section\n" + rcpt + "\n"); err != nil || len(rs) != 1 {
		t.Fatalf("ParseRecipients = %v, %v", rs, err)
	}
}

func TestShuffleKeepsEveryText(t *testing.T) {
	texts := []string{"a", "b", "c", "d", "e"}
	got := slices.Clone(texts)
	r := rand.New(rand.NewPCG(1, 2))
	Shuffle(got, r.IntN)
	slices.Sort(got)
	if !slices.Equal(got, texts) {
		t.Fatalf("Shuffle lost texts: %v", got)
	}
}
