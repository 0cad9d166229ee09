package vigie

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaxSystemFileSize bounds the size of a system file that ParseSystem reads.
const MaxSystemFileSize = 1 << 20

// ParseSystem reads a system file (YAML or JSON, which is YAML too) strictly:
// an unknown key, a value of the wrong type, a value outside its enumeration
// or a malformed date is an EINVALID *Error that names the file, the line and
// column, and the path of the fact. name is the file name used in messages.
func ParseSystem(name string, b []byte) (*System, error) {
	if len(b) > MaxSystemFileSize {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("%s : fichier trop gros (plus de %d octets) / file too large (over %d bytes)", name, MaxSystemFileSize, MaxSystemFileSize)}
	}
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		return nil, yamlSyntaxError(name, err)
	}
	var docs []ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d.Body)
		}
	}
	if len(docs) != 1 {
		return nil, &Error{Code: EINVALID, Message: fmt.Sprintf("%s : attendu un seul document, trouvé %d / expected one document, found %d", name, len(docs), len(docs))}
	}
	w := checker{file: name}
	if err := w.check(docs[0], "", reflect.TypeOf(System{})); err != nil {
		return nil, err
	}
	var s System
	if err := yaml.NodeToValue(docs[0], &s); err != nil {
		return nil, yamlSyntaxError(name, err)
	}
	if s.Schema != SystemSchema {
		return nil, w.fail(docs[0], "schema", fmt.Sprintf("attendu %q, trouvé %q", SystemSchema, s.Schema), fmt.Sprintf("expected %q, found %q", SystemSchema, s.Schema))
	}
	if strings.TrimSpace(s.Name) == "" {
		return nil, w.fail(docs[0], "name", "le nom du système est obligatoire", "the system's name is required")
	}
	if err := checkConsultations(name, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// yamlSyntaxError turns a go-yaml error into an EINVALID *Error with its position.
func yamlSyntaxError(name string, err error) error {
	var ye interface {
		GetToken() *token.Token
		GetMessage() string
	}
	if errors.As(err, &ye) && ye.GetToken() != nil && ye.GetToken().Position != nil {
		p := ye.GetToken().Position
		return &Error{Code: EINVALID, Line: p.Line, Column: p.Column, Err: err,
			Message: fmt.Sprintf("%s:%d:%d: YAML invalide / invalid YAML: %s", name, p.Line, p.Column, ye.GetMessage())}
	}
	return &Error{Code: EINVALID, Err: err, Message: fmt.Sprintf("%s : YAML invalide / invalid YAML: %v", name, err)}
}

// checker walks the YAML tree against the Go types of System, so that every
// error names its path and position before anything is decoded.
type checker struct{ file string }

var (
	triType      = reflect.TypeOf(Tri(0))
	optIntType   = reflect.TypeOf(OptInt{})
	optFloatType = reflect.TypeOf(OptFloat{})
	dateType     = reflect.TypeOf(Date{})
	setType      = reflect.TypeOf(Set{})
)

func (c checker) fail(n ast.Node, path, fr, en string) *Error {
	e := &Error{Code: EINVALID, Field: path}
	if n != nil && n.GetToken() != nil && n.GetToken().Position != nil {
		e.Line, e.Column = n.GetToken().Position.Line, n.GetToken().Position.Column
		e.Message = fmt.Sprintf("%s:%d:%d: %s : %s / %s: %s", c.file, e.Line, e.Column, path, fr, path, en)
	} else {
		e.Message = fmt.Sprintf("%s: %s : %s / %s: %s", c.file, path, fr, path, en)
	}
	return e
}

// unwrap skips anchors, tags and comments to the node that holds the value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.TagNode:
			n = x.Value
		default:
			return n
		}
	}
}

func isUnknownOrNull(n ast.Node) bool {
	switch x := n.(type) {
	case *ast.NullNode:
		return true
	case *ast.StringNode:
		return x.Value == Unknown
	}
	return false
}

func scalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.LiteralNode:
		return x.Value.Value, true
	}
	return "", false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (c checker) check(n ast.Node, path string, t reflect.Type) error {
	n = unwrap(n)
	if _, ok := n.(*ast.AliasNode); ok {
		return c.fail(n, path, "les alias YAML ne sont pas acceptés", "YAML aliases are not accepted")
	}
	switch t {
	case triType:
		if _, ok := n.(*ast.BoolNode); ok || isUnknownOrNull(n) {
			return nil
		}
		return c.fail(n, path, fmt.Sprintf("attendu true, false ou unknown, trouvé %q", n.String()), fmt.Sprintf("expected true, false or unknown, found %q", n.String()))
	case optIntType:
		if isUnknownOrNull(n) {
			return nil
		}
		iv, ok := n.(*ast.IntegerNode)
		if !ok {
			return c.fail(n, path, fmt.Sprintf("attendu un nombre entier ou unknown, trouvé %q", n.String()), fmt.Sprintf("expected a whole number or unknown, found %q", n.String()))
		}
		v, err := asInt(fmt.Sprint(iv.Value))
		if err != nil || v < 0 {
			return c.fail(n, path, "attendu un nombre entier positif ou nul", "expected a non-negative whole number")
		}
		if strings.HasPrefix(path, "work.") && v > workScaleMax {
			return c.fail(n, path, fmt.Sprintf("attendu de 0 (aucun) à 3 (grave), trouvé %d", v), fmt.Sprintf("expected 0 (none) to 3 (severe), found %d", v))
		}
		return nil
	case optFloatType:
		if isUnknownOrNull(n) {
			return nil
		}
		switch n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
			return nil
		}
		return c.fail(n, path, fmt.Sprintf("attendu un nombre ou unknown, trouvé %q", n.String()), fmt.Sprintf("expected a number or unknown, found %q", n.String()))
	case dateType:
		if isUnknownOrNull(n) {
			return nil
		}
		s, ok := scalarText(n)
		if !ok {
			return c.fail(n, path, fmt.Sprintf("attendu une date AAAA-MM-JJ, trouvé %q", n.String()), fmt.Sprintf("expected a YYYY-MM-DD date, found %q", n.String()))
		}
		if _, err := ParseDate(s); err != nil {
			return c.fail(n, path, fmt.Sprintf("%q n'est pas une date AAAA-MM-JJ valide", s), fmt.Sprintf("%q is not a valid YYYY-MM-DD date", s))
		}
		return nil
	case setType:
		if isUnknownOrNull(n) {
			return nil
		}
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			return c.fail(n, path, "attendu une liste ([] si aucun) ou unknown", "expected a list ([] for none) or unknown")
		}
		allowed := enumFor(path)
		for i, item := range seq.Values {
			item = unwrap(item)
			s, ok := scalarText(item)
			if !ok {
				return c.fail(item, fmt.Sprintf("%s[%d]", path, i), "attendu un texte", "expected a string")
			}
			if allowed != nil && !slices.Contains(allowed, s) {
				return c.fail(item, fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("valeur %q inconnue (valeurs possibles : %s)", s, strings.Join(allowed, ", ")), fmt.Sprintf("unknown value %q (allowed: %s)", s, strings.Join(allowed, ", ")))
			}
		}
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := n.(*ast.NullNode); ok {
			return nil
		}
		s, ok := scalarText(n)
		if !ok {
			return c.fail(n, path, fmt.Sprintf("attendu un texte, trouvé %q", n.String()), fmt.Sprintf("expected a string, found %q", n.String()))
		}
		allowed := enumFor(path)
		if path == "" || allowed == nil || s == Unknown || s == "" {
			return nil
		}
		if !slices.Contains(allowed, s) {
			return c.fail(n, path, fmt.Sprintf("valeur %q inconnue (valeurs possibles : %s)", s, strings.Join(allowed, ", ")), fmt.Sprintf("unknown value %q (allowed: %s)", s, strings.Join(allowed, ", ")))
		}
		return nil
	case reflect.Pointer:
		if _, ok := n.(*ast.NullNode); ok {
			return nil
		}
		return c.check(n, path, t.Elem())
	case reflect.Slice:
		if _, ok := n.(*ast.NullNode); ok {
			return nil
		}
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			return c.fail(n, path, "attendu une liste", "expected a list")
		}
		for i, item := range seq.Values {
			if err := c.check(item, fmt.Sprintf("%s[%d]", path, i), t.Elem()); err != nil {
				return err
			}
			if t.Elem() == reflect.TypeOf(Evidence{}) {
				if err := c.checkEvidence(unwrap(item), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
		return nil
	case reflect.Struct:
		if _, ok := n.(*ast.NullNode); ok && path != "" {
			return nil
		}
		m, ok := n.(*ast.MappingNode)
		if !ok {
			where := path
			if where == "" {
				where = "(document)"
			}
			return c.fail(n, where, "attendu une table de clés", "expected a mapping of keys")
		}
		fields := yamlFields(t)
		seen := map[string]bool{}
		for _, mv := range m.Values {
			key, ok := scalarText(unwrap(mv.Key))
			if !ok {
				return c.fail(mv.Key, path, "clé invalide", "invalid key")
			}
			p := join(path, key)
			if seen[key] {
				return c.fail(mv.Key, p, "clé en double", "duplicate key")
			}
			seen[key] = true
			ft, ok := fields[key]
			if !ok {
				return c.fail(mv.Key, p, "champ inconnu", "unknown field")
			}
			if err := c.check(mv.Value, p, ft); err != nil {
				return err
			}
		}
		return nil
	}
	return c.fail(n, path, "type non pris en charge", "unsupported type")
}

func (c checker) checkEvidence(n ast.Node, path string) error {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		return nil
	}
	for _, mv := range m.Values {
		key, _ := scalarText(unwrap(mv.Key))
		v, _ := scalarText(unwrap(mv.Value))
		switch key {
		case "fact":
			if !IsFactPath(v) {
				return c.fail(mv.Value, path+".fact", fmt.Sprintf("%q n'est pas un fait connu du fichier système", v), fmt.Sprintf("%q is not a fact of the system file", v))
			}
		}
	}
	return nil
}

func asInt(s string) (int64, error) {
	var v int64
	_, err := fmt.Sscan(strings.ReplaceAll(s, "_", ""), &v)
	return v, err
}

// yamlFields maps the YAML key of each field of struct type t to its type.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := make(map[string]reflect.Type, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		m[name] = f.Type
	}
	return m
}

var indexRe = regexp.MustCompile(`\[\d+\]`)

// enumFor returns the allowed values of the fact at path, list indices ignored.
func enumFor(path string) []string { return Enums[indexRe.ReplaceAllString(path, "")] }
