package web

import (
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-app/vigie"
)

// Field kinds of the system form.
const (
	kindText     = "text"     // free text on one line
	kindTextarea = "textarea" // free text on several lines
	kindTri      = "tri"      // oui / non / inconnu
	kindInt      = "int"      // whole number or unknown
	kindScale    = "scale"    // 0 to 3 or unknown (work.*)
	kindFloat    = "float"    // number or unknown
	kindDate     = "date"     // YYYY-MM-DD or unknown
	kindEnum     = "enum"     // one value of vigie.Enums, or unknown
	kindEnumSet  = "enumset"  // several values of vigie.Enums, none, or unknown
	kindTextSet  = "textset"  // free lines, none, or unknown
)

// field is one fact of the system form.
type field struct {
	Path    string
	Section string
	Kind    string
	Options []string // for enum and enumset
}

// ID is the HTML id of the field's input.
func (f field) ID() string { return fid(f.Path) }

// section is a group of facts, in the order of the system file.
type section struct {
	Name   string
	Fields []field
}

var (
	systemType = reflect.TypeOf(vigie.System{})
	triT       = reflect.TypeOf(vigie.Tri(0))
	optIntT    = reflect.TypeOf(vigie.OptInt{})
	optFloatT  = reflect.TypeOf(vigie.OptFloat{})
	dateT      = reflect.TypeOf(vigie.Date{})
	setT       = reflect.TypeOf(vigie.Set{})
)

func enumValues(path string) []string { return vigie.Enums[path] }

// formSections lists the facts of a system file by section, as the form
// and the system page show them. The first section ("identity") holds the
// top-level facts: name, vendor, description.
var formSections = buildSections()

func buildSections() []section {
	secs := []section{{Name: "identity"}}
	idx := map[string]int{"": 0}
	for _, p := range vigie.FactPaths() {
		sec, _, ok := strings.Cut(p, ".")
		if !ok {
			sec = ""
		}
		i, seen := idx[sec]
		if !seen {
			secs = append(secs, section{Name: sec})
			i = len(secs) - 1
			idx[sec] = i
		}
		f := field{Path: p, Section: secs[i].Name, Kind: kindOf(p)}
		if f.Kind == kindEnum || f.Kind == kindEnumSet {
			f.Options = enumValues(p)
		}
		secs[i].Fields = append(secs[i].Fields, f)
	}
	return secs
}

// factType returns the Go type of the fact at path.
func factType(path string) reflect.Type {
	t := systemType
	for _, name := range strings.Split(path, ".") {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		sf, ok := fieldByTag(t, name)
		if !ok {
			return nil
		}
		t = sf.Type
	}
	return t
}

func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); n == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func kindOf(path string) string {
	switch t := factType(path); t {
	case triT:
		return kindTri
	case optIntT:
		if strings.HasPrefix(path, "work.") {
			return kindScale
		}
		return kindInt
	case optFloatT:
		return kindFloat
	case dateT:
		return kindDate
	case setT:
		if enumValues(path) != nil {
			return kindEnumSet
		}
		return kindTextSet
	}
	if enumValues(path) != nil {
		return kindEnum
	}
	if vigie.MultilineFacts[path] {
		return kindTextarea
	}
	return kindText
}

// factValue returns the addressable value of the fact at path in s,
// allocating s.Usage when alloc is true.
func factValue(s *vigie.System, path string, alloc bool) (reflect.Value, bool) {
	v := reflect.ValueOf(s).Elem()
	for _, name := range strings.Split(path, ".") {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !alloc {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		sf, ok := fieldByTag(v.Type(), name)
		if !ok {
			return reflect.Value{}, false
		}
		v = v.FieldByIndex(sf.Index)
	}
	return v, true
}

// formState is what the form shows for one field: its current value(s) and
// its error, if any.
type formState struct {
	Values map[string]string   // path → value as typed ("" for unknown)
	Sets   map[string][]string // path → checked items or lines
	SetUnk map[string]bool     // path → the list is unknown
	Errors map[string]string   // path → message
}

func newFormState() *formState {
	return &formState{Values: map[string]string{}, Sets: map[string][]string{}, SetUnk: map[string]bool{}, Errors: map[string]string{}}
}

// Val returns the value shown in the input of path.
func (st *formState) Val(path string) string { return st.Values[path] }

// Checked reports whether item is checked in the list at path.
func (st *formState) Checked(path, item string) bool { return slices.Contains(st.Sets[path], item) }

// Lines returns the lines of a free list.
func (st *formState) Lines(path string) string { return strings.Join(st.Sets[path], "\n") }

// Unknown reports whether the list at path is marked unknown.
func (st *formState) Unknown(path string) bool { return st.SetUnk[path] }

// Err returns the error of path.
func (st *formState) Err(path string) string { return st.Errors[path] }

// stateOf fills a form state from a system.
func stateOf(s *vigie.System) *formState {
	st := newFormState()
	facts := s.Facts()
	for _, sec := range formSections {
		for _, f := range sec.Fields {
			v := facts[f.Path]
			switch f.Kind {
			case kindEnumSet, kindTextSet:
				fv, ok := factValue(s, f.Path, false)
				set := vigie.Set{}
				if ok {
					set = fv.Interface().(vigie.Set)
				}
				st.SetUnk[f.Path] = !set.Known
				st.Sets[f.Path] = slices.Clone(set.Items)
			default:
				if v == vigie.Unknown && f.Kind != kindText && f.Kind != kindTextarea {
					v = ""
				}
				if f.Kind == kindTri && v == "" {
					v = vigie.Unknown
				}
				st.Values[f.Path] = v
			}
		}
	}
	consultState(s, st)
	return st
}

// fieldError is the error of one field: the id of its message.
type fieldError struct {
	ID string
}

// parseSystemForm reads the facts of a system from a submitted form into s
// (whose evidence is kept). It returns the form state to show again and the
// errors by path; s is only meaningful when there is no error.
func parseSystemForm(form url.Values, s *vigie.System) (*formState, map[string]fieldError) {
	st := newFormState()
	errs := map[string]fieldError{}
	s.Schema = vigie.SystemSchema
	usageSeen := false
	usage := &vigie.Usage{}
	if s.Usage != nil {
		*usage = *s.Usage
	}
	jobsSeen := false
	jobs := &vigie.Jobs{}
	if s.Jobs != nil {
		*jobs = *s.Jobs
	}
	tmp := *s
	tmp.Usage = usage
	tmp.Jobs = jobs
	for _, sec := range formSections {
		for _, f := range sec.Fields {
			raw := strings.TrimSpace(form.Get(f.Path))
			fv, _ := factValue(&tmp, f.Path, true)
			switch f.Kind {
			case kindText, kindTextarea:
				raw = strings.ReplaceAll(raw, "\r\n", "\n")
				st.Values[f.Path] = raw
				if f.Path == "name" && raw == "" {
					errs[f.Path] = fieldError{ID: "err.required"}
				}
				if id := textFault(f.Path, raw); id != "" {
					errs[f.Path] = fieldError{ID: id}
					continue
				}
				fv.SetString(raw)
			case kindEnum:
				st.Values[f.Path] = raw
				if raw != "" && raw != vigie.Unknown && !slices.Contains(f.Options, raw) {
					errs[f.Path] = fieldError{ID: "err.choice"}
					continue
				}
				if raw == vigie.Unknown {
					raw = ""
				}
				fv.SetString(raw)
			case kindTri:
				if raw == "" {
					raw = vigie.Unknown
				}
				st.Values[f.Path] = raw
				t, err := vigie.ParseTri(raw)
				if err != nil {
					errs[f.Path] = fieldError{ID: "err.tri"}
					continue
				}
				fv.Set(reflect.ValueOf(t))
			case kindInt, kindScale:
				st.Values[f.Path] = raw
				if raw == "" || raw == vigie.Unknown {
					fv.Set(reflect.ValueOf(vigie.OptInt{}))
					continue
				}
				n, err := strconv.ParseInt(digitsOnly(raw), 10, 64)
				if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
					err, n = nil, -1 // out of bounds whatever they are
				}
				if err != nil {
					errs[f.Path] = fieldError{ID: "err.int"}
					continue
				}
				if f.Kind == kindScale && (n < 0 || n > 3) {
					errs[f.Path] = fieldError{ID: "err.scale"}
					continue
				}
				if fault := vigie.CheckInt(f.Path, n); fault != nil {
					errs[f.Path] = fieldError{ID: boundID(fault)}
					continue
				}
				fv.Set(reflect.ValueOf(vigie.IntOf(int(n))))
			case kindFloat:
				st.Values[f.Path] = raw
				if raw == "" || raw == vigie.Unknown {
					fv.Set(reflect.ValueOf(vigie.OptFloat{}))
					continue
				}
				x, err := strconv.ParseFloat(strings.ReplaceAll(digitsOnly(raw), ",", "."), 64)
				if err != nil && !errors.Is(err, strconv.ErrRange) {
					errs[f.Path] = fieldError{ID: "err.float"}
					continue
				}
				if fault := vigie.CheckFloat(f.Path, x); err != nil || fault != nil {
					errs[f.Path] = fieldError{ID: "err.bound.params"}
					continue
				}
				fv.Set(reflect.ValueOf(vigie.FloatOf(x)))
			case kindDate:
				st.Values[f.Path] = raw
				if raw == "" || raw == vigie.Unknown {
					fv.Set(reflect.ValueOf(vigie.Date{}))
					continue
				}
				d, err := vigie.ParseDate(raw)
				if err != nil {
					errs[f.Path] = fieldError{ID: "err.date"}
					continue
				}
				fv.Set(reflect.ValueOf(d))
			case kindEnumSet, kindTextSet:
				unk := form.Get(f.Path+".unknown") != ""
				var items []string
				if f.Kind == kindEnumSet {
					for _, it := range form[f.Path] {
						if !slices.Contains(f.Options, it) {
							errs[f.Path] = fieldError{ID: "err.choice"}
							continue
						}
						if !slices.Contains(items, it) {
							items = append(items, it)
						}
					}
				} else {
					for _, line := range strings.Split(form.Get(f.Path), "\n") {
						if line = strings.TrimSpace(line); line != "" {
							if fault := vigie.CheckLine(line); fault != nil {
								errs[f.Path] = fieldError{ID: faultID(fault)}
							}
							items = append(items, line)
						}
					}
					if len(items) > vigie.MaxListItems {
						errs[f.Path] = fieldError{ID: "err.toomany"}
					}
				}
				st.SetUnk[f.Path] = unk && len(items) == 0
				st.Sets[f.Path] = items
				if unk && len(items) == 0 {
					fv.Set(reflect.ValueOf(vigie.Set{}))
				} else {
					fv.Set(reflect.ValueOf(vigie.SetOf(items...)))
				}
			}
			if strings.HasPrefix(f.Path, "usage.") && st.Values[f.Path] != "" && st.Values[f.Path] != vigie.Unknown {
				usageSeen = true
			}
			if strings.HasPrefix(f.Path, "jobs.") && st.Values[f.Path] != "" && st.Values[f.Path] != vigie.Unknown {
				jobsSeen = true
			}
		}
	}
	if usageSeen {
		tmp.Usage = usage
	} else {
		tmp.Usage = nil
	}
	if !jobsSeen {
		tmp.Jobs = nil
	}
	parseConsultations(form, &tmp, st, errs)
	if len(errs) == 0 {
		*s = tmp
	}
	for p, e := range errs {
		st.Errors[p] = e.ID
	}
	return st, errs
}

// digitsOnly removes the spaces a number may be typed with ("10 000", with
// a space, a no-break space or a narrow no-break space).
func digitsOnly(s string) string {
	return strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "_", "").Replace(s)
}

// textFault returns the message id of what is wrong with the text fact at
// path, or "".
func textFault(path, v string) string {
	check := vigie.CheckLine
	if vigie.MultilineFacts[path] {
		check = vigie.CheckMultiline
	}
	if f := check(v); f != nil {
		return faultID(f)
	}
	if path == "usage.zone" && v != "" && v != vigie.Unknown {
		if f := vigie.CheckCountry(v); f != nil {
			return faultID(f)
		}
	}
	return ""
}

// faultID is the message id of an input fault.
func faultID(f *vigie.InputFault) string {
	switch f.Kind {
	case "utf8":
		return "err.utf8"
	case "control":
		return "err.control"
	case "length":
		if f.Max == vigie.MaxLineRunes {
			return "err.toolong.line"
		}
		return "err.toolong.text"
	case "country":
		return "err.country"
	case "bound":
		return boundID(f)
	}
	return "err.choice"
}

// boundID is the message id that states the bounds of a whole number.
func boundID(f *vigie.InputFault) string {
	switch f.Max {
	case 3:
		return "err.scale"
	case 366:
		return "err.bound.days"
	case 1_000_000_000:
		return "err.bound.billion"
	}
	return "err.bound.count"
}
