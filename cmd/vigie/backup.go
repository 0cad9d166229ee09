package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
)

func init() {
	register(func() *cobra.Command {
		var dsn, to, lang string
		cmd := &cobra.Command{
			Use:   "backup --to FICHIER",
			Short: "Sauvegarde la base SQLite dans un nouveau fichier / back up the SQLite database to a new file",
			Long: `Écrit une copie cohérente de la base SQLite (VACUUM INTO), même pendant que le serveur
tourne. Le fichier ne doit pas exister. Pour PostgreSQL, utiliser pg_dump.

Writes a consistent copy of the SQLite database (VACUUM INTO), even while the server runs.
The file must not exist. For PostgreSQL, use pg_dump.`,
			Example: "  vigie backup --to sauvegardes/vigie-2026-11-26.db",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := stCheckLang(lang); err != nil {
					return err
				}
				if to == "" {
					return vigie.Errorf(vigie.EINVALID, "--to : obligatoire (le fichier de sauvegarde) / --to: required (the backup file)")
				}
				ctx := cmd.Context()
				db, err := stOpen(ctx, dsn)
				if err != nil {
					return err
				}
				defer db.Close()
				if err := db.Backup(ctx, to); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), stMsg(lang, "sauvegarde écrite : "+to, "backup written: "+to))
				return nil
			},
		}
		stDBFlag(cmd.Flags(), &dsn)
		cmd.Flags().StringVar(&to, "to", "", "fichier de sauvegarde (nouveau) / backup file (new)")
		cmd.Flags().StringVar(&lang, "lang", "fr", "fr | en")
		return cmd
	})
}
