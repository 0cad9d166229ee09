package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
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
			migrateDB string
			demoData  bool
			insecure  bool
			proxies   []string
			publicURL string
			hosts     []string
		)
		cmd := &cobra.Command{
			Use:   "serve",
			Short: "Lance l'application web / start the web application",
			Long: `Lance l'application web. Par défaut : base SQLite vigie.db dans le dossier courant,
écoute sur 127.0.0.1:8080. --db postgres://… utilise PostgreSQL ; --demo charge
l'organisation de démonstration.

Avec PostgreSQL, deux rôles : le propriétaire des tables, qui applique les migrations
(--migrate-db postgres://vigie_owner@…), et celui de l'application (--db
postgres://vigie_app@…), qui ne possède aucune table et n'a pas BYPASSRLS. Chaque
table d'une organisation a la sécurité au niveau des lignes activée et forcée ; chaque
transaction fixe les organisations de l'utilisateur (vigie.orgs) : sans elles, aucune ligne.
Sans --migrate-db, le rôle de --db applique les migrations (un seul rôle, propriétaire :
l'isolation repose alors sur les contrôles du programme). Plusieurs processus vigie serve
peuvent servir la même base PostgreSQL (voir le README).

Starts the web application. Default: SQLite file vigie.db in the working
directory, listening on 127.0.0.1:8080. --db postgres://… uses PostgreSQL;
--demo loads the demonstration organisation.

With PostgreSQL, two roles: the owner of the tables, which applies the migrations
(--migrate-db postgres://vigie_owner@…), and the application's (--db
postgres://vigie_app@…), which owns no table and has no BYPASSRLS. Every table of an
organisation has row-level security enabled and forced; each transaction sets the user's
organisations (vigie.orgs): without them, no row. Without --migrate-db, the role of --db
applies the migrations (one role, the owner: isolation then rests on the program's checks).
Several vigie serve processes may serve the same PostgreSQL database (see the README).`,
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
				if publicURL != "" {
					if u, err := url.Parse(publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
						return vigie.Errorf(vigie.EINVALID, "--public-url : attendu https://nom.exemple.org, trouvé %q / --public-url: expected https://name.example.org, found %q", vigie.Clip(publicURL, 80), vigie.Clip(publicURL, 80))
					}
				}
				ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
				defer stop()
				if migrateDB != "" && !store.IsPostgres(migrateDB) {
					return vigie.Errorf(vigie.EINVALID, "--migrate-db : attendu une URL postgres:// du propriétaire des tables / --migrate-db: expected a postgres:// URL of the tables' owner")
				}
				db, err := store.OpenWith(ctx, dsn, store.Options{MigrateDSN: migrateDB})
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
				// A fresh instance asks for a one-time code at /setup,
				// printed here: whoever reaches the address before the
				// operator cannot make themselves its admin.
				var setupCode string
				if n, err := db.CountUsers(ctx); err != nil {
					return err
				} else if n == 0 {
					setupCode = web.TempPassword()
				}
				srvLog := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
				srv, err := web.NewServer(web.Config{
					Addr: addr, Users: db, Orgs: db, Workplaces: db, Systems: db, Documents: db, Events: db,
					Reports: db, Actions: db, Calendar: db, Testimony: db, Observatory: db, SentLetters: db,
					Sessions: db.SessionStore(), SecureCookies: secure, Demo: demoData, DemoOrgID: demoOrg, TrustedProxies: proxies,
					PublicURL: publicURL, AllowedHosts: hosts, SetupCode: setupCode,
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
				if setupCode != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "vigie : première configuration, code %s : http://%s/setup?code=%s\n"+
						"vigie : first set-up, code %s: http://%s/setup?code=%s\n", setupCode, ln.Addr(), setupCode, setupCode, ln.Addr(), setupCode)
				}
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
		cmd.Flags().StringVar(&migrateDB, "migrate-db", "", "PostgreSQL : URL du propriétaire des tables, qui applique les migrations ; --db est alors le rôle de l'application / PostgreSQL: URL of the tables' owner, which applies the migrations; --db is then the application's role")
		cmd.Flags().BoolVar(&demoData, "demo", false, "charge l'organisation de démonstration / load the demonstration organisation")
		cmd.Flags().BoolVar(&insecure, "insecure-cookies", false, "cookies sans l'attribut Secure, pour un accès en http autre que 127.0.0.1 (à éviter) / cookies without Secure, for plain http other than 127.0.0.1 (avoid)")
		cmd.Flags().StringVar(&publicURL, "public-url", "", "adresse publique du serveur (https://vigie.exemple.org) : son nom est accepté dans l'en-tête Host / the server's public address: its name is accepted in the Host header")
		cmd.Flags().StringSliceVar(&hosts, "allowed-host", nil, "autre nom d'hôte accepté (les adresses IP et localhost le sont toujours), répétable / another accepted host name (IP addresses and localhost always are), repeatable")
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
