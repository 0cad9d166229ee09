package vigie

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
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
	if line, col := invalidUTF8Line(b); line > 0 {
		return nil, &Error{Code: EINVALID, Line: line, Column: col,
			Message: fmt.Sprintf("%s:%d:%d: le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8, ou indiquez qu'il est en Windows-1252) / the file is not UTF-8 (save it as UTF-8, or say that it is Windows-1252)", name, line, col)}
	}
	if line := nestingLine(b, MaxDepth); line > 0 {
		return nil, &Error{Code: EINVALID, Line: line,
			Message: fmt.Sprintf("%s:%d: imbrication trop profonde (plus de %d niveaux) / nesting too deep (over %d levels)", name, line, MaxDepth, MaxDepth)}
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
		return nil, w.fail(docs[0], "schema", fmt.Sprintf("attendu %q, trouvé %q", SystemSchema, Clip(s.Schema, 60)), fmt.Sprintf("expected %q, found %q", SystemSchema, Clip(s.Schema, 60)))
	}
	if strings.TrimSpace(s.Name) == "" {
		return nil, w.fail(docs[0], "name", "le nom du système est obligatoire", "the system's name is required")
	}
	if err := CheckConsultations(name, &s); err != nil {
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
			Message: fmt.Sprintf("%s:%d:%d: YAML invalide / invalid YAML: %s", name, p.Line, p.Column, Clip(ye.GetMessage(), 200))}
	}
	return &Error{Code: EINVALID, Err: err, Message: fmt.Sprintf("%s : YAML invalide / invalid YAML: %s", name, Clip(err.Error(), 200))}
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
	path = Clip(path, 120)
	e := &Error{Code: EINVALID, Field: path}
	if n != nil && n.GetToken() != nil && n.GetToken().Position != nil {
		e.Line, e.Column = n.GetToken().Position.Line, n.GetToken().Position.Column
		e.Message = fmt.Sprintf("%s:%d:%d: %s : %s / %s: %s", c.file, e.Line, e.Column, path, fr, path, en)
	} else {
		e.Message = fmt.Sprintf("%s: %s : %s / %s: %s", c.file, path, fr, path, en)
	}
	return e
}

// fault is fail for an InputFault.
func (c checker) fault(n ast.Node, path string, f *InputFault) *Error {
	return c.fail(n, path, f.FR(), f.EN())
}

// shown is the text of a node for a message, cut short: an error never
// copies a whole value.
func shown(n ast.Node) string { return Clip(n.String(), 60) }

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
		return c.fail(n, path, fmt.Sprintf("attendu true, false ou unknown, trouvé %q", shown(n)), fmt.Sprintf("expected true, false or unknown, found %q", shown(n)))
	case optIntType:
		if isUnknownOrNull(n) {
			return nil
		}
		iv, ok := n.(*ast.IntegerNode)
		if tk := n.GetToken(); !ok && tk != nil && wholeRe.MatchString(tk.Value) {
			// A whole number too large for 64 bits.
			f := &InputFault{Kind: "bound"}
			f.Min, f.Max = IntBounds(indexRe.ReplaceAllString(path, ""))
			return c.fault(n, path, f)
		}
		if !ok {
			return c.fail(n, path, fmt.Sprintf("attendu un nombre entier ou unknown, trouvé %q", shown(n)), fmt.Sprintf("expected a whole number or unknown, found %q", shown(n)))
		}
		v, err := asInt(fmt.Sprint(iv.Value))
		if strings.HasPrefix(path, "work.") && (err != nil || v < 0 || v > workScaleMax) {
			return c.fail(n, path, fmt.Sprintf("attendu de 0 (aucun) à 3 (grave), trouvé %q", shown(n)), fmt.Sprintf("expected 0 (none) to 3 (severe), found %q", shown(n)))
		}
		if err != nil {
			f := &InputFault{Kind: "bound"}
			f.Min, f.Max = IntBounds(indexRe.ReplaceAllString(path, ""))
			return c.fault(n, path, f)
		}
		if f := CheckInt(indexRe.ReplaceAllString(path, ""), v); f != nil {
			return c.fault(n, path, f)
		}
		return nil
	case optFloatType:
		if isUnknownOrNull(n) {
			return nil
		}
		switch x := n.(type) {
		case *ast.IntegerNode, *ast.FloatNode:
			var v float64
			if _, err := fmt.Sscan(strings.ReplaceAll(x.GetToken().Value, "_", ""), &v); err != nil {
				v = -1
			}
			if f := CheckFloat(indexRe.ReplaceAllString(path, ""), v); f != nil {
				return c.fault(n, path, f)
			}
			return nil
		}
		if t, ok := scalarText(n); ok {
			if v, err := strconv.ParseFloat(t, 64); err == nil {
				if f := CheckFloat(indexRe.ReplaceAllString(path, ""), v); f != nil {
					return c.fault(n, path, f)
				}
			}
		}
		return c.fail(n, path, fmt.Sprintf("attendu un nombre ou unknown, trouvé %q", shown(n)), fmt.Sprintf("expected a number or unknown, found %q", shown(n)))
	case dateType:
		if isUnknownOrNull(n) {
			return nil
		}
		s, ok := scalarText(n)
		if !ok {
			return c.fail(n, path, fmt.Sprintf("attendu une date AAAA-MM-JJ, trouvé %q", shown(n)), fmt.Sprintf("expected a YYYY-MM-DD date, found %q", shown(n)))
		}
		if _, err := ParseDate(s); err != nil {
			return c.fail(n, path, fmt.Sprintf("%q n'est pas une date AAAA-MM-JJ valide", Clip(s, 60)), fmt.Sprintf("%q is not a valid YYYY-MM-DD date", Clip(s, 60)))
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
		if len(seq.Values) > MaxListItems {
			return c.fail(n, path, fmt.Sprintf("liste trop longue (au plus %d éléments)", MaxListItems), fmt.Sprintf("list too long (at most %d items)", MaxListItems))
		}
		allowed := enumFor(path)
		for i, item := range seq.Values {
			item = unwrap(item)
			s, ok := scalarText(item)
			if !ok {
				return c.fail(item, fmt.Sprintf("%s[%d]", path, i), "attendu un texte", "expected a string")
			}
			if f := CheckLine(s); f != nil {
				return c.fault(item, fmt.Sprintf("%s[%d]", path, i), f)
			}
			if allowed != nil && !slices.Contains(allowed, s) {
				return c.fail(item, fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("valeur %q inconnue (valeurs possibles : %s)", Clip(s, 60), strings.Join(allowed, ", ")), fmt.Sprintf("unknown value %q (allowed: %s)", Clip(s, 60), strings.Join(allowed, ", ")))
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
			return c.fail(n, path, fmt.Sprintf("attendu un texte, trouvé %q", shown(n)), fmt.Sprintf("expected a string, found %q", shown(n)))
		}
		bare := indexRe.ReplaceAllString(path, "")
		check := CheckLine
		if MultilineFacts[bare] {
			check = CheckMultiline
		}
		if f := check(s); f != nil {
			return c.fault(n, path, f)
		}
		if bare == "usage.zone" && s != "" && s != Unknown {
			if f := CheckCountry(s); f != nil {
				return c.fault(n, path, f)
			}
		}
		allowed := enumFor(path)
		if path == "" || allowed == nil || s == Unknown || s == "" {
			return nil
		}
		if !slices.Contains(allowed, s) {
			return c.fail(n, path, fmt.Sprintf("valeur %q inconnue (valeurs possibles : %s)", Clip(s, 60), strings.Join(allowed, ", ")), fmt.Sprintf("unknown value %q (allowed: %s)", Clip(s, 60), strings.Join(allowed, ", ")))
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
				return c.fail(mv.Value, path+".fact", fmt.Sprintf("%q n'est pas un fait connu du fichier système", Clip(v, 60)), fmt.Sprintf("%q is not a fact of the system file", Clip(v, 60)))
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

var (
	indexRe = regexp.MustCompile(`\[\d+\]`)
	wholeRe = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)
)

// enumFor returns the allowed values of the fact at path, list indices ignored.
func enumFor(path string) []string { return Enums[indexRe.ReplaceAllString(path, "")] }
