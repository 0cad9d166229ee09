package law_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigie-app/vigie"
	"github.com/vigie-app/vigie/law"
)

func referenceCases(t testing.TB) []*vigie.System {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "cases", "0*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []*vigie.System
	for _, f := range files {
		if strings.HasSuffix(f, ".expected.yaml") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := vigie.ParseSystem(f, b)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatal("no reference case")
	}
	return out
}

// BenchmarkFactValue looks up every fact of every reference case.
func BenchmarkFactValue(b *testing.B) {
	cases := referenceCases(b)
	paths := vigie.FactPaths()
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range cases {
			for _, p := range paths {
				_ = law.FactValue(s, p)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cases)*len(paths)), "ns/lookup")
}

// TestFactValueTypes checks that every fact path gives a value of one of
// the fact types, equal to the field the path names, also when the usage
// section is absent, and that an unknown path gives nil.
func TestFactValueTypes(t *testing.T) {
	cases := append(referenceCases(t), &vigie.System{})
	for _, s := range cases {
		v := reflect.ValueOf(s).Elem()
		for _, p := range vigie.FactPaths() {
			got := law.FactValue(s, p)
			switch got.(type) {
			case vigie.Tri, string, vigie.Set, vigie.OptInt, vigie.OptFloat, vigie.Date:
			default:
				t.Fatalf("%s: %T", p, got)
			}
			want := field(v, p)
			if want.IsValid() && !reflect.DeepEqual(got, want.Interface()) {
				t.Fatalf("%s of %s: %v, want %v", p, s.Name, got, want.Interface())
			}
			if !want.IsValid() && !reflect.ValueOf(got).IsZero() {
				t.Fatalf("%s of %s (absent section): %v, want the zero value", p, s.Name, got)
			}
		}
	}
	for _, p := range []string{"", "nope", "organisation.nope", "organisation.kind.x", "usage"} {
		if got := law.FactValue(&vigie.System{}, p); got != nil {
			t.Fatalf("%q: %v, want nil", p, got)
		}
	}
}

// field follows a path by the yaml names of the fields; the zero Value
// when it crosses a nil pointer.
func field(v reflect.Value, p string) reflect.Value {
	for _, part := range strings.Split(p, ".") {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}
			}
			v = v.Elem()
		}
		t := v.Type()
		found := false
		for i := 0; i < t.NumField(); i++ {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name == part {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return reflect.Value{}
		}
	}
	return v
}
