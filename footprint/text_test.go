package footprint

import (
	"bytes"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		r       Range
		q, lang string
		want    string
	}{
		{Exact(0.000353709), "energy_kwh", "fr", "0,354 Wh"},
		{Exact(0.000353709), "energy_kwh", "en", "0.354 Wh"},
		{Range{4.11338e-05, 4.40908e-05}, "gwp_kgco2e", "fr", "41,1 – 44,1 mg CO2e"},
		{Exact(1234567), "energy_kwh", "fr", "1,23 GWh"},
		{Exact(12345), "water_l", "en", "12.3 m³"},
		{Exact(1.66757e-09), "adpe_kgsbeq", "en", "1.67 µg Sb eq"},
		{Exact(0.00329427), "pe_mj", "fr", "3,29 kJ"},
		{Range{8800000, 8800000}, "", "fr", "8\u202f800\u202f000"},
		{Range{0, 2}, "", "en", "0 – 2"},
	} {
		if got := FormatRange(c.r, c.q, c.lang); got != c.want {
			t.Errorf("FormatRange(%v, %s, %s) = %q, want %q", c.r, c.q, c.lang, got, c.want)
		}
	}
}

func TestWriteText(t *testing.T) {
	r, err := Estimate(Input{Model: "mistral-large-latest", OutputTokens: Exact(400), Zone: "FRA",
		Users: ptr(Exact(2000)), RequestsPerDay: ptr(Exact(20)), Days: ptr(Exact(220)), Images: ptr(Exact(1))})
	if err != nil {
		t.Fatal(err)
	}
	var fr, en bytes.Buffer
	if err := r.WriteText(&fr, "fr"); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteText(&en, "en"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Par requête", "0,354 Wh", "44,1 mg CO2e", "fabrication", "Par utilisateur et par an",
		"Par an (total)", "France", "ecologits-0.9.1", "de Vries", "Gemini", "0,34 Wh", "Mistral Large 2", "charges de smartphone",
		"Génération d'images", "GenAI Impact", "ignore les jetons d'entrée"} {
		if !strings.Contains(fr.String(), want) {
			t.Errorf("French text lacks %q", want)
		}
	}
	for _, want := range []string{"Per request", "0.354 Wh", "44.1 mg CO2e", "embodied", "Per user and year", "smartphone charges", "Image generation"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("English text lacks %q", want)
		}
	}
	if strings.Contains(en.String(), "Par requête") || strings.Contains(en.String(), " : ") {
		t.Error("English text has French in it")
	}
	l, _ := Estimate(Input{Method: "ecologits-legacy", Model: "mistral-large-latest", OutputTokens: Exact(400)})
	var lt bytes.Buffer
	l.WriteText(&lt, "fr")
	if !strings.Contains(lt.String(), "non calculée") || !strings.Contains(lt.String(), "Ancien jeu de constantes") {
		t.Errorf("legacy text:\n%s", lt.String())
	}
}
