package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
)

func init() {
	register(func() *cobra.Command {
		var (
			procedure, from, format, lang string
			at                            []string
			o                             deadline.Options
		)
		cmd := &cobra.Command{
			Use:   "deadline --procedure P --from AAAA-MM-JJ",
			Short: "Calcule une chaîne de délais légaux / compute a legal deadline chain",
			Long: "Calcule les échéances d'une procédure, mois pour mois, avec leur fondement et leur niveau de confiance.\n" +
				"Une échéance qui tombe un samedi, un dimanche ou un jour férié est signalée, pas déplacée.\n" +
				"Computes the due dates of a procedure, month for month, with their basis and confidence.\n" +
				"A due date on a Saturday, Sunday or public holiday is flagged, not moved.\n\n" +
				"Procédures / procedures: " + strings.Join(deadline.IDs(), ", "),
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := dlCheckFormat(format, "text", "json"); err != nil {
					return err
				}
				if err := dlCheckLang(lang); err != nil {
					return err
				}
				if strings.TrimSpace(procedure) == "" {
					return vigie.Errorf(vigie.EINVALID, "--procedure : obligatoire (%s) / required (%s)",
						strings.Join(deadline.IDs(), ", "), strings.Join(deadline.IDs(), ", "))
				}
				if strings.TrimSpace(from) == "" {
					return vigie.Errorf(vigie.EINVALID, "--from : obligatoire (AAAA-MM-JJ) / required (YYYY-MM-DD)")
				}
				start, err := vigie.ParseDate(from)
				if err != nil {
					return vigie.Errorf(vigie.EINVALID, "--from : %v", err)
				}
				if len(at) > 0 {
					o.At = map[string]vigie.Date{}
					for _, a := range at {
						name, val, ok := strings.Cut(a, "=")
						if !ok {
							return vigie.Errorf(vigie.EINVALID, "--at %s : attendu ÉVÉNEMENT=AAAA-MM-JJ / expected EVENT=YYYY-MM-DD", a)
						}
						d, err := vigie.ParseDate(val)
						if err != nil {
							return vigie.Errorf(vigie.EINVALID, "--at %s : %v", a, err)
						}
						o.At[strings.TrimSpace(name)] = d
					}
				}
				steps, err := deadline.Compute(procedure, start, o)
				if err != nil {
					return err
				}
				p, _ := deadline.Lookup(procedure)
				if format == "json" {
					return writeDeadlineJSON(cmd.OutOrStdout(), steps, lang)
				}
				return writeDeadlineText(cmd.OutOrStdout(), p, start, o, steps, lang)
			},
		}
		f := cmd.Flags()
		f.StringVar(&procedure, "procedure", "", "procédure / procedure: "+strings.Join(deadline.IDs(), ", "))
		f.StringVar(&from, "from", "", "point de départ AAAA-MM-JJ / starting date YYYY-MM-DD")
		f.BoolVar(&o.Expert, "expert", false, "expert désigné (cse-consultation, dpia) / an expert was appointed")
		f.BoolVar(&o.MultiLevel, "multi-level", false, "expertises aux niveaux central et établissement (cse-consultation, dpia) / expertise at central and establishment level")
		f.BoolVar(&o.Extended, "extended", false, "délai RGPD prolongé avec motifs (gdpr-request) / GDPR delay extended with reasons")
		f.BoolVar(&o.Public, "public", false, "employeur public (dpia) / public employer")
		f.IntVar(&o.Dismissals, "dismissals", 0, "nombre de licenciements du projet (pse-consultation) / number of dismissals of the project")
		f.BoolVar(&o.AlsaceMoselle, "alsace-moselle", false, "jours fériés d'Alsace-Moselle (Vendredi saint, 26 décembre) / Alsace-Moselle public holidays")
		f.StringArrayVar(&at, "at", nil, "date réelle d'un événement, ÉVÉNEMENT=AAAA-MM-JJ (ex. refusal, cada-registered) / actual date of an event")
		f.StringVar(&format, "format", "text", "text | json")
		f.StringVar(&lang, "lang", "fr", "fr | en")
		return cmd
	})
}

// dlCheckFormat returns an EINVALID error naming --format when f is not allowed.
func dlCheckFormat(f string, allowed ...string) error {
	for _, a := range allowed {
		if f == a {
			return nil
		}
	}
	return vigie.Errorf(vigie.EINVALID, "--format : %q inconnu (%s) / unknown %q (%s)",
		f, strings.Join(allowed, ", "), f, strings.Join(allowed, ", "))
}

// dlCheckLang returns an EINVALID error naming --lang unless it is fr or en.
func dlCheckLang(l string) error {
	if l == "fr" || l == "en" {
		return nil
	}
	return vigie.Errorf(vigie.EINVALID, "--lang : %q inconnu (fr, en) / unknown %q (fr, en)", l, l)
}

// deadlineJSON is one step of `vigie deadline --format json`. The contract
// (spec/cli.md) fixes step, due, basis and note; the rest is added.
type deadlineJSON struct {
	Step           string   `json:"step"`
	Due            string   `json:"due"`
	Basis          string   `json:"basis"`
	Note           string   `json:"note"`
	Label          string   `json:"label"`
	Number         string   `json:"number"`
	Kind           string   `json:"kind"`
	Procedure      string   `json:"procedure"`
	Confidence     string   `json:"confidence"`
	ConfidenceNote string   `json:"confidence_note,omitempty"`
	Anchor         string   `json:"anchor,omitempty"`
	AnchorDate     string   `json:"anchor_date,omitempty"`
	Assumed        bool     `json:"assumed"`
	Weekday        string   `json:"weekday"`
	NonWorking     []string `json:"non_working,omitempty"`
	Unmoved        string   `json:"unmoved,omitempty"`
	Warning        string   `json:"warning,omitempty"`
	Warnings       []string `json:"warnings"`
	WarningCodes   []string `json:"warning_codes"`
}

func writeDeadlineJSON(w io.Writer, steps []deadline.Step, lang string) error {
	out := make([]deadlineJSON, 0, len(steps))
	for _, s := range steps {
		j := deadlineJSON{
			Step: s.ID, Due: s.Due.String(), Basis: s.Basis.In(lang), Note: s.Note.In(lang),
			Label: s.Label.In(lang), Number: s.Number, Kind: s.Kind, Procedure: s.Procedure,
			Confidence: s.Confidence, ConfidenceNote: s.ConfidenceNote.In(lang),
			Anchor: s.Anchor, Assumed: s.Assumed, Weekday: dlWeekday(s.Due, lang),
			Warnings: []string{}, WarningCodes: []string{},
		}
		if !s.AnchorDate.IsZero() {
			j.AnchorDate = s.AnchorDate.String()
		}
		if !s.Unmoved.IsZero() {
			j.Unmoved = s.Unmoved.String()
		}
		for _, n := range s.NonWorking {
			j.NonWorking = append(j.NonWorking, n.In(lang))
		}
		for _, wr := range s.Warnings {
			j.Warnings = append(j.Warnings, wr.Text.In(lang))
			j.WarningCodes = append(j.WarningCodes, wr.Code)
		}
		j.Warning = strings.Join(j.Warnings, " ")
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

var (
	dlWeekdaysFR = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	dlWeekdaysEN = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func dlWeekday(d vigie.Date, lang string) string {
	if lang == "en" {
		return dlWeekdaysEN[d.Weekday()]
	}
	return dlWeekdaysFR[d.Weekday()]
}

var dlConfidenceFR = map[string]string{
	deadline.Verified: "vérifié", deadline.Secondary: "sources secondaires", deadline.Unverified: "non vérifié",
}

func writeDeadlineText(w io.Writer, p deadline.Procedure, start vigie.Date, o deadline.Options, steps []deadline.Step, lang string) error {
	en := lang == "en"
	tr := func(fr, e string) string {
		if en {
			return e
		}
		return fr
	}
	var opts []string
	for _, x := range []struct {
		on   bool
		name string
	}{{o.Expert || o.MultiLevel, "expert"}, {o.MultiLevel, "multi-level"}, {o.Extended, "extended"},
		{o.Public, "public"}, {o.AlsaceMoselle, "alsace-moselle"}} {
		if x.on {
			opts = append(opts, x.name)
		}
	}
	fmt.Fprintf(w, "%s (%s)\n", p.Title.In(lang), p.Ref)
	fmt.Fprintf(w, "%s %s (%s)", tr("Point de départ :", "Starting point:"), start, dlWeekday(start, lang))
	if len(opts) > 0 {
		fmt.Fprintf(w, " — %s %s", tr("options :", "options:"), strings.Join(opts, ", "))
	}
	fmt.Fprintln(w)
	anyOff := false
	for _, s := range steps {
		kind := map[string]string{
			deadline.KindStart:    tr("départ", "start"),
			deadline.KindDeadline: tr("échéance", "deadline"),
			deadline.KindFrom:     tr("à partir du", "from"),
		}[s.Kind]
		fmt.Fprintf(w, "\n%-5s %s %-9s %-12s %s\n", s.Number, s.Due, dlWeekday(s.Due, lang), kind, s.Label.In(lang))
		conf := s.Confidence
		if !en {
			conf = dlConfidenceFR[s.Confidence]
		}
		if n := s.ConfidenceNote.In(lang); n != "" {
			conf += " — " + n
		}
		fmt.Fprintf(w, "      %s %s (%s)\n", tr("Fondement :", "Basis:"), s.Basis.In(lang), conf)
		if n := s.Note.In(lang); n != "" {
			fmt.Fprintf(w, "      %s %s\n", tr("Note :", "Note:"), n)
		}
		for _, wr := range s.Warnings {
			fmt.Fprintf(w, "      ⚠ %s\n", wr.Text.In(lang))
			if wr.Code == "non-working-day" || wr.Code == "moved" {
				anyOff = true
			}
		}
	}
	if anyOff {
		fmt.Fprintf(w, "\n%s %s\n", tr("Jours fériés :", "Public holidays:"), deadline.HolidayBasis.In(lang))
	}
	fmt.Fprintf(w, "\n%s\n", tr(
		"Délais comptés mois pour mois (même quantième, ou dernier jour d'un mois plus court). Calcul indicatif : vérifier les accords applicables.",
		"Delays counted month for month (same day number, or the last day of a shorter month). For guidance: check any applicable agreement."))
	return nil
}
