package wizard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
)

// The three decisions every driver makes the same way (README, "How a run
// decides"), each driven through the wizard's TUI by keys, its accessible
// driver by lines, and guide.Run without prompting, against the shared
// fake Runner: the same Auth0 calls in the same order, and the same
// decision to stop or go on.

// decision is what a run decided.
type decision int

const (
	stoppedBeforePlanning decision = iota // missing scopes: nothing planned, exit 1
	notApplied                            // a consequence without an explicit yes: planned, nothing applied
	failedAfterWriting                    // a failed check: applied, files written, exit 1
)

type decisionCase struct {
	name  string
	mode  steps.ServiceAccountMode
	setup func(r *stepstest.Runner)
	calls []string // method names, reads that only feed a prompt left out
	want  decision
}

var decisionCases = []decisionCase{
	{"missing scope", steps.Separate, func(r *stepstest.Runner) { r.Missing = []string{"create:client_grants"} },
		[]string{"Connect"}, stoppedBeforePlanning},
	{"consequence without yes", steps.Same, func(*stepstest.Runner) {},
		[]string{"Connect", "PlanUIApp", "PlanServiceAccount"}, notApplied},
	{"failed verification", steps.Separate, func(*stepstest.Runner) {},
		[]string{"Connect", "PlanUIApp", "PlanServiceAccount", "StartServiceAccount", "ApplyUIApp", "ApplyServiceAccount", "Verify"}, failedAfterWriting},
}

// answeredConfig answers every question, as flags and an answers file would.
func answeredConfig(t *testing.T, mode steps.ServiceAccountMode) *setup.Config {
	cfg := completeConfig(t)
	cfg.Choices = steps.Choices{OMURL: "https://om.acme.internal", Version: openmetadata.Version{Major: 1, Minor: 6, Patch: 4},
		ClientType: openmetadata.Public, AppName: "OpenMetadata", ServiceAccount: mode, BotAppName: "OpenMetadata Ingestion Bot"}
	cfg.Targets = []openmetadata.Target{render.Docker}
	cfg.Admins, cfg.PrincipalDomain = []string{"alice"}, "acme.com"
	return cfg
}

// methods are the runner's calls by name, without the reads that only feed
// a prompt (the application list, the Management API's scopes).
func methods(r *stepstest.Runner) []string {
	var out []string
	for _, c := range r.Calls() {
		name, _, _ := strings.Cut(c, "(")
		if name != "ListApps" && name != "ManagementAPIScopes" {
			out = append(out, name)
		}
	}
	return out
}

// checkDecision checks what a driver decided, from its error and the output folder.
func checkDecision(t *testing.T, want decision, err error, out string) {
	t.Helper()
	_, statErr := os.Stat(filepath.Join(out, "docker", "openmetadata_auth0.env"))
	written := statErr == nil
	var ms *guide.MissingScopesError
	switch want {
	case stoppedBeforePlanning:
		if !errors.As(err, &ms) || !slices.Equal(ms.Missing, []string{"create:client_grants"}) || written {
			t.Fatalf("want the missing scope named and nothing written: error %v, written %v", err, written)
		}
	case notApplied:
		if written {
			t.Fatalf("files written without a yes (error %v)", err)
		}
	case failedAfterWriting:
		if err == nil || !strings.Contains(err.Error(), "verification failed (granted scopes = requested)") || !written {
			t.Fatalf("want a verification failure with the files written: error %v, written %v", err, written)
		}
	}
}

func TestDecisionsTUI(t *testing.T) {
	for _, tc := range decisionCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := answeredConfig(t, tc.mode)
			h := newHarness(t, cfg, func(h *harness, _ *Options) { tc.setup(h.runner) })
			var err error
			for range 40 {
				if h.m.err != nil { // the error view: quit from it, as q does
					h.keys("q")
					err = h.m.quitErr
					break
				}
				if h.m.step == guide.StepConfirm && tc.want == notApplied {
					h.expectView("! a public SPA whose token endpoint method is Basic", "Apply this change anyway?")
					h.keys("enter") // the default: No
					if h.m.step == guide.StepConfirm || slices.Contains(methods(h.runner), "ApplyUIApp") {
						t.Fatalf("declining stayed or applied: step %d, calls %q", h.m.step, h.runner.Calls())
					}
					break
				}
				if h.m.step == guide.StepDone {
					err = h.m.f.VerifyErr() // what runTUI returns once Done is left
					h.expectView("verification failed: granted scopes = requested")
					break
				}
				if h.m.step.Kind() == guide.KindFiles && h.m.f.Written[h.m.step] == nil {
					h.keys("w")
					continue
				}
				h.keys("enter")
			}
			checkDecision(t, tc.want, err, cfg.Out)
			if got := methods(h.runner); !slices.Equal(got, tc.calls) {
				t.Fatalf("calls %q, want %q", got, tc.calls)
			}
		})
	}
}

func TestDecisionsAccessible(t *testing.T) {
	for _, tc := range decisionCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := answeredConfig(t, tc.mode)
			lines := map[decision][]string{
				stoppedBeforePlanning: {"3"}, // What now? Quit
				// URL, version, client type, create, name, same mode, no scopes, then No to the plan; the input ends.
				notApplied: {"", "", "", "", "", "", "0", ""},
				// ... separate, its name, no scopes, yes, continue past the failed check, Docker, write, write.
				failedAfterWriting: {"", "", "", "", "", "", "", "0", "", "", "", "", ""},
			}[tc.want]
			runner := newFakeRunner()
			tc.setup(runner)
			ios, _, _, errOut := iostreams.Test()
			ios.In = &lineReader{lines: lines}
			f := newFlow(Options{IO: ios, Config: cfg, Accessible: true,
				Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
					return runner, runner.Record("Connect")
				}})
			f.RenderFiles, f.nextSteps = fakeFiles(f.Cfg), fakeNextSteps
			_, err := runAccessible(context.Background(), f)
			if tc.want == notApplied {
				if !errors.Is(err, ErrAborted) || !strings.Contains(errOut.String(), "Apply this change anyway?") {
					t.Fatalf("want the plan declined, then the end of input: %v\n%s", err, errOut.String())
				}
			}
			checkDecision(t, tc.want, err, cfg.Out)
			if got := methods(runner); !slices.Equal(got, tc.calls) {
				t.Fatalf("calls %q, want %q\n%s", got, tc.calls, errOut.String())
			}
		})
	}
}

func TestDecisionsNoInput(t *testing.T) {
	for _, tc := range decisionCases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := answeredConfig(t, tc.mode)
			runner := newFakeRunner()
			tc.setup(runner)
			res, err := guide.Run(context.Background(), cfg, func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
				return runner, runner.Record("Connect")
			}, guide.Options{})
			var input *setup.InputError
			if tc.want == notApplied && (!errors.As(err, &input) || !strings.Contains(err.Error(), "pass --yes")) {
				t.Fatalf("want an input error (exit 2) asking for --yes: %v", err)
			}
			if tc.want != notApplied && errors.As(err, &input) {
				t.Fatalf("an input error (exit 2), want exit 1: %v", err)
			}
			if res == nil || res.Error == nil {
				t.Fatalf("the result does not carry the error: %+v", res)
			}
			checkDecision(t, tc.want, err, cfg.Out)
			if got := methods(runner); !slices.Equal(got, tc.calls) {
				t.Fatalf("calls %q, want %q", got, tc.calls)
			}
		})
	}
}
