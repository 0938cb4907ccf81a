package wizard

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// omAdminToken stands for the sandbox's OpenMetadata admin token: it goes to
// the check, never on screen.
const omAdminToken = "om-admin-token-c2VjcmV0LXRva2Vu"

// freshInstallReport is what doctor says right after setup against an
// OpenMetadata 2.0 that still signs in with basic auth, without an admin
// credential.
func freshInstallReport() doctor.Report {
	return doctor.Report{OMURL: "https://om.acme.internal", OMVersion: "2.0.2", Checks: []doctor.Check{
		{ID: doctor.IDAnswers, Status: doctor.OK, Message: "the answers of this setup run"},
		{ID: doctor.IDOMReachable, Status: doctor.OK, Message: "OpenMetadata answers at https://om.acme.internal"},
		{ID: doctor.IDOMProvider, Status: doctor.Fail, Message: `OpenMetadata does not sign in with Auth0: the provider is "basic" in /api/v1/system/config/auth, the files say "auth0"`,
			Fix: "OpenMetadata 2.0.2 keeps the settings of its database over the files: run om-auth0 apply (coming), or ./bootstrap/openmetadata-ops.sh remove-security-config --force in the server and restart every replica"},
		{ID: doctor.IDAuth0App, Status: doctor.Warn, Message: `application "OpenMetadata" was found by its name`, Fix: "run om-auth0 setup again to mark it"},
		{ID: doctor.IDOMValidate, Status: doctor.Skip, Message: "needs an OpenMetadata admin credential", Needs: doctor.NeedsOMAdmin},
	}}
}

// checkSeam records the check's inputs and answers with report.
type checkSeam struct {
	mu     sync.Mutex
	inputs []doctor.Inputs
	report doctor.Report
}

func (c *checkSeam) run(_ context.Context, in doctor.Inputs) doctor.Report {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inputs = append(c.inputs, in)
	return c.report
}

func (c *checkSeam) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.inputs)
}

// withCheck gives the wizard the check seam and the admin token.
func withCheck(c *checkSeam) harnessOption {
	return func(_ *harness, o *Options) { o.Check, o.OMAdminToken = c.run, omAdminToken }
}

// detectionFails makes the version probe fail, as an unreachable OpenMetadata does.
func detectionFails(_ *harness, o *Options) {
	o.DetectVersion = func(context.Context, string) (openmetadata.Version, error) {
		return openmetadata.Version{}, errors.New("connection refused")
	}
}

// walkToDone answers every section up to Done.
func walkToDone(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	h := walkToDeployPreview(t, opts...)
	h.keys("w", "enter")
	h.expectStep(guide.StepIngestForm)
	h.keys("enter", "w", "enter")
	h.expectStep(guide.StepDone)
	return h
}

// TestCheckItOffer: Done offers "c check it" only when there is a check
// and OpenMetadata answered the version probe; otherwise c does nothing.
func TestCheckItOffer(t *testing.T) {
	for _, tt := range []struct {
		name    string
		check   bool
		opts    []harnessOption
		offered bool
	}{
		{"check and detected", true, nil, true},
		{"no check", false, nil, false},
		{"not detected", true, []harnessOption{detectionFails}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seam := &checkSeam{report: freshInstallReport()}
			opts := tt.opts
			if tt.check {
				opts = append(opts, withCheck(seam))
			}
			h := walkToDone(t, opts...)
			if got := strings.Contains(footerOf(h), "c check it"); got != tt.offered {
				t.Fatalf("c check it offered = %v, want %v: %q", got, tt.offered, footerOf(h))
			}
			h.keys("c")
			if tt.offered {
				h.expectStep(guide.StepChecked)
			} else {
				h.expectStep(guide.StepDone)
			}
			if want := map[bool]int{true: 1}[tt.offered]; seam.calls() != want {
				t.Errorf("the check ran %d times, want %d", seam.calls(), want)
			}
		})
	}
}

// TestCheckItRunsDoctor: c runs doctor's checks of this run's answers over
// the session the wizard has (no new connection) with the admin token,
// shows each check with its fix and the checks skipped for want of a
// credential, says the exit status stays; r runs them again; enter
// finishes with the run's own outcome.
func TestCheckItRunsDoctor(t *testing.T) {
	seam := &checkSeam{report: freshInstallReport()}
	h := walkToDone(t, withCheck(seam))
	conns := len(h.conns)
	calls := len(h.runner.Calls())
	h.keys("c")
	h.expectStep(guide.StepChecked)
	h.expectView("Checked OpenMetadata at "+h.m.f.Cfg.Choices.OMURL+" and Auth0 tenant https://acme.us.auth0.com:", "read-only, nothing was changed.",
		"Informational: whatever these checks find, the run ends with exit status 1.",
		"✓ answers", "✗ om.provider", "fix: OpenMetadata 2.0.2 keeps the settings of its database over the files: run", "om-auth0 apply (coming), or ./bootstrap/openmetadata-ops.sh",
		"! auth0.app", "- om.validate", "Skipped for want of an OpenMetadata admin credential",
		"1 failed", "r re-run the checks", "enter finish")
	if strings.Contains(h.view(), omAdminToken) {
		t.Fatal("the OpenMetadata admin token is on screen")
	}
	in := seam.inputs[0]
	if in.OMToken != omAdminToken || in.Source != "this setup run" || in.Config.Choices.OMURL != h.m.f.Cfg.Choices.OMURL ||
		in.Config.Choices.ClientType != openmetadata.Confidential || in.Config.PrincipalDomain != "acme.com" {
		t.Errorf("check inputs %+v, config %+v", in, in.Config)
	}
	if r, err := in.Connect(context.Background(), steps.ConnectRequest{}); err != nil || r != steps.Runner(h.runner) {
		t.Errorf("the check's Connect gave %v, %v; want the wizard's session", r, err)
	}
	if len(h.conns) != conns || len(h.runner.Calls()) != calls {
		t.Errorf("the check connected again or called Auth0 itself: %d connections, calls %v", len(h.conns), h.runner.Calls())
	}

	h.keys("r")
	h.expectStep(guide.StepChecked)
	if seam.calls() != 2 {
		t.Fatalf("r ran the checks %d times in all, want 2", seam.calls())
	}
	h.keys("enter")
	if !h.m.finished || h.m.aborted || h.m.quitErr != nil {
		t.Fatalf("finished %v, aborted %v, quit error %v", h.m.finished, h.m.aborted, h.m.quitErr)
	}
	// Informational: the run's outcome is the verification's, as before the check.
	if err := h.m.f.VerifyErr(); err == nil || !strings.Contains(err.Error(), "granted scopes = requested") {
		t.Errorf("the run's error is %v, want the failed verification", err)
	}
}

// TestCheckItKeys: q finishes on the results; ctrl+c while the check runs
// finishes too (the run is done, the check only reads), not an interrupt;
// a report taller than the screen scrolls.
func TestCheckItKeys(t *testing.T) {
	t.Run("q finishes", func(t *testing.T) {
		h := walkToDone(t, withCheck(&checkSeam{report: freshInstallReport()}))
		h.keys("c", "q")
		if !h.m.finished || h.m.aborted {
			t.Fatalf("finished %v, aborted %v", h.m.finished, h.m.aborted)
		}
	})
	t.Run("ctrl+c while checking", func(t *testing.T) {
		h := walkToDone(t, withCheck(&checkSeam{report: freshInstallReport()}))
		_ = h.m.enter(guide.StepCheck) // the check in flight: its command is not run
		h.expectView("Checking OpenMetadata at", "(read-only)…")
		_, quit := h.m.Update(namedKeys["ctrl+c"])
		if !h.m.finished || h.m.aborted || quit == nil {
			t.Fatalf("finished %v, aborted %v, quit cmd %v", h.m.finished, h.m.aborted, quit)
		}
	})
	t.Run("scroll", func(t *testing.T) {
		h := walkToDone(t, withCheck(&checkSeam{report: freshInstallReport()}))
		h.keys("c")
		h.send(tea.WindowSizeMsg{Width: 80, Height: 16})
		if f := footerOf(h); !strings.Contains(f, "↑↓ scroll") {
			t.Fatalf("a report taller than the screen: %q", f)
		}
		if strings.Contains(h.view(), "1 failed") {
			t.Fatalf("the report's end shows before scrolling:\n%s", h.view())
		}
		for range 3 {
			h.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
		}
		h.expectView("2 ok, 1 warnings, 1 failed, 1 skipped.")
		h.expectStep(guide.StepChecked)
	})
}

// TestGoldenCheckResults snapshots the check's results at 100×30 with the
// ASCII colour profile.
func TestGoldenCheckResults(t *testing.T) {
	h := walkToDone(t, withCheck(&checkSeam{report: freshInstallReport()}))
	h.keys("c")
	h.expectStep(guide.StepChecked)
	requireGolden(t, h.asciiView())
}

// TestAccessibleCheckIt: after Done the accessible driver asks "Check it
// now?", prints the same lines, and asks whether to run them again; the
// end of input there ends the run as it would have ended.
func TestAccessibleCheckIt(t *testing.T) {
	walk := []string{"https://om.acme.internal", "", "", "", "", "", "y", "", "1", "alice", "acme.com", "", ""}
	for _, tt := range []struct {
		name    string
		answers []string
		checks  int
	}{
		{"yes, then no", []string{"y", "n"}, 1},
		{"yes, yes, end of input", []string{"y", "y"}, 2},
		{"no", []string{""}, 0},
		{"end of input", nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seam := &checkSeam{report: freshInstallReport()}
			ios, _, _, errOut := iostreams.Test()
			ios.In = &lineReader{lines: append(append([]string{}, walk...), tt.answers...)}
			runner := newFakeRunner()
			f := newFlow(Options{IO: ios, Config: completeConfig(t), Accessible: true, Check: seam.run, OMAdminToken: omAdminToken,
				Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
					return runner, runner.Record("Connect")
				},
				DetectVersion: func(context.Context, string) (openmetadata.Version, error) {
					return openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, nil
				},
			})
			f.RenderFiles, f.nextSteps = fakeFiles(f.Cfg), fakeNextSteps
			res, err := runAccessible(context.Background(), f)
			out := errOut.String()
			if res == nil || err == nil || !strings.Contains(err.Error(), "verification failed") {
				t.Fatalf("result %v, error %v: the check changed the run's outcome\n%s", res, err, out)
			}
			if seam.calls() != tt.checks {
				t.Fatalf("checks ran %d times, want %d\n%s", seam.calls(), tt.checks, out)
			}
			if !strings.Contains(out, "Check it now? [y/N]") || strings.Contains(out, omAdminToken) {
				t.Fatalf("no question, or the token shown:\n%s", out)
			}
			if tt.checks == 0 {
				return
			}
			for _, want := range []string{"Checking OpenMetadata at https://om.acme.internal and Auth0 tenant https://acme.us.auth0.com (read-only)…",
				"Informational: whatever these checks find, the run ends with exit status 1.",
				"✗ om.provider", "fix: OpenMetadata 2.0.2 keeps the settings", "Skipped for want of an OpenMetadata admin credential",
				"Run the checks again? [y/N]"} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
		})
	}
}
