package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	reg "github.com/vigie-app/vigie/register"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

func init() {
	register(func() *cobra.Command {
		var dsn, org, system, format, lang, columns string
		cmd := &cobra.Command{
			Use:   "export --org ORGANISATION [--system ID] [--format yaml|json|csv|ods] [--lang fr|en] [--columns ats]",
			Short: "Exporte une fiche système ou tout le registre / export a system file or the whole register",
			Long: `Avec --system, écrit la fiche du système (vigie/system/v1) en YAML (par défaut) ou en JSON,
que « vigie import » relit telle quelle. Sans --system, écrit tout le registre de
l'organisation, un système après l'autre :
  csv (par défaut), ods : en-têtes et valeurs en mots, en français (--lang en : en anglais) ;
      le CSV s'ouvre tel quel dans LibreOffice ou Excel réglés en français (UTF-8 avec BOM,
      points-virgules) ;
  csv --columns ats : les noms d'attributs du standard de transparence algorithmique
      d'Eurocities 0.3.1, puis les champs propres à vigie (vigie_…), en CSV RFC 4180 ;
  json : les mêmes noms d'attributs que --columns ats.
Dans tout CSV ou ODS, une cellule qui commence par = + - @, une tabulation ou un retour
chariot reçoit une apostrophe devant, pour qu'aucun tableur ne la lise comme une formule.

With --system, writes the system file (vigie/system/v1) as YAML (default) or JSON, which
"vigie import" reads back as is. Without --system, writes the organisation's whole register,
one system at a time:
  csv (default), ods: headers and values in words, in French (--lang en: in English); the
      CSV opens as is in LibreOffice or Excel set to French (UTF-8 with a BOM, semicolons);
  csv --columns ats: the attribute names of the Eurocities Algorithmic Transparency
      Standard 0.3.1, then vigie's own fields (vigie_…), as RFC 4180 CSV;
  json: the same attribute names as --columns ats.
In every CSV or ODS, a cell that starts with = + - @, a tab or a carriage return gets a
leading apostrophe, so that no spreadsheet reads it as a formula.`,
			Example: "  vigie export --org \"Section CGT\" --system 0193… > systeme.yaml\n  vigie export --org \"Section CGT\" > registre.csv\n  vigie export --org \"Section CGT\" --format ods --lang en > register.ods\n  vigie export --org \"Section CGT\" --columns ats > registre-ats.csv",
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
					if format != reg.CSV && format != reg.JSON && format != reg.ODS {
						return vigie.Errorf(vigie.EINVALID, "--format : %q impossible pour le registre (csv, ods, json) / --format: %q not possible for the register (csv, ods, json)", format, format)
					}
				}
				if lang != "fr" && lang != "en" {
					return vigie.Errorf(vigie.EINVALID, "--lang : %q inconnue (fr, en) / --lang: unknown %q (fr, en)", lang, lang)
				}
				if columns != reg.ColumnsWords && columns != reg.ColumnsATS {
					return vigie.Errorf(vigie.EINVALID, "--columns : %q inconnu (ats, ou rien pour les colonnes en mots) / --columns: unknown %q (ats, or nothing for columns in words)", columns, columns)
				}
				if columns == reg.ColumnsATS && (system != "" || format != reg.CSV) {
					return vigie.Errorf(vigie.EINVALID, "--columns ats : seulement pour le registre en CSV (le JSON a toujours ces noms) / --columns ats: only for the register as CSV (JSON always has these names)")
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
				return stExportRegister(cmd.Context(), db, o, reg.Options{Format: format, Columns: columns, Lang: lang}, out)
			},
		}
		f := cmd.Flags()
		stDBFlag(f, &dsn)
		f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
		f.StringVar(&system, "system", "", "identifiant du système à exporter / id of the system to export")
		f.StringVar(&format, "format", "", "yaml | json (une fiche / a system), csv | ods | json (le registre / the register)")
		f.StringVar(&lang, "lang", "fr", "langue des en-têtes et des valeurs du CSV et de l'ODS (fr, en) / language of the CSV and ODS headers and values (fr, en)")
		f.StringVar(&columns, "columns", "", "ats : CSV aux noms du standard Eurocities 0.3.1 / ats: CSV with the Eurocities 0.3.1 names")
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

// stExportRegister writes the register of o, one system at a time.
func stExportRegister(ctx context.Context, db *store.DB, o *vigie.Organisation, opt reg.Options, w io.Writer) error {
	wps, err := db.FindWorkplaces(ctx, o.ID)
	if err != nil {
		return err
	}
	date := vigie.DateInFrance(time.Now())
	opt.Organisation = o.Name
	if opt.Labels, err = web.Messages(opt.Lang); err != nil {
		return err
	}
	opt.Sheet = opt.Labels.T("export.sheet")
	bw := bufio.NewWriterSize(w, 64<<10)
	rw, err := reg.New(bw, opt)
	if err != nil {
		return err
	}
	if err := reg.Stream(ctx, db, o.ID, wps, date, rw, nil); err != nil {
		return err
	}
	return bw.Flush()
}
