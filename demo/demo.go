// Package demo loads a demonstration organisation, « Section syndicale de
// démonstration », with one workplace per reference case and the eight
// reference systems (the situations of the Solidaires leaflet on AI at work,
// see cases/README.md), so that a newcomer sees a living register at once.
//
// The cases are embedded copies of the reference cases of testdata/cases: each system file
// NN-name.yaml travels with its NN-name.expected.yaml (what the assessment
// must conclude about it), so that other packages can test against the same
// pairs.
package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/vigie-app/vigie"
)

// OrgName is the name of the demonstration organisation.
const OrgName = "Section syndicale de démonstration"

//go:embed cases/*.yaml cases/README.md
var files embed.FS

// Files returns the embedded cases: NN-name.yaml, NN-name.expected.yaml and
// README.md.
func Files() fs.FS {
	sub, err := fs.Sub(files, "cases")
	if err != nil {
		panic(err)
	}
	return sub
}

// Case is one reference case: its system file and the expected file that
// goes with it.
type Case struct {
	Name     string // file name without extension, e.g. 01-centre-appels-analyse-vocale
	System   *vigie.System
	Expected []byte // the NN-name.expected.yaml file, as is
}

// Cases returns the eight reference cases, in file order.
func Cases() ([]Case, error) {
	fsys := Files()
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Case
	for _, n := range names {
		if strings.HasSuffix(n, ".expected.yaml") {
			continue
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := vigie.ParseSystem(path.Join("demo/cases", n), b)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(n, ".yaml")
		exp, err := fs.ReadFile(fsys, base+".expected.yaml")
		if err != nil {
			return nil, fmt.Errorf("demo: %s has no expected file: %w", n, err)
		}
		out = append(out, Case{Name: base, System: s, Expected: exp})
	}
	return out, nil
}

// workplaces names the workplace of each case, by its number, and its
// sector. They are illustrative, like the cases (see cases/README.md).
var workplaces = map[string][2]string{
	"01": {"Centre de relation client de Villeurbanne (entreprise fictive)", "centres d'appels"},
	"02": {"Centre de contacts de Poitiers (entreprise fictive)", "centres d'appels"},
	"03": {"La Poste — bureaux de poste d'un secteur (illustratif)", "services postaux"},
	"04": {"Caisse d'allocations familiales départementale (illustratif)", "protection sociale"},
	"05": {"France Travail — direction régionale (illustratif)", "service public de l'emploi"},
	"06": {"Direction départementale des finances publiques (illustratif)", "finances publiques"},
	"07": {"Quotidien régional (entreprise fictive)", "presse"},
	"08": {"Société de veille médias (entreprise fictive)", "veille médias"},
}

// Store is what Load needs of the store.
type Store interface {
	vigie.OrganisationService
	vigie.WorkplaceService
	vigie.SystemService
}

// Load creates the demonstration organisation, its workplaces and its
// systems, and returns the organisation. It is idempotent: when the
// organisation already holds systems, it does nothing. ctx should carry no
// user (Load acts as the operator); the systems are stored in one
// transaction.
func Load(ctx context.Context, db Store) (*vigie.Organisation, error) {
	cases, err := Cases()
	if err != nil {
		return nil, err
	}
	orgs, err := db.FindOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	var org *vigie.Organisation
	for _, o := range orgs {
		if o.Name == OrgName {
			org = o
		}
	}
	if org == nil {
		org = &vigie.Organisation{Name: OrgName, Kind: vigie.OrgSection}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			return nil, fmt.Errorf("démo / demo: %w", err)
		}
	} else {
		_, n, err := db.FindSystems(ctx, vigie.SystemFilter{OrgID: org.ID, Limit: 1})
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return org, nil
		}
	}
	// Workplaces, reusing those of an interrupted earlier load.
	existing, err := db.FindWorkplaces(ctx, org.ID)
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, w := range existing {
		byName[w.Name] = w.ID
	}
	var rs []*vigie.SystemRecord
	for _, c := range cases {
		num := c.Name[:2]
		wp, ok := workplaces[num]
		if !ok {
			return nil, fmt.Errorf("demo: no workplace for case %s", c.Name)
		}
		id, ok := byName[wp[0]]
		if !ok {
			w := &vigie.Workplace{OrgID: org.ID, Name: wp[0], Sector: wp[1], Kind: c.System.Organisation.Kind, Headcount: c.System.Organisation.Headcount}
			if items := c.System.Organisation.StaffBodies.Items; len(items) > 0 {
				w.StaffBody = items[0]
			}
			if err := db.CreateWorkplace(ctx, w); err != nil {
				return nil, fmt.Errorf("démo / demo: %w", err)
			}
			id = w.ID
		}
		rs = append(rs, &vigie.SystemRecord{WorkplaceID: id, System: *c.System})
	}
	if err := db.ImportSystems(ctx, org.ID, rs); err != nil {
		return nil, fmt.Errorf("démo / demo: %w", err)
	}
	return org, nil
}
