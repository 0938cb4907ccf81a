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
	"sync"
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

// Group is a sync.WaitGroup whose goroutines cannot take the process down: a
// panic in one is recovered on its goroutine, where no recover of the
// command could reach it, and Wait raises it again on the waiting goroutine,
// where the command's recover turns it into the bug report.
type Group struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	first *Error
}

// Go runs f on a new goroutine of the group.
func (g *Group) Go(f func()) {
	g.wg.Go(func() {
		defer func() {
			if v := recover(); v != nil {
				g.keep(Recovered(v))
			}
		}()
		f()
	})
}

func (g *Group) keep(e *Error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.first == nil {
		g.first = e
	}
}

// Wait waits for the group's goroutines, then panics with the first panic
// one of them raised (its stack is the goroutine's, kept in the *Error).
func (g *Group) Wait() {
	g.wg.Wait()
	g.mu.Lock()
	e := g.first
	g.mu.Unlock()
	if e != nil {
		panic(e)
	}
}

// Func wraps f for errgroup.Group.Go: a panic in f is recovered on its
// goroutine and returned as f's error, an *Error that callers pass on and
// the command reports as a bug.
func Func(f func() error) func() error {
	return func() (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = Recovered(v)
			}
		}()
		return f()
	}
}
