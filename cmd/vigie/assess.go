package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/law"
)

// assessNow is the clock of the assess command (the engine has none); tests
// replace it.
var assessNow = time.Now

func init() {
	register(func() *cobra.Command {
		var date, format, lang, encoding string
		var testimonies []string
		cmd := &cobra.Command{
			Use:   "assess FILE",
			Short: "Évalue un système d'IA à une date / assess an AI system as of a date",
			Long: "Lit un fichier système (vigie/system/v1) et affiche son évaluation à la date --date (par défaut aujourd'hui) : " +
				"niveau au titre du règlement IA, obligations de l'employeur, questions à poser, risques et lignes du DUERP.\n" +
				"Reads a system file (vigie/system/v1) and prints its assessment as of --date (default today): " +
				"AI Act tier, the employer's obligations, questions to ask, risks and DUERP lines.",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				d := vigie.DateInFrance(assessNow())
				if cmd.Flags().Changed("date") {
					p, err := vigie.ParseDate(date)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "--date : %q n'est pas une date AAAA-MM-JJ / --date: %q is not a YYYY-MM-DD date", date, date)
					}
					d = p
				}
				switch format {
				case "text", "json", "html":
				default:
					return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (text, json, html) / --format: unknown %q (text, json, html)", format, format)
				}
				l, err := law.ParseLang(lang)
				if err != nil {
					return vigie.Errorf(vigie.EINVALID, "--lang : %q inconnue (fr, en) / --lang: unknown %q (fr, en)", lang, lang)
				}
				path := args[0]
				raw, err := os.ReadFile(path)
				if err != nil {
					return &vigie.Error{Code: vigie.EINVALID, Err: err,
						Message: fmt.Sprintf("%s : fichier illisible / unreadable file: %v", path, strings.TrimPrefix(err.Error(), "open "+path+": "))}
				}
				raw, err = vigie.DecodeSystemFile(raw, encoding)
				if err != nil {
					return err
				}
				sys, err := vigie.ParseSystem(filepath.Base(path), raw)
				if err != nil {
					return err
				}
				if sys, err = tmWithTestimonies(sys, testimonies); err != nil {
					return err
				}
				a := assess.Evaluate(sys, d)
				out := cmd.OutOrStdout()
				switch format {
				case "json":
					b, err := a.JSON()
					if err != nil {
						return err
					}
					_, err = out.Write(b)
					return err
				case "html":
					return assess.RenderHTML(out, a, l)
				}
				return assess.RenderText(out, a, l)
			},
		}
		cmd.Flags().StringVar(&date, "date", "", "date de l'évaluation AAAA-MM-JJ (défaut : aujourd'hui) / assessment date YYYY-MM-DD (default: today)")
		cmd.Flags().StringVar(&format, "format", "text", "text, json ou html / text, json or html")
		cmd.Flags().StringVar(&encoding, "encoding", "", "encodage du fichier système : utf-8 (défaut) ou windows-1252 / the system file's encoding: utf-8 (default) or windows-1252")
		cmd.Flags().StringArrayVar(&testimonies, "testimony", nil, "résultats d'une campagne close (vigie testimony results --format json), en preuve des faits work.* ; répétable / results of a closed campaign (vigie testimony results --format json), as evidence for the work.* facts; repeatable")
		cmd.Flags().StringVar(&lang, "lang", "fr", "langue du texte et du HTML : fr ou en / language of text and HTML: fr or en")
		return cmd
	})
}
