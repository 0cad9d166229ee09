package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func init() {
	register(func() *cobra.Command {
		var dsn, lang string
		cmd := &cobra.Command{
			Use:   "migrate",
			Short: "Met la base de données à jour / bring the database schema up to date",
			Long: `Applique les migrations en attente à la base (SQLite par défaut, ou PostgreSQL avec
--db postgres://…). Les autres commandes le font aussi à l'ouverture ; celle-ci dit ce
qu'elle a appliqué.

Applies the pending migrations to the database (SQLite by default, or PostgreSQL with
--db postgres://…). The other commands do it too when they open the database; this one
says what it applied.`,
			Example: "  vigie migrate\n  vigie migrate --db postgres://vigie@127.0.0.1/vigie",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := stCheckLang(lang); err != nil {
					return err
				}
				ctx := cmd.Context()
				db, err := store.OpenWith(ctx, dsn, store.Options{SkipMigrate: true})
				if err != nil {
					return err
				}
				defer db.Close()
				v, n, err := db.MigrateVersion(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), stMsg(lang,
					fmt.Sprintf("base %s à jour : schéma en version %d (%d migration(s) appliquée(s))", db.Dialect(), v, n),
					fmt.Sprintf("%s database up to date: schema version %d (%d migration(s) applied)", db.Dialect(), v, n)))
				return nil
			},
		}
		stDBFlag(cmd.Flags(), &dsn)
		cmd.Flags().StringVar(&lang, "lang", "fr", "fr | en")
		return cmd
	})
}

// Helpers shared by the commands that use the store (import, export, user,
// backup, migrate, org). Their names start with "st".

// stDBFlag adds --db.
func stDBFlag(f *pflag.FlagSet, dsn *string) {
	f.StringVar(dsn, "db", store.DefaultPath, "base de données : fichier SQLite ou URL postgres://… / database: SQLite file or postgres://… URL")
}

// stOpen opens the store named by --db.
func stOpen(ctx context.Context, dsn string) (*store.DB, error) {
	if dsn == "" {
		return nil, vigie.Errorf(vigie.EINVALID, "--db : valeur vide / --db: empty value")
	}
	return store.Open(ctx, dsn)
}

// stOrg finds the organisation named by --org (a name or an id).
func stOrg(ctx context.Context, db *store.DB, ref string) (*vigie.Organisation, error) {
	if ref == "" {
		return nil, vigie.Errorf(vigie.EINVALID, "--org : obligatoire (nom ou identifiant de l'organisation) / --org: required (the organisation's name or id)")
	}
	o, err := db.FindOrganisationByRef(ctx, ref)
	if vigie.ErrorCode(err) == vigie.ENOTFOUND {
		return nil, vigie.Errorf(vigie.EINVALID, "--org : organisation introuvable : %s (voir : vigie org list) / --org: organisation not found: %s (see: vigie org list)", ref, ref)
	}
	return o, err
}

// stCheckLang refuses a --lang other than fr or en.
func stCheckLang(l string) error {
	if l != "fr" && l != "en" {
		return vigie.Errorf(vigie.EINVALID, "--lang : %q inconnu (fr, en) / --lang: unknown %q (fr, en)", l, l)
	}
	return nil
}

// stMsg picks the text of the language.
func stMsg(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

// stFlagError wraps err as bad input on flag, unless it is already one.
func stFlagError(flag string, err error) error {
	switch vigie.ErrorCode(err) {
	case vigie.EINVALID, vigie.ECONFLICT, vigie.ENOTFOUND:
		msg := vigie.ErrorMessage(err)
		if flag != "" {
			msg = flag + " : " + msg
		}
		return &vigie.Error{Code: vigie.EINVALID, Message: msg, Err: err}
	}
	return err
}
