package web

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/vigie-app/vigie"
)

// FuzzSystemForm: any submitted form decodes without a panic; a form it
// accepts is a system the strict parser accepts too (the store re-reads it
// so), with no control character in a single-line fact.
func FuzzSystemForm(f *testing.F) {
	f.Add("name=Outil&organisation.headcount=400&deployment.units=a%0Ab&usage.zone=FRA")
	f.Add("name=Outil%0D%0A&vendor=%1B%5B2J")
	f.Add("name=&organisation.headcount=99999999999999999999")
	f.Add("name=x&usage.params_active_b=1e400&work.surveillance_felt=-1&deployment.since=2026-02-30")
	f.Add("name=x&description=a%0D%0Ab&purpose.domains=monitoring&purpose.domains=nope&deployment.units.unknown=1")
	f.Fuzz(func(t *testing.T, q string) {
		form, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		var s vigie.System
		_, errs := parseSystemForm(form, &s)
		if len(errs) > 0 {
			return
		}
		for p, v := range s.Facts() {
			if vigie.MultilineFacts[p] {
				continue
			}
			if fault := vigie.CheckLine(v); fault != nil && fault.Kind == "control" {
				t.Fatalf("%s accepted with a control character: %q", p, v)
			}
		}
		s.Schema = vigie.SystemSchema
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := vigie.ParseSystem("form.yaml", b); err != nil {
			t.Fatalf("the form accepted what the parser refuses: %v\n%s", err, b)
		}
	})
}
