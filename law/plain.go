package law

import (
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// procedureNames are the words for the deadline procedures that rule texts
// cite by their reference (PROC-A…PROC-E).
var procedureNames = map[string]Text{
	"PROC-A": {FR: "procédure de consultation du CSE", EN: "CSE consultation procedure"},
	"PROC-B": {FR: "procédure de demande RGPD", EN: "GDPR request procedure"},
	"PROC-C": {FR: "procédure de demande à l'administration puis à la CADA", EN: "request to the administration, then to the CADA"},
	"PROC-D": {FR: "procédure de demande d'analyse d'impact", EN: "impact-assessment request procedure"},
	"PROC-E": {FR: "procédure de demande d'explication d'une décision", EN: "procedure to request an explanation of a decision"},
}

var (
	plainOnce sync.Once
	plainRe   *regexp.Regexp
)

// Plain rewrites a text written for the rule base into words for a reader:
// every rule id (CT-INFO, AIA-6-3…) becomes the rule's title in quotes and
// every procedure reference (PROC-A…) its name. Ids are for tags and JSON,
// never inside a sentence a user reads.
func (b *Base) Plain(l Lang, s string) string {
	if s == "" || b == nil {
		return s
	}
	// The texts are the rule base's, few and asked for on every page:
	// each is rewritten once (at most plainMemoMax of them are kept).
	k := plainKey{b, l, s}
	if v, ok := plainMemo.Load(k); ok {
		return v.(string)
	}
	out := b.plain(l, s)
	if plainMemoN.Add(1) <= plainMemoMax {
		plainMemo.Store(k, out)
	}
	return out
}

// plainMemo keeps the answers of Plain.
var (
	plainMemo  sync.Map // plainKey → string
	plainMemoN atomic.Int64
)

const plainMemoMax = 20000

type plainKey struct {
	b *Base
	l Lang
	s string
}

func (b *Base) plain(l Lang, s string) string {
	plainOnce.Do(func() {
		var ids []string
		for _, r := range b.rules {
			ids = append(ids, regexp.QuoteMeta(r.ID))
		}
		for id := range procedureNames {
			ids = append(ids, regexp.QuoteMeta(id))
		}
		// Longest first: AIA-26-7 before AIA-26.
		sort.Slice(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
		plainRe = regexp.MustCompile(`(^|[^\pL\pN-])(` + strings.Join(ids, "|") + `)($|[^\pL\pN-])`)
	})
	open, close := "« ", " »"
	if l == EN {
		open, close = "“", "”"
	}
	// A match eats the character after it; loop until none is left, so
	// that "CT-NT, CT-SURV" has both ids rewritten.
	for range 8 {
		out := plainRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := plainRe.FindStringSubmatch(m)
			name := ""
			if r := b.byID[sub[2]]; r != nil {
				name = open + r.Title.In(l) + close
			} else if p, ok := procedureNames[sub[2]]; ok {
				name = p.In(l)
			} else {
				return m
			}
			return sub[1] + name + sub[3]
		})
		if out == s {
			break
		}
		s = out
	}
	return groupThousands(s, l)
}

// thousandsRe finds a number written with breaking spaces between its
// groups of three digits (7 500, 1 000 000).
var thousandsRe = regexp.MustCompile(`(^|[^\pN.,])(\d{1,3}(?: \d{3})+)($|[^\pN])`)

// groupThousands joins the groups of such a number with a narrow no-break
// space in French, a comma in English, so that it never breaks across
// lines and reads in the reader's language.
func groupThousands(s string, l Lang) string {
	sep := "\u202f"
	if l == EN {
		sep = ","
	}
	for range 4 {
		out := thousandsRe.ReplaceAllStringFunc(s, func(m string) string {
			sub := thousandsRe.FindStringSubmatch(m)
			return sub[1] + strings.ReplaceAll(sub[2], " ", sep) + sub[3]
		})
		if out == s {
			break
		}
		s = out
	}
	return s
}
