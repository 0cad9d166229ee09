// Package vigie holds the domain of the application: the AI systems that staff
// representatives record, the organisations and workplaces they belong to, the
// users and their roles, and the service interfaces that adapters implement.
//
// Engines (law, assess, audit, footprint) are pure packages; adapters (store,
// web, cmd/vigie) do the I/O. Errors carry one of a small set of codes that
// each adapter maps to its own vocabulary (HTTP status, exit code).
package vigie

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map them: EINVALID is exit status 2 and HTTP 400/422,
// ENOTFOUND is HTTP 404, EFORBIDDEN is 403 (or 404 when existence must not
// leak), EUNAUTHORIZED is 401, ECONFLICT is 409, EINTERNAL is exit 1 and 500.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
)

// Error is the domain error. Message is meant for the user and names the
// file, line, field or flag at fault when there is one.
type Error struct {
	Code    string
	Message string
	// Field is the path of the offending fact or form field, when known
	// (for example "capabilities.emotion_recognition").
	Field string
	// Line and Column locate the error in a file, when known (1-based).
	Line, Column int
	// Err is the underlying cause, if any.
	Err error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of the
// first *Error in its chain, or a generic text for internal errors.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "erreur interne / internal error"
}
