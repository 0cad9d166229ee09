package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/password"
	"github.com/vigie-app/vigie/store"
)

func init() {
	register(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "user",
			Short: "Gère les comptes (create, set-password, list) / manage accounts (create, set-password, list)",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return usageError{fmt.Errorf("sous-commande manquante : create, set-password ou list / missing subcommand: create, set-password or list")}
			},
		}
		cmd.AddCommand(stUserCreateCmd(), stUserSetPasswordCmd(), stUserListCmd())
		return cmd
	})
}

func stUserCreateCmd() *cobra.Command {
	var dsn, email, name, org, role, lang string
	cmd := &cobra.Command{
		Use:   "create --email ADRESSE --name NOM [--org ORGANISATION --role admin|editor|reader]",
		Short: "Crée un compte / create an account",
		Long: `Crée un compte. Le mot de passe est lu sur l'entrée standard (première ligne), ou demandé
deux fois quand l'entrée est un terminal. Avec --org et --role, le compte reçoit ce rôle
dans l'organisation, sans invitation : la ligne de commande est celle de l'opérateur du
serveur, qui a la main sur la base (dans l'application web, un administrateur invite et la
personne accepte).

Creates an account. The password is read from standard input (first line), or asked twice
when the input is a terminal. With --org and --role, the account gets that role in the
organisation, without an invitation: the command line is the operator's, who holds the
database (in the web application an admin invites and the person accepts).`,
		Example: "  vigie user create --email ada@example.org --name \"Ada\" --org \"Section CGT\" --role admin",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			if email == "" {
				return vigie.Errorf(vigie.EINVALID, "--email : obligatoire / --email: required")
			}
			if name == "" {
				return vigie.Errorf(vigie.EINVALID, "--name : obligatoire / --name: required")
			}
			if (org == "") != (role == "") {
				return vigie.Errorf(vigie.EINVALID, "--org et --role vont ensemble / --org and --role go together")
			}
			if role != "" && !vigie.Role(role).Valid() {
				return vigie.Errorf(vigie.EINVALID, "--role : attendu admin, editor ou reader, trouvé %q / --role: expected admin, editor or reader, found %q", role, role)
			}
			ctx := cmd.Context()
			db, err := stOpen(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			var o *vigie.Organisation
			if org != "" {
				if o, err = stOrg(ctx, db, org); err != nil {
					return err
				}
			}
			pw, err := stReadPassword(cmd, lang)
			if err != nil {
				return err
			}
			hash, err := password.Hash(pw)
			if err != nil {
				return err
			}
			u := &vigie.User{Email: email, Name: name, PasswordHash: hash}
			if err := db.CreateUser(ctx, u); err != nil {
				return stFlagError("--email", err)
			}
			if o != nil {
				if err := db.SetMember(ctx, o.ID, u.ID, vigie.Role(role)); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			fmt.Fprintln(out, u.ID)
			if o != nil {
				fmt.Fprintln(out, stMsg(lang,
					fmt.Sprintf("compte %s créé, rôle %s dans « %s »", u.Email, role, o.Name),
					fmt.Sprintf("account %s created, role %s in “%s”", u.Email, role, o.Name)))
			} else {
				fmt.Fprintln(out, stMsg(lang, fmt.Sprintf("compte %s créé", u.Email), fmt.Sprintf("account %s created", u.Email)))
			}
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&email, "email", "", "adresse électronique (identifiant de connexion) / e-mail address (login)")
	f.StringVar(&name, "name", "", "nom affiché / display name")
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&role, "role", "", "admin | editor | reader")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}

func stUserSetPasswordCmd() *cobra.Command {
	var dsn, email, lang string
	var temporary bool
	cmd := &cobra.Command{
		Use:     "set-password --email ADRESSE",
		Short:   "Change le mot de passe d'un compte / set an account's password",
		Long:    "Le nouveau mot de passe est lu comme pour « user create ». / The new password is read as for \"user create\".",
		Example: "  printf '%s\\n' \"$NOUVEAU\" | vigie user set-password --email ada@example.org",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			if email == "" {
				return vigie.Errorf(vigie.EINVALID, "--email : obligatoire / --email: required")
			}
			ctx := cmd.Context()
			db, err := stOpen(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			u, err := db.FindUserByEmail(ctx, email)
			if vigie.ErrorCode(err) == vigie.ENOTFOUND {
				return vigie.Errorf(vigie.EINVALID, "--email : aucun compte %s / --email: no account %s", email, email)
			}
			if err != nil {
				return err
			}
			pw, err := stReadPassword(cmd, lang)
			if err != nil {
				return err
			}
			hash, err := password.Hash(pw)
			if err != nil {
				return err
			}
			if err := db.SetPasswordHash(ctx, u.ID, hash); err != nil {
				return err
			}
			if temporary {
				if err := db.SetPasswordTemporary(ctx, u.ID); err != nil {
					return err
				}
			}
			fmt.Fprintln(cmd.OutOrStdout(), stMsg(lang, "mot de passe changé pour "+u.Email+" ; ses sessions ouvertes sont fermées",
				"password changed for "+u.Email+"; its open sessions are ended"))
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&email, "email", "", "adresse du compte / the account's address")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	f.BoolVar(&temporary, "temporary", false, "mot de passe provisoire, à changer à la prochaine connexion / temporary password, to be changed at the next login")
	return cmd
}

func stUserListCmd() *cobra.Command {
	return stListCmd("Liste les comptes et leurs rôles / list the accounts and their roles",
		func(ctx context.Context, db *store.DB) ([]*vigie.User, error) { return db.ListUsers(ctx) },
		func(tw *tabwriter.Writer, out io.Writer, lang string, users []*vigie.User) error {
			fmt.Fprintln(tw, stMsg(lang, "ADRESSE\tNOM\tRÔLES", "EMAIL\tNAME\tROLES"))
			for _, u := range users {
				var roles []string
				for _, m := range u.Memberships {
					roles = append(roles, fmt.Sprintf("%s (%s)", m.OrgName, m.Role))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Email, u.Name, strings.Join(roles, ", "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(out, stMsg(lang, fmt.Sprintf("%d compte(s)", len(users)), fmt.Sprintf("%d account(s)", len(users))))
			return nil
		})
}

// stReadPassword asks for the password twice on a terminal, or reads the
// first line of standard input, and checks its length.
func stReadPassword(cmd *cobra.Command, lang string) (string, error) {
	in := cmd.InOrStdin()
	var pw string
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		errw := cmd.ErrOrStderr()
		fmt.Fprint(errw, stMsg(lang, "Mot de passe : ", "Password: "))
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(errw)
		if err != nil {
			return "", err
		}
		fmt.Fprint(errw, stMsg(lang, "Encore une fois : ", "Once more: "))
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(errw)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", vigie.Errorf(vigie.EINVALID, "mot de passe : les deux saisies diffèrent / password: the two entries differ")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(io.LimitReader(in, password.MaxLength+2)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if err := password.Check(pw); err != nil {
		return "", vigie.Errorf(vigie.EINVALID, "%s", "mot de passe (entrée standard) : "+err.Error())
	}
	return pw, nil
}
