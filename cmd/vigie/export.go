package main

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ats"
	"github.com/vigie-app/vigie/store"
)

func init() {
	register(func() *cobra.Command {
		var dsn, org, system, format string
		cmd := &cobra.Command{
			Use:   "export --org ORGANISATION [--system ID] [--format yaml|json|csv]",
			Short: "Exporte une fiche système ou tout le registre / export a system file or the whole register",
			Long: `Avec --system, écrit la fiche du système (vigie/system/v1) en YAML (par défaut) ou en JSON,
que « vigie import » relit telle quelle. Sans --system, écrit tout le registre de
l'organisation en CSV (par défaut) ou en JSON, avec les noms d'attributs du standard de
transparence algorithmique d'Eurocities 0.3.1, puis les champs propres à vigie (vigie_…).

With --system, writes the system file (vigie/system/v1) as YAML (default) or JSON, which
"vigie import" reads back as is. Without --system, writes the organisation's whole register
as CSV (default) or JSON, with the attribute names of the Eurocities Algorithmic
Transparency Standard 0.3.1, then vigie's own fields (vigie_…).`,
			Example: "  vigie export --org \"Section CGT\" --system 0193… > systeme.yaml\n  vigie export --org \"Section CGT\" --format csv > registre.csv",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if system != "" {
					if format == "" {
						format = "yaml"
					}
					if format != "yaml" && format != "json" {
						return vigie.Errorf(vigie.EINVALID, "--format : %q impossible pour une fiche système (yaml, json) / --format: %q not possible for a system file (yaml, json)", format, format)
					}
				} else {
					if format == "" {
						format = "csv"
					}
					if format != "csv" && format != "json" {
						return vigie.Errorf(vigie.EINVALID, "--format : %q impossible pour le registre (csv, json) / --format: %q not possible for the register (csv, json)", format, format)
					}
				}
				ctx := cmd.Context()
				db, err := stOpen(ctx, dsn)
				if err != nil {
					return err
				}
				defer db.Close()
				o, err := stOrg(ctx, db, org)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				if system != "" {
					r, err := db.FindSystemByID(ctx, system)
					if err == nil && r.OrgID != o.ID {
						err = vigie.Errorf(vigie.ENOTFOUND, "")
					}
					if vigie.ErrorCode(err) == vigie.ENOTFOUND {
						return vigie.Errorf(vigie.EINVALID, "--system : système %s introuvable dans « %s » / --system: system %s not found in “%s”", system, o.Name, system, o.Name)
					}
					if err != nil {
						return err
					}
					b, err := stMarshalSystem(&r.System, format)
					if err != nil {
						return err
					}
					_, err = out.Write(b)
					return err
				}
				return stExportRegister(cmd.Context(), db, o, format, out)
			},
		}
		f := cmd.Flags()
		stDBFlag(f, &dsn)
		f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
		f.StringVar(&system, "system", "", "identifiant du système à exporter / id of the system to export")
		f.StringVar(&format, "format", "", "yaml | json (une fiche / a system), csv | json (le registre / the register)")
		return cmd
	})
}

// stMarshalSystem writes a system file that ParseSystem reads back.
func stMarshalSystem(sys *vigie.System, format string) ([]byte, error) {
	c := *sys
	c.Schema = vigie.SystemSchema
	if format == "json" {
		b, err := json.MarshalIndent(&c, "", "  ")
		return append(b, '\n'), err
	}
	return yaml.MarshalWithOptions(&c, yaml.UseLiteralStyleIfMultiline(true))
}

// stExportRegister writes the register of o in the ATS format.
func stExportRegister(ctx context.Context, db *store.DB, o *vigie.Organisation, format string, w io.Writer) error {
	systems, _, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: o.ID})
	if err != nil {
		return err
	}
	wps, err := db.FindWorkplaces(ctx, o.ID)
	if err != nil {
		return err
	}
	recs := ats.Records(o.Name, systems, wps, vigie.DateInFrance(time.Now()))
	if format == "json" {
		return ats.WriteJSON(w, recs)
	}
	return ats.WriteCSV(w, recs)
}
