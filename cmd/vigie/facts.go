package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
)

func init() {
	register(func() *cobra.Command {
		var format string
		cmd := &cobra.Command{
			Use:   "facts FILE [--format json|yaml]",
			Short: "Relit un fichier système et l'écrit tel que vigie le comprend / read a system file and print it as vigie reads it",
			Long: "Vérifie un fichier système (vigie/system/v1) et l'écrit, normalisé, en JSON (par défaut) ou en YAML : " +
				"les faits inconnus valent « unknown ». C'est la source des chiffres d'un dossier qui sont des faits (emplois…).\n" +
				"Checks a system file (vigie/system/v1) and prints it, normalised, as JSON (default) or YAML: unknown facts " +
				"are \"unknown\". It is the source of the figures of a dossier that are facts (jobs…).",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if format != "json" && format != "yaml" {
					return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (json, yaml) / --format: unknown %q (json, yaml)", format, format)
				}
				path := args[0]
				raw, err := os.ReadFile(path)
				if err != nil {
					return &vigie.Error{Code: vigie.EINVALID, Err: err,
						Message: fmt.Sprintf("%s : fichier illisible / unreadable file: %v", path, strings.TrimPrefix(err.Error(), "open "+path+": "))}
				}
				sys, err := vigie.ParseSystem(filepath.Base(path), raw)
				if err != nil {
					return err
				}
				b, err := stMarshalSystem(sys, format)
				if err != nil {
					return err
				}
				_, err = cmd.OutOrStdout().Write(b)
				return err
			},
		}
		cmd.Flags().StringVar(&format, "format", "json", "json ou yaml / json or yaml")
		return cmd
	})
}
