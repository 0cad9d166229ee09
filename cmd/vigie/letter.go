package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/letters"
)

// letterNow is the clock of the letter command (the engines have none);
// tests replace it.
var letterNow = time.Now

func init() {
	register(func() *cobra.Command {
		var (
			template, system, date, format, lang, output string
			requestDate, refusalDate, encoding           string
			list                                         bool
			d                                            letters.Data
		)
		cmd := &cobra.Command{
			Use:   "letter --template ID --system FICHIER",
			Short: "Rédige une lettre ou une demande, remplie à partir d'un système / write a letter or request filled from a system",
			Long: "Remplit une lettre (demande de consultation du CSE, expertise, DUERP, AIPD, règles d'un algorithme, code source, CADA, " +
				"accès RGPD, plainte CNIL, F3SCT, AI Act art. 26(7)) avec les faits du fichier système et son évaluation à --date.\n" +
				"Fills a letter from the system file's facts and its assessment as of --date.\n\n" +
				"Lettres / letters: " + strings.Join(letters.IDs(), ", "),
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := dlCheckLang(lang); err != nil {
					return err
				}
				if list {
					return writeLetterList(cmd, lang)
				}
				if err := dlCheckFormat(format, letters.Formats...); err != nil {
					return err
				}
				if strings.TrimSpace(template) == "" {
					return vigie.Errorf(vigie.EINVALID, "--template : obligatoire (%s) / required (%s)",
						strings.Join(letters.IDs(), ", "), strings.Join(letters.IDs(), ", "))
				}
				if _, ok := letters.Lookup(template); !ok {
					return vigie.Errorf(vigie.EINVALID, "--template : lettre inconnue %q (connues : %s) / unknown letter %q (known: %s)",
						template, strings.Join(letters.IDs(), ", "), template, strings.Join(letters.IDs(), ", "))
				}
				if strings.TrimSpace(system) == "" {
					return vigie.Errorf(vigie.EINVALID, "--system : fichier système obligatoire / a system file is required")
				}
				d.Date = vigie.DateInFrance(letterNow())
				if cmd.Flags().Changed("date") {
					p, err := vigie.ParseDate(date)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "--date : %v", err)
					}
					d.Date = p
				}
				for _, x := range []struct {
					flag, val string
					dst       *vigie.Date
				}{{"--request-date", requestDate, &d.RequestSentOn}, {"--refusal-date", refusalDate, &d.RefusalOn}} {
					if x.val == "" {
						continue
					}
					p, err := vigie.ParseDate(x.val)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "%s : %v", x.flag, err)
					}
					*x.dst = p
				}
				raw, err := os.ReadFile(system)
				if err != nil {
					return &vigie.Error{Code: vigie.EINVALID, Err: err,
						Message: fmt.Sprintf("--system %s : fichier illisible / unreadable file: %v", system,
							strings.TrimPrefix(err.Error(), "open "+system+": "))}
				}
				raw, err = vigie.DecodeSystemFile(raw, encoding)
				if err != nil {
					return err
				}
				sys, err := vigie.ParseSystem(filepath.Base(system), raw)
				if err != nil {
					return err
				}
				d.System = sys
				d = letters.WithAssessment(d, assess.Evaluate(sys, d.Date))
				// Render into memory first: bad input writes nothing.
				var buf bytes.Buffer
				if err := letters.Render(template, d, lang, format, &buf); err != nil {
					return err
				}
				// The sender's notes go to the screen (standard error), never
				// into the letter.
				if doc, err := letters.Build(template, d, lang); err == nil && doc.NotesText() != "" {
					defer fmt.Fprint(cmd.ErrOrStderr(), "\n"+doc.NotesText())
				}
				if output == "" || output == "-" {
					_, err := cmd.OutOrStdout().Write(buf.Bytes())
					return err
				}
				if err := os.WriteFile(output, buf.Bytes(), 0o644); err != nil {
					return &vigie.Error{Code: vigie.EINVALID, Err: err,
						Message: fmt.Sprintf("--output %s : écriture impossible / cannot write: %v", output, err)}
				}
				return nil
			},
		}
		f := cmd.Flags()
		f.StringVar(&template, "template", "", "la lettre / the letter: "+strings.Join(letters.IDs(), ", "))
		f.StringVar(&system, "system", "", "fichier système (vigie/system/v1) / system file")
		f.StringVar(&date, "date", "", "date de la lettre AAAA-MM-JJ (défaut : aujourd'hui) / date of the letter (default: today)")
		f.StringVar(&format, "format", "text", "text | html | odt | pdf")
		f.StringVar(&lang, "lang", "fr", "fr | en")
		f.StringVar(&encoding, "encoding", "", "encodage du fichier système : utf-8 (défaut) ou windows-1252 / the system file's encoding: utf-8 (default) or windows-1252")
		f.StringVarP(&output, "output", "o", "", "fichier de sortie (défaut : sortie standard) / output file (default: stdout)")
		f.StringVar(&d.Sender, "sender", "", "expéditeur / sender")
		f.StringVar(&d.Addressee, "addressee", "", "destinataire / addressee")
		f.StringVar(&d.Place, "place", "", "lieu (« À Lyon, le … ») / place")
		f.StringVar(&d.Signatory, "signatory", "", "signataire / signatory")
		f.StringVar(&d.Requester, "requester", "", "nom de la personne qui fait une demande personnelle (RGPD, L311-3-1) / name of the person making a personal request")
		f.StringVar(&requestDate, "request-date", "", "date de la demande initiale (CADA, CNIL) AAAA-MM-JJ / date of the earlier request")
		f.StringVar(&refusalDate, "refusal-date", "", "date d'un refus exprès AAAA-MM-JJ / date of an express refusal")
		f.StringArrayVar(&d.Documents, "document", nil, "document demandé (saisine CADA), répétable / document requested (CADA referral), repeatable")
		f.BoolVar(&d.AlsaceMoselle, "alsace-moselle", false, "jours fériés d'Alsace-Moselle dans les échéances / Alsace-Moselle public holidays in the deadlines")
		f.BoolVar(&list, "list", false, "liste les lettres / list the letters")
		return cmd
	})
}

func writeLetterList(cmd *cobra.Command, lang string) error {
	w := cmd.OutOrStdout()
	for _, l := range letters.Catalogue() {
		fmt.Fprintf(w, "%-34s %s\n", l.ID, l.Title.In(lang))
		var meta []string
		meta = append(meta, dlTr(lang, "règles : ", "rules: ")+strings.Join(l.Rules, ", "))
		if l.Procedure != "" {
			meta = append(meta, dlTr(lang, "délais : ", "deadlines: ")+l.Procedure)
		}
		if l.Next != "" {
			meta = append(meta, dlTr(lang, "ensuite : ", "next: ")+l.Next+" ("+l.NextAfter+")")
		}
		if l.From != "" {
			meta = append(meta, dlTr(lang, "à partir du ", "from ")+l.From)
		}
		fmt.Fprintf(w, "%-34s %s\n", "", strings.Join(meta, " — "))
	}
	return nil
}

func dlTr(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}
