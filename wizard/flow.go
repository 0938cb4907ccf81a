package wizard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// section is one of the guide's sections, as the header's checklist shows them.
type section int

const (
	secConnect section = iota
	secServer
	secService
	secDeploy
	secIngest
	secDone
	numSections
)

var sectionNames = [numSections]string{"Connect", "Server Credentials", "Service Account", "Deployment", "Ingestion", "Done"}

// shortSectionNames fit the checklist into 80 columns.
var shortSectionNames = [numSections]string{"Connect", "Server", "Service Account", "Deployment", "Ingestion", "Done"}

var sectionTitles = [numSections]struct{ title, desc string }{
	{"Connect", "The Auth0 tenant, and the Management API credentials om-auth0 works with."},
	{"Create Server Credentials", "The application behind OpenMetadata's sign-in page."},
	{"Create Service Account", "The guide's Ingestion Bot: an application that signs in with client credentials."},
	{"Deployment", "The configuration for where OpenMetadata runs."},
	{"Configure Ingestion", "The workflowConfig for the metadata CLI."},
	{"Done", ""},
}

// stepID is one screen of the wizard. Both drivers walk the same steps in
// this order; a step may be skipped by the answers so far (flow.skip).
type stepID int

const (
	stepConnectForm  stepID = iota // domain, credentials kind
	stepConnectCreds               // client id + secret, or API token
	stepConnect                    // Auth0: connect and preflight
	stepConnected                  // tenant, scopes held and missing
	stepOMURL                      // OpenMetadata URL
	stepDetect                     // read {om}/api/v1/system/version
	stepServerForm                 // version, client type, application
	stepLoadApps                   // Auth0: list applications
	stepPickApp                    // filterable application list
	stepPlanUI                     // Auth0: plan the UI application
	stepConfirmUI                  // "About to change tenant …"
	stepApplyUI                    // Auth0: create / update it
	stepAppReady                   // Client ID, secret, domain
	stepServiceForm                // separate / same / skip
	stepBotName                    // separate service account's name
	stepLoadScopes                 // Auth0: the Management API's scopes
	stepScopes                     // scope picker
	stepPlanSA                     // Auth0: plan the service account
	stepConfirmSA                  // "About to change tenant …"
	stepApplySA                    // Auth0: service account + grant
	stepVerify                     // Auth0: the named checks
	stepVerified                   // their checklist
	stepDeployForm                 // targets, admins, principal domain
	stepDeployFiles                // preview, write, how to apply
	stepIngestForm                 // ingestion-bot JWT (≥ 1.1)
	stepIngestFiles                // workflowConfig preview, write
	stepDone                       // summary
	numSteps
)

// kind says how a driver presents a step.
type kind int

const (
	kindForm    kind = iota // a huh form bound to the draft
	kindWork                // an Auth0 call (spinner in the TUI)
	kindInfo                // text to read, then continue
	kindConfirm             // a plan and a yes/no
	kindPick                // the application picker
	kindFiles               // file preview and write
)

func (s stepID) kind() kind {
	switch s {
	case stepConnect, stepDetect, stepLoadApps, stepPlanUI, stepApplyUI, stepLoadScopes, stepPlanSA, stepApplySA, stepVerify:
		return kindWork
	case stepConnected, stepAppReady, stepVerified, stepDone:
		return kindInfo
	case stepConfirmUI, stepConfirmSA:
		return kindConfirm
	case stepPickApp:
		return kindPick
	case stepDeployFiles, stepIngestFiles:
		return kindFiles
	}
	return kindForm
}

func (s stepID) section() section {
	switch {
	case s <= stepConnected:
		return secConnect
	case s <= stepAppReady:
		return secServer
	case s <= stepVerified:
		return secService
	case s <= stepDeployFiles:
		return secDeploy
	case s <= stepIngestFiles:
		return secIngest
	}
	return secDone
}

// writes reports whether the step changes the tenant, so it is never re-run
// by going back and its spinner says so.
func (s stepID) writes() bool { return s == stepApplyUI || s == stepApplySA }

// Form values of the choices that are not a Config value as they are.
const (
	methodClient = "client"
	methodToken  = "token"
	appCreate    = "create"
	appExisting  = "existing"
	targetAll    = "all"
)

// draft holds the forms' answers as typed, bound by pointer to huh fields.
// A form's submit parses its part of the draft into the Config.
type draft struct {
	domain, method, clientID, clientSecret, apiToken string

	omURL, version, clientType, appChoice, appName string

	saMode, botName string
	scopes          []string

	target, admins, principalDomain string

	jwt string

	confirmed bool
}

// flow is the wizard's state and logic, shared by the TUI and the accessible
// driver: the answers, the connected tenant, and the results of each step.
type flow struct {
	opts Options
	cfg  *setup.Config
	d    *draft

	runner     steps.Runner
	tenantName string

	detected  *openmetadata.Version
	detectErr error

	apps    []steps.AppSummary
	appRows *appIndex

	uiPlan *steps.UIPlan
	ui     *steps.App

	scopes []steps.Scope
	saPlan *steps.ServiceAccountPlan
	sa     *steps.ServiceAccount

	verification *steps.Verification

	written map[stepID][]output.FileResult
	changes []steps.Change // every applied change, for the summary

	askConnect    bool // the Connect form is shown (credentials missing, or they failed)
	askPrincipals bool // admins / principal domain were missing, so Deployment asks them
	versionGiven  bool // the Config names the version: detection does not replace it
	modeGiven     bool // the Config or the operator chose the service account mode

	// renderFiles and nextSteps are the renderers (tests substitute them).
	renderFiles func(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error)
	nextSteps   func(in render.Input, t openmetadata.Target, dir string) string

	// Form plumbing: live validators, secret inputs and which ones show
	// their text, by field key.
	validators map[string]func(string) error
	secrets    map[string]*huh.Input
	revealed   map[string]bool
	accessible bool
}

func newFlow(opts Options) *flow {
	cfg := opts.Config
	if cfg == nil {
		cfg = &setup.Config{}
	}
	f := &flow{opts: opts, cfg: cfg, d: &draft{}, written: map[stepID][]output.FileResult{}, revealed: map[string]bool{}, accessible: opts.Accessible}
	c := cfg.Connect
	f.askConnect = c.Domain.IsZero() || (c.APIToken == "" && (c.ClientID == "" || c.ClientSecret == ""))
	f.askPrincipals = len(cfg.Admins) == 0 || cfg.PrincipalDomain == ""
	if cfg.Out == "" {
		cfg.Out = setup.DefaultOut
	}
	f.renderFiles, f.nextSteps = cfg.Files, render.NextStepsIn

	d := f.d
	if !c.Domain.IsZero() {
		d.domain = c.Domain.Host
		if c.Domain.Scheme != "https" {
			d.domain = c.Domain.String()
		}
	}
	d.method = methodClient
	if c.APIToken != "" && c.ClientID == "" {
		d.method = methodToken
	}
	d.clientID, d.clientSecret, d.apiToken = c.ClientID, c.ClientSecret, c.APIToken

	ch := cfg.Choices
	d.omURL = cmp.Or(ch.OMURL, setup.DefaultOMURL)
	f.versionGiven = ch.Version != (openmetadata.Version{})
	d.version = openmetadata.Newest.String()
	if f.versionGiven {
		d.version = ch.Version.String()
	}
	d.clientType = string(cmp.Or(ch.ClientType, openmetadata.Public))
	d.appName = cmp.Or(ch.AppName, setup.DefaultAppName)
	d.appChoice = appCreate
	if ch.AppID != "" {
		d.appChoice = appExisting
	}
	d.saMode = string(ch.ServiceAccount)
	f.modeGiven = ch.ServiceAccount != ""
	d.botName = cmp.Or(ch.BotAppName, setup.DefaultBotAppName)
	d.scopes = slices.Clone(ch.Scopes)
	d.target = targetKey(cfg.Targets)
	d.admins = strings.Join(cfg.Admins, ", ")
	d.principalDomain = cfg.PrincipalDomain
	d.jwt = cfg.IngestionJWT
	return f
}

// skip reports whether the answers so far make step s unnecessary.
func (f *flow) skip(s stepID) bool {
	mode := steps.ServiceAccountMode(f.d.saMode)
	switch s {
	case stepConnectForm, stepConnectCreds:
		return !f.askConnect
	case stepDetect:
		return f.opts.DetectVersion == nil
	case stepLoadApps, stepPickApp:
		return f.d.appChoice != appExisting
	case stepConfirmUI:
		return !f.needsConfirm(f.uiPlan.AsPlan())
	case stepBotName:
		return mode != steps.Separate
	case stepLoadScopes, stepScopes, stepPlanSA, stepApplySA:
		return mode == steps.Skip
	case stepConfirmSA:
		return mode == steps.Skip || !f.needsConfirm(f.saPlan.AsPlan())
	case stepIngestForm:
		return f.cfg.Choices.Version.Band() == openmetadata.BandLegacy
	}
	return false
}

// needsConfirm: a plan that changes the tenant is confirmed unless --yes;
// one with a consequence is always confirmed.
func (f *flow) needsConfirm(p *steps.Plan) bool {
	if p == nil || !p.Writes() {
		return false
	}
	return !f.opts.Yes || p.NeedsConfirmation()
}

// next is the first step after s that is not skipped.
func (f *flow) next(s stepID) stepID {
	for n := s + 1; n < numSteps; n++ {
		if !f.skip(n) {
			return n
		}
	}
	return stepDone
}

// first is the wizard's first step.
func (f *flow) first() stepID { return f.next(-1) }

// entry is where going back to section sec lands: its first step that asks
// or shows something (never an Auth0 call).
func (f *flow) entry(sec section) stepID {
	for s := stepID(0); s < numSteps; s++ {
		if s.section() == sec && !f.skip(s) && s.kind() != kindWork {
			return s
		}
	}
	return stepDone
}

// back is the step Esc returns to from s: the previous section's entry.
// Auth0 changes already made stay; running the steps again finds them.
func (f *flow) back(s stepID) (stepID, bool) {
	sec := s.section()
	if sec == secConnect || sec == secDone {
		return s, false
	}
	return f.entry(sec - 1), true
}

// retreat is where "back" leads from a failed or declined step: the nearest
// earlier step that asks something.
func (f *flow) retreat(s stepID) stepID {
	if s == stepConnect {
		f.askConnect = true
		return stepConnectForm
	}
	for p := s - 1; p >= 0; p-- {
		if k := p.kind(); (k == kindForm || k == kindPick) && !f.skip(p) {
			return p
		}
	}
	return f.first()
}

// submit parses the answers of form step s into the Config.
func (f *flow) submit(s stepID) error {
	d, cfg := f.d, f.cfg
	switch s {
	case stepConnectForm:
		dom, err := tenant.Parse(d.domain)
		if err != nil {
			return err
		}
		cfg.Connect.Domain = dom
	case stepConnectCreds:
		if d.method == methodToken {
			cfg.Connect.ClientID, cfg.Connect.ClientSecret, cfg.Connect.APIToken = "", "", strings.TrimSpace(d.apiToken)
		} else {
			cfg.Connect.ClientID, cfg.Connect.ClientSecret, cfg.Connect.APIToken = strings.TrimSpace(d.clientID), d.clientSecret, ""
		}
	case stepOMURL:
		om, err := openmetadata.CheckURL(d.omURL)
		if err != nil {
			return err
		}
		cfg.Choices.OMURL = om
	case stepServerForm:
		v, err := openmetadata.ParseVersion(d.version)
		if err != nil {
			return err
		}
		ct, err := openmetadata.ParseClientType(d.clientType)
		if err != nil {
			return err
		}
		if err := clientTypeFits(ct, v); err != nil {
			return err
		}
		cfg.Choices.Version, cfg.Choices.ClientType = v, ct
		cfg.Choices.AppName = strings.TrimSpace(d.appName)
		if d.appChoice == appCreate {
			cfg.Choices.AppID = ""
		}
		if !f.modeGiven {
			d.saMode = string(steps.DefaultServiceAccountMode(v))
		}
	case stepServiceForm:
		mode, err := steps.ParseServiceAccountMode(d.saMode)
		if err != nil {
			return err
		}
		cfg.Choices.ServiceAccount = mode
		f.modeGiven = true
		if mode == steps.Skip {
			f.saPlan, f.sa = nil, &steps.ServiceAccount{Mode: steps.Skip}
		}
	case stepBotName:
		cfg.Choices.BotAppName = strings.TrimSpace(d.botName)
	case stepScopes:
		cfg.Choices.Scopes = slices.Clone(d.scopes)
	case stepDeployForm:
		targets, err := render.ParseTargets([]string{d.target})
		if err != nil {
			return err
		}
		cfg.Targets = targets
		if f.askPrincipals {
			admins, dom, err := setup.Principals([]string{d.admins}, d.principalDomain)
			if err != nil {
				return err
			}
			if err := validPrincipalDomain(dom); err != nil {
				return err
			}
			cfg.Admins, cfg.PrincipalDomain = admins, dom
			d.principalDomain = dom // shown when the form comes back
		}
	case stepIngestForm:
		cfg.IngestionJWT = strings.TrimSpace(d.jwt)
	case stepConfirmUI, stepConfirmSA:
		// the answer is d.confirmed, read by the driver
	}
	return nil
}

// Typed results of the Auth0 steps. Each is a tea.Msg in the TUI and is
// applied to the flow on the driver's goroutine, never inside the call.
type (
	connectedMsg       struct{ runner steps.Runner }
	versionDetectedMsg struct {
		version openmetadata.Version
		err     error
	}
	appsLoadedMsg   struct{ apps []steps.AppSummary }
	uiPlannedMsg    struct{ plan *steps.UIPlan }
	uiAppliedMsg    struct{ app *steps.App }
	scopesLoadedMsg struct{ scopes []steps.Scope }
	saPlannedMsg    struct{ plan *steps.ServiceAccountPlan }
	saAppliedMsg    struct{ sa *steps.ServiceAccount }
	verifiedMsg     struct{ v steps.Verification }
	filesWrittenMsg struct {
		step  stepID
		files []output.FileResult
	}
	// errMsg is a failed step; the error view explains it.
	errMsg struct {
		step stepID
		err  error
	}
)

// result is a step's outcome, applied to the flow by the driver.
type result interface{ apply(f *flow) }

func (m connectedMsg) apply(f *flow) {
	f.runner = m.runner
	f.askConnect = false
	_, f.tenantName = m.runner.Tenant()
}

func (m versionDetectedMsg) apply(f *flow) {
	f.detectErr, f.detected = m.err, nil
	if m.err == nil {
		v := m.version
		f.detected = &v
		if !f.versionGiven {
			f.d.version = v.String()
		}
	}
}

func (m appsLoadedMsg) apply(f *flow) { f.apps, f.appRows = m.apps, newAppIndex(m.apps) }
func (m uiPlannedMsg) apply(f *flow)  { f.uiPlan = m.plan }
func (m uiAppliedMsg) apply(f *flow) {
	f.ui = m.app
	f.recordChanges(f.uiPlan.AsPlan())
}
func (m scopesLoadedMsg) apply(f *flow) { f.scopes = m.scopes }
func (m saPlannedMsg) apply(f *flow)    { f.saPlan = m.plan }
func (m saAppliedMsg) apply(f *flow) {
	f.sa = m.sa
	f.recordChanges(f.saPlan.AsPlan())
}
func (m verifiedMsg) apply(f *flow)     { v := m.v; f.verification = &v }
func (m filesWrittenMsg) apply(f *flow) { f.written[m.step] = m.files }

// hasChanged reports whether this run has changed the tenant.
func (f *flow) hasChanged() bool {
	return slices.ContainsFunc(f.changes, func(c steps.Change) bool { return c.Action != steps.Keep })
}

func (f *flow) recordChanges(p *steps.Plan) {
	if p == nil {
		return
	}
	for _, c := range p.Changes {
		i := slices.IndexFunc(f.changes, func(o steps.Change) bool { return o.Resource == c.Resource && o.Name == c.Name })
		switch {
		case i < 0:
			f.changes = append(f.changes, c)
		case f.changes[i].Action == steps.Keep:
			f.changes[i] = c // what this run created stays "created" when changed again
		}
	}
}

// detectTimeout bounds the version probe: the OpenMetadata server may well
// not be reachable from where the wizard runs.
const detectTimeout = 3 * time.Second

// work returns the Auth0 (or local) call of work step s. The inputs are
// copied now, on the driver's goroutine; the call itself touches no state.
func (f *flow) work(s stepID) func(ctx context.Context) (result, error) {
	r, choices := f.runner, f.cfg.Choices
	switch s {
	case stepConnect:
		req, connect := f.cfg.Connect, f.opts.Connect
		return func(ctx context.Context) (result, error) {
			if connect == nil {
				return nil, errors.New("connect: no Auth0 connector configured")
			}
			r, err := connect(ctx, req)
			if err != nil {
				return nil, err
			}
			return connectedMsg{r}, nil
		}
	case stepDetect:
		detect, url := f.opts.DetectVersion, choices.OMURL
		return func(ctx context.Context) (result, error) {
			ctx, cancel := context.WithTimeout(ctx, detectTimeout)
			defer cancel()
			v, err := detect(ctx, url)
			return versionDetectedMsg{v, err}, nil
		}
	case stepLoadApps:
		return func(ctx context.Context) (result, error) {
			apps, err := r.ListApps(ctx)
			return appsLoadedMsg{apps}, err
		}
	case stepPlanUI:
		return func(ctx context.Context) (result, error) {
			p, err := r.PlanUIApp(ctx, choices)
			return uiPlannedMsg{p}, err
		}
	case stepApplyUI:
		p := f.uiPlan
		return func(ctx context.Context) (result, error) {
			app, err := r.ApplyUIApp(ctx, p)
			return uiAppliedMsg{app}, err
		}
	case stepLoadScopes:
		return func(ctx context.Context) (result, error) {
			sc, err := r.ManagementAPIScopes(ctx)
			return scopesLoadedMsg{sc}, err
		}
	case stepPlanSA:
		ui := f.ui
		return func(ctx context.Context) (result, error) {
			p, err := r.PlanServiceAccount(ctx, choices, ui)
			return saPlannedMsg{p}, err
		}
	case stepApplySA:
		p := f.saPlan
		return func(ctx context.Context) (result, error) {
			sa, err := r.ApplyServiceAccount(ctx, p)
			return saAppliedMsg{sa}, err
		}
	case stepVerify:
		ui, sa := f.ui, f.sa
		return func(ctx context.Context) (result, error) {
			return verifiedMsg{r.Verify(ctx, choices, ui, sa)}, nil
		}
	case stepDeployFiles, stepIngestFiles:
		files, err := f.filesOf(s)
		dir, force := f.cfg.Out, f.opts.Force
		return func(context.Context) (result, error) {
			if err != nil {
				return nil, err
			}
			written, err := output.Write(dir, files, output.Options{Force: force})
			return filesWrittenMsg{s, written}, err
		}
	}
	return func(context.Context) (result, error) { return nil, fmt.Errorf("step %d has no call", s) }
}

// label names what step s's call is doing, for the spinner.
func (f *flow) label(s stepID) string {
	switch s {
	case stepConnect:
		return "Connecting to " + f.cfg.Connect.Domain.Host + "…"
	case stepDetect:
		return "Reading " + f.cfg.Choices.OMURL + "/api/v1/system/version…"
	case stepLoadApps:
		return "Loading the tenant's applications…"
	case stepPlanUI:
		return fmt.Sprintf("Looking up application %q…", f.cfg.Choices.AppName)
	case stepApplyUI:
		return applyLabel(f.uiPlan.AsPlan())
	case stepLoadScopes:
		return "Reading the Auth0 Management API's scopes…"
	case stepPlanSA:
		return "Planning the service account…"
	case stepApplySA:
		return applyLabel(f.saPlan.AsPlan())
	case stepVerify:
		return "Verifying: fetching real tokens…"
	case stepDeployFiles, stepIngestFiles:
		return "Writing files…"
	}
	return "Working…"
}

func applyLabel(p *steps.Plan) string {
	if p != nil {
		for _, c := range p.Changes {
			switch c.Action {
			case steps.Create:
				return fmt.Sprintf("Creating %s %q…", c.Resource, c.Name)
			case steps.Update:
				return fmt.Sprintf("Updating %s %q…", c.Resource, c.Name)
			}
		}
	}
	return "Reading the result…"
}

// files renders every output file of the run.
func (f *flow) files() ([]openmetadata.File, error) { return f.renderFiles(f.ui, f.sa) }

// filesOf is the part of the output that files step s previews and writes:
// the chosen targets' files for Deployment; the workflowConfig and
// answers.yaml for Ingestion (written last, as they hold the JWT and the
// final answers).
func (f *flow) filesOf(s stepID) ([]openmetadata.File, error) {
	all, err := f.files()
	if err != nil {
		return nil, err
	}
	var out []openmetadata.File
	for _, file := range all {
		if (targetOf(file) != "") == (s == stepDeployFiles) {
			out = append(out, file)
		}
	}
	return out, nil
}

// targetOf is the deployment target a rendered file belongs to, by its
// folder ("docker/…"), or "" for the ingestion config and answers.yaml.
func targetOf(file openmetadata.File) openmetadata.Target {
	dir, _, _ := strings.Cut(file.Path, "/")
	for _, t := range render.Targets {
		if dir == t.Folder {
			return t.Name
		}
	}
	return ""
}

// secretValues are the secrets the wizard knows, masked on screen unless revealed.
func (f *flow) secretValues() []string {
	var s []string
	if f.ui != nil {
		s = append(s, f.ui.ClientSecret)
	}
	if f.sa != nil && f.sa.App != nil {
		s = append(s, f.sa.App.ClientSecret)
	}
	s = append(s, f.cfg.IngestionJWT, f.cfg.Connect.ClientSecret, f.cfg.Connect.APIToken)
	return s
}

// allWritten lists every file written, deployment first.
func (f *flow) allWritten() []output.FileResult {
	return append(slices.Clone(f.written[stepDeployFiles]), f.written[stepIngestFiles]...)
}

// result is what Run returns once the wizard is done.
func (f *flow) result() *setup.Result {
	return setup.NewResult(f.cfg.Answers().Domain, f.tenantName, f.ui, f.sa, f.verification, f.allWritten(), f.opts.RevealSecrets)
}

// created is what this run has created in Auth0 so far, for an interrupted run.
func (f *flow) created() []string {
	if f.runner == nil {
		return nil
	}
	// The run's context may be done (an interrupt): the runner bounds its own reading of the tenant.
	return f.runner.Created(context.Background())
}

// targetKey is the deployment choice that matches targets ("all" when every
// target or none is given).
func targetKey(targets []openmetadata.Target) string {
	if len(targets) == 0 || len(targets) == len(render.AllTargets) {
		return targetAll
	}
	parts := make([]string, len(targets))
	for i, t := range targets {
		parts[i] = string(t)
	}
	return strings.Join(parts, ",")
}

// abortError is the operator stopping the wizard. It matches both
// context.Canceled and huh.ErrUserAborted, which callers map to exit 130.
type abortError struct{}

func (abortError) Error() string { return "setup interrupted" }

func (abortError) Is(target error) bool {
	return target == context.Canceled || target == huh.ErrUserAborted
}

// ErrAborted is returned by Run when the operator quits (Ctrl+C).
var ErrAborted error = abortError{}
