package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Pointer returns the value at the JSON pointer p (RFC 6901) in doc, a
// value decoded by encoding/json into any.
func Pointer(doc any, p string) (any, error) {
	if p == "" {
		return doc, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("pointer %q does not start with /", p)
	}
	cur := doc
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			x, ok := v[tok]
			if !ok {
				return nil, fmt.Errorf("pointer %q: no member %q", p, tok)
			}
			cur = x
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) || (len(tok) > 1 && tok[0] == '0') {
				return nil, fmt.Errorf("pointer %q: no element %q", p, tok)
			}
			cur = v[i]
		default:
			return nil, fmt.Errorf("pointer %q: %q is below a scalar", p, tok)
		}
	}
	return cur, nil
}
