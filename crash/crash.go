// Package crash turns a panic, which is always a bug in om-auth0, into one
// line for the operator and a report file holding the stack trace, instead
// of a stack trace on the terminal.
package crash

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Error is a recovered panic.
type Error struct {
	Value any    // what was passed to panic
	Stack []byte // the stack of the goroutine that panicked
}

// Recovered makes an *Error of what recover returned. Call it in the
// deferred function itself, where the stack still shows where the panic
// happened. An *Error that is panicked again is kept as it is.
func Recovered(v any) *Error {
	if e, ok := v.(*Error); ok {
		return e
	}
	return &Error{Value: v, Stack: debug.Stack()}
}

// maxValueLen bounds the panic's value in the one line on the terminal; the
// report file has all of it.
const maxValueLen = 200

// Error is "internal error: <value>" on one line of printable text: the
// value may hold text from a server.
func (e *Error) Error() string {
	v := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(fmt.Sprint(e.Value), "?"))
	if utf8.RuneCountInString(v) > maxValueLen {
		v = string([]rune(v)[:maxValueLen]) + "…"
	}
	return "internal error: " + v
}

// WriteReport writes the report, the panic's value and stack with the
// version of om-auth0 and Go, to a new file (mode 0600) in the user's
// temporary directory, and returns its path. It holds no command-line
// argument or environment, where secrets may be.
func (e *Error) WriteReport(version string) (string, error) {
	f, err := os.CreateTemp("", "om-auth0-crash-*.txt")
	if err != nil {
		return "", fmt.Errorf("create the crash report: %w", err)
	}
	_, werr := fmt.Fprintf(f, "om-auth0 %s (%s %s/%s) panicked at %s.\nPlease attach this file to a bug report.\n\npanic: %v\n\n%s",
		version, runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format(time.RFC3339), e.Value, e.Stack)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", fmt.Errorf("write the crash report %s: %w", f.Name(), werr)
	}
	return f.Name(), nil
}
