// Package opendata writes the systems an organisation marked public as open
// data: the attribute names of the Eurocities Algorithmic Transparency
// Standard 0.3.1 (package ats) for what the standard names, vigie_ fields
// for the rest, as CSV (UTF-8 with a byte-order mark, semicolons, the
// standard's names or French headers) or JSON, under the Licence Ouverte
// 2.0 (etalab-2.0), with the producer and the date of the last change.
//
// Only an allow-list of fields ever leaves: the description published is
// the system's public_description (written for it; empty when not), never
// its own description; never the evidence (its
// documents and sources), a note, a person's name, a testimony, the work
// units or the representatives' 0–3 observations of the effects on work
// (which testimony results feed). The package is pure.
package opendata

import (
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/ats"
	"github.com/vigie-app/vigie/sheet"
)

// Licence is the licence of the data (Licence Ouverte / Open Licence 2.0).
const Licence = "etalab-2.0"

// Column is one field of the open data: its key (an ATS attribute or a
// vigie_ field) and its French header.
type Column struct {
	Key, FR string
}

// facts are the facts of the system file that may be published, as
// vigie_ fields (dots become underscores).
var facts = []struct{ path, fr string }{
	{"organisation.kind", "Type d'employeur"},
	{"organisation.headcount", "Effectif"},
	{"deployment.status", "État"},
	{"deployment.since", "En service depuis"},
	{"deployment.workers_affected", "Salariés concernés"},
	{"deployment.staff_body_informed", "Instance informée"},
	{"deployment.staff_body_consulted", "Instance consultée"},
	{"deployment.dpia_done", "Analyse d'impact (AIPD) faite"},
	{"purpose.domains", "Domaines"},
	{"capabilities.emotion_recognition", "Reconnaissance des émotions"},
	{"capabilities.biometric_categorisation", "Catégorisation biométrique"},
	{"capabilities.profiling", "Profilage"},
	{"capabilities.generates_content", "Génère des contenus"},
	{"capabilities.chatbot", "Dialogue avec des personnes"},
	{"decisions.subjects", "Personnes concernées par les résultats"},
	{"decisions.role", "Rôle dans les décisions"},
	{"decisions.human_review", "Contrôle humain"},
	{"data.personal_data", "Données personnelles"},
	{"data.special_categories", "Données sensibles"},
	{"jobs.posts_cut", "Postes supprimés"},
	{"jobs.posts_threatened", "Postes menacés"},
	{"jobs.posts_created", "Postes créés"},
	{"jobs.procedure", "Procédure de suppression"},
}

// Columns returns the fields of the open data, in order.
func Columns() []Column {
	cols := []Column{
		{"name", "Nom"}, {"description_short", "Description courte"}, {"description", "Description"},
		{"organization", "Organisation"}, {"domain", "Domaine"}, {"status", "Statut"},
		{"decision_making_process", "Rôle dans la décision"}, {"risk_category", "Catégorie de risque"},
		{"human_intervention", "Intervention humaine"}, {"product_information", "Fournisseur et produit"},
		{"standard_version", "Version du standard"}, {"uuid", "Identifiant"}, {"lang", "Langue"},
		{"publication_date", "Date de publication"}, {"last_change_date", "Date de dernière modification"},
		{"keywords", "Mots-clés"},
		{"vigie_ai_act_tier", "Niveau de risque (règlement IA)"},
		{"vigie_licence", "Licence"}, {"vigie_producer", "Producteur"}, {"vigie_last_update", "Dernière mise à jour"},
	}
	for _, f := range facts {
		cols = append(cols, Column{ats.Prefix + strings.ReplaceAll(f.path, ".", "_"), f.fr})
	}
	return cols
}

// Dataset is the open data of one organisation.
type Dataset struct {
	Producer   string       // the organisation that publishes
	LastUpdate time.Time    // the last change of a published system
	Records    []ats.Record // the systems marked public, with their tier
}

// Rows returns one map per record, holding the allow-listed fields only.
func (d *Dataset) Rows() []map[string]string {
	cols := Columns()
	out := make([]map[string]string, 0, len(d.Records))
	for _, rec := range d.Records {
		full := map[string]string{}
		h := ats.Header()
		for i, v := range ats.Row(rec) {
			full[h[i]] = v
		}
		// The description published is the one written for it, never
		// the section's own.
		pub := rec.System.System.PublicDescription
		full["description"], full["description_short"] = strings.TrimSpace(pub), ats.Short(pub, 150)
		full["vigie_licence"] = Licence
		full["vigie_producer"] = d.Producer
		full["vigie_last_update"] = d.lastUpdate()
		row := make(map[string]string, len(cols))
		for _, c := range cols {
			row[c.Key] = full[c.Key]
		}
		out = append(out, row)
	}
	return out
}

func (d *Dataset) lastUpdate() string {
	if d.LastUpdate.IsZero() {
		return ""
	}
	return vigie.DateInFrance(d.LastUpdate).String()
}

// WriteCSV writes the data as a French CSV (byte-order mark, semicolons):
// the header row holds the standard's names, or French headers when
// french is true; every cell goes through sheet.Neutralise.
func (d *Dataset) WriteCSV(w io.Writer, french bool) error {
	cols := Columns()
	cw := sheet.NewCSV(w, sheet.French)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Key
		if french {
			head[i] = c.FR
		}
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	line := make([]string, len(cols))
	for _, row := range d.Rows() {
		for i, c := range cols {
			line[i] = row[c.Key]
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// Document is the JSON form of the open data.
type Document struct {
	StandardVersion string              `json:"standard_version"`
	Licence         string              `json:"licence"`
	Producer        string              `json:"producer"`
	LastUpdate      string              `json:"last_update"`
	Systems         []map[string]string `json:"systems"`
}

// WriteJSON writes the data as one JSON document.
func (d *Dataset) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Document{StandardVersion: ats.StandardVersion, Licence: Licence, Producer: d.Producer,
		LastUpdate: d.lastUpdate(), Systems: d.Rows()})
}

// New builds the dataset of producer from its public systems and their
// workplaces; date feeds the assessment that gives each system its tier.
func New(producer string, systems []*vigie.SystemRecord, workplaces []*vigie.Workplace, last time.Time, date vigie.Date) *Dataset {
	return &Dataset{Producer: producer, LastUpdate: last, Records: ats.Records(producer, systems, workplaces, date)}
}
