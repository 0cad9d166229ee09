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

// HoldDownloads takes every heavy download slot of s, as downloads in
// flight would, until release.
func HoldDownloads(s *Server) (release func()) {
	var rels []func()
	for {
		rel, ok := s.downloadSlot()
		if !ok {
			break
		}
		rels = append(rels, rel)
	}
	return func() {
		for _, r := range rels {
			r()
		}
	}
}
