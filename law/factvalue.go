package law

import (
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/vigie-app/vigie"
)

// accessor reads one fact of a system.
type accessor func(*vigie.System) any

// accessors maps every path of a field of vigie.System (by the yaml names
// of its fields, "organisation.kind", "usage.model"…) to a function that
// reads it. The table is built once by reflection over the type; a lookup
// then reads the field at its offset, with no reflection. A field behind a
// nil pointer (the usage section when absent) reads as its zero value; a
// path that ends on a pointer is not in the table (FactValue gives nil).
var accessors = sync.OnceValue(func() map[string]accessor {
	m := map[string]accessor{}
	var walk func(t reflect.Type, prefix string, ptr []uintptr, off uintptr)
	walk = func(t reflect.Type, prefix string, ptr []uintptr, off uintptr) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			p := name
			if prefix != "" {
				p = prefix + "." + name
			}
			o := off + f.Offset
			if f.Type.Kind() == reflect.Pointer {
				if f.Type.Elem().Kind() == reflect.Struct {
					walk(f.Type.Elem(), p, append(append([]uintptr{}, ptr...), o), 0)
				}
				continue
			}
			m[p] = accessorOf(f.Type, ptr, o)
			if f.Type.Kind() == reflect.Struct && !leafType(f.Type) {
				walk(f.Type, p, ptr, o)
			}
		}
	}
	walk(reflect.TypeOf(vigie.System{}), "", nil, 0)
	return m
})

// leafType reports whether t is one of the fact types, which are structs
// read whole.
func leafType(t reflect.Type) bool {
	switch t {
	case reflect.TypeOf(vigie.OptInt{}), reflect.TypeOf(vigie.OptFloat{}), reflect.TypeOf(vigie.Date{}), reflect.TypeOf(vigie.Set{}):
		return true
	}
	return false
}

// accessorOf returns the accessor of a field of type t at offset off of
// the struct reached from the system through the pointers at offsets ptr.
func accessorOf(t reflect.Type, ptr []uintptr, off uintptr) accessor {
	switch t {
	case reflect.TypeOf(vigie.Tri(0)):
		return typed[vigie.Tri](ptr, off)
	case reflect.TypeOf(""):
		return typed[string](ptr, off)
	case reflect.TypeOf(vigie.Set{}):
		return typed[vigie.Set](ptr, off)
	case reflect.TypeOf(vigie.OptInt{}):
		return typed[vigie.OptInt](ptr, off)
	case reflect.TypeOf(vigie.OptFloat{}):
		return typed[vigie.OptFloat](ptr, off)
	case reflect.TypeOf(vigie.Date{}):
		return typed[vigie.Date](ptr, off)
	}
	// Any other type (a section, a list of records): read through
	// reflection, which these paths are rarely asked.
	return func(sys *vigie.System) any {
		base := follow(sys, ptr)
		if base == nil {
			return reflect.Zero(t).Interface()
		}
		return reflect.NewAt(t, unsafe.Add(base, off)).Elem().Interface()
	}
}

// typed reads a field of type T.
func typed[T any](ptr []uintptr, off uintptr) accessor {
	if len(ptr) == 0 {
		return func(sys *vigie.System) any { return *(*T)(unsafe.Add(unsafe.Pointer(sys), off)) }
	}
	return func(sys *vigie.System) any {
		base := follow(sys, ptr)
		if base == nil {
			var zero T
			return zero
		}
		return *(*T)(unsafe.Add(base, off))
	}
}

// follow returns the address of the struct reached from sys through the
// pointer fields at offsets ptr, nil when one of them is nil.
func follow(sys *vigie.System, ptr []uintptr) unsafe.Pointer {
	base := unsafe.Pointer(sys)
	for _, o := range ptr {
		base = *(*unsafe.Pointer)(unsafe.Add(base, o))
		if base == nil {
			return nil
		}
	}
	return base
}
