package letters

import (
	"fmt"
	"reflect"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode"
)

// guard is a private-use character that marks, inside the output of a
// template, a value that must be read as text: put before a value that
// starts with "@", "#" or "-", and inside "{{", "}}" and "%!", it keeps the
// value from starting a section, a heading or a list item and from looking
// like an unfilled placeholder. parseDocument removes it once the structure
// of the letter is read.
const guard = "\ue001"

// escapeValue makes s, a value of the view, plain text on one line: control
// characters go, line breaks become spaces, and the markup of the letter
// (sections, headings, list items, placeholders) is guarded.
func escapeValue(s string) string {
	if s == "" {
		return s
	}
	s = strings.ReplaceAll(s, guard, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.NewReplacer("{{", "{"+guard+"{", "}}", "}"+guard+"}", "%!", "%"+guard+"!", "<no value>", "<no"+guard+" value>").Replace(s)
	if s != "" && strings.ContainsRune("@#-", rune(s[0])) {
		s = guard + s
	}
	return s
}

// escapeView escapes every text of v in place (strings, lists of strings,
// and those of nested structs), so that what the user typed is data when
// the template places it: it can neither open a section (@notes, @sign)
// nor fail the letter ({{, %!, @bogus).
func escapeView(v *view) { escapeValues(reflect.ValueOf(v).Elem()) }

func escapeValues(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if v.CanSet() {
			v.SetString(escapeValue(v.String()))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			escapeValues(v.Field(i))
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			// A fresh slice: the view's lists may share their array with
			// the caller's data.
			n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(n, v)
			v.Set(n)
		}
		for i := 0; i < v.Len(); i++ {
			escapeValues(v.Index(i))
		}
	}
}

// unguard removes the guards from the texts of a parsed document.
func (d *Document) unguard() {
	un := func(s string) string { return strings.ReplaceAll(s, guard, "") }
	all := func(xs []string) {
		for i := range xs {
			xs[i] = un(xs[i])
		}
	}
	all(d.From)
	all(d.To)
	all(d.Signature)
	all(d.Notes)
	d.PlaceDate, d.Subject = un(d.PlaceDate), un(d.Subject)
	for i := range d.Body {
		d.Body[i].Text = un(d.Body[i].Text)
		all(d.Body[i].Items)
	}
}

var sections = []string{"from", "to", "place", "subject", "body", "sign", "notes"}

// checkTemplate checks a parsed letter template on its own, before any value
// fills it: every line of its text that starts with "@" names a known
// section, and every field it reads from the view ({{.Name}}, {{$.Units}})
// exists. A fault is the template's, never the user's.
func checkTemplate(t *template.Template) error {
	vt := reflect.TypeOf(view{})
	for _, tt := range t.Templates() {
		if tt.Tree == nil || tt.Tree.Root == nil {
			continue
		}
		if err := checkNode(tt.Tree.Root, vt, true); err != nil {
			return fmt.Errorf("%s: %w", tt.Name(), err)
		}
	}
	return nil
}

func checkNode(n parse.Node, vt reflect.Type, dotIsView bool) error {
	field := func(name string) error {
		if _, ok := vt.FieldByName(name); !ok {
			if _, ok := reflect.PointerTo(vt).MethodByName(name); !ok {
				return fmt.Errorf("unknown field .%s", name)
			}
		}
		return nil
	}
	switch x := n.(type) {
	case *parse.ListNode:
		if x == nil {
			return nil
		}
		for _, c := range x.Nodes {
			if err := checkNode(c, vt, dotIsView); err != nil {
				return err
			}
		}
	case *parse.TextNode:
		for _, line := range strings.Split(string(x.Text), "\n") {
			line = strings.TrimSpace(line)
			if strings.HasPrefix(line, "@") {
				name := strings.Fields(line)[0][1:]
				if !contains(sections, name) {
					return fmt.Errorf("unknown section %q", "@"+name)
				}
			}
		}
	case *parse.ActionNode:
		return checkNode(x.Pipe, vt, dotIsView)
	case *parse.PipeNode:
		if x == nil {
			return nil
		}
		for _, c := range x.Cmds {
			for _, a := range c.Args {
				if err := checkNode(a, vt, dotIsView); err != nil {
					return err
				}
			}
		}
	case *parse.FieldNode:
		if dotIsView {
			return field(x.Ident[0])
		}
	case *parse.VariableNode:
		if x.Ident[0] == "$" && len(x.Ident) > 1 {
			return field(x.Ident[1])
		}
	case *parse.IfNode:
		return checkBranch(&x.BranchNode, vt, dotIsView, dotIsView)
	case *parse.RangeNode:
		return checkBranch(&x.BranchNode, vt, dotIsView, false)
	case *parse.WithNode:
		return checkBranch(&x.BranchNode, vt, dotIsView, false)
	case *parse.TemplateNode:
		return checkNode(x.Pipe, vt, dotIsView)
	}
	return nil
}

func checkBranch(b *parse.BranchNode, vt reflect.Type, dotIsView, inner bool) error {
	if err := checkNode(b.Pipe, vt, dotIsView); err != nil {
		return err
	}
	if err := checkNode(b.List, vt, inner); err != nil {
		return err
	}
	if b.ElseList != nil {
		return checkNode(b.ElseList, vt, dotIsView)
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
