package law_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/vigie-app/vigie/law"
)

// docs/law.md is what the rule files say today: regenerate it with
// go generate ./law after changing a rule.
func TestDocUpToDate(t *testing.T) {
	b := law.MustLoad()
	var buf bytes.Buffer
	if err := b.WriteDoc(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../docs/law.md")
	if err != nil {
		t.Fatalf("%v (go generate ./law)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Fatal("docs/law.md is out of date: run go generate ./law")
	}
	for _, r := range b.Rules() {
		if !strings.Contains(buf.String(), "### "+r.ID+" — ") {
			t.Errorf("rule %s missing from the document", r.ID)
		}
	}
	for _, s := range b.Sources() {
		if !strings.Contains(buf.String(), "**"+s.Key+"**") {
			t.Errorf("source %s missing", s.Key)
		}
	}
}
