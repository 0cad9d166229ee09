package main

import (
	"context"
	"encoding/json"
	"io"
	"text/tabwriter"

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
			out := cmd.OutOrStdout()
			if format == "json" {
				if items == nil {
					items = []T{}
				}
				e := json.NewEncoder(out)
				e.SetIndent("", "  ")
				return e.Encode(items)
			}
			return text(tabwriter.NewWriter(out, 0, 4, 2, ' ', 0), out, lang, items)
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&format, "format", "text", "text | json")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}
