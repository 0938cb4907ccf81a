// Package wizard is om-auth0's interactive setup: the sections of
// OpenMetadata's "Auth0 SSO" guide (Connect, Create Server Credentials,
// Create Service Account, Deployment, Apply to OpenMetadata, Configure
// Ingestion, Done) as a terminal UI, or as line-by-line prompts for screen
// readers.
//
// The setup command calls Run when it can prompt:
//
//	res, err := wizard.Run(ctx, wizard.Options{IO: ios, Config: cfg, Connect: connect})
//
// On OpenMetadata 1.10+, "Apply to OpenMetadata" stores the settings in the
// running server over its admin API (Options.Apply) after Deployment: plan,
// OpenMetadata's validation, a confirmation, the store and its read back.
//
// When OpenMetadata answered the version probe, Done offers doctor's
// read-only checks of what the run did (Options.Check); they do not change
// the exit status.
//
// The UI draws on stderr, so stdout stays clean for --json. Both drivers walk
// the guide's table (package guide), build the same huh forms (forms.go) and
// make the same steps.Runner calls; only the presentation differs.
package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// Options are the wizard's inputs and dependencies.
type Options struct {
	IO *iostreams.IOStreams
	// Config is pre-filled from flags, environment and the answers file; the
	// wizard asks for the rest and offers what is there as defaults.
	Config *setup.Config
	// Connect opens a session with the tenant (steps.Connect in production).
	Connect func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error)
	// DetectVersion reads {om}/api/v1/system/version; nil skips detection.
	DetectVersion func(ctx context.Context, omURL string) (openmetadata.Version, error)
	// Accessible asks line by line (huh's accessible mode), for screen readers;
	// TERM=dumb does too.
	Accessible bool
	// Yes skips the confirmation screens, except the explicit one a plan with a consequence needs.
	Yes bool
	// RevealSecrets shows secrets unmasked from the start.
	RevealSecrets bool
	// Force overwrites output files changed outside om-auth0 instead of
	// keeping them and writing the new content beside them (.new).
	Force bool
	// Sandbox says on every screen that the tenant is simulated and nothing real is created.
	Sandbox bool
	// Check runs doctor's read-only checks (doctor.Run, with the command's
	// HTTP client), which Done offers ("c check it") when OpenMetadata
	// answered the version probe; nil: not offered.
	Check func(ctx context.Context, in doctor.Inputs) doctor.Report
	// OMAdminToken is an OpenMetadata administrator's token for that check
	// (the simulated server's, in the sandbox). It is never written to
	// answers.yaml nor shown.
	OMAdminToken string
	// Apply prepares the apply of the settings to a running OpenMetadata
	// 1.10+ (apply.Prepare, with the command's HTTP client), which the
	// section "Apply to OpenMetadata" offers after Deployment; nil: not
	// offered. Without OMAdminToken the section asks for an administrator's
	// token or basic sign-in, entered masked and never written.
	Apply func(ctx context.Context, in apply.Inputs) (*apply.Session, *apply.Plan, error)
}

// Run runs the wizard until Done and returns the run's result, with an
// error when a verification check failed (the files are written). When the
// operator quits with Ctrl+C it lists on stderr what was already created in
// Auth0 and returns an error matching context.Canceled and huh.ErrUserAborted
// (exit 130). Quitting from an error view returns that error (exit 1). A
// panic in the terminal UI or in its Auth0 calls quits it, restoring the
// terminal, and returns a *crash.Error (exit 1, a bug).
func Run(ctx context.Context, opts Options) (*setup.Result, error) {
	if opts.IO == nil {
		return nil, errors.New("wizard: no IO streams")
	}
	f := newFlow(opts)
	// A dumb terminal cannot draw the full-screen UI; it gets the prompts.
	if opts.Accessible || opts.IO.Getenv("TERM") == "dumb" {
		f.accessible = true
		return runAccessible(ctx, f)
	}
	return runTUI(ctx, f)
}

func runTUI(ctx context.Context, f *flow) (*setup.Result, error) {
	ios := f.opts.IO
	m := newModel(ctx, f)
	defer m.cancel()
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithOutput(ios.ErrOut), tea.WithInput(ios.In)}
	if !ios.ColorEnabled() {
		popts = append(popts, tea.WithColorProfile(colorprofile.ASCII))
	}
	g := &guarded{m: m}
	prog := tea.NewProgram(g, popts...)
	g.quit = prog.Quit
	final, err := prog.Run()
	if fg, ok := final.(*guarded); ok {
		if fm, ok := fg.m.(*model); ok {
			m = fm
		}
	}
	w := styledWriter(ios)
	switch {
	case g.crash != nil:
		fmt.Fprint(w, f.stoppedText())
		return nil, g.crash
	case m.aborted || errors.Is(err, tea.ErrInterrupted) || ctx.Err() != nil:
		fmt.Fprint(w, f.stoppedText())
		return nil, ErrAborted
	case err != nil:
		return nil, fmt.Errorf("wizard: %w", err)
	case m.quitErr != nil:
		fmt.Fprint(w, f.stoppedText())
		return nil, m.quitErr
	}
	// At the terminal's width, commands broken between words only (a
	// terminal's soft wrap breaks them anywhere, and a copy of the rows
	// would run a part).
	f.width = m.width
	// The summary and the check's results wrapped between words as on
	// screen (the terminal's wrap would break words).
	wrapped := func(text string) string {
		if f.width <= 0 {
			return text
		}
		return strings.Join(wrapLines(text, f.width), "\n")
	}
	fmt.Fprint(w, wrapped(f.doneText(m.st)))
	if f.Checked != nil {
		// The check's results stay in the scrollback too.
		fmt.Fprint(w, "\n"+wrapped(f.checkedText(m.st)))
	}
	fmt.Fprint(w, f.nextStepsText(m.st))
	// A failed check fails the run (exit 1), though the files are written.
	return f.result(), f.VerifyErr()
}

// styledWriter writes styled text to stderr in the colours it can show.
func styledWriter(ios *iostreams.IOStreams) io.Writer {
	profile := colorprofile.ASCII
	if ios.ColorEnabled() {
		profile = colorprofile.Detect(ios.ErrOut, os.Environ())
	}
	return &colorprofile.Writer{Forward: ios.ErrOut, Profile: profile}
}
