package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
	"github.com/vigie-app/vigie/report/gather"
	"github.com/vigie-app/vigie/store"
)

// dossierNow is the clock of the dossier command; tests replace it.
var dossierNow = assessNow

func init() {
	register(func() *cobra.Command {
		var date, audience, format, output, lang, dsn, org, system string
		cmd := &cobra.Command{
			Use:   "dossier [FICHIER-SYSTÈME] [--db DSN --org ORG --system ID]",
			Short: "Écrit le dossier d'un système (HTML, PDF, ODT, JSON) / write a system's dossier",
			Long: "Écrit un document sur un système pour une réunion du CSE, l'inspection du travail, un juge ou la presse : " +
				"synthèse, faits et sources, évaluation, démarches, preuves, bordereau des pièces numérotées, et en annexe " +
				"la commande qui reproduit chaque chiffre. Depuis un fichier système, il contient ce que le fichier contient ; " +
				"depuis la base (--db, --org, --system), aussi les documents, démarches, rapports et témoignages conservés.\n" +
				"Writes one document about a system for a staff-committee meeting, the labour inspector, a judge or the press: " +
				"summary, facts and sources, assessment, actions, proofs, the numbered list of exhibits, and as an annex the " +
				"command that reproduces every figure. From a system file it holds what the file holds; from the database " +
				"(--db, --org, --system) also the stored documents, actions, reports and testimonies.",
			Example: "  vigie dossier systeme.yaml --format pdf --output dossier.pdf\n  vigie dossier --db vigie.db --org \"Section CGT\" --system 0193… --audience court --format odt --output dossier.odt",
			Args:    cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				d := vigie.DateInFrance(dossierNow())
				if cmd.Flags().Changed("date") {
					p, err := vigie.ParseDate(date)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "--date : %q n'est pas une date AAAA-MM-JJ / --date: %q is not a YYYY-MM-DD date", date, date)
					}
					d = p
				}
				if !slices.Contains(report.Audiences, audience) {
					return vigie.Errorf(vigie.EINVALID, "--audience : %q inconnu (cse, inspection, court, public) / --audience: unknown %q (cse, inspection, court, public)", audience, audience)
				}
				if !slices.Contains(report.Formats, format) {
					return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (html, pdf, odt, json) / --format: unknown %q (html, pdf, odt, json)", format, format)
				}
				if err := stCheckLang(lang); err != nil {
					return err
				}
				fromDB := cmd.Flags().Changed("db") || org != "" || system != ""
				var in report.Input
				record := func(string) error { return nil }
				switch {
				case fromDB && len(args) > 0:
					return vigie.Errorf(vigie.EINVALID, "un fichier système ou --db/--org/--system, pas les deux / a system file or --db/--org/--system, not both")
				case fromDB:
					if system == "" {
						return vigie.Errorf(vigie.EINVALID, "--system : obligatoire avec --db / --system: required with --db")
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
					rec, err := db.FindSystemByID(ctx, system)
					if err == nil && rec.OrgID != o.ID {
						err = vigie.Errorf(vigie.ENOTFOUND, "")
					}
					if vigie.ErrorCode(err) == vigie.ENOTFOUND {
						return vigie.Errorf(vigie.EINVALID, "--system : système %s introuvable dans « %s » / --system: system %s not found in “%s”", system, o.Name, system, o.Name)
					}
					if err != nil {
						return err
					}
					sv := dossierServices(db)
					if in, err = gather.Stored(ctx, sv, o.Name, rec, d, vigie.DateInFrance(dossierNow())); err != nil {
						return err
					}
					if err := gather.Keep(ctx, sv, &in); err != nil {
						return err
					}
					record = func(sum string) error {
						return db.RecordDossier(ctx, rec.ID, fmt.Sprintf("%s %s %s sha256 %s", format, audience, d, sum))
					}
				case len(args) == 1:
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
					in = gather.FromFile(sys, d)
				default:
					return vigie.Errorf(vigie.EINVALID, "donnez un fichier système, ou --db, --org et --system / give a system file, or --db, --org and --system")
				}
				in.Audience, in.Lang = audience, lang
				doc, err := report.Build(in)
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := doc.Write(&buf, format); err != nil {
					return err
				}
				if output == "" || output == "-" {
					if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
						return err
					}
				} else if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
					return &vigie.Error{Code: vigie.EINVALID, Err: err, Message: fmt.Sprintf("--output : %v", err)}
				}
				sum := sha256.Sum256(buf.Bytes())
				return record(hex.EncodeToString(sum[:]))
			},
		}
		f := cmd.Flags()
		f.StringVar(&date, "date", "", "date de la situation AAAA-MM-JJ (défaut : aujourd'hui) / as-of date YYYY-MM-DD (default: today)")
		f.StringVar(&audience, "audience", report.AudienceCSE, "cse, inspection, court ou public / cse, inspection, court or public")
		f.StringVar(&format, "format", report.FormatHTML, "html, pdf, odt ou json (le manifeste) / html, pdf, odt or json (the manifest)")
		f.StringVar(&output, "output", "", "fichier à écrire (défaut : la sortie standard) / file to write (default: standard output)")
		f.StringVar(&lang, "lang", "fr", "langue : fr ou en / language: fr or en")
		f.StringVar(&dsn, "db", store.DefaultPath, "base de données : fichier SQLite ou URL postgres://… / database: SQLite file or postgres://… URL")
		f.StringVar(&org, "org", "", "organisation (nom ou identifiant), avec --db / organisation (name or id), with --db")
		f.StringVar(&system, "system", "", "identifiant du système, avec --db / id of the system, with --db")
		return cmd
	})
}

// dossierServices are the store's services a dossier reads.
func dossierServices(db *store.DB) gather.Services {
	return gather.Services{Workplaces: db, Documents: db, Actions: db, Reports: db, Testimony: db, Dossiers: db}
}
