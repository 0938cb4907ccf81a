package wizard

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/steps"
)

// A panic in an Auth0 call of the terminal UI quits the wizard the normal
// way (bubbletea restores the terminal and reports no panic of its own), and
// Run returns it as a *crash.Error, for exit 1, with the stack of the call.
func TestRunReturnsAPanicInAnAuth0Call(t *testing.T) {
	ios, _, stdout, stderr := iostreams.Test()
	in, keys := io.Pipe()
	t.Cleanup(func() { keys.Close() })
	ios.In = in
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), Options{IO: ios, Config: completeConfig(t),
			Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) { panicInConnect(); return nil, nil }})
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the wizard did not stop after the panic")
	}
	var ce *crash.Error
	if !errors.As(err, &ce) || ce.Value != "connect exploded" || !strings.Contains(string(ce.Stack), "wizard.panicInConnect") {
		t.Fatalf("err = %v, want a *crash.Error with the stack of the panic", err)
	}
	if stdout.Len() != 0 || strings.Contains(stderr.String(), "goroutine ") || strings.Contains(stderr.String(), "Caught panic") {
		t.Fatalf("a stack trace reached the terminal:\n%s", stderr)
	}
}

func panicInConnect() { panic("connect exploded") }

// panicky is a model that panics where it is told to.
type panicky struct{ in string }

func (p panicky) Init() tea.Cmd {
	if p.in == "init" {
		panic("in init")
	}
	if p.in == "batch" {
		return tea.Batch(nil, func() tea.Msg { panic("in a batched command") })
	}
	return func() tea.Msg { return "go" }
}

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch {
	case msg == "go" && p.in == "update":
		panic("in update")
	case msg == "go" && p.in == "command":
		return p, func() tea.Msg { panic("in a command") }
	case msg == "go" && p.in == "view":
		return panicky{in: "view now"}, nil
	}
	return p, nil
}

func (p panicky) View() tea.View {
	if p.in == "view now" {
		panic("in view")
	}
	return tea.NewView("…")
}

// Wherever the wizard's model panics, guarded quits the program normally:
// Run returns no error of bubbletea's (which would mean it recovered the
// panic and printed its stack), and the panic is kept.
func TestGuardedQuitsOnAPanicAnywhere(t *testing.T) {
	for _, where := range []string{"init", "update", "command", "batch", "view"} {
		t.Run(where, func(t *testing.T) {
			in, keys := io.Pipe()
			t.Cleanup(func() { keys.Close() })
			g := &guarded{m: panicky{in: where}}
			var out bytes.Buffer
			prog := tea.NewProgram(g, tea.WithInput(in), tea.WithOutput(&out), tea.WithoutSignals())
			g.quit = prog.Quit
			done := make(chan error, 1)
			go func() { _, err := prog.Run(); done <- err }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Run: %v", err)
				}
			case <-time.After(5 * time.Second):
				prog.Kill()
				t.Fatal("the program did not quit after the panic")
			}
			if g.crash == nil || !strings.Contains(g.crash.Error(), "in ") || len(g.crash.Stack) == 0 {
				t.Fatalf("crash = %v", g.crash)
			}
		})
	}
}

// In accessible mode a prompt runs on a goroutine of its own, where a panic
// (in a validator) would end the process past Main's recover: it comes back
// as a *crash.Error instead.
func TestAccessiblePromptReturnsAPanic(t *testing.T) {
	in := &inputReader{Reader: strings.NewReader("x\n")}
	a := &accessible{ctx: context.Background(), w: io.Discard, in: in, r: in, st: plainStyles()}
	var v string
	form := huh.NewForm(huh.NewGroup(huh.NewInput().Title("Name").Value(&v).Validate(func(string) error { panic("validator exploded") })))
	err := a.ask(form)
	var ce *crash.Error
	if !errors.As(err, &ce) || ce.Value != "validator exploded" {
		t.Fatalf("ask error = %v, want a *crash.Error", err)
	}
}
