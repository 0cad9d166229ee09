// Package password hashes and checks account passwords with argon2id
// (RFC 9106), stored as a PHC string:
//
//	$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>
//
// with the salt and hash in unpadded standard base64. The parameters travel
// with each hash, so that they can be raised without breaking old accounts.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The parameters of new hashes: 64 MiB, 2 passes, 1 lane (above the OWASP
// minimum of 19 MiB, 2 passes).
const (
	Memory  = 64 * 1024 // KiB
	Time    = 2
	Threads = 1
	saltLen = 16
	keyLen  = 32
)

// MinLength and MaxLength bound a new password, in bytes.
const (
	MinLength = 8
	MaxLength = 1024
)

// ErrTooShort and ErrTooLong are returned by Check.
var (
	ErrTooShort = fmt.Errorf("mot de passe trop court (au moins %d caractères) / password too short (at least %d characters)", MinLength, MinLength)
	ErrTooLong  = fmt.Errorf("mot de passe trop long (au plus %d octets) / password too long (at most %d bytes)", MaxLength, MaxLength)
)

// Check returns an error when pw may not be used as a new password.
func Check(pw string) error {
	if len([]rune(pw)) < MinLength {
		return ErrTooShort
	}
	if len(pw) > MaxLength {
		return ErrTooLong
	}
	return nil
}

// Hash returns the argon2id PHC string of pw with a fresh random salt.
func Hash(pw string) (string, error) {
	if len(pw) > MaxLength {
		return "", ErrTooLong
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, Time, Memory, Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, Memory, Time, Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

type params struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

var errFormat = errors.New("password: not an argon2id PHC string")

func parse(hash string) (*params, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return nil, errFormat
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return nil, errFormat
	}
	p := &params{}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return nil, errFormat
	}
	// Refuse absurd parameters rather than burn memory on a forged hash.
	if p.memory < 8 || p.memory > 4*1024*1024 || p.time < 1 || p.time > 64 || p.threads < 1 {
		return nil, errFormat
	}
	var err error
	b64 := base64.RawStdEncoding
	if p.salt, err = b64.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return nil, errFormat
	}
	if p.key, err = b64.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 128 {
		return nil, errFormat
	}
	return p, nil
}

// Verify reports whether pw matches hash, in constant time with respect to
// the hash's bytes. A malformed hash matches nothing.
func Verify(hash, pw string) bool {
	p, err := parse(hash)
	if err != nil || len(pw) > MaxLength {
		return false
	}
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// NeedsRehash reports whether hash was made with other parameters than
// today's, so that the caller may rehash the password at the next login.
func NeedsRehash(hash string) bool {
	p, err := parse(hash)
	return err != nil || p.memory != Memory || p.time != Time || p.threads != Threads || len(p.key) != keyLen
}
