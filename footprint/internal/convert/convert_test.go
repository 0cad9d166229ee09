package convert

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestModelsRejectsBadInput(t *testing.T) {
	for _, raw := range []string{
		`{"aliases": [], "models": [{"type": "model", "provider": "p", "name": "a", "architecture": {"type": "moe", "parameters": 7}, "warnings": null, "sources": []}]}`,
		`{"aliases": [], "models": [{"type": "model", "provider": "p", "name": "a", "architecture": {"type": "dense", "parameters": {"min": 9, "max": 3}}, "warnings": null, "sources": []}]}`,
		`{"aliases": [], "models": [{"type": "model", "provider": "p", "name": "a", "architecture": {"type": "moe", "parameters": {"total": 9}}, "warnings": null, "sources": []}]}`,
		`{"aliases": [{"type": "alias", "provider": "p", "name": "b", "alias": "zzz"}], "models": []}`,
		`{"aliases": [], "models": [], "extra": 1}`,
	} {
		if _, err := Models([]byte(raw), EcoLogits091); err == nil {
			t.Errorf("accepted %s", raw)
		}
	}
}

func TestModelsConverts(t *testing.T) {
	raw := `{"aliases": [{"type": "alias", "provider": "p", "name": "b", "alias": "a"}], "models": [
	 {"type": "model", "provider": "p", "name": "a", "architecture": {"type": "moe", "parameters": {"total": 440, "active": {"min": 44, "max": 132}}}, "warnings": ["model-arch-not-released"], "sources": ["u"]}]}`
	out, err := Models([]byte(raw), EcoLogits091)
	if err != nil {
		t.Fatal(err)
	}
	var f ModelFile
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatal(err)
	}
	m := f.Models[0]
	if m.ParamsActive != (Bounds{44, 132}) || m.ParamsTotal != (Bounds{440, 440}) || m.Source == "" || m.Date != "2025-11-13" ||
		f.Aliases[0].Model != "a" || f.Upstream.SHA256 == "" {
		t.Errorf("%+v", f)
	}
}

func TestZonesRejectsBadInput(t *testing.T) {
	for _, raw := range []string{
		"name,gwp\nFRA,1\n",
		"name,adpe,pe,gwp,wue\nFRA,1,2,x,4\n",
		"name,adpe,pe,gwp,wue\nFRA,1,2,3,4\nFRA,1,2,3,4\n",
		"name,adpe,pe,gwp,wue\nFRA,1,2,-3,4\n",
	} {
		if _, err := Zones([]byte(raw), EcoLogits091); err == nil {
			t.Errorf("accepted %q", raw)
		}
	}
	out, err := Zones([]byte("name,adpe,pe,gwp,wue\nWOR,0.00000001349,2.5871,0.47301,3.908\n"), EcoLogits091)
	if err != nil || !strings.Contains(string(out), `"value": 1.349e-8`) {
		t.Errorf("%v %s", err, out)
	}
}
