package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/testimony"
)

func init() {
	register(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "testimony",
			Short: "Témoignages anonymes des salariés : campagne, résultats, textes libres / anonymous testimonies of workers: campaign, results, free texts",
			Long: `Un questionnaire anonyme sur un système : chaque question porte sur un effet du système sur
le travail (charge, erreurs à corriger, autonomie, surveillance ressentie, sens du métier,
opacité, discriminations, emploi, santé), sur une échelle de 0 à 3. Rien n'identifie qui a
répondu : ni adresse, ni heure (seule la semaine est gardée), ni petit effectif (aucun
chiffre sous la taille minimale de groupe). Le texte libre est chiffré ; la clé qui le lit
est donnée une seule fois, à la création, et n'est jamais gardée.

An anonymous questionnaire about a system: each question is about one effect of the system
on work, on a 0 to 3 scale. Nothing identifies who answered: no address, no time (only the
week is kept), no small group (no count below the minimum group size). The free text is
encrypted; the key that reads it is given once, at creation, and never kept.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return usageError{fmt.Errorf("sous-commande manquante : campaign, results, read ou close / missing subcommand: campaign, results, read or close")}
			},
		}
		cmd.AddCommand(tmCampaignCmd(), tmResultsCmd(), tmReadCmd(), tmCloseCmd())
		return cmd
	})
}

// tmCampaignOutput is what `testimony campaign --format json` prints.
type tmCampaignOutput struct {
	ID        string   `json:"id"`
	Path      string   `json:"path"`
	MinGroup  int      `json:"min_group"`
	Codes     []string `json:"codes"`
	Recipient string   `json:"recipient"`
	// Identity is printed only when no --identity-out file is given.
	Identity string `json:"identity,omitempty"`
}

// testimonyNow is the clock of the testimony commands.
var testimonyNow = time.Now

func tmCampaignCmd() *cobra.Command {
	var dsn, org, title, identityOut, format, opens, closes, recipient string
	var systems, units, questions []string
	var minGroup, codes, retention int
	cmd := &cobra.Command{
		Use:   "campaign --org ORGANISATION [--system ID] --title TITRE [--min-group K] [--codes N] [--identity-out FICHIER] [--format json]",
		Short: "Crée une campagne de témoignages et son lien public / create a testimony campaign and its public link",
		Long: `Crée la campagne et affiche son lien public (/t/…, à ouvrir sur le « vigie serve » de la même
base), ses codes papier (--codes N) et le destinataire age de ses textes libres. La clé
secrète qui déchiffre les textes libres est écrite dans --identity-out (fichier nouveau,
lisible par son seul propriétaire) et n'est gardée nulle part : sans elle, personne ne lit
les textes. Sans --identity-out, elle est affichée une fois.

Creates the campaign and prints its public link (/t/…, served by "vigie serve" on the same
database), its paper codes (--codes N) and the age recipient of its free texts. The secret
key that decrypts the free texts is written to --identity-out (a new file, readable by its
owner only) and kept nowhere: without it nobody reads the texts. Without --identity-out it
is printed once.`,
		Example: `  vigie testimony campaign --org "Section CGT" --system 0193… --title "Planification des tournées" --codes 40 --identity-out cle-temoignages.txt`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (text, json) / --format: unknown %q (text, json)", format, format)
			}
			tc := &vigie.TestimonyCampaign{Title: title, MinGroup: minGroup, SystemIDs: systems, Units: units, Questions: questions, RetentionDays: retention}
			if minGroup == 0 {
				return vigie.Errorf(vigie.EINVALID, "--min-group : au moins 3 / --min-group: at least 3")
			}
			if retention <= 0 {
				return vigie.Errorf(vigie.EINVALID, "--retention-days : au moins 1 jour / --retention-days: at least 1 day")
			}
			for flag, d := range map[string]struct {
				s   string
				dst *vigie.Date
			}{"--opens": {opens, &tc.OpensOn}, "--closes": {closes, &tc.ClosesOn}} {
				if d.s == "" {
					continue
				}
				v, err := vigie.ParseDate(d.s)
				if err != nil {
					return vigie.Errorf(vigie.EINVALID, "%s : date AAAA-MM-JJ attendue, trouvé %q / %s: expected a YYYY-MM-DD date, found %q", flag, d.s, flag, d.s)
				}
				*d.dst = v
			}
			var identity string
			if recipient != "" {
				rs, err := testimony.ParseRecipients(recipient)
				if err != nil {
					return stFlagError("--recipient", err)
				}
				tc.Recipients = rs
				if identityOut != "" {
					return vigie.Errorf(vigie.EINVALID, "--identity-out : inutile avec --recipient, la clé est déjà la vôtre / --identity-out: not needed with --recipient, the key is already yours")
				}
			} else {
				id, rcpt, err := testimony.NewIdentity()
				if err != nil {
					return err
				}
				identity, tc.Recipients = id, []string{rcpt}
			}
			var keyFile *os.File
			if identityOut != "" {
				// Opened first, so that a campaign is never made
				// whose key could not be written.
				f, err := os.OpenFile(identityOut, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
				if errors.Is(err, fs.ErrExist) {
					return vigie.Errorf(vigie.EINVALID, "--identity-out : %s existe déjà ; choisir un nouveau fichier (il pourrait tenir la clé d'une autre campagne) / --identity-out: %s already exists; choose a new file (it may hold another campaign's key)", identityOut, identityOut)
				}
				if err != nil {
					return vigie.Errorf(vigie.EINVALID, "--identity-out : %v", err)
				}
				keyFile = f
			}
			ctx := cmd.Context()
			db, err := stOpen(ctx, dsn)
			if err != nil {
				return tmAbandonKey(keyFile, err)
			}
			defer db.Close()
			o, err := stOrg(ctx, db, org)
			if err != nil {
				return tmAbandonKey(keyFile, err)
			}
			tc.OrgID = o.ID
			made, err := db.CreateCampaign(ctx, tc, codes)
			if err != nil {
				flag := map[string]string{"title": "--title", "min_group": "--min-group", "codes": "--codes", "system": "--system",
					"units": "--unit", "closes_on": "--closes", "retention_days": "--retention-days", "recipients": "--recipient"}[stFieldOf(err)]
				return tmAbandonKey(keyFile, stFlagError(flag, err))
			}
			out := tmCampaignOutput{ID: tc.ID, Path: "/t/" + tc.Token, MinGroup: tc.MinGroup, Codes: made, Recipient: strings.Join(tc.Recipients, "\n")}
			if out.Codes == nil {
				out.Codes = []string{}
			}
			if keyFile != nil {
				fmt.Fprintf(keyFile, "# vigie : clé secrète des textes libres de la campagne %s (%s)\n# vigie: secret key of the free texts of campaign %s\n# recipient: %s\n%s\n",
					tc.ID, tc.Title, tc.ID, out.Recipient, identity)
				if err := keyFile.Close(); err != nil {
					return fmt.Errorf("--identity-out : %w", err)
				}
			} else {
				out.Identity = identity
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				return tmJSON(w, out)
			}
			fmt.Fprintf(w, "campagne / campaign: %s\n", out.ID)
			fmt.Fprintf(w, "lien public / public link: %s\n", out.Path)
			fmt.Fprintf(w, "taille minimale de groupe / minimum group size: %d\n", out.MinGroup)
			fmt.Fprintf(w, "ouverte du %s au %s / open from %s to %s\n", tc.OpensOn, tc.ClosesOn, tc.OpensOn, tc.ClosesOn)
			fmt.Fprintf(w, "destinataire age / age recipient: %s\n", out.Recipient)
			if keyFile != nil {
				fmt.Fprintf(w, "clé secrète écrite dans / secret key written to: %s\n", identityOut)
			} else if identity != "" {
				fmt.Fprintf(w, "clé secrète, à garder en lieu sûr, jamais conservée par vigie / secret key, keep it safe, never kept by vigie:\n%s\n", identity)
			}
			if len(made) > 0 {
				fmt.Fprintln(w, "codes papier (à usage unique) / paper codes (single use):")
				for _, c := range made {
					fmt.Fprintln(w, c)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringArrayVar(&systems, "system", nil, "système concerné (identifiant ; répétable) / system concerned (id; repeatable)")
	f.StringVar(&title, "title", "", "titre de la campagne / the campaign's title")
	f.IntVar(&minGroup, "min-group", testimony.DefaultMinGroup, "taille minimale de groupe k : aucun chiffre sous k / minimum group size k: no count below k")
	f.IntVar(&codes, "codes", 0, "nombre de codes papier à usage unique / number of single-use paper codes")
	f.StringVar(&identityOut, "identity-out", "", "fichier (nouveau) où écrire la clé secrète des textes libres / new file to write the free texts' secret key to")
	f.StringVar(&recipient, "recipient", "", "votre propre destinataire age (age1…) au lieu d'une clé créée / your own age recipient (age1…) instead of a new key")
	f.StringVar(&opens, "opens", "", "ouverture AAAA-MM-JJ (défaut : aujourd'hui) / opening YYYY-MM-DD (default: today)")
	f.StringVar(&closes, "closes", "", "clôture AAAA-MM-JJ (défaut : 4 semaines) / closing YYYY-MM-DD (default: 4 weeks)")
	f.StringArrayVar(&units, "unit", nil, "unité de travail proposée (répétable ; défaut : celles des systèmes) / work unit offered (repeatable; default: the systems' units)")
	f.StringArrayVar(&questions, "question", nil, "question posée (identifiant ; répétable ; défaut : toutes) / question asked (id; repeatable; default: all)")
	f.IntVar(&retention, "retention-days", vigie.DefaultRetentionDays, "jours de conservation des textes libres après la clôture / days the free texts are kept after closing")
	f.StringVar(&format, "format", "text", "text | json")
	return cmd
}

// tmAbandonKey removes the key file opened for a campaign that was not made.
func tmAbandonKey(f *os.File, err error) error {
	if f != nil {
		f.Close()
		os.Remove(f.Name())
	}
	return err
}

func tmJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// tmCampaign finds --campaign in --org.
// tmOpenCampaign opens the database of --db and finds the campaign of
// --campaign in the organisation of --org; the caller closes the database.
func tmOpenCampaign(ctx context.Context, dsn, org, id string) (*store.DB, *vigie.TestimonyCampaign, error) {
	db, err := stOpen(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	tc, err := tmCampaign(ctx, db, org, id)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, tc, nil
}

func tmCampaign(ctx context.Context, db *store.DB, org, id string) (*vigie.TestimonyCampaign, error) {
	o, err := stOrg(ctx, db, org)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, vigie.Errorf(vigie.EINVALID, "--campaign : obligatoire / --campaign: required")
	}
	tc, err := db.FindCampaignByID(ctx, id)
	if vigie.ErrorCode(err) == vigie.ENOTFOUND || err == nil && tc.OrgID != o.ID {
		return nil, vigie.Errorf(vigie.EINVALID, "--campaign : campagne introuvable dans %s : %s / --campaign: no such campaign in %s: %s", o.Name, id, o.Name, id)
	}
	return tc, err
}

// tmResults aggregates the answers of a campaign.
func tmResults(ctx context.Context, db *store.DB, tc *vigie.TestimonyCampaign) (*testimony.Results, error) {
	answers, first, last, err := db.CampaignAnswers(ctx, tc.ID)
	if err != nil {
		return nil, err
	}
	return testimony.ResultsOf(tc, answers, first, last, vigie.DateInFrance(testimonyNow())), nil
}

func tmResultsCmd() *cobra.Command {
	var dsn, org, campaign, format, lang string
	cmd := &cobra.Command{
		Use:   "results --org ORGANISATION --campaign ID [--format json|text]",
		Short: "Affiche les résultats agrégés d'une campagne / print a campaign's aggregate results",
		Long: `Les réponses comptées par question : un chiffre sous la taille minimale de groupe est masqué
(null en JSON), ainsi que ceux qui permettraient de le retrouver à partir des autres et du
total. Rien n'est montré tant que moins de k personnes ont répondu. Jamais de texte libre.

Answers counted per question: a count below the minimum group size is hidden (null in
JSON), and so are those that would let it be derived from the others and the total.
Nothing is shown while fewer than k people answered. Never any free text.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (json, text) / --format: unknown %q (json, text)", format, format)
			}
			if err := stCheckLang(lang); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, tc, err := tmOpenCampaign(ctx, dsn, org, campaign)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := tmResults(ctx, db, tc)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				return tmJSON(w, res)
			}
			return tmResultsText(w, tc, res, lang)
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&campaign, "campaign", "", "identifiant de la campagne / the campaign's id")
	f.StringVar(&format, "format", "text", "text | json")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}

func tmResultsText(w io.Writer, tc *vigie.TestimonyCampaign, res *testimony.Results, lang string) error {
	fmt.Fprintf(w, "%s\n", tc.Title)
	if !res.Shown() {
		fmt.Fprintln(w, stMsg(lang, fmt.Sprintf("Moins de %d réponses : aucun résultat n'est montré.", res.MinGroup),
			fmt.Sprintf("Fewer than %d answers: no result is shown.", res.MinGroup)))
		return nil
	}
	fmt.Fprintln(w, stMsg(lang, fmt.Sprintf("%d réponses ; « masqué » : moins de %d, ou masqué pour protéger un petit effectif.", *res.Responses, res.MinGroup),
		fmt.Sprintf("%d answers; “hidden”: fewer than %d, or hidden to protect a small group.", *res.Responses, res.MinGroup)))
	tables := res.Questions
	if res.Units != nil {
		tables = append(tables, *res.Units)
	}
	for _, q := range tables {
		fmt.Fprintf(w, "\n%s\n", stMsg(lang, q.Text, q.TextEN))
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, c := range q.Cells {
			n := stMsg(lang, "masqué", "hidden")
			if c.Count != nil {
				n = fmt.Sprint(*c.Count)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", stMsg(lang, c.Label, c.LabelEN), n)
		}
		tw.Flush()
	}
	return nil
}

func tmReadCmd() *cobra.Command {
	var dsn, org, campaign, identityFile string
	cmd := &cobra.Command{
		Use:   "read --org ORGANISATION --campaign ID --identity FICHIER",
		Short: "Déchiffre et affiche les textes libres, mélangés / decrypt and print the free texts, shuffled",
		Long: `Affiche les textes libres de la campagne dans un ordre aléatoire, une fois que k personnes au
moins ont répondu. --identity est le fichier de la clé secrète donnée à la création.

Prints the campaign's free texts in a random order, once at least k people answered.
--identity is the file of the secret key given at creation.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if identityFile == "" {
				return vigie.Errorf(vigie.EINVALID, "--identity : obligatoire (fichier de la clé secrète) / --identity: required (the secret key file)")
			}
			raw, err := os.ReadFile(identityFile)
			if err != nil {
				return vigie.Errorf(vigie.EINVALID, "--identity : %v", err)
			}
			ids, err := testimony.ParseIdentity(string(raw))
			if err != nil {
				return stFlagError("--identity", err)
			}
			ctx := cmd.Context()
			db, tc, err := tmOpenCampaign(ctx, dsn, org, campaign)
			if err != nil {
				return err
			}
			defer db.Close()
			blobs, err := db.CampaignTexts(ctx, tc.ID)
			if err != nil {
				return err
			}
			texts, err := testimony.Open(blobs, ids)
			if err != nil {
				return stFlagError("--identity", err)
			}
			testimony.Shuffle(texts, rand.IntN)
			w := cmd.OutOrStdout()
			for i, t := range texts {
				if i > 0 {
					fmt.Fprintln(w, "---")
				}
				fmt.Fprintln(w, t)
			}
			if len(texts) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "aucun texte libre / no free text")
			}
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&campaign, "campaign", "", "identifiant de la campagne / the campaign's id")
	f.StringVar(&identityFile, "identity", "", "fichier de la clé secrète (AGE-SECRET-KEY-1…) / the secret key file (AGE-SECRET-KEY-1…)")
	return cmd
}

func tmCloseCmd() *cobra.Command {
	var dsn, org, campaign, date string
	cmd := &cobra.Command{
		Use:   "close --org ORGANISATION --campaign ID [--date AAAA-MM-JJ]",
		Short: "Clôt une campagne : plus aucune réponse / close a campaign: no more answers",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			day := vigie.DateInFrance(testimonyNow())
			if date != "" {
				d, err := vigie.ParseDate(date)
				if err != nil {
					return vigie.Errorf(vigie.EINVALID, "--date : date AAAA-MM-JJ attendue, trouvé %q / --date: expected a YYYY-MM-DD date, found %q", date, date)
				}
				day = d
			}
			ctx := cmd.Context()
			db, tc, err := tmOpenCampaign(ctx, dsn, org, campaign)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.CloseCampaign(ctx, tc.ID, day); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "campagne close le %s / campaign closed on %s\n", day, day)
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&campaign, "campaign", "", "identifiant de la campagne / the campaign's id")
	f.StringVar(&date, "date", "", "date de clôture (défaut : aujourd'hui) / closing date (default: today)")
	return cmd
}

// tmWithTestimonies adds to sys the evidence of the closed campaigns whose
// results (vigie testimony results --format json) are in files.
func tmWithTestimonies(sys *vigie.System, files []string) (*vigie.System, error) {
	for _, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, vigie.Errorf(vigie.EINVALID, "--testimony : %v", err)
		}
		var r testimony.Results
		if err := json.Unmarshal(raw, &r); err != nil || r.Schema != testimony.ResultsSchema {
			return nil, vigie.Errorf(vigie.EINVALID, "--testimony : %s n'est pas une sortie de « vigie testimony results --format json » (%s) / --testimony: %s is not an output of \"vigie testimony results --format json\" (%s)",
				path, testimony.ResultsSchema, path, testimony.ResultsSchema)
		}
		closed, ok := testimony.ClosedOf(&r)
		if !ok {
			return nil, vigie.Errorf(vigie.EINVALID, "--testimony : %s : la campagne n'est pas close / --testimony: %s: the campaign is not closed", path, path)
		}
		sys = testimony.Apply(sys, testimony.Observations(&r, closed))
	}
	return sys, nil
}
