package crash

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/sync/errgroup"
)

// A panic on a group's goroutine comes back on the waiting goroutine, with
// the stack of the goroutine that panicked, and the other goroutines finish.
func TestGroupRaisesAPanicOnWait(t *testing.T) {
	var g Group
	done := make(chan struct{})
	g.Go(func() { panicInGoroutine() })
	g.Go(func() { close(done) })
	var got any
	func() {
		defer func() { got = recover() }()
		g.Wait()
	}()
	<-done
	e, ok := got.(*Error)
	if !ok {
		t.Fatalf("Wait raised %v (%T), want a *crash.Error", got, got)
	}
	if e.Value != "boom" || !strings.Contains(string(e.Stack), "panicInGoroutine") {
		t.Errorf("value %v, stack without the panicking function:\n%s", e.Value, e.Stack)
	}
	if Recovered(got) != e {
		t.Error("a raised *Error recovered again is not kept as it is")
	}
}

func TestGroupWithoutPanic(t *testing.T) {
	var g Group
	n := 0
	g.Go(func() { n++ })
	g.Wait() // must not panic
	if n != 1 {
		t.Fatalf("n = %d", n)
	}
}

// Func turns a panic in an errgroup goroutine into the group's error.
func TestFuncReturnsAPanicAsError(t *testing.T) {
	var g errgroup.Group
	g.Go(Func(func() error { panicInGoroutine(); return nil }))
	g.Go(Func(func() error { return nil }))
	err := g.Wait()
	var e *Error
	if !errors.As(err, &e) || e.Value != "boom" {
		t.Fatalf("Wait = %v, want a *crash.Error of the panic", err)
	}
	plain := errors.New("plain")
	if err := Func(func() error { return plain })(); err != plain {
		t.Errorf("Func changed an ordinary error: %v", err)
	}
}

func panicInGoroutine() { panic("boom") }
