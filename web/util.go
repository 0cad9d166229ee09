package web

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/vigie-app/vigie"
)

func asMaxBytes(err error, target **http.MaxBytesError) bool {
	if errors.As(err, target) {
		return true
	}
	if err != nil && strings.Contains(err.Error(), "request body too large") {
		*target = &http.MaxBytesError{Limit: MaxUploadBytes}
		return true
	}
	return false
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug returns an ASCII file name stem for s.
func slug(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if r < 128 {
			b.WriteRune(r)
		}
	}
	out := strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-")
	if len(out) > 60 {
		out = strings.Trim(out[:60], "-")
	}
	if out == "" {
		out = "systeme"
	}
	return out
}

func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}

func asVigie(err error, target **vigie.Error) bool { return errors.As(err, target) }
