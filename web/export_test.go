package web

import "sort"

// MissingMessages returns the "lang:id" of every message asked for and not
// found since the process started.
func MissingMessages() []string {
	var out []string
	missing.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	sort.Strings(out)
	return out
}
