package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/audit"
)

func init() {
	register(newAuditCmd)
}

type auditFlags struct {
	input, label, score, format, lang, delimiter, encoding, direction, output, reader  string
	groups, positive, labelPositive, labelNegative, references, recodes, cuts, missing []string
	threshold                                                                          float64
	minN, workers, maxGroups                                                           int
	intersect, noHash                                                                  bool
}

func newAuditCmd() *cobra.Command {
	var fl auditFlags
	cmd := &cobra.Command{
		Use:   "audit --input FILE --group COL --score COL (--threshold X | --positive V) [flags]",
		Short: "Audit de discrimination d'un fichier de décisions ou de scores / discrimination audit of a decision or score file",
		Long: `Lit une fois un fichier CSV (ou Parquet) de décisions individuelles et compare, groupe par groupe,
la part de personnes signalées (et, avec --label, les erreurs), avec intervalles de confiance,
tests corrigés et un verdict : disparité, tolérance (0,8–1,25) ou non concluant.

Reads a CSV (or Parquet) file of individual decisions once and compares, group by group,
the share of people flagged (and, with --label, the errors), with confidence intervals,
corrected tests and a verdict: disparity, parity (0.8–1.25) or insufficient.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd, &fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.input, "input", "", "fichier CSV ou Parquet (- pour l'entrée standard) / CSV or Parquet file (- for standard input)")
	f.StringArrayVar(&fl.groups, "group", nil, "attribut protégé (répétable) / protected attribute (repeatable)")
	f.BoolVar(&fl.intersect, "intersect", false, "ajoute les combinaisons des attributs / add the combinations of the attributes")
	f.StringVar(&fl.label, "label", "", "issue observée (1/0, true/false, yes/no, oui/non) / observed outcome")
	f.StringSliceVar(&fl.labelPositive, "label-positive", nil, "valeurs positives du label / positive label values")
	f.StringSliceVar(&fl.labelNegative, "label-negative", nil, "valeurs négatives du label / negative label values")
	f.StringVar(&fl.score, "score", "", "colonne qui signale la personne / the column that flags a person")
	f.Float64Var(&fl.threshold, "threshold", 0, "score numérique : signalé si score >= X / numeric score: flagged iff score >= X")
	f.StringSliceVar(&fl.positive, "positive", nil, "score catégoriel : valeurs signalées / categorical score: flagged values")
	f.StringArrayVar(&fl.references, "reference", nil, "groupe de référence, attribut=valeur (répétable) / reference group, attribute=value (repeatable)")
	f.StringVar(&fl.direction, "direction", "adverse", "être signalé est adverse ou favourable / being flagged is adverse or favourable")
	f.StringVar(&fl.delimiter, "delimiter", "", "séparateur : , ; tab | space (détecté par défaut) / delimiter (detected by default)")
	f.StringVar(&fl.encoding, "encoding", "", "utf-8 ou windows-1252 (détecté par défaut) / utf-8 or windows-1252 (detected by default)")
	f.IntVar(&fl.minN, "min-n", 30, "dénominateur minimal pour conclure / minimum denominator to conclude")
	f.StringArrayVar(&fl.recodes, "recode", nil, "regroupe des valeurs : attribut=v1:nouveau,v2:nouveau,*:autre / merge values")
	f.StringArrayVar(&fl.cuts, "cut", nil, "tranches d'une colonne numérique : attribut=25,40 / bands of a numeric column")
	f.StringSliceVar(&fl.missing, "na", nil, "valeurs comptées comme manquantes (en plus du vide) / values counted as missing")
	f.StringVar(&fl.format, "format", "text", "text, json ou html / text, json or html")
	f.StringVar(&fl.lang, "lang", "fr", "langue du texte : fr ou en / text language: fr or en")
	f.StringVar(&fl.output, "output", "", "écrit dans ce fichier (entier ou pas du tout) / write to this file (whole or not at all)")
	f.StringVar(&fl.reader, "reader", "auto", "lecteur CSV : auto, parallel, sequential / CSV reader")
	f.IntVar(&fl.workers, "workers", 2, "goroutines du lecteur parallèle / parallel reader goroutines")
	f.IntVar(&fl.maxGroups, "max-groups", 10000, "valeurs distinctes maximales par attribut / maximum distinct values per attribute")
	f.BoolVar(&fl.noHash, "no-hash", false, "ne calcule pas le sha256 de l'entrée / skip the input's sha256")
	return cmd
}

func flagErr(format string, args ...any) error { return vigie.Errorf(vigie.EINVALID, format, args...) }

func (fl *auditFlags) config(cmd *cobra.Command) (audit.Config, error) {
	cfg := audit.Config{
		Groups: fl.groups, Intersect: fl.intersect, Label: fl.label, LabelPositive: fl.labelPositive, LabelNegative: fl.labelNegative,
		Score: fl.score, Positive: fl.positive, MinN: fl.minN, Missing: fl.missing, Workers: fl.workers, MaxGroups: fl.maxGroups,
		NoHash: fl.noHash, Direction: audit.Direction(fl.direction), Encoding: fl.encoding,
	}
	if fl.input == "" {
		return cfg, flagErr("--input manquant / missing --input")
	}
	if len(fl.groups) == 0 {
		return cfg, flagErr("--group manquant (au moins un attribut) / missing --group (at least one attribute)")
	}
	if cmd.Flags().Changed("threshold") {
		t := fl.threshold
		cfg.Threshold = &t
	}
	if fl.minN < 0 {
		return cfg, flagErr("--min-n %d : doit être positif / --min-n %d: must be positive", fl.minN, fl.minN)
	}
	if fl.minN == 0 {
		cfg.MinN = 1 // no minimum: a zero denominator is undefined anyway (Config.MinN 0 means the default)
	}
	if d, ok := audit.ParseDelimiter(fl.delimiter); ok {
		cfg.Delimiter = d
	} else {
		return cfg, flagErr("--delimiter %q : attendu , ; tab | ou space / --delimiter %q: expected , ; tab | or space", fl.delimiter, fl.delimiter)
	}
	switch fl.reader {
	case "auto", "":
	case "parallel":
		cfg.Reader = audit.ReaderParallel
	case "sequential":
		cfg.Reader = audit.ReaderSequential
	default:
		return cfg, flagErr("--reader %q : attendu auto, parallel ou sequential / --reader %q: expected auto, parallel or sequential", fl.reader, fl.reader)
	}
	for _, ref := range fl.references {
		k, v, ok := strings.Cut(ref, "=")
		if !ok || k == "" {
			if len(fl.groups) == 1 && ref != "" {
				k, v = fl.groups[0], ref
			} else {
				return cfg, flagErr("--reference %q : attendu attribut=valeur / --reference %q: expected attribute=value", ref, ref)
			}
		}
		if cfg.Reference == nil {
			cfg.Reference = map[string]string{}
		}
		cfg.Reference[k] = v
	}
	for _, rc := range fl.recodes {
		k, m, bad, ok := audit.ParseRecode(rc)
		switch {
		case !ok && bad == "":
			return cfg, flagErr("--recode %q : attendu attribut=valeur:nouvelle,… / --recode %q: expected attribute=value:new,…", rc, rc)
		case !ok:
			return cfg, flagErr("--recode %q : %q sans « : » / --recode %q: %q has no ':'", rc, bad, rc, bad)
		}
		if cfg.Recode == nil {
			cfg.Recode = map[string]map[string]string{}
		}
		cfg.Recode[k] = m
	}
	for _, c := range fl.cuts {
		k, cuts, bad, ok := audit.ParseCut(c)
		switch {
		case !ok && bad == "":
			return cfg, flagErr("--cut %q : attendu attribut=25,40 / --cut %q: expected attribute=25,40", c, c)
		case !ok:
			return cfg, flagErr("--cut %q : %q n'est pas un nombre plus grand que le précédent / --cut %q: %q is not a number above the previous one", c, bad, c, bad)
		}
		if cfg.Cut == nil {
			cfg.Cut = map[string][]float64{}
		}
		cfg.Cut[k] = cuts
	}
	switch fl.format {
	case "text", "json", "html":
	default:
		return cfg, flagErr("--format %q : attendu text, json ou html / --format %q: expected text, json or html", fl.format, fl.format)
	}
	switch fl.lang {
	case "fr", "en":
	default:
		return cfg, flagErr("--lang %q : attendu fr ou en / --lang %q: expected fr or en", fl.lang, fl.lang)
	}
	return cfg, nil
}

func runAudit(cmd *cobra.Command, fl *auditFlags) error {
	cfg, err := fl.config(cmd)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	var stopBar func()
	if fl.input != "-" {
		if st, err := os.Stat(fl.input); err == nil && st.Size() >= 64<<20 {
			cfg.Progress, stopBar = progressBar(cmd.ErrOrStderr())
		}
	}
	var rep *audit.Report
	if fl.input == "-" {
		cfg.Path = "-"
		rep, err = audit.Run(ctx, cmd.InOrStdin(), cfg)
	} else {
		rep, err = audit.RunFile(ctx, fl.input, cfg)
	}
	if stopBar != nil {
		stopBar()
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch fl.format {
	case "json":
		err = rep.WriteJSON(&buf)
	case "html":
		err = rep.WriteHTML(&buf, fl.lang)
	default:
		err = rep.WriteText(&buf, fl.lang)
	}
	if err != nil {
		return err
	}
	if fl.output == "" {
		_, err = cmd.OutOrStdout().Write(buf.Bytes())
		return err
	}
	return writeAtomic(fl.output, buf.Bytes())
}

// writeAtomic writes the whole file or nothing: a temporary file in the
// same directory, renamed over the target.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".vigie-audit-*")
	if err != nil {
		return flagErr("--output %s : %v / --output %s: %v", path, err, path, err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(0o644) // CreateTemp makes 0600
	}
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("écriture de %s / writing %s: %w", path, path, werr)
	}
	return nil
}

// progressBar returns a progress callback that draws on w when w is a
// terminal, and a function that clears the line.
func progressBar(w io.Writer) (func(read, total int64), func()) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, nil
	}
	var mu sync.Mutex
	last := -1
	draw := func(read, total int64) {
		if total <= 0 {
			return
		}
		pct := int(100 * read / total)
		if pct > 100 {
			pct = 100
		}
		mu.Lock()
		defer mu.Unlock()
		if pct == last {
			return
		}
		last = pct
		n := pct * 30 / 100
		fmt.Fprintf(f, "\r[%s%s] %3d %% %d/%d Mo", strings.Repeat("=", n), strings.Repeat(" ", 30-n), pct, read>>20, total>>20)
	}
	return draw, func() { fmt.Fprint(f, "\r\033[K") }
}
