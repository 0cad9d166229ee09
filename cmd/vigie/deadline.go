package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law/deadline"
	"github.com/vigie-app/vigie/letters"
)

func init() {
	register(func() *cobra.Command {
		var (
			procedure, from, format, lang string
			system, body, encoding        string
			at                            []string
			o                             deadline.Options
		)
		cmd := &cobra.Command{
			Use:   "deadline --procedure P --from AAAA-MM-JJ | --system FICHIER --body INSTANCE",
			Short: "Calcule une chaîne de délais légaux / compute a legal deadline chain",
			Long: "Calcule les échéances d'une procédure, mois pour mois, avec leur fondement et leur niveau de confiance.\n" +
				"Une échéance qui tombe un samedi, un dimanche ou un jour férié est signalée, pas déplacée.\n" +
				"Computes the due dates of a procedure, month for month, with their basis and confidence.\n" +
				"A due date on a Saturday, Sunday or public holiday is flagged, not moved.\n\n" +
				"Avec --system et --body, la chaîne part de la consultation de cette instance telle que le fichier\n" +
				"système l'enregistre : date de transmission des informations par l'employeur, expert, niveaux.\n" +
				"With --system and --body, the chain starts from that body's consultation as the system file\n" +
				"records it: the employer's transmission date, the expert, the levels.\n" +
				"Instances / bodies: " + strings.Join(dlBodies(), ", ") + "\n\n" +
				"Procédures / procedures: " + strings.Join(deadline.IDs(), ", "),
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := dlCheckFormat(format, "text", "json"); err != nil {
					return err
				}
				if err := dlCheckLang(lang); err != nil {
					return err
				}
				var notes []deadline.Text
				var start vigie.Date
				if system != "" || body != "" {
					var err error
					start, notes, err = dlFromSystem(system, body, encoding, from, &procedure, &o)
					if err != nil {
						return err
					}
				}
				if strings.TrimSpace(procedure) == "" {
					return vigie.Errorf(vigie.EINVALID, "--procedure : obligatoire (%s) / required (%s)",
						strings.Join(deadline.IDs(), ", "), strings.Join(deadline.IDs(), ", "))
				}
				if start.IsZero() {
					if strings.TrimSpace(from) == "" {
						return vigie.Errorf(vigie.EINVALID, "--from : obligatoire (AAAA-MM-JJ), ou --system et --body / required (YYYY-MM-DD), or --system and --body")
					}
					d, err := vigie.ParseDate(from)
					if err != nil {
						return vigie.Errorf(vigie.EINVALID, "--from : %v", err)
					}
					start = d
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
					for _, n := range notes {
						fmt.Fprintln(cmd.ErrOrStderr(), n.In(lang))
					}
					return writeDeadlineJSON(cmd.OutOrStdout(), steps, lang)
				}
				for _, n := range notes {
					fmt.Fprintln(cmd.ErrOrStderr(), n.In(lang))
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
		f.StringVar(&system, "system", "", "fichier système dont la chaîne part (avec --body) / system file the chain starts from (with --body)")
		f.StringVar(&body, "body", "", "instance consultée, lue dans --system / staff body consulted, read from --system: "+strings.Join(dlBodies(), ", "))
		f.StringVar(&encoding, "encoding", "", "encodage du fichier système : utf-8 (défaut) ou windows-1252 / the system file's encoding: utf-8 (default) or windows-1252")
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

// dlBodies are the staff bodies whose consultation has a deadline chain.
func dlBodies() []string {
	var out []string
	for _, b := range vigie.StaffBodies {
		if letters.BodyProcedures[b] != "" {
			out = append(out, b)
		}
	}
	return out
}

// dlFromSystem reads the consultation of body in the system file path: the
// chain's procedure, its starting date (the employer's transmission of the
// information) and its options (an expert; both levels with an expertise).
// The flags add options, never remove them. It returns the notes to print
// on what the file leaves open.
func dlFromSystem(path, body, encoding, from string, procedure *string, o *deadline.Options) (vigie.Date, []deadline.Text, error) {
	bodies := strings.Join(dlBodies(), ", ")
	switch {
	case path == "":
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID, "--body : seulement avec --system FICHIER / only with --system FILE")
	case body == "":
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID, "--body : obligatoire avec --system (%s) / required with --system (%s)", bodies, bodies)
	case from != "":
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID, "--from : pas avec --system, la chaîne part de la date de transmission enregistrée pour l'instance / not with --system, the chain starts from the transmission date recorded for the body")
	case !slices.Contains(vigie.StaffBodies, body):
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID, "--body : instance inconnue %q (%s) / unknown staff body %q (%s)",
			body, strings.Join(vigie.StaffBodies, ", "), body, strings.Join(vigie.StaffBodies, ", "))
	}
	proc := letters.BodyProcedures[body]
	if proc == "" && body == "cssct" {
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID,
			"--body cssct : la CSSCT n'est pas consultée en propre, la consultation est celle du CSE (--body cse) / the CSSCT is not consulted in its own right, the consultation is the CSE's (--body cse)")
	}
	if proc == "" {
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID,
			"--body %s : aucune chaîne de délais n'est enregistrée pour cette instance (aucun délai d'avis vérifié, aucun avis réputé rendu dans la fonction publique : l'avis doit précéder la décision) ; instances avec une chaîne : %s / "+
				"no deadline chain is recorded for this body (no verified delay for its opinion, no deemed opinion in the public service: the opinion must come before the decision); bodies with a chain: %s",
			body, bodies, bodies)
	}
	if *procedure != "" && *procedure != proc {
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID, "--procedure %s : la consultation de l'instance %s suit la chaîne %s / the consultation of body %s follows the chain %s",
			*procedure, body, proc, body, proc)
	}
	*procedure = proc
	raw, err := os.ReadFile(path)
	if err != nil {
		return vigie.Date{}, nil, &vigie.Error{Code: vigie.EINVALID, Err: err,
			Message: fmt.Sprintf("--system %s : fichier illisible / unreadable file: %v", path, strings.TrimPrefix(err.Error(), "open "+path+": "))}
	}
	if raw, err = vigie.DecodeSystemFile(raw, encoding); err != nil {
		return vigie.Date{}, nil, err
	}
	sys, err := vigie.ParseSystem(filepath.Base(path), raw)
	if err != nil {
		return vigie.Date{}, nil, err
	}
	c, start, co, ok := letters.ConsultationChain(sys, []string{body})
	if !c.Found {
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID,
			"--body %s : %s ne décrit pas la consultation de cette instance (ni deployment.consultations, ni les champs d'une seule instance pour la première instance) / %s does not describe this body's consultation (neither deployment.consultations nor the single-body fields for the first body)",
			body, path, path)
	}
	if !ok {
		return vigie.Date{}, nil, vigie.Errorf(vigie.EINVALID,
			"--body %s : %s n'enregistre pas la date de transmission des informations par l'employeur (%s) ; le délai ne court que de cette date / %s records no date of the employer's transmission of the information (%s); the delay runs only from that date",
			body, path, c.Path["received"], path, c.Path["received"])
	}
	p, _ := deadline.Lookup(proc)
	var notes []deadline.Text
	if slices.Contains(p.Options, deadline.OptExpert) {
		o.Expert = o.Expert || co.Expert
		if !c.Expert.Known() && !o.Expert {
			notes = append(notes, deadline.Text{
				FR: fmt.Sprintf("Note : le fichier ne dit pas si un expert a été désigné (%s) ; chaîne comptée sans expert (--expert pour le compter).", c.Path["expert"]),
				EN: fmt.Sprintf("Note: the file does not say whether an expert was appointed (%s); chain counted without one (--expert to count one).", c.Path["expert"])})
		}
	}
	if slices.Contains(p.Options, deadline.OptMultiLevel) {
		o.MultiLevel = o.MultiLevel || co.MultiLevel
		if (o.Expert || c.Expert.True()) && c.Levels == "" && !o.MultiLevel {
			notes = append(notes, deadline.Text{
				FR: fmt.Sprintf("Note : le fichier ne dit pas à quels niveaux se tient la consultation (%s) ; chaîne comptée à un seul niveau (--multi-level pour les deux niveaux avec une expertise).", c.Path["levels"]),
				EN: fmt.Sprintf("Note: the file does not say at which levels the consultation is held (%s); chain counted at one level (--multi-level for both levels with an expertise).", c.Path["levels"])})
		}
	}
	if !c.OpinionOn.IsZero() {
		notes = append(notes, deadline.Text{
			FR: fmt.Sprintf("Note : un avis a été rendu le %s (%s) : la consultation est close à cette date.", c.OpinionOn, c.Path["opinion"]),
			EN: fmt.Sprintf("Note: an opinion was given on %s (%s): the consultation closed on that date.", c.OpinionOn, c.Path["opinion"])})
	}
	return start, notes, nil
}
