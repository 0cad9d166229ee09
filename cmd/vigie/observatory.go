package main

import (
	"encoding/json"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
)

func init() {
	register(func() *cobra.Command {
		var dsn, org, format, lang, date string
		cmd := &cobra.Command{
			Use:   "observatory --org FÉDÉRATION [--format json|text|html]",
			Short: "Vue d'ensemble des systèmes partagés par les sections d'une fédération / the picture across a federation's sections",
			Long: `Compte les systèmes que les organisations membres (celles dont la chaîne de rattachement
atteint FÉDÉRATION) ont partagés avec elle, et les siens : par niveau de risque, domaine, éditeur,
secteur, état, obligation non respectée et risque élevé ; les postes supprimés, menacés et créés ;
les mises en service par mois ; les témoignages, dont les réponses d'une section ne sont comptées
qu'à partir de 11. Pour une section, donne sa propre vue (tous ses systèmes).

Counts the systems that member organisations (those whose parent chain reaches FEDERATION)
shared with it, and its own: by tier, domain, vendor, sector, status, unmet obligation and high
risk; the posts cut, threatened and created; first uses by month; testimonies, a section's
responses counting only from 11. For a section, gives its own picture (all its systems).`,
			Example: "  vigie observatory --db postgres://vigie@127.0.0.1/vigie --org \"Fédération CGT\" --format json",
			Args:    cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := stCheckLang(lang); err != nil {
					return err
				}
				switch format {
				case "json", "text", "html":
				default:
					return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (json, text, html) / unknown (json, text, html)", format)
				}
				if org == "" {
					return vigie.Errorf(vigie.EINVALID, "--org : obligatoire (nom ou identifiant de l'organisation) / --org: required (the organisation's name or id)")
				}
				day := vigie.DateInFrance(time.Now())
				if date != "" {
					d, err := vigie.ParseDate(date)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "--date : %v", err)
					}
					day = d
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
				res, err := db.Observatory(ctx, o.ID, day)
				if err != nil {
					return err
				}
				out := cmd.OutOrStdout()
				value := func(path, v string) string { return report.ValueWords(lang, path, v) }
				switch format {
				case "text":
					return res.WriteText(out, lang, value)
				case "html":
					return res.WriteHTML(out, lang, value)
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			},
		}
		f := cmd.Flags()
		stDBFlag(f, &dsn)
		f.StringVar(&org, "org", "", "fédération (nom ou identifiant) / federation (name or id)")
		f.StringVar(&format, "format", "json", "json | text | html")
		f.StringVar(&lang, "lang", "fr", "fr | en")
		f.StringVar(&date, "date", "", "date des évaluations des systèmes sans résumé (AAAA-MM-JJ ; défaut : aujourd'hui) / date for systems without a summary (default: today)")
		return cmd
	})
}
