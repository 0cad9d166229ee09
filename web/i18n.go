package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/vigie-app/vigie"
)

// The message catalogues: flat JSON files named NAME.LANG.json (facts.fr.json,
// ui.en.json…), French first.
//
//go:embed locales/*.json
var localeFS embed.FS

// Langs are the languages of the interface, the default first.
var Langs = []string{"fr", "en"}

const langCookie = "vigie_lang"

// catalog is the loaded messages, with the ones that take no data kept
// once rendered (a register page asks for the same column names on every
// row).
type catalog struct {
	b     *i18n.Bundle
	plain sync.Map // lang + "\x00" + id → string
}

func newBundle() (*catalog, error) {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	names, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(localeFS, name); err != nil {
			return nil, fmt.Errorf("web: %s: %w", name, err)
		}
	}
	return &catalog{b: b}, nil
}

// missing records the message ids asked for and not found, for the tests.
var missing sync.Map

// loc translates the messages of one request.
type loc struct {
	Lang string
	l    *i18n.Localizer
	c    *catalog
}

func newLoc(c *catalog, lang string) *loc {
	return &loc{Lang: lang, l: i18n.NewLocalizer(c.b, lang), c: c}
}

// T returns the message id in the request's language, filled with the
// optional pairs of key and value ("name", x). A missing message shows its
// id, so that a gap is visible rather than blank.
func (l *loc) T(id string, kv ...any) string {
	if len(kv) == 0 {
		key := l.Lang + "\x00" + id
		if s, ok := l.c.plain.Load(key); ok {
			return s.(string)
		}
		s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id})
		if err != nil {
			return l.missing(id)
		}
		l.c.plain.Store(key, s)
		return s
	}
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return l.missing(id)
	}
	return s
}

func (l *loc) missing(id string) string {
	slog.Debug("web: missing message", "id", id, "lang", l.Lang)
	missing.Store(l.Lang+":"+id, true)
	return id
}

// Has reports whether the message id exists.
func (l *loc) Has(id string) bool {
	_, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Value translates a fact's value for display: yes/no/unknown, enumerated
// values, lists of them.
func (l *loc) Value(path, v string) string {
	switch v {
	case "unknown":
		return l.T("value.unknown")
	case "true":
		return l.T("value.true")
	case "false":
		return l.T("value.false")
	case "[]":
		return l.T("value.none")
	case "":
		return l.T("value.empty")
	}
	if enumValues(path) != nil {
		parts := strings.Split(v, ", ")
		for i, p := range parts {
			if id := "enum." + path + "." + p; l.Has(id) {
				parts[i] = l.T(id)
			}
		}
		return strings.Join(parts, ", ")
	}
	return v
}

// requestLang picks the language: the cookie set by the switch, else the
// logged-in user's language, else French.
func requestLang(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains(Langs, c.Value) {
		return c.Value
	}
	if u := vigie.UserFromContext(r.Context()); u != nil && slices.Contains(Langs, u.Lang) {
		return u.Lang
	}
	return Langs[0]
}
