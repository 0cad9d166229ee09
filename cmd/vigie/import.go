package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
)

func init() {
	register(func() *cobra.Command {
		var dsn, org, workplace, lang, share, encoding string
		var progress bool
		cmd := &cobra.Command{
			Use:   "import FICHIER… --org ORGANISATION",
			Short: "Importe des fiches système dans le registre / import system files into the register",
			Long: `Lit chaque fichier (YAML ou JSON, format vigie/system/v1) et l'enregistre dans le registre
de l'organisation donnée. Tous les fichiers sont vérifiés d'abord : à la moindre erreur,
rien n'est enregistré et le message nomme le fichier, la ligne et la colonne. Puis tout
est enregistré en une seule transaction : tout ou rien.

Reads each file (YAML or JSON, format vigie/system/v1) and stores it in the register of the
given organisation. Every file is checked first: on any error nothing is stored and the
message names the file, line and column. Then everything is stored in one transaction:
all or nothing.`,
			Example: "  vigie import fiches/*.yaml --org \"Section CGT du plateau\"\n  vigie import analyse-vocale.yaml --org 0193… --workplace 0193… --db postgres://vigie@127.0.0.1/vigie\n  vigie import fiches/*.yaml --org \"Section CGT du plateau\" --share federation",
			Args:    cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				if err := stCheckLang(lang); err != nil {
					return err
				}
				if org == "" {
					return vigie.Errorf(vigie.EINVALID, "--org : obligatoire (nom ou identifiant de l'organisation) / --org: required (the organisation's name or id)")
				}
				sharing, err := vigie.CheckSharing("--share", share)
				if err != nil {
					return err
				}
				// Check every file before touching the database, on every
				// processor; the errors are listed in the order of the files.
				rs, errs, err := stParseSystemFiles(args, encoding)
				if err != nil {
					return err
				}
				for _, r := range rs {
					r.WorkplaceID, r.Sharing = workplace, sharing
				}
				if len(errs) > 0 {
					return vigie.Errorf(vigie.EINVALID, "%s\n%s", strings.Join(errs, "\n"), "rien n'a été importé / nothing was imported")
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
				pause, err := stImportPause()
				if err != nil {
					return err
				}
				if progress || pause > 0 {
					errw := cmd.ErrOrStderr()
					db.ImportProgress = func(done, total int) {
						if progress {
							fmt.Fprintf(errw, "import %d/%d\n", done, total)
						}
						time.Sleep(pause)
					}
				}
				if err := db.ImportSystems(ctx, o.ID, rs); err != nil {
					if vigie.ErrorCode(err) == vigie.EINVALID {
						return vigie.Errorf(vigie.EINVALID, "%s\n%s", vigie.ErrorMessage(err), "rien n'a été importé / nothing was imported")
					}
					return err
				}
				out := cmd.OutOrStdout()
				for _, r := range rs {
					fmt.Fprintf(out, "%s\t%s\n", r.ID, r.System.Name)
				}
				fmt.Fprintln(out, stMsg(lang,
					fmt.Sprintf("%d système(s) importé(s) dans « %s »", len(rs), o.Name),
					fmt.Sprintf("%d system(s) imported into “%s”", len(rs), o.Name)))
				return nil
			},
		}
		f := cmd.Flags()
		stDBFlag(f, &dsn)
		f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
		f.StringVar(&workplace, "workplace", "", "lieu de travail (identifiant) des systèmes importés / workplace (id) of the imported systems")
		f.StringVar(&lang, "lang", "fr", "fr | en")
		f.StringVar(&encoding, "encoding", "", "encodage du fichier système : utf-8 (défaut) ou windows-1252 / the system file's encoding: utf-8 (default) or windows-1252")
		f.StringVar(&share, "share", vigie.SharingSection, "partage des systèmes importés : section (la seule organisation), federation (aussi les organisations au-dessus), public (aussi les données ouvertes) / sharing of the imported systems: section (the organisation only), federation (also the organisations above it), public (also the open data)")
		f.BoolVar(&progress, "progress", false, "affiche l'avancement sur la sortie d'erreur / print progress on stderr")
		return cmd
	})
}

// stImportPauseEnv names a test hook: a Go duration to sleep after each
// record written inside the import transaction, so that the durability
// test can kill an import half-way. Unset, it does nothing.
const stImportPauseEnv = "VIGIE_IMPORT_PAUSE"

func stImportPause() (time.Duration, error) {
	v := os.Getenv(stImportPauseEnv)
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, vigie.Errorf(vigie.EINVALID, "%s : durée invalide %q / %s: invalid duration %q", stImportPauseEnv, v, stImportPauseEnv, v)
	}
	return d, nil
}

// stParseSystemFiles reads and checks the system files on as many
// goroutines as there are processors and returns their records, in the
// order of paths, or the message of each file in error, in that order. An
// encoding that cannot be decoded stops everything (err).
func stParseSystemFiles(paths []string, encoding string) ([]*vigie.SystemRecord, []string, error) {
	rs := make([]*vigie.SystemRecord, len(paths))
	msgs := make([]string, len(paths))
	fatal := make([]error, len(paths))
	var wg sync.WaitGroup
	n := min(runtime.GOMAXPROCS(0), len(paths))
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(paths); i += n {
				path := paths[i]
				b, err := stReadBounded(path, vigie.MaxSystemFileSize+1)
				if err != nil {
					msgs[i] = fmt.Sprintf("%s : lecture impossible / cannot read: %v", path, err)
					continue
				}
				if b, err = vigie.DecodeSystemFile(b, encoding); err != nil {
					fatal[i] = err
					continue
				}
				s, err := vigie.ParseSystem(path, b)
				if err != nil {
					msgs[i] = vigie.ErrorMessage(err)
					continue
				}
				rs[i] = &vigie.SystemRecord{System: *s}
			}
		}()
	}
	wg.Wait()
	var errs []string
	for i := range paths {
		if fatal[i] != nil {
			return nil, nil, fatal[i]
		}
		if msgs[i] != "" {
			errs = append(errs, msgs[i])
		}
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	return rs, nil, nil
}

// stReadBounded reads at most max bytes of the file, so that a huge file is
// refused (by ParseSystem, which names the limit) without being loaded.
func stReadBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max))
}
