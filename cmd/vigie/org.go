package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/store"
)

func init() {
	register(func() *cobra.Command {
		cmd := &cobra.Command{
			Use:   "org",
			Short: "Gère les organisations, leurs lieux de travail et leurs membres (create, list, workplace, member) / manage organisations, their workplaces and members",
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, args []string) error {
				return usageError{fmt.Errorf("sous-commande manquante : create, list, workplace ou member / missing subcommand: create, list, workplace or member")}
			},
		}
		cmd.AddCommand(stOrgCreateCmd(), stOrgListCmd(), stOrgWorkplaceCmd(), stOrgMemberCmd())
		return cmd
	})
}

func stOrgCreateCmd() *cobra.Command {
	var dsn, name, kind, parent, lang string
	cmd := &cobra.Command{
		Use:     "create --name NOM [--kind section|union|federation] [--parent ORGANISATION]",
		Short:   "Crée une organisation syndicale / create a union organisation",
		Example: "  vigie org create --name \"Section CGT du plateau\" --kind section",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := stOpen(ctx, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			o := &vigie.Organisation{Name: name, Kind: kind}
			if parent != "" {
				p, err := db.FindOrganisationByRef(ctx, parent)
				if vigie.ErrorCode(err) == vigie.ENOTFOUND {
					return vigie.Errorf(vigie.EINVALID, "--parent : organisation introuvable : %s / --parent: organisation not found: %s", parent, parent)
				}
				if err != nil {
					return err
				}
				o.ParentID = p.ID
			}
			if err := db.CreateOrganisation(ctx, o); err != nil {
				flag := "--name"
				if stFieldOf(err) == "kind" {
					flag = "--kind"
				}
				return stFlagError(flag, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), o.ID)
			fmt.Fprintln(cmd.OutOrStdout(), stMsg(lang, fmt.Sprintf("organisation « %s » créée", o.Name), fmt.Sprintf("organisation “%s” created", o.Name)))
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&name, "name", "", "nom de l'organisation / the organisation's name")
	f.StringVar(&kind, "kind", vigie.OrgSection, "section | union | federation")
	f.StringVar(&parent, "parent", "", "organisation parente (nom ou identifiant) / parent organisation (name or id)")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}

// stFieldOf returns the field named by a domain error, or "".
func stFieldOf(err error) string {
	var e *vigie.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

func stOrgListCmd() *cobra.Command {
	return stListCmd("Liste les organisations / list the organisations",
		func(ctx context.Context, db *store.DB) ([]*vigie.Organisation, error) {
			return db.FindOrganisations(ctx)
		},
		func(tw *tabwriter.Writer, _ io.Writer, lang string, orgs []*vigie.Organisation) error {
			fmt.Fprintln(tw, stMsg(lang, "IDENTIFIANT\tNOM\tTYPE", "ID\tNAME\tKIND"))
			for _, o := range orgs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", o.ID, o.Name, o.Kind)
			}
			return tw.Flush()
		})
}

func stOrgWorkplaceCmd() *cobra.Command {
	var dsn, org, name, kind, headcount, staffBody, sector, lang string
	cmd := &cobra.Command{
		Use:     "workplace --org ORGANISATION --name NOM [--kind …] [--headcount N] [--staff-body cse|csa|…] [--sector …]",
		Short:   "Ajoute un lieu de travail (employeur ou établissement) / add a workplace (employer or establishment)",
		Example: "  vigie org workplace --org \"Section CGT\" --name \"Plateau de Lyon\" --kind private --headcount 400 --staff-body cse",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			w := &vigie.Workplace{Name: name, Kind: kind, StaffBody: staffBody, Sector: sector}
			if headcount != "" {
				n, err := strconv.Atoi(headcount)
				if err != nil || n < 0 {
					return vigie.Errorf(vigie.EINVALID, "--headcount : attendu un entier positif, trouvé %q / --headcount: expected a positive integer, found %q", headcount, headcount)
				}
				w.Headcount = vigie.IntOf(n)
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
			w.OrgID = o.ID
			if err := db.CreateWorkplace(ctx, w); err != nil {
				flag := map[string]string{"name": "--name", "kind": "--kind", "staff_body": "--staff-body", "headcount": "--headcount"}[stFieldOf(err)]
				return stFlagError(flag, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), w.ID)
			fmt.Fprintln(cmd.OutOrStdout(), stMsg(lang, fmt.Sprintf("lieu de travail « %s » ajouté à « %s »", w.Name, o.Name), fmt.Sprintf("workplace “%s” added to “%s”", w.Name, o.Name)))
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&name, "name", "", "nom du lieu de travail / the workplace's name")
	f.StringVar(&kind, "kind", "", "private | public_state | public_territorial | public_hospital | public_private_law")
	f.StringVar(&headcount, "headcount", "", "effectif / headcount")
	f.StringVar(&staffBody, "staff-body", "", "cse | cse_central | cssct | csa | f3sct")
	f.StringVar(&sector, "sector", "", "secteur / sector")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}

func stOrgMemberCmd() *cobra.Command {
	var dsn, org, email, role, lang string
	var remove bool
	cmd := &cobra.Command{
		Use:   "member --org ORGANISATION --email ADRESSE (--role admin|editor|reader | --remove)",
		Short: "Donne un rôle à un compte dans une organisation, ou le retire / give an account a role in an organisation, or remove it",
		Long: "Donne un rôle à un compte dans une organisation, ou le retire. Réservé à l'opérateur du serveur, qui a la main\n" +
			"sur la base : le compte devient membre sans invitation. Dans l'application web, un administrateur invite, et la\n" +
			"personne devient membre seulement si elle accepte.\n" +
			"Give an account a role in an organisation, or remove it. For the operator of the server, who holds the\n" +
			"database: the account becomes a member without an invitation. In the web application an admin invites,\n" +
			"and the person becomes a member only if they accept.",
		Example: "  vigie org member --org \"Section CGT\" --email ada@example.org --role editor\n" +
			"  vigie org member --org \"Section CGT\" --email ada@example.org --remove",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := stCheckLang(lang); err != nil {
				return err
			}
			if email == "" {
				return vigie.Errorf(vigie.EINVALID, "--email : obligatoire / --email: required")
			}
			if remove == (role != "") {
				return vigie.Errorf(vigie.EINVALID, "--role ou --remove : l'un ou l'autre / --role or --remove: one of them")
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
			o, err := stOrg(ctx, db, org)
			if err != nil {
				return err
			}
			u, err := db.FindUserByEmail(ctx, email)
			if vigie.ErrorCode(err) == vigie.ENOTFOUND {
				return vigie.Errorf(vigie.EINVALID, "--email : aucun compte %s / --email: no account %s", email, email)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if remove {
				if err := db.RemoveMember(ctx, o.ID, u.ID); err != nil {
					return stFlagError("--remove", err)
				}
				fmt.Fprintln(out, stMsg(lang, fmt.Sprintf("%s n'est plus membre de « %s »", u.Email, o.Name), fmt.Sprintf("%s is no longer a member of “%s”", u.Email, o.Name)))
				return nil
			}
			if err := db.SetMember(ctx, o.ID, u.ID, vigie.Role(role)); err != nil {
				return stFlagError("--role", err)
			}
			fmt.Fprintln(out, stMsg(lang, fmt.Sprintf("%s : rôle %s dans « %s »", u.Email, role, o.Name), fmt.Sprintf("%s: role %s in “%s”", u.Email, role, o.Name)))
			return nil
		},
	}
	f := cmd.Flags()
	stDBFlag(f, &dsn)
	f.StringVar(&org, "org", "", "organisation (nom ou identifiant) / organisation (name or id)")
	f.StringVar(&email, "email", "", "adresse du compte / the account's address")
	f.StringVar(&role, "role", "", "admin | editor | reader")
	f.BoolVar(&remove, "remove", false, "retire le compte de l'organisation / remove the account from the organisation")
	f.StringVar(&lang, "lang", "fr", "fr | en")
	return cmd
}
