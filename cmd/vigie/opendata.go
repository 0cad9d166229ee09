package main

import (
	"bytes"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/opendata"
)

func init() {
	register(func() *cobra.Command {
		var dsn, org, format, output, headers string
		cmd := &cobra.Command{
			Use:   "opendata --org ORGANISATION [--format csv|json] [--output FICHIER]",
			Short: "Écrit les données ouvertes d'une organisation / write an organisation's open data",
			Long: `Écrit les systèmes que l'organisation a marqués publics, aux noms d'attributs du standard
Eurocities ATS 0.3.1 (et des champs vigie_), sous Licence Ouverte 2.0 (etalab-2.0), avec le
producteur et la date de dernière mise à jour. CSV : UTF-8 avec BOM, point-virgule ; --headers fr
donne des en-têtes en français. Jamais de pièce, de note, de nom de personne ni de témoignage.

Writes the systems the organisation marked public, with the attribute names of the Eurocities ATS
0.3.1 (plus vigie_ fields), under the Licence Ouverte 2.0 (etalab-2.0), with the producer and the
last-update date. CSV: UTF-8 with BOM, semicolons; --headers fr gives French headers. Never a
document, note, person's name or testimony.`,
			Example: "  vigie opendata --org \"Section CGT du plateau\" --format csv --output donnees.csv",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if format != "csv" && format != "json" {
					return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (csv, json) / unknown (csv, json)", format)
				}
				if headers != "ats" && headers != "fr" {
					return vigie.Errorf(vigie.EINVALID, "--headers : %q inconnu (ats, fr) / unknown (ats, fr)", headers)
				}
				if org == "" {
					return vigie.Errorf(vigie.EINVALID, "--org : obligatoire (nom ou identifiant de l'organisation) / --org: required (the organisation's name or id)")
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
				_, systems, wps, last, err := db.OpenData(ctx, o.ID)
				if err != nil {
					return err
				}
				ds := opendata.New(o.Name, systems, wps, last, vigie.DateInFrance(time.Now()))
				var b bytes.Buffer
				if format == "csv" {
					err = ds.WriteCSV(&b, headers == "fr")
				} else {
					err = ds.WriteJSON(&b)
				}
				if err != nil {
					return err
				}
				if output == "" {
					_, err = cmd.OutOrStdout().Write(b.Bytes())
					return err
				}
				return os.WriteFile(output, b.Bytes(), 0o644)
			},
		}
		f := cmd.Flags()
		stDBFlag(f, &dsn)
		f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
		f.StringVar(&format, "format", "csv", "csv | json")
		f.StringVar(&output, "output", "", "fichier à écrire (défaut : la sortie standard) / file to write (default: standard output)")
		f.StringVar(&headers, "headers", "ats", "en-têtes CSV : ats (noms du standard) ou fr / CSV headers: ats (the standard's names) or fr")
		return cmd
	})
}
