package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/demo"
	"github.com/vigie-app/vigie/store"
	"github.com/vigie-app/vigie/web"
)

func init() {
	register(func() *cobra.Command {
		var (
			addr, dsn string
			demoData  bool
			insecure  bool
			proxies   []string
		)
		cmd := &cobra.Command{
			Use:   "serve",
			Short: "Lance l'application web / start the web application",
			Long: `Lance l'application web. Par défaut : base SQLite vigie.db dans le dossier courant,
écoute sur 127.0.0.1:8080. --db postgres://… utilise PostgreSQL ; --demo charge
l'organisation de démonstration.

Starts the web application. Default: SQLite file vigie.db in the working
directory, listening on 127.0.0.1:8080. --db postgres://… uses PostgreSQL;
--demo loads the demonstration organisation.`,
			Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				_, port, err := net.SplitHostPort(addr)
				if err != nil || port == "" {
					return vigie.Errorf(vigie.EINVALID, "--addr : attendu HÔTE:PORT, trouvé %q / --addr: expected HOST:PORT, found %q", addr, addr)
				}
				for _, p := range proxies {
					if _, err := netip.ParsePrefix(p); err != nil {
						return vigie.Errorf(vigie.EINVALID, "--trusted-proxy : %q n'est pas un préfixe CIDR (10.0.0.0/8) / %q is not a CIDR prefix (10.0.0.0/8)", p, p)
					}
				}
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				db, err := store.Open(ctx, dsn)
				if err != nil {
					return err
				}
				defer db.Close()
				var demoOrg string
				if demoData {
					if demoOrg, err = loadDemo(ctx, db, cmd.OutOrStdout()); err != nil {
						return err
					}
				}
				// Cookies are Secure unless --insecure-cookies is given:
				// browsers accept Secure cookies from http://127.0.0.1 and
				// http://localhost, and a TLS proxy in front is the rule
				// everywhere else.
				secure := !insecure
				srvLog := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
				srv, err := web.NewServer(web.Config{
					Addr: addr, Users: db, Orgs: db, Workplaces: db, Systems: db, Documents: db, Events: db,
					Reports: db, Actions: db, Calendar: db, Testimony: db, Observatory: db, SentLetters: db,
					Sessions: db.SessionStore(), SecureCookies: secure, Demo: demoData, DemoOrgID: demoOrg, TrustedProxies: proxies,
					Logger: srvLog,
				})
				if err != nil {
					return err
				}
				db.RefreshSummariesInBackground(func(n int, err error) {
					if err != nil {
						srvLog.Error("vigie: register summaries", "err", err)
						return
					}
					srvLog.Info("vigie: register summaries recomputed", "systems", n)
				})
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return fmt.Errorf("écoute sur %s impossible / cannot listen on %s: %w", addr, addr, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "vigie : http://%s\n", ln.Addr())
				errc := make(chan error, 1)
				go func() { errc <- srv.Serve(ln) }()
				// The free texts of testimonies are deleted once their
				// keeping period has ended: now, then every day.
				go purgeTestimonies(ctx, db, cmd.ErrOrStderr())
				select {
				case err := <-errc:
					return err
				case <-ctx.Done():
				}
				fmt.Fprintln(cmd.OutOrStdout(), "vigie : arrêt en cours / shutting down")
				sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
				defer cancel()
				if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
					return err
				}
				return nil
			},
		}
		cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "adresse d'écoute HÔTE:PORT / listening address HOST:PORT")
		cmd.Flags().StringVar(&dsn, "db", "", "base : fichier SQLite (vigie.db par défaut) ou postgres://… / database: SQLite file (default vigie.db) or postgres://…")
		cmd.Flags().BoolVar(&demoData, "demo", false, "charge l'organisation de démonstration / load the demonstration organisation")
		cmd.Flags().BoolVar(&insecure, "insecure-cookies", false, "cookies sans l'attribut Secure, pour un accès en http autre que 127.0.0.1 (à éviter) / cookies without Secure, for plain http other than 127.0.0.1 (avoid)")
		cmd.Flags().StringSliceVar(&proxies, "trusted-proxy", nil, "préfixe CIDR d'un proxy inverse de confiance (X-Forwarded-For), répétable / CIDR prefix of a trusted reverse proxy (X-Forwarded-For), repeatable")
		return cmd
	})
}

// loadDemo loads the demonstration organisation and returns its id. When
// accounts exist already and the organisation has no member yet, the
// oldest account becomes its admin, so that someone sees it; on a fresh
// database, the admin created by /setup will be.
func loadDemo(ctx context.Context, db *store.DB, out io.Writer) (string, error) {
	org, err := demo.Load(ctx, db)
	if err != nil {
		return "", err
	}
	members, err := db.Members(ctx, org.ID)
	if err != nil {
		return "", err
	}
	if len(members) == 0 {
		users, err := db.ListUsers(ctx)
		if err != nil {
			return "", err
		}
		if len(users) > 0 {
			first := users[0]
			for _, u := range users[1:] {
				if u.CreatedAt.Before(first.CreatedAt) {
					first = u
				}
			}
			if err := db.SetMember(ctx, org.ID, first.ID, vigie.RoleAdmin); err != nil {
				return "", err
			}
			fmt.Fprintf(out, "vigie : démonstration « %s » confiée à %s / demonstration given to %s\n", org.Name, first.Email, first.Email)
		}
	}
	return org.ID, nil
}

// purgeTestimonies deletes the free texts of testimony campaigns whose
// keeping period has ended, at start and then every six hours, until ctx
// ends. The date is the day in France.
func purgeTestimonies(ctx context.Context, db *store.DB, logw io.Writer) {
	for {
		if n, err := db.PurgeTexts(ctx, vigie.DateInFrance(time.Now())); err != nil && ctx.Err() == nil {
			fmt.Fprintf(logw, "vigie : suppression des textes libres échouée / deleting free texts failed: %v\n", err)
		} else if n > 0 {
			fmt.Fprintf(logw, "vigie : %d textes libres supprimés (fin de conservation) / %d free texts deleted (end of keeping)\n", n, n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(6 * time.Hour):
		}
	}
}
