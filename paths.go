package vigie

import (
	"reflect"
	"slices"
	"strings"
	"sync"
)

// FactPaths returns the paths of every fact of a system file, in file order
// (for example "deployment.staff_body_consulted"). Evidence and the schema
// tag are not facts.
func FactPaths() []string {
	factPathsOnce.Do(func() {
		var walk func(t reflect.Type, prefix string)
		walk = func(t reflect.Type, prefix string) {
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				if name == "" || name == "schema" || name == "evidence" {
					continue
				}
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				p := join(prefix, name)
				if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
					// deployment.consultations: its facts are named by
					// ConsultationPaths.
					continue
				}
				if ft.Kind() == reflect.Struct && !isLeaf(ft) {
					walk(ft, p)
					continue
				}
				factPaths = append(factPaths, p)
				factKinds[p] = kindOf(ft)
			}
		}
		walk(reflect.TypeOf(System{}), "")
	})
	return slices.Clone(factPaths)
}

var (
	factPathsOnce sync.Once
	factPaths     []string
	factKinds     = map[string]string{}
)

// The kinds of facts FactKind reports.
const (
	KindTri   = "tri"   // true, false or unknown
	KindInt   = "int"   // a whole number or unknown
	KindFloat = "float" // a decimal number or unknown
	KindDate  = "date"  // YYYY-MM-DD or unknown
	KindSet   = "set"   // a list
	KindText  = "text"  // a text or an enumerated value
)

// FactKind returns the kind of the fact at path (KindTri, KindInt…), or ""
// when path is not a fact path.
func FactKind(path string) string {
	FactPaths()
	return factKinds[path]
}

func kindOf(t reflect.Type) string {
	switch t {
	case triType:
		return KindTri
	case optIntType:
		return KindInt
	case optFloatType:
		return KindFloat
	case dateType:
		return KindDate
	case setType:
		return KindSet
	}
	return KindText
}

func isLeaf(t reflect.Type) bool {
	return t == triType || t == optIntType || t == optFloatType || t == dateType || t == setType
}

// IsFactPath reports whether p is the path of a fact of a system file.
func IsFactPath(p string) bool {
	if _, _, ok := SplitConsultationPath(p); ok {
		return true
	}
	return slices.Contains(FactPaths(), p)
}

// Facts returns every fact of s as text, by path: "true", "false", a number,
// a date, a comma-separated list, "[]" for an empty list, "unknown" for an
// unknown fact, or the text itself; the facts of the consultations are
// named by ConsultationPaths. It is what the history of a system
// compares, and what a form shows.
func (s *System) Facts() map[string]string {
	out := make(map[string]string)
	var walk func(v reflect.Value, prefix string)
	walk = func(v reflect.Value, prefix string) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "schema" || name == "evidence" {
				continue
			}
			p := join(prefix, name)
			fv := v.Field(i)
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					fv = reflect.Zero(fv.Type().Elem())
				} else {
					fv = fv.Elem()
				}
			}
			switch x := fv.Interface().(type) {
			case Tri:
				out[p] = x.String()
			case OptInt:
				out[p] = x.String()
			case OptFloat:
				out[p] = x.String()
			case Date:
				if x.IsZero() {
					out[p] = Unknown
				} else {
					out[p] = x.String()
				}
			case Set:
				out[p] = x.String()
			case []Consultation:
				// Reported per body below.
			case string:
				if x == "" && Enums[p] != nil {
					out[p] = Unknown
				} else {
					out[p] = x
				}
			default:
				walk(fv, p)
			}
		}
	}
	walk(reflect.ValueOf(*s), "")
	s.consultationFacts(out)
	return out
}
