package wizard

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// TestProgramSmoke runs the model in a real bubbletea program: the connect
// call, the version probe and the keys go through its event loop.
func TestProgramSmoke(t *testing.T) {
	runner := newFakeRunner()
	ios, _, _, _ := iostreams.Test()
	f := newFlow(Options{IO: ios, Config: completeConfig(t),
		Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
			return runner, runner.Record("Connect")
		},
		DetectVersion: func(context.Context, string) (openmetadata.Version, error) {
			return openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, nil
		},
	})
	tm := teatest.NewTestModel(t, newModel(context.Background(), f),
		teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	wait := func(token string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(string(b), token) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	wait("Connected")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("allowed")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait("detected")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	wait("Connected")
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})

	m := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*model)
	if !m.aborted || m.step != guide.StepConnected {
		t.Fatalf("aborted %v on step %d", m.aborted, m.step)
	}
	if m.f.Detected == nil || m.f.Detected.String() != "2.0.2" || m.f.d.version != "2.0.2" {
		t.Fatalf("detected %v, version default %q", m.f.Detected, m.f.d.version)
	}
	if got := runner.Calls(); !slices.Equal(got, []string{"Connect"}) {
		t.Fatalf("calls %q", got)
	}
}

// TestRunInterrupted: Run draws on stderr, and Ctrl+C makes it list what was
// already created in Auth0 and return an error for exit code 130.
func TestRunInterrupted(t *testing.T) {
	runner := newFakeRunner()
	runner.SetCreated(`application "OpenMetadata" (client id uiClient9xYtQ2vQa)`)
	ios, _, stdout, stderr := iostreams.Test()
	in, keys := io.Pipe()
	t.Cleanup(func() { keys.Close() })
	ios.In = in
	connected := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), Options{IO: ios, Config: completeConfig(t),
			Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
				close(connected)
				return runner, nil
			}})
		done <- err
	}()
	select {
	case <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("the wizard did not connect")
	}
	if _, err := keys.Write([]byte{0x03}); err != nil { // Ctrl+C
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Ctrl+C did not stop the wizard")
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v", err)
	}
	if stdout.Len() != 0 {
		t.Fatalf("stdout is not clean: %q", stdout)
	}
	if !strings.Contains(stderr.String(), "Already created in Auth0") || !strings.Contains(stderr.String(), "uiClient9xYtQ2vQa") {
		t.Fatalf("stderr lacks the created list:\n%s", stderr)
	}
}
