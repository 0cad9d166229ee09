package testimony

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"

	"github.com/vigie-app/vigie"
)

// NewIdentity makes a new age X25519 identity: the secret that decrypts a
// campaign's free texts ("AGE-SECRET-KEY-1…"), handed once to the section
// and never stored, and its public recipient ("age1…"), which is stored.
func NewIdentity() (identity, recipient string, err error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	return id.String(), id.Recipient().String(), nil
}

// ParseRecipients checks age recipients, one per line ("age1…"; blank lines
// and # comments skipped). None, or a bad one, is EINVALID.
func ParseRecipients(text string) ([]string, error) {
	rs, err := age.ParseRecipients(strings.NewReader(text))
	if err != nil {
		return nil, &vigie.Error{Code: vigie.EINVALID, Field: "recipients", Message: "destinataire age invalide (une clé age1… par ligne) / invalid age recipient (one age1… key per line)", Err: err}
	}
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(rs) != len(out) {
		return nil, vigie.Errorf(vigie.EINVALID, "destinataire age invalide / invalid age recipient")
	}
	return out, nil
}

// Seal encrypts a free text to the campaign's recipients. The result is an
// age file: it starts with "age-encryption.org/v1".
func Seal(text string, recipients []string) ([]byte, error) {
	rs, err := age.ParseRecipients(strings.NewReader(strings.Join(recipients, "\n")))
	if err != nil {
		return nil, fmt.Errorf("testimony: recipients: %w", err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("testimony: no recipient")
	}
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		return nil, err
	}
	if _, err := io.WriteString(w, text); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ParseIdentity reads an age identity file or pasted key (lines of
// "AGE-SECRET-KEY-1…", # comments allowed). A bad one is EINVALID.
func ParseIdentity(text string) ([]age.Identity, error) {
	ids, err := age.ParseIdentities(strings.NewReader(text))
	if err != nil {
		return nil, &vigie.Error{Code: vigie.EINVALID, Field: "identity", Message: "clé secrète age invalide (AGE-SECRET-KEY-1…) / invalid age secret key (AGE-SECRET-KEY-1…)", Err: err}
	}
	return ids, nil
}

// Open decrypts the free texts sealed for the campaign with its identity.
// A text that this identity cannot open is EINVALID: the key is not the
// campaign's.
func Open(blobs [][]byte, ids []age.Identity) ([]string, error) {
	out := make([]string, 0, len(blobs))
	for _, b := range blobs {
		r, err := age.Decrypt(bytes.NewReader(b), ids...)
		if err != nil {
			return nil, &vigie.Error{Code: vigie.EINVALID, Field: "identity", Message: "cette clé ne déchiffre pas les textes de cette campagne / this key does not decrypt this campaign's texts", Err: err}
		}
		t, err := io.ReadAll(r)
		if err != nil {
			return nil, &vigie.Error{Code: vigie.EINVALID, Field: "identity", Message: "texte chiffré illisible / unreadable encrypted text", Err: err}
		}
		out = append(out, string(t))
	}
	return out, nil
}

// Shuffle puts texts in a random order, so that their order says nothing of
// when they were written. rnd returns a random integer in [0, n).
func Shuffle(texts []string, rnd func(n int) int) {
	for i := len(texts) - 1; i > 0; i-- {
		j := rnd(i + 1)
		texts[i], texts[j] = texts[j], texts[i]
	}
}
