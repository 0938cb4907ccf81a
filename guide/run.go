package guide

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// Options tune a non-interactive run.
type Options struct {
	// DryRun plans only: nothing changes in Auth0 and no file is written.
	DryRun bool
	// Yes accepts changes that need explicit confirmation (a plan change with a Consequence).
	Yes bool
	// Force overwrites output files changed outside om-auth0 instead of
	// keeping them and writing the new content beside them (.new).
	Force bool
	// RevealSecrets shows secrets in the progress lines and the result.
	RevealSecrets bool
	// Progress gets one line per step, for a person (stderr). Nil discards.
	Progress io.Writer
	// Report gets the plan of a dry run, or the summary and next steps of a real run. Nil discards.
	Report io.Writer
	// Width is the cells a line of the report may use: its commands are
	// broken between words to fit (0: no limit, as for a file or a pipe).
	Width int
	// ASCII avoids Unicode marks (NO_COLOR, or stderr is not a terminal).
	ASCII bool
	// DetectVersion asks OpenMetadata for its version when none was given;
	// nil, or a failure, means openmetadata.Newest.
	DetectVersion func(ctx context.Context, omURL string) (openmetadata.Version, error)
}

// Run is the guide without prompting: it walks the same table as the
// wizard. Form steps take their answers from the Config, completed and
// checked before connecting, or, when OpenMetadata's version is to be
// detected, once connected: the probe is sent with the token request, and
// a wrong answer still stops the run before anything changes. Load steps,
// which only feed prompts, are not needed; the confirmation needs --yes when
// the plan has a consequence (a dry run stops there, having planned
// everything); info steps print progress lines. The result is returned even
// on failure (with Error set) so that --json can report it; the error is
// then a *setup.InputError (nothing changed), a *setup.RunError (with what
// was created) or the connection's error.
func Run(ctx context.Context, cfg *setup.Config, connect setup.ConnectFunc, opts Options) (*setup.Result, error) {
	st := NewState(cfg)
	st.Connect, st.Yes, st.Force = connect, opts.Yes, opts.Force
	s := &run{st: st, opts: opts, p: present.NewProgress(opts.Progress, opts.ASCII)}
	err := s.do(ctx)
	if st.TenantName == "" {
		st.WaitTenantName() // for the result, when Done did not: it has long arrived
	}
	var input *setup.InputError
	var se *steps.Error
	if errors.As(err, &se) && se.BadInput && !errors.As(err, &input) {
		// The tenant showed the answer wrong (an --app-id, a scope) before any change.
		err = &setup.InputError{Err: err}
	}
	if err != nil && st.Runner != nil && !errors.As(err, &input) {
		err = &setup.RunError{Err: err, Created: st.Created(ctx)}
	}
	res := st.Result(opts.RevealSecrets)
	if opts.DryRun {
		res = setup.NewResult(cfg.Answers().Domain, st.TenantName, s.dryUI, s.drySA, nil, s.dryFiles, opts.RevealSecrets)
		res.DryRun = true
	}
	res.Plan = st.Plan()
	if err != nil {
		res.Error = setup.NewErrorResult(err)
	}
	return res, err
}

// run is one Run's state.
type run struct {
	st   *State
	opts Options
	p    *present.Progress

	// What a dry run reports: the applications as the plans leave them, and the files it would write.
	dryUI    *steps.App
	drySA    *steps.ServiceAccount
	dryFiles []output.FileResult
}

// do walks the table from the first step the Config does not answer. The
// Config is completed before connecting, or, while OpenMetadata's version
// is being detected, right after the connection: both need nothing from
// each other.
func (s *run) do(ctx context.Context) error {
	pr := s.detect(ctx)
	defer pr.stop()
	if pr == nil {
		if err := s.complete(openmetadata.Newest); err != nil {
			return err
		}
	}
	st := s.st
	for id := ID(0); id < NumSteps; id++ {
		if pr != nil && id > StepConnect {
			v, err := pr.version(ctx, s)
			if err != nil {
				return err
			}
			if err := s.complete(v); err != nil {
				return err
			}
			pr = nil
		}
		if id.Kind() == KindConfirm && s.opts.DryRun {
			return s.dryRun()
		}
		if st.Skip(id) {
			continue
		}
		if err := s.step(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// probe is OpenMetadata's version being read in the background.
type probe struct {
	omURL  string
	cancel context.CancelFunc
	g      crash.Group
	v      openmetadata.Version
	err    error
}

// detect starts reading OpenMetadata's version when the Config does not
// give it and Options can detect it; nil otherwise.
func (s *run) detect(ctx context.Context) *probe {
	cfg, detect := s.st.Cfg, s.opts.DetectVersion
	if cfg.Choices.Version != (openmetadata.Version{}) || detect == nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	p := &probe{omURL: cfg.Choices.OMURL, cancel: cancel}
	p.g.Go(func() { p.v, p.err = detect(ctx, p.omURL) })
	return p
}

// version waits for the probe (bounded by DetectVersion's own timeout) and
// prints what it found: the version to configure for, openmetadata.Newest
// when OpenMetadata did not answer.
func (p *probe) version(ctx context.Context, s *run) (openmetadata.Version, error) {
	p.g.Wait()
	switch {
	case p.err == nil:
		s.p.OK("OpenMetadata at %s is version %s", p.omURL, p.v)
		return p.v, nil
	case ctx.Err() != nil:
		return openmetadata.Version{}, ctx.Err()
	}
	s.p.Warn("could not read OpenMetadata's version (%s): configuring for %s, the newest; give --om-version to choose", present.ProbeProblem(p.err), openmetadata.Newest)
	return openmetadata.Newest, nil
}

// stop ends a probe still running (the run failed before it was needed)
// and waits for it, so that nothing outlives Run.
func (p *probe) stop() {
	if p == nil {
		return
	}
	p.cancel()
	p.g.Wait()
}

// step runs step id the non-interactive way.
func (s *run) step(ctx context.Context, id ID) error {
	st := s.st
	switch id.Kind() {
	case KindForm, KindLoad:
		// Answered by the Config, completed and checked before connecting.
		return nil
	case KindPick:
		return &setup.InputError{Err: errors.New("choosing an existing application needs --app-id when om-auth0 does not prompt")}
	case KindConfirm:
		if c, ok := st.Consequence(); ok && !s.opts.Yes {
			return &setup.InputError{Err: fmt.Errorf("%s %s %q: %s; pass --yes to accept this, or choose otherwise (nothing was changed)", c.Action, c.Resource, c.Name, c.Consequence)}
		}
		return nil
	case KindInfo:
		return s.info(id)
	}
	res, err := st.Call(id)(ctx)
	if err != nil {
		return err
	}
	res.Apply(st)
	return ctx.Err()
}

// info prints the progress lines of info step id, and applies the rules
// that stop a run there.
func (s *run) info(id ID) error {
	st := s.st
	switch id {
	case StepConnected:
		// The domain only: the tenant's name is still on its way, and only
		// the result waits for it.
		s.p.OK("connected to tenant %s", st.Cfg.Answers().Domain)
		return st.Preflight()
	case StepReady:
		// Shown in the plan too, which --no-input does not print.
		for _, note := range []string{st.UIPlan.RecordedNote(), st.SAPlan.RecordedNote()} {
			if note != "" {
				s.p.Warn("%s", note)
			}
		}
		s.p.OK("%s", appLine(st.UIPlan.AsPlan(), st.UI, s.opts.RevealSecrets))
		s.secretWarning(st.UI)
		if g := st.UI.ManagementGrant; g != nil {
			s.p.OK("%s, as OpenMetadata's validator asks", grantLine(st.UIPlan.AsPlan(), g))
		}
		s.serviceAccountLines()
	case StepVerified:
		for _, ch := range st.Verification.Checks {
			if ch.OK {
				s.p.OK("verified: %s", ch.Name)
			} else {
				s.p.Fail("verification failed: %s: %s", ch.Name, ch.Detail)
			}
		}
	case StepDone:
		// The summary names the tenant; its name has long arrived.
		st.WaitTenantName()
		files := st.AllWritten()
		s.p.OK("files in %s: %s", st.Cfg.Out, output.Summary(files))
		if output.KeptAdvice(files) != "" {
			s.p.Warn("files changed outside om-auth0 were kept; om-auth0's version is beside each as %s (see below)", output.NewSuffix)
		}
		s.report()
		return st.VerifyErr()
	}
	return nil
}

// complete answers the form steps from the Config: the version (detected
// when the Config does not give it) and the defaults that depend on it;
// then what the renderers would refuse is refused, before the tenant
// changes.
func (s *run) complete(detected openmetadata.Version) error {
	cfg := s.st.Cfg
	if err := cfg.Complete(detected); err != nil {
		return err
	}
	if err := render.Validate(cfg.RenderInput(s.placeholders())); err != nil {
		return &setup.InputError{Err: err}
	}
	return nil
}

// placeholders stand for the applications' credentials before Auth0 has them.
func (s *run) placeholders() (*steps.App, *steps.ServiceAccount) {
	ui := &steps.App{ClientID: "<client-id>", ClientSecret: "<client-secret>"}
	mode := s.st.Cfg.Choices.ServiceAccount
	if mode == steps.Skip {
		return ui, nil
	}
	return ui, &steps.ServiceAccount{Mode: mode, App: &steps.App{ClientID: "<bot-client-id>", ClientSecret: "<bot-client-secret>"}}
}

// secretWarning says when a secret the configuration needs could not be read.
func (s *run) secretWarning(app *steps.App) {
	if app != nil && app.SecretUnavailable != "" {
		s.p.Warn("the client secret of %q is unavailable (%s): the files hold a placeholder for it", app.Name, app.SecretUnavailable)
	}
}

// dryRun lists the planned changes and the files without performing or writing any.
func (s *run) dryRun() error {
	st := s.st
	c := st.Cfg.Choices
	s.dryUI = st.PlannedUI()
	if c.ServiceAccount != steps.Skip {
		s.drySA = &steps.ServiceAccount{Mode: c.ServiceAccount, App: st.SAPlan.App(), Grant: st.SAPlan.Grant()}
	}
	// Only the paths and modes are shown, so placeholder credentials are enough to render.
	files, err := st.Cfg.Files(s.placeholders())
	if err != nil {
		return err
	}
	s.dryFiles = output.Planned(st.Cfg.Out, files)
	plan := st.Plan()
	s.p.OK("planned %d change(s) to Auth0 and %d file(s); this is a dry run, so nothing was changed or written", countWrites(plan), len(files))
	writePlan(s.opts.Report, s.p.St, st.Cfg, plan, files)
	return nil
}

func countWrites(changes []steps.Change) int {
	n := 0
	for _, c := range changes {
		if c.Action != steps.Keep {
			n++
		}
	}
	return n
}

// serviceAccountLines report the service-account step.
func (s *run) serviceAccountLines() {
	st := s.st
	sa, p, v := st.SA, st.SAPlan.AsPlan(), st.Cfg.Choices.Version
	if sa == nil || sa.Mode == steps.Skip || sa.App == nil {
		// workflow-config.yaml then holds the ingestion-bot's JWT (or its
		// placeholder) for every version; the report's ingestion steps
		// (render.IngestionNextSteps) say where the token comes from.
		instead := ""
		if v.Band() == openmetadata.BandLegacy {
			instead = " instead of an Auth0 service account"
		}
		s.p.OK("service account skipped: OpenMetadata %s ingestion signs in with the ingestion-bot's JWT%s", v, instead)
		return
	}
	if sa.Mode == steps.Separate {
		s.p.OK("service account %s", appLine(p, sa.App, s.opts.RevealSecrets))
	} else {
		s.p.OK("service account is application %q (client id %s), %s", sa.App.Name, sa.App.ClientID, present.Outcome(p, steps.Application, sa.App.Name, false))
	}
	s.secretWarning(sa.App)
	if g := sa.Grant; g != nil {
		s.p.OK("%s", grantLine(p, g))
	}
}

// grantLine is the progress line of a client grant the plan created, updated or kept.
func grantLine(p *steps.Plan, g *steps.Grant) string {
	scopes := "no scopes"
	if len(g.Scopes) > 0 {
		scopes = "scopes " + strings.Join(g.Scopes, ", ")
	}
	return fmt.Sprintf("client grant for %s %s (%s)", g.Audience, present.Outcome(p, steps.ClientGrant, g.Audience, g.Created), scopes)
}

// appLine is the progress line of an application the plan created, updated or kept.
func appLine(p *steps.Plan, app *steps.App, reveal bool) string {
	line := fmt.Sprintf("application %q %s (client id %s)", app.Name, present.Outcome(p, steps.Application, app.Name, app.Created), app.ClientID)
	if reveal && app.ClientSecret != "" {
		line += ", client secret " + app.ClientSecret
	}
	return line
}

// report writes the summary and the next steps of a finished run, worded
// as the wizard's Done screen and its closing next steps.
func (s *run) report() {
	w := s.opts.Report
	if w == nil {
		return
	}
	st := s.st
	sum := st.Summary()
	sum.Width = s.opts.Width
	fmt.Fprint(w, sum.Text(s.p.St))
	fmt.Fprint(w, present.NextSteps(s.p.St, s.opts.Width, setup.NextSteps(st.Cfg.RenderInput(st.UI, st.SA), st.Cfg.Out, st.Cfg.Targets)))
}

// writePlan writes a dry run's plan: each change to Auth0, then each file.
func writePlan(w io.Writer, st *present.Styles, cfg *setup.Config, changes []steps.Change, files []openmetadata.File) {
	if w == nil {
		return
	}
	fmt.Fprintf(w, "Plan for tenant %s (dry run: nothing is changed or written)\n", cfg.Answers().Domain)
	if len(changes) == 0 {
		fmt.Fprintln(w, "  no change to Auth0")
	}
	fmt.Fprint(w, present.Changes(st, changes))
	fmt.Fprintf(w, "Files that would be written into %s:\n", cfg.Out)
	width := 0
	for _, f := range files {
		width = max(width, len(f.Path))
	}
	for _, f := range files {
		fmt.Fprintf(w, "  %-*s  %04o\n", width, f.Path, f.Mode())
	}
}
