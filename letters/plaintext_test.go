package letters

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/assess"
	"github.com/vigie-app/vigie/internal/plaintext"
	"github.com/vigie-app/vigie/law"
	"github.com/vigie-app/vigie/law/deadline"
)

// A sentence a user reads names things by their title: no rule id, no
// procedure id, no fact path, no command-line flag. This test reads every
// text of every rule, deadline chain, question, risk, letter of the
// catalogue and letter template, in both languages.

// allIDs are the ids of the rules, of the deadline chains and their
// references (PROC-A) and of the letters.
func allIDs() []string {
	var ids []string
	for _, r := range law.MustLoad().Rules() {
		ids = append(ids, r.ID)
	}
	for _, p := range deadline.Procedures() {
		ids = append(ids, p.ID, p.Ref)
	}
	for _, l := range Catalogue() {
		ids = append(ids, l.ID)
	}
	return ids
}

// texts collects every law.Text and deadline.Text in v, by where it is.
func texts(where string, v reflect.Value, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			texts(where, v.Elem(), out)
		}
		return
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			texts(fmt.Sprintf("%s[%d]", where, i), v.Index(i), out)
		}
		return
	case reflect.Map:
		for _, k := range v.MapKeys() {
			texts(fmt.Sprintf("%s[%v]", where, k), v.MapIndex(k), out)
		}
		return
	case reflect.Struct:
	default:
		return
	}
	switch t := v.Interface().(type) {
	case law.Text:
		out[where+".fr"], out[where+".en"] = t.FR, t.EN
		return
	case deadline.Text:
		out[where+".fr"], out[where+".en"] = t.FR, t.EN
		return
	}
	for i := 0; i < v.NumField(); i++ {
		if f := v.Type().Field(i); f.IsExported() {
			texts(where+"."+f.Name, v.Field(i), out)
		}
	}
}

// templateText is the fixed text of a letter template: its actions and the
// section markers removed.
func templateText(src string) string {
	src = regexp.MustCompile(`(?s)\{\{.*?\}\}`).ReplaceAllString(src, " ")
	return regexp.MustCompile(`(?m)^@[a-z]+$`).ReplaceAllString(src, " ")
}

func TestUserTextsArePlain(t *testing.T) {
	ids := allIDs()
	all := map[string]string{}
	for _, r := range law.MustLoad().Rules() {
		texts("rule "+r.ID, reflect.ValueOf(r), all)
	}
	for _, p := range deadline.Procedures() {
		texts("chain "+p.ID, reflect.ValueOf(p), all)
	}
	for _, q := range assess.Questionnaire() {
		texts("question "+q.Fact, reflect.ValueOf(q), all)
	}
	for _, b := range vigie.StaffBodies {
		for _, q := range assess.ConsultationQuestions(b) {
			texts("question "+q.Fact, reflect.ValueOf(q), all)
		}
	}
	f, err := assess.LoadFormula()
	if err != nil {
		t.Fatal(err)
	}
	texts("risk formula", reflect.ValueOf(f), all)
	for _, l := range Catalogue() {
		texts("letter "+l.ID, reflect.ValueOf(l), all)
	}
	tmpls, err := filepath.Glob("templates/*.tmpl")
	if err != nil || len(tmpls) < 20 {
		t.Fatalf("templates: %v %d", err, len(tmpls))
	}
	for _, p := range tmpls {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		all["template "+filepath.Base(p)] = templateText(string(b))
	}
	if len(all) < 500 {
		t.Fatalf("only %d texts read", len(all))
	}
	var faults []string
	for where, text := range all {
		for _, f := range plaintext.Faults(text, ids) {
			faults = append(faults, where+": "+f)
		}
	}
	sort.Strings(faults)
	for _, f := range faults {
		t.Error(f)
	}
	if len(faults) > 0 {
		t.Logf("%d faults", len(faults))
	}
}
