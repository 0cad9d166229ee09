package vigie_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/vigie-app/vigie"
)

// FuzzParseSystem: on any bytes, ParseSystem returns a system or an
// EINVALID error, never a panic nor another error; a system it accepts
// reads back the same from its JSON (the form the store keeps), and an
// error message never copies a long value.
func FuzzParseSystem(f *testing.F) {
	for _, p := range []string{
		"testdata/cases/01-centre-appels-analyse-vocale.yaml",
		"testdata/cases/04-fraude-prestations.yaml",
	} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"schema: vigie/system/v1\nname: x\n",
		`{"schema": "vigie/system/v1", "name": "x", "organisation": {"headcount": 12}}`,
		"schema: vigie/system/v1\nname: &a x\nvendor: *a\n",
		"schema: vigie/system/v1\nname: x\nevidence: [[[[[[]]]]]]\n",
		"schema: vigie/system/v1\nname: \"a\\u0000b\"\n",
		"schema: vigie/system/v1\nname: |\n  x\n  y\n",
		"- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x",
		"schema: vigie/system/v1\nname: x\nusage:\n  zone: fra\n  params_active_b: 1e400\n",
		"schema: vigie/system/v1\nname: x\xff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := vigie.ParseSystem("f.yaml", b)
		if err != nil {
			if vigie.ErrorCode(err) != vigie.EINVALID {
				t.Fatalf("not EINVALID: %v", err)
			}
			if len(err.Error()) > 2000 {
				t.Fatalf("message of %d bytes", len(err.Error()))
			}
			return
		}
		j, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		s2, err := vigie.ParseSystem("f.json", j)
		if err != nil {
			t.Fatalf("its own JSON refused: %v\n%s", err, j)
		}
		a, b2 := s.Facts(), s2.Facts()
		for k, v := range a {
			if b2[k] != v {
				t.Fatalf("%s: %q became %q", k, v, b2[k])
			}
		}
	})
}
