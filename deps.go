//go:build tools

// This file pins the modules that the project's packages are built with, so
// that go.mod lists them while the packages that use them are being written.
package vigie

import (
	_ "codeberg.org/go-pdf/fpdf"
	_ "github.com/alexedwards/scs/v2"
	_ "github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/arran4/golang-ical"
	_ "github.com/chromedp/chromedp"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/go-chi/httprate"
	_ "github.com/goccy/go-yaml"
	_ "github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/nicksnyder/go-i18n/v2/i18n"
	_ "github.com/pressly/goose/v3"
	_ "github.com/yuin/goldmark"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/charmap"
	_ "gonum.org/v1/plot"
	_ "modernc.org/sqlite"
)
