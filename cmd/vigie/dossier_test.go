package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/report"
	"github.com/vigie-app/vigie/store"
)

// TestDossierFiguresReproduce runs, for every reference case, the command
// of every figure of the dossier's manifest and checks that its JSON holds
// the figure's value at the figure's pointer.
func TestDossierFiguresReproduce(t *testing.T) {
	paths, _ := filepath.Glob("../../testdata/cases/*.yaml")
	n := 0
	for _, p := range paths {
		if strings.HasSuffix(p, ".expected.yaml") {
			continue
		}
		n++
		code, out, errs := runCLI(t, "", "dossier", p, "--date", "2026-12-03", "--format", "json")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", p, code, errs)
		}
		var m report.Manifest
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatalf("%s: manifest is not JSON: %v", p, err)
		}
		if m.Schema != "vigie/dossier/v1" || len(m.Figures) == 0 || m.Figures[0].ID != "tier" {
			t.Fatalf("%s: manifest %+v", p, m)
		}
		outputs := map[string]any{}
		for _, f := range m.Figures {
			if f.Command[0] != "vigie" {
				t.Fatalf("%s: %s: command %v", p, f.ID, f.Command)
			}
			args := make([]string, 0, len(f.Command)-1)
			for _, a := range f.Command[1:] {
				if a == report.SystemFile {
					a = p
				}
				args = append(args, a)
			}
			key := strings.Join(args, "\x00")
			doc, ok := outputs[key]
			if !ok {
				code, out, errs := runCLI(t, "", args...)
				if code != 0 {
					t.Fatalf("%s: %s: %v exit %d: %s", p, f.ID, args, code, errs)
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("%s: %s: output is not JSON: %v", p, f.ID, err)
				}
				outputs[key] = doc
			}
			got, err := report.Pointer(doc, f.JSONPointer)
			if err != nil {
				t.Errorf("%s: %s: %v", p, f.ID, err)
				continue
			}
			want, _ := json.Marshal(f.Value)
			var w any
			_ = json.Unmarshal(want, &w)
			if !reflect.DeepEqual(got, w) {
				t.Errorf("%s: %s: %v at %s, the manifest says %v", p, f.ID, got, f.JSONPointer, w)
			}
		}
	}
	if n < 8 {
		t.Errorf("%d reference cases, want 8", n)
	}
}

func TestDossierFormatsAndErrors(t *testing.T) {
	p := "../../testdata/cases/07-redaction-articles-generes.yaml"
	dir := t.TempDir()
	for _, f := range []string{"html", "pdf", "odt"} {
		out := filepath.Join(dir, "d."+f)
		if code, _, errs := runCLI(t, "", "dossier", p, "--date", "2026-12-03", "--format", f, "--audience", "court", "--lang", "en", "--output", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errs)
		}
		b, err := os.ReadFile(out)
		if err != nil || len(b) < 1000 {
			t.Errorf("%s: %d bytes (%v)", f, len(b), err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dossier", p, "--audience", "press"}, "--audience"},
		{[]string{"dossier", p, "--format", "docx"}, "--format"},
		{[]string{"dossier", p, "--date", "03/12/2026"}, "--date"},
		{[]string{"dossier"}, "--db"},
		{[]string{"dossier", p, "--system", "x"}, "pas les deux"},
		{[]string{"dossier", "nothing.yaml"}, "nothing.yaml"},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 naming %s", c.args, code, errs, c.want)
		}
	}
}

// TestDossierFromStore: from the database the dossier holds the stored
// documents as numbered exhibits with their sha256; a document added later
// gets the next number and the others keep theirs; each dossier made is
// journaled with its sha256.
func TestDossierFromStore(t *testing.T) {
	path := stNewDB(t)
	stMust(t, "", "import", "--db", path, "--org", "Section A", "../../testdata/cases/01-centre-appels-analyse-vocale.yaml")
	rec := stSystems(t, path, "Section A")[0]
	addDoc := func(name string, d vigie.Date, body string) {
		ctx := context.Background()
		db, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.CreateDocument(ctx, &vigie.Document{SystemID: rec.ID, Name: name, Date: d, Source: "employer"}, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	manifest := func() report.Manifest {
		out := stMust(t, "", "dossier", "--db", path, "--org", "Section A", "--system", rec.ID, "--date", "2026-12-03", "--format", "json", "--audience", "court")
		var m report.Manifest
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	addDoc("Note d'information.pdf", vigie.Date{Year: 2026, Month: 2, Day: 12}, "note")
	first := manifest()
	numbers := map[string]int{}
	for _, x := range first.Exhibits {
		numbers[x.Key] = x.N
		if strings.HasPrefix(x.Key, "document:") && (x.SHA256 == nil || *x.SHA256 != sha256hex("note")) {
			t.Errorf("stored document %+v: sha256 missing or wrong", x)
		}
	}
	if first.Sections[1].ID != "exhibits" {
		t.Errorf("court audience: second section %s, want the bordereau", first.Sections[1].ID)
	}
	addDoc("Ancien procès-verbal.pdf", vigie.Date{Year: 2025, Month: 1, Day: 5}, "pv")
	second := manifest()
	if len(second.Exhibits) != len(first.Exhibits)+1 {
		t.Fatalf("%d exhibits after adding one to %d", len(second.Exhibits), len(first.Exhibits))
	}
	for _, x := range second.Exhibits {
		if n, ok := numbers[x.Key]; ok && n != x.N {
			t.Errorf("%s renumbered %d → %d", x.Key, n, x.N)
		} else if !ok && x.N != len(first.Exhibits)+1 {
			t.Errorf("new exhibit %s numbered %d, want %d", x.Key, x.N, len(first.Exhibits)+1)
		}
	}
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.FindEvents(ctx, rec.OrgID, 50)
	if err != nil {
		t.Fatal(err)
	}
	made := 0
	for _, e := range evs {
		if e.Kind == "dossier.made" && e.Subject == rec.ID && regexp.MustCompile(`^json court 2026-12-03 sha256 [0-9a-f]{64}$`).MatchString(e.Detail) {
			made++
		}
	}
	if made != 2 {
		t.Errorf("%d dossiers journaled, want 2", made)
	}
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
