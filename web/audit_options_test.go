package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/audit"
	"github.com/vigie-app/vigie/letters"
)

// TestAuditFormReadOptions: the picker offers the command line's
// delimiter, encoding, recode and cut options; bad values are refused with
// a message naming the field (and the line), nothing stored; good ones
// shape the groups as the command line's do.
func TestAuditFormReadOptions(t *testing.T) {
	f := newAuditFixture(t)
	e := f.e
	content := auditCSV(300)
	pick := pickPath(t, e.auditUpload(f.rec, f.editor, "scores.csv", content))
	p := e.get(pick, f.editor)
	for _, want := range []string{`name="delimiter"`, `name="encoding"`, `name="recode"`, `name="cut"`, "Regrouper des valeurs", "Tranches d&#39;une colonne numérique"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("picker lacks %q", want)
		}
	}
	with := func(kv ...string) url.Values {
		v := auditForm("sexe", "ville")
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	for _, c := range []struct {
		name string
		form url.Values
		want string
	}{
		{"delimiter", with("delimiter", "#"), "Séparateur des colonnes : "},
		{"encoding", with("encoding", "ebcdic"), "Encodage des caractères : "},
		{"recode shape", with("recode", "ville"), "Regrouper des valeurs : ligne 1 : attendu colonne=valeur:nouvelle"},
		{"recode pair", with("recode", "sexe=F:femme\nville=Lyon"), "Regrouper des valeurs : ligne 2 : « Lyon » n&#39;a pas de « : »"},
		{"recode column", with("recode", "commune=Lyon:sud"), "Regrouper des valeurs : ligne 1 : le fichier n&#39;a pas de colonne « commune »"},
		{"cut not a group", with("cut", "fraude=0"), "Tranches d&#39;une colonne numérique : ligne 1 : la colonne « fraude » n&#39;est pas cochée parmi les colonnes de groupe"},
		{"cut order", with("cut", "fraude=1,0"), "Tranches d&#39;une colonne numérique : ligne 1 : « 0 » n&#39;est pas un nombre"},
	} {
		r := e.post(pick, f.editor, c.form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, c.want) {
			t.Errorf("%s: %d, want 422 with %q\n%.3000s", c.name, r.status, c.want, r.body)
		}
	}
	if n := len(f.reports(t)); n != 0 {
		t.Fatalf("%d reports stored after bad options", n)
	}
	form := with("recode", "ville=Lyon:sud,Nice:sud,Lille:nord", "delimiter", ";", "encoding", "utf-8")
	form.Set("groups", "ville")
	form.Add("groups", "fraude")
	form.Set("cut", "fraude=0")
	if r := e.post(pick, f.editor, form); r.status != http.StatusSeeOther {
		t.Fatalf("run with options: %d\n%.3000s", r.status, r.body)
	}
	reps := f.reports(t)
	if len(reps) != 1 {
		t.Fatalf("%d reports, want 1", len(reps))
	}
	var got audit.Report
	if err := json.Unmarshal(reps[0].Result, &got); err != nil {
		t.Fatal(err)
	}
	groups := map[string][]string{}
	for _, a := range got.Attributes {
		for _, g := range a.Groups {
			groups[a.Name] = append(groups[a.Name], g.Value)
		}
		slices.Sort(groups[a.Name])
	}
	if !slices.Equal(groups["ville"], []string{"nord", "sud"}) {
		t.Errorf("recoded groups of ville: %v, want [nord sud]", groups["ville"])
	}
	if len(groups["fraude"]) != 2 || !strings.Contains(strings.Join(groups["fraude"], "|"), "0") {
		t.Errorf("bands of fraude: %v, want two bands around 0", groups["fraude"])
	}

	// The downloaded page names the system, the organisation, the file's
	// sha256 and the day, and draws each group's rate beside the ratios.
	rep := reps[0]
	r := e.get(f.sys(f.rec)+"/audits/"+rep.ID+"/report.html", f.editor)
	if r.status != http.StatusOK {
		t.Fatalf("report.html: %d", r.status)
	}
	day := letters.LongDate(vigie.DateInFrance(rep.CreatedAt), "fr")
	for _, want := range []string{"Score de risque", "Section Alpha", rep.InputSHA256, day, `id="audit-rates-0-`, `id="audit-chart-0-`,
		"Part de personnes signalées dans chaque groupe"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
