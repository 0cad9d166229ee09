package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/footprint"
)

func init() {
	register(newFootprintCmd)
}

// footprintFlag names the flag for each field of footprint.Input.
func footprintFlag(field string) string { return "--" + strings.ReplaceAll(field, "_", "-") }

func newFootprintCmd() *cobra.Command {
	var (
		model, method, zone, format, lang                      string
		pActive, pTotal, outTok, inTok, pue, wue, latency      string
		requests, users, perDay, days, images, classifications string
		listModels, listZones                                  bool
	)
	cmd := &cobra.Command{
		Use:   "footprint",
		Short: "Empreinte environnementale de requêtes d'IA générative (méthode EcoLogits) / environmental footprint of generative-AI requests (EcoLogits method)",
		Long: `Estime l'énergie, les gaz à effet de serre, les métaux (ADPe), l'énergie primaire et l'eau
de requêtes d'IA générative avec la méthode EcoLogits (GenAI Impact), par requête, par
utilisateur et par an, avec leur plage min–max et des chiffres publiés à côté.
Les quantités acceptent une plage min-max (par exemple --params-active 44-132).

Estimates the energy, greenhouse gases, metals (ADPe), primary energy and water of
generative-AI requests with the EcoLogits method (GenAI Impact), per request, per user
and per year, with their min–max range and published figures alongside.
Quantities accept a min-max range (e.g. --params-active 44-132).`,
		Example: `  vigie footprint --model mistral-large-latest --output-tokens 400 --zone FRA
  vigie footprint --model gpt-4o --output-tokens 300 --users 2000 --requests-per-day 20 --days 220 --format json
  vigie footprint --params-active 44-132 --params-total 440 --output-tokens 250 --pue 1.1-1.4 --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if lang != "fr" && lang != "en" {
				return flagError("--lang", fmt.Sprintf("langue « %s » inconnue (fr ou en)", lang), fmt.Sprintf("unknown language %q (fr or en)", lang))
			}
			if format != "text" && format != "json" {
				return flagError("--format", fmt.Sprintf("format « %s » inconnu (text ou json)", format), fmt.Sprintf("unknown format %q (text or json)", format))
			}
			if listModels {
				for _, n := range footprint.ModelNames() {
					fmt.Fprintln(out, n)
				}
				return nil
			}
			if listZones {
				for _, z := range footprint.Zones(method) {
					fmt.Fprintf(out, "%s\t%s\n", z.Code, footprint.ZoneName(z.Code, lang))
				}
				return nil
			}
			in := footprint.Input{Method: method, Model: model, Zone: zone}
			f := cmd.Flags()
			opt := func(name, val string) (*footprint.Range, error) {
				if !f.Changed(name) {
					return nil, nil
				}
				r, err := footprint.ParseRange(val)
				if err != nil {
					fr, en, _ := strings.Cut(err.Error(), " / ")
					return nil, flagError("--"+name, fr, en)
				}
				return &r, nil
			}
			var err error
			for _, o := range []struct {
				name, val string
				dst       **footprint.Range
			}{
				{"params-active", pActive, &in.ParamsActive}, {"params-total", pTotal, &in.ParamsTotal},
				{"input-tokens", inTok, &in.InputTokens}, {"pue", pue, &in.PUE}, {"wue", wue, &in.WUE},
				{"requests", requests, &in.Requests}, {"users", users, &in.Users},
				{"requests-per-day", perDay, &in.RequestsPerDay}, {"days", days, &in.Days},
				{"images", images, &in.Images}, {"classifications", classifications, &in.Classifications},
			} {
				if *o.dst, err = opt(o.name, o.val); err != nil {
					return err
				}
			}
			if !f.Changed("output-tokens") {
				return flagError("--output-tokens", "requis (jetons de sortie par requête)", "required (output tokens per request)")
			}
			t, err := opt("output-tokens", outTok)
			if err != nil {
				return err
			}
			in.OutputTokens = *t
			if f.Changed("latency") {
				v, err := strconv.ParseFloat(strings.TrimSpace(latency), 64)
				if err != nil {
					return flagError("--latency", fmt.Sprintf("« %s » n'est pas un nombre de secondes", latency), fmt.Sprintf("%q is not a number of seconds", latency))
				}
				in.LatencyS = &v
			}
			res, err := footprint.Estimate(in)
			if err != nil {
				var ie *footprint.InputError
				if errors.As(err, &ie) {
					return &vigie.Error{Code: vigie.EINVALID, Field: ie.Field, Message: ie.Message(footprintFlag(ie.Field)), Err: err}
				}
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			return res.WriteText(out, lang)
		},
	}
	f := cmd.Flags()
	f.StringVar(&model, "model", "", "modèle de la table EcoLogits (--list-models) / model of the EcoLogits table")
	f.StringVar(&pActive, "params-active", "", "paramètres actifs, en milliards (min-max permis) / active parameters, billions")
	f.StringVar(&pTotal, "params-total", "", "paramètres totaux, en milliards (mélange d'experts) / total parameters, billions (MoE)")
	f.StringVar(&outTok, "output-tokens", "", "jetons de sortie par requête / output tokens per request")
	f.StringVar(&inTok, "input-tokens", "", "jetons d'entrée par requête : ligne supplémentaire, hors EcoLogits / input tokens per request: extra line, beyond EcoLogits")
	f.StringVar(&zone, "zone", "", "zone électrique ISO3 (FRA, WOR, USA, SWE…), défaut WOR (--list-zones) / electricity zone, default WOR")
	f.StringVar(&pue, "pue", "", "PUE du centre de données, ≥ 1 (défaut : celui du fournisseur) / data-centre PUE (default: the provider's)")
	f.StringVar(&wue, "wue", "", "eau sur site, L/kWh (défaut : celle du fournisseur) / on-site water, L/kWh (default: the provider's)")
	f.StringVar(&latency, "latency", "", "latence mesurée d'une requête, en secondes / measured request latency, seconds")
	f.StringVar(&requests, "requests", "", "nombre de requêtes / number of requests")
	f.StringVar(&users, "users", "", "utilisateurs, si --requests-per-day est par utilisateur / users, when --requests-per-day is per user")
	f.StringVar(&perDay, "requests-per-day", "", "requêtes par jour (par utilisateur avec --users), avec --days / requests per day (per user with --users), with --days")
	f.StringVar(&days, "days", "", "jours d'utilisation par an / days of use a year")
	f.StringVar(&images, "images", "", "images générées par requête : ligne grossière / images generated per request: coarse line")
	f.StringVar(&classifications, "classifications", "", "classifications de texte par requête : ligne grossière / text classifications per request: coarse line")
	f.StringVar(&method, "method", "ecologits-0.9.1", "jeu de constantes : ecologits-0.9.1 (ou ecologits-0.9) ou ecologits-legacy / constant set")
	f.StringVar(&format, "format", "text", "text ou json / text or json")
	f.StringVar(&lang, "lang", "fr", "langue du texte : fr ou en / text language: fr or en")
	f.BoolVar(&listModels, "list-models", false, "liste les modèles connus / list the known models")
	f.BoolVar(&listZones, "list-zones", false, "liste les zones électriques / list the electricity zones")
	return cmd
}

// flagError is a bad-input error naming the flag, French then English.
func flagError(flag, fr, en string) error {
	return vigie.Errorf(vigie.EINVALID, "%s : %s / %s: %s", flag, fr, flag, en)
}
