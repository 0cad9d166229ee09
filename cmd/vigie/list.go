package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

// stListCmd builds a "list" subcommand: --db, --format text|json and
// --lang, the items fetched from the store, printed as indented JSON (an
// empty list as []) or as a table written by text.
func stListCmd[T any](short string, fetch func(context.Context, *store.DB) ([]T, error),
	text func(tw *tabwriter.Writer, out io.Writer, lang string, items []T) error) *cobra.Command {
	var dsn, format, lang string
	cmd := &cobra.Command{
		Use:   "list [--format text|json]",
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			if format != "text" && format != "json" {
				return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (text, json) / --format: unknown %q (text, json)", format, format)
			}
			ctx := cmd.Context()
			db, err := stOpen(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			items, err := fetch(ctx, db)
			if err != nil {
				return err
			}
			// Names come from users: the listing goes through a buffer
			// and leaves with no terminal control sequence in it.
			var buf bytes.Buffer
			if format == "json" {
				if items == nil {
					items = []T{}
				}
				e := json.NewEncoder(&buf)
				e.SetIndent("", "  ")
				if err := e.Encode(items); err != nil {
					return err
				}
			} else if err := text(tabwriter.NewWriter(&buf, 0, 4, 2, ' ', 0), &buf, lang, items); err != nil {
				return err
			}
			_, err = io.WriteString(cmd.OutOrStdout(), terminalSafe(buf.String(), format == "json"))
			return err
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&format, "format", "text", "text | json")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}

// terminalSafe replaces the control characters of s other than line feed
// and tab (ESC, CR, C1, the Unicode separators, invalid UTF-8) by their
// escaped form, so that a name cannot move the cursor, clear the screen or
// set the title of the terminal that prints it. In JSON the escape is
// JSON's own (\u009b), so the output stays valid JSON.
func terminalSafe(s string, jsonEscapes bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteString("\ufffd")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029:
			if jsonEscapes {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\x%02x`, r)
			}
		default:
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}
