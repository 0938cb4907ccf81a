package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// ConnectFunc connects to a tenant with Management API credentials.
// steps.Connect is the real one; tests pass fakes.
type ConnectFunc func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error)

// RunOptions tune a non-interactive run.
type RunOptions struct {
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
	// ASCII avoids Unicode marks (NO_COLOR, or stderr is not a terminal).
	ASCII bool
	// DetectVersion asks OpenMetadata for its version when none was given;
	// nil, or a failure, means openmetadata.Newest.
	DetectVersion func(ctx context.Context, omURL string) (openmetadata.Version, error)
}

// RunError is a run that failed after connecting: what failed, and what the
// run had already created in Auth0.
type RunError struct {
	Err     error
	Created []string
}

// Error renders the failure and what was already created.
func (e *RunError) Error() string {
	if len(e.Created) == 0 {
		return e.Err.Error() + "\nNothing was created in Auth0."
	}
	return e.Err.Error() + "\nAlready created in Auth0: " + strings.Join(e.Created, "; ")
}

// Unwrap returns the failure.
func (e *RunError) Unwrap() error { return e.Err }

// Run performs a setup without prompting: complete the configuration (the
// OpenMetadata version is detected when not given), connect, check the
// credentials' scopes before any change, create or update the UI application and the
// service account, verify, and write the output files. With DryRun it stops
// after planning. The result is returned even on failure (with Error set) so
// that --json can report it; the error is then an *InputError (nothing
// changed), a *RunError (with what was created) or the connection's error.
func Run(ctx context.Context, cfg *Config, connect ConnectFunc, opts RunOptions) (*Result, error) {
	s := &run{cfg: cfg, opts: opts, p: newPrinter(opts.Progress, opts.ASCII)}
	err := s.do(ctx, connect)
	var input *InputError
	var se *steps.Error
	if errors.As(err, &se) && se.BadInput && !errors.As(err, &input) {
		// The tenant showed the answer wrong (an --app-id, a scope) before any change.
		err = &InputError{Err: err}
	}
	if err != nil && s.r != nil && !errors.As(err, &input) {
		err = &RunError{Err: err, Created: s.r.Created(ctx)}
	}
	res := NewResult(cfg.Answers().Domain, s.tenantName, s.ui, s.sa, s.v, s.files, opts.RevealSecrets)
	res.DryRun = opts.DryRun
	res.Plan = s.plan
	if err != nil {
		res.Error = NewErrorResult(err)
	}
	return res, err
}

// NewErrorResult describes err for the result, with Auth0's own answer when err carries one.
func NewErrorResult(err error) *ErrorResult {
	e := &ErrorResult{Message: err.Error()}
	var re *RunError
	if errors.As(err, &re) {
		e.Message, e.Created = re.Err.Error(), re.Created
	}
	var se *steps.Error
	if errors.As(err, &se) {
		e.Status, e.Code, e.Auth0Message = se.Status, se.Code, se.Auth0Message
	}
	return e
}

// run is one Run's state.
type run struct {
	cfg  *Config
	opts RunOptions
	p    *printer

	r          steps.Runner
	tenantName string
	ui         *steps.App
	sa         *steps.ServiceAccount
	v          *steps.Verification
	plan       []steps.Change
	files      []output.FileResult
}

func (s *run) do(ctx context.Context, connect ConnectFunc) error {
	if err := s.complete(ctx); err != nil {
		return err
	}
	c := s.cfg.Choices
	r, err := connect(ctx, s.cfg.Connect)
	if err != nil {
		return err
	}
	s.r = r
	label := s.cfg.Answers().Domain
	if _, s.tenantName = r.Tenant(); s.tenantName != "" {
		label += " (" + s.tenantName + ")"
	}
	s.p.ok("connected to tenant %s", label)
	if missing := r.MissingScopes(c); len(missing) > 0 {
		return s.missingScopes(missing)
	}

	// Both steps are planned before anything changes, so that a change that
	// needs --yes stops the run with nothing done.
	uiPlan, err := r.PlanUIApp(ctx, c)
	if err != nil {
		return err
	}
	planned := &steps.App{Name: c.AppName, AppType: AppType(c.ClientType)}
	if target := uiPlan.App(); target != nil {
		// The application as the UI plan leaves it, with the client id of an
		// existing one: "same" mode then finds and keeps its grant even when
		// the UI application is still to be updated, and a dry run reports it.
		planned = target
	}
	if !uiPlan.Writes() && !s.opts.DryRun {
		// Applying a plan that changes nothing costs no request, and gives the
		// service-account step the application as it is.
		if s.ui, err = r.ApplyUIApp(ctx, uiPlan); err != nil {
			return err
		}
		planned = s.ui
	}
	saPlan, err := r.PlanServiceAccount(ctx, c, planned)
	if err != nil {
		return err
	}
	s.plan = append(append([]steps.Change{}, uiPlan.Changes...), saPlan.Changes...)
	if s.opts.DryRun {
		s.ui = planned
		if c.ServiceAccount != steps.Skip {
			s.sa = &steps.ServiceAccount{Mode: c.ServiceAccount, App: saPlan.App(), Grant: saPlan.Grant()}
		}
		return s.dryRun()
	}
	if err := s.confirm(&uiPlan.Plan, &saPlan.Plan); err != nil {
		return err
	}

	if s.ui == nil {
		if s.ui, err = r.ApplyUIApp(ctx, uiPlan); err != nil {
			return err
		}
	}
	s.p.ok("%s", appLine(&uiPlan.Plan, s.ui, s.opts.RevealSecrets))
	s.secretWarning(s.ui)
	if g := s.ui.ManagementGrant; g != nil {
		s.p.ok("%s, as OpenMetadata's validator asks", grantLine(&uiPlan.Plan, g))
	}
	if s.sa, err = r.ApplyServiceAccount(ctx, saPlan); err != nil {
		return err
	}
	s.serviceAccountLines(&saPlan.Plan)

	v := r.Verify(ctx, c, s.ui, s.sa)
	s.v = &v
	for _, ch := range v.Checks {
		if ch.OK {
			s.p.ok("verified: %s", ch.Name)
		} else {
			s.p.fail("verification failed: %s: %s", ch.Name, ch.Detail)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	if s.files, err = s.cfg.WriteFiles(s.ui, s.sa, output.Options{Force: s.opts.Force}); err != nil {
		return fmt.Errorf("write the configuration into %s: %w", s.cfg.Out, err)
	}
	s.p.ok("files in %s: %s", s.cfg.Out, output.Summary(s.files))
	if output.KeptAdvice(s.files) != "" {
		s.p.warn("files changed outside om-auth0 were kept; om-auth0's version is beside each as %s (see below)", output.NewSuffix)
	}
	s.report()
	if !v.OK() {
		var failed []string
		for _, ch := range v.Checks {
			if !ch.OK {
				failed = append(failed, ch.Name)
			}
		}
		return fmt.Errorf("verification failed (%s): the configuration was written, but Auth0 does not yet behave as it should", strings.Join(failed, "; "))
	}
	return nil
}

// complete fills the version, detected when not given, and the defaults that depend on it.
func (s *run) complete(ctx context.Context) error {
	detected := openmetadata.Newest
	if s.cfg.Choices.Version == (openmetadata.Version{}) && s.opts.DetectVersion != nil {
		omURL := s.cfg.Choices.OMURL
		v, err := s.opts.DetectVersion(ctx, omURL)
		switch {
		case err == nil:
			detected = v
			s.p.ok("OpenMetadata at %s is version %s", omURL, v)
		case ctx.Err() != nil:
			return ctx.Err()
		default:
			s.p.warn("could not read OpenMetadata's version (%v): configuring for %s, the newest; give --om-version to choose", err, openmetadata.Newest)
		}
	}
	if err := s.cfg.Complete(detected); err != nil {
		return err
	}
	// What the renderers would refuse is refused now, before the tenant changes.
	if err := render.Validate(s.cfg.RenderInput(s.placeholders())); err != nil {
		return &InputError{Err: err}
	}
	return nil
}

// placeholders stand for the applications' credentials before Auth0 has them.
func (s *run) placeholders() (*steps.App, *steps.ServiceAccount) {
	ui := &steps.App{ClientID: "<client-id>", ClientSecret: "<client-secret>"}
	if s.cfg.Choices.ServiceAccount == steps.Skip {
		return ui, nil
	}
	return ui, &steps.ServiceAccount{Mode: s.cfg.Choices.ServiceAccount,
		App: &steps.App{ClientID: "<bot-client-id>", ClientSecret: "<bot-client-secret>"}}
}

// secretWarning says when a secret the configuration needs could not be read.
func (s *run) secretWarning(app *steps.App) {
	if app != nil && app.SecretUnavailable != "" {
		s.p.warn("the client secret of %q is unavailable (%s): the files hold a placeholder for it", app.Name, app.SecretUnavailable)
	}
}

// missingScopes is the preflight failure: every scope the credentials lack, before any change.
func (s *run) missingScopes(missing []string) error {
	hint := "use a Management API token that has them"
	if s.cfg.Connect.APIToken == "" {
		hint = fmt.Sprintf("authorize application %s for them on the Auth0 Management API "+
			"(Dashboard: Applications > APIs > Auth0 Management API > Machine To Machine Applications), then run again", s.cfg.Connect.ClientID)
	}
	return &steps.Error{
		Op:      "check the Management API credentials",
		Meaning: fmt.Sprintf("they lack %d scope(s) this run needs: %s", len(missing), strings.Join(missing, ", ")),
		Hint:    hint,
	}
}

// confirm refuses plans with a consequence unless --yes accepted them.
func (s *run) confirm(plans ...*steps.Plan) error {
	if s.opts.Yes {
		return nil
	}
	for _, p := range plans {
		for _, c := range p.Changes {
			if c.Consequence != "" {
				return inputErrorf("%s %s %q: %s; pass --yes to accept this, or choose otherwise (nothing was changed)", c.Action, c.Resource, c.Name, c.Consequence)
			}
		}
	}
	return nil
}

// dryRun lists the planned changes and the files without performing or writing any.
func (s *run) dryRun() error {
	// Only the paths and modes are shown, so placeholder credentials are enough to render.
	files, err := s.cfg.Files(s.placeholders())
	if err != nil {
		return err
	}
	s.files = output.Planned(s.cfg.Out, files)
	s.p.ok("planned %d change(s) to Auth0 and %d file(s); this is a dry run, so nothing was changed or written", countWrites(s.plan), len(files))
	writePlan(s.opts.Report, s.p.ascii, s.cfg, s.plan, files)
	return nil
}

// AppType is the Auth0 application type of a client type: spa or regular_web.
func AppType(ct openmetadata.ClientType) string {
	if ct == openmetadata.Confidential {
		return "regular_web"
	}
	return "spa"
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
func (s *run) serviceAccountLines(p *steps.Plan) {
	if s.sa == nil || s.sa.Mode == steps.Skip || s.sa.App == nil {
		// workflow-config.yaml then holds the ingestion-bot's JWT (or its
		// placeholder) for every version; the report's ingestion steps
		// (render.IngestionNextSteps) say where the token comes from.
		instead := ""
		if s.cfg.Choices.Version.Band() == openmetadata.BandLegacy {
			instead = " instead of an Auth0 service account"
		}
		s.p.ok("service account skipped: OpenMetadata %s ingestion signs in with the ingestion-bot's JWT%s", s.cfg.Choices.Version, instead)
		return
	}
	if s.sa.Mode == steps.Separate {
		s.p.ok("service account %s", appLine(p, s.sa.App, s.opts.RevealSecrets))
	} else {
		s.p.ok("service account is application %q (client id %s), %s", s.sa.App.Name, s.sa.App.ClientID, actionWord(p, steps.Application, s.sa.App.Name, false))
	}
	s.secretWarning(s.sa.App)
	if g := s.sa.Grant; g != nil {
		s.p.ok("%s", grantLine(p, g))
	}
}

// grantLine is the progress line of a client grant the plan created, updated or kept.
func grantLine(p *steps.Plan, g *steps.Grant) string {
	scopes := "no scopes"
	if len(g.Scopes) > 0 {
		scopes = "scopes " + strings.Join(g.Scopes, ", ")
	}
	return fmt.Sprintf("client grant for %s %s (%s)", g.Audience, grantWord(p, g), scopes)
}

// grantWord says what the run did to the grant. A grant planned for
// creation that this run did not create was found in place when Auth0
// refused a duplicate (409): it is not reported as created.
func grantWord(p *steps.Plan, g *steps.Grant) string {
	word := actionWord(p, steps.ClientGrant, g.Audience, g.Created)
	if word == "created" && !g.Created {
		return "already existed"
	}
	return word
}

// appLine is the progress line of an application the plan created, updated or kept.
func appLine(p *steps.Plan, app *steps.App, reveal bool) string {
	line := fmt.Sprintf("application %q %s (client id %s)", app.Name, actionWord(p, steps.Application, app.Name, app.Created), app.ClientID)
	if reveal && app.ClientSecret != "" {
		line += ", client secret " + app.ClientSecret
	}
	return line
}

// actionWord says what the plan did to the named resource.
func actionWord(p *steps.Plan, resource steps.ResourceKind, name string, created bool) string {
	if created {
		return "created"
	}
	var found *steps.Change
	for i, c := range p.Changes {
		if c.Resource == resource && (found == nil || c.Name == name) {
			found = &p.Changes[i]
		}
	}
	if found == nil {
		return "ready"
	}
	switch found.Action {
	case steps.Create:
		return "created"
	case steps.Update:
		fields := make([]string, len(found.Fields))
		for i, f := range found.Fields {
			fields[i] = f.Field
		}
		if len(fields) == 0 {
			return "updated"
		}
		return "updated (" + strings.Join(fields, ", ") + ")"
	default:
		return "already set up"
	}
}

// report writes the summary and the next steps of a finished run.
func (s *run) report() {
	w := s.opts.Report
	if w == nil {
		return
	}
	in := s.cfg.RenderInput(s.ui, s.sa)
	fmt.Fprintf(w, "Auth0 SSO for OpenMetadata is set up on tenant %s.\n", s.cfg.Answers().Domain)
	WriteNextSteps(w, s.cfg.Out, s.files, in, s.cfg.Targets)
	fmt.Fprintf(w, "\nOnce OpenMetadata runs with them, check it and Auth0 against each other (read-only):\n  om-auth0 doctor --om-url %s --answers %s\n", in.OMURL, filepath.Join(s.cfg.Out, AnswersFile))
	fmt.Fprintf(w, "\nTo run it again (nothing changes when nothing changed):\n  om-auth0 setup --answers %s\n",
		filepath.Join(s.cfg.Out, AnswersFile))
}

// WriteNextSteps lists the files in out and what was done with each (with
// what to do about the kept ones), how to apply each target's
// (render.NextStepsIn, naming the files by their absolute path so the
// commands work as pasted from any folder), then, once, how to use the
// ingestion config (render.IngestionNextSteps).
func WriteNextSteps(w io.Writer, out string, files []output.FileResult, in render.Input, targets []openmetadata.Target) {
	fmt.Fprintf(w, "\nFiles in %s (files holding a secret are readable by you only, mode 0600):\n", out)
	for _, line := range output.Lines(out, files) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	if advice := output.KeptAdvice(files); advice != "" {
		fmt.Fprintf(w, "\n%s\n", indent(advice, "  "))
	}
	dir := AbsDir(out)
	for _, t := range targets {
		text := strings.TrimRight(render.NextStepsIn(in, t, dir), "\n")
		if text == "" {
			continue
		}
		fmt.Fprintf(w, "\nNext steps for %s:\n%s\n", targetTitle(t), indent(text, "  "))
	}
	text := strings.TrimRight(render.IngestionNextSteps(in), "\n")
	fmt.Fprintf(w, "\nNext steps for ingestion:\n%s\n", indent(text, "  "))
}

func targetTitle(t openmetadata.Target) string {
	if spec, ok := render.Lookup(t); ok {
		return spec.Phrase
	}
	return string(t)
}

func indent(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}

// writePlan writes a dry run's plan: each change to Auth0, then each file.
func writePlan(w io.Writer, ascii bool, cfg *Config, changes []steps.Change, files []openmetadata.File) {
	if w == nil {
		return
	}
	arrow := "→"
	if ascii {
		arrow = "->"
	}
	fmt.Fprintf(w, "Plan for tenant %s (dry run: nothing is changed or written)\n", cfg.Answers().Domain)
	if len(changes) == 0 {
		fmt.Fprintln(w, "  no change to Auth0")
	}
	for _, c := range changes {
		fmt.Fprintf(w, "  %s %s %s %q\n", c.Mark(), c.Action, c.Resource, c.Name)
		width := 0
		for _, f := range c.Fields {
			width = max(width, len(f.Field))
		}
		for _, f := range c.Fields {
			fmt.Fprintf(w, "      %-*s  %s\n", width, f.Field, f.Value(arrow))
		}
		if c.Reason != "" {
			fmt.Fprintf(w, "      why: %s\n", c.Reason)
		}
		if c.Consequence != "" {
			fmt.Fprintf(w, "      ! %s\n", c.Consequence)
		}
	}
	fmt.Fprintf(w, "Files that would be written into %s:\n", cfg.Out)
	width := 0
	for _, f := range files {
		width = max(width, len(f.Path))
	}
	for _, f := range files {
		fmt.Fprintf(w, "  %-*s  %04o\n", width, f.Path, f.Mode())
	}
}

// printer writes progress lines, with Unicode marks or ASCII ones.
type printer struct {
	w     io.Writer
	ascii bool
}

func newPrinter(w io.Writer, ascii bool) *printer {
	if w == nil {
		w = io.Discard
	}
	return &printer{w: w, ascii: ascii}
}

func (p *printer) line(fancy, plain, format string, a ...any) {
	mark := fancy
	if p.ascii {
		mark = plain
	}
	fmt.Fprintf(p.w, mark+" "+format+"\n", a...)
}

func (p *printer) ok(format string, a ...any)   { p.line("✓", "ok:", format, a...) }
func (p *printer) fail(format string, a ...any) { p.line("✗", "FAILED:", format, a...) }
func (p *printer) warn(format string, a ...any) { p.line("!", "warning:", format, a...) }
