// Package guide is the sequence of OpenMetadata's "Auth0 SSO" guide, written
// once: its sections, the steps of each in order (the table below), when a
// step is skipped, the Auth0 call it makes, and the rules every driver
// follows. Two drivers walk it: the wizard (its terminal UI and its
// accessible line-by-line prompts) and Run, the non-interactive setup.
//
// The rules, the same for every driver:
//   - Preflight: the Management API scopes the chosen path needs are checked
//     once connected, and again before the service account is planned (the
//     wizard's choices are complete only then); a missing one stops the run
//     before anything is changed.
//   - Order: every change is planned and shown before the first write: the
//     UI application, then the service account (with the UI application's
//     client id when it exists, empty while it is still to be created), then
//     one confirmation of the whole plan, then the applies (a separate
//     service account is created at the same time as the UI application),
//     then the checks.
//   - Verification: a failed check is a failure of the run. The files are
//     still written (the configuration is right; the tenant is what fails the
//     check) and the run ends with exit status 1.
//   - Apply to OpenMetadata (1.10+, when the driver can apply: State.ApplyOM)
//     plans against the server's settings, has OpenMetadata validate them,
//     and stores them only once confirmed (a failed validation only when
//     the operator stores anyway); Run leaves it to setup --apply.
//   - Done ends the run. After it, when OpenMetadata answered the version
//     probe and the driver has a check (State.Check), the operator is offered
//     doctor's read-only checks of what the run did; they are informational
//     and leave the exit status as it is.
package guide

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// Section is one of the guide's sections, as the wizard's checklist shows them.
type Section int

// The sections, in order.
const (
	SectionConnect Section = iota
	SectionServer
	SectionService
	SectionVerify
	SectionDeploy
	SectionApply
	SectionIngest
	SectionDone
	NumSections
)

// SectionText is how a section is named: in the checklist (Name, or Short
// when the line is narrow) and as a heading (Title, Desc).
type SectionText struct {
	Name, Short, Title, Desc string
}

// Sections are the sections' names and headings.
var Sections = [NumSections]SectionText{
	{"Connect", "Connect", "Connect", "The Auth0 tenant, and the Management API credentials om-auth0 works with."},
	{"Server Credentials", "Server", "Create Server Credentials", "The application behind OpenMetadata's sign-in page."},
	{"Service Account", "Service", "Create Service Account", "The guide's Ingestion Bot: an application that signs in with client credentials."},
	{"Verify", "Verify", "Verify", "Real tokens and sign-in URLs, checked against the tenant."},
	{"Deployment", "Deploy", "Deployment", "The configuration for where OpenMetadata runs."},
	{"Apply to OpenMetadata", "Apply", "Apply to OpenMetadata", "The settings stored in the running OpenMetadata (1.10+) over its API, without a restart."},
	{"Ingestion", "Ingest", "Configure Ingestion", "The workflowConfig for the metadata CLI."},
	{"Done", "Done", "Done", ""},
}

// Kind says how a driver presents a step.
type Kind int

// The kinds of step.
const (
	KindForm    Kind = iota // answers: asked by the wizard, taken from the Config by Run
	KindLoad                // an Auth0 read that only feeds a prompt (Run has its answers already)
	KindWork                // an Auth0 (or local) call
	KindInfo                // text to read, then continue
	KindConfirm             // the whole plan and a yes/no
	KindPick                // the application picker (Run needs --app-id instead)
	KindFiles               // files to preview and write
)

// ID is one step of the guide.
type ID int

// The steps, in the guide's order.
const (
	StepConnectForm   ID = iota // domain, credentials kind
	StepConnectCreds            // client id + secret, or API token
	StepConnect                 // Auth0: connect
	StepConnected               // tenant, scopes held and missing (preflight)
	StepOMURL                   // OpenMetadata URL
	StepDetect                  // read {om}/api/v1/system/version
	StepServerForm              // version, client type, application
	StepLoadApps                // Auth0: list applications
	StepPickApp                 // filterable application list
	StepPlanUI                  // Auth0: plan the UI application
	StepServiceForm             // separate / same / skip
	StepBotName                 // separate service account's name
	StepLoadScopes              // Auth0: the Management API's scopes
	StepScopes                  // scope picker
	StepPlanSA                  // Auth0: preflight again, then plan the service account
	StepConfirm                 // the whole plan: "About to change tenant …"
	StepApplyUI                 // Auth0: create / update the UI application
	StepApplySA                 // Auth0: service account + grant
	StepReady                   // the applications' credentials
	StepVerify                  // Auth0: the named checks
	StepVerified                // their checklist
	StepDeployForm              // targets, admins, principal domain
	StepDeployFiles             // preview, write, how to apply
	StepApplyForm               // apply to OpenMetadata now, or not now (1.10+)
	StepApplyCredKind           // an admin's token, or basic sign-in (no credential given)
	StepApplyCreds              // the token, or the admin's email and password
	StepApplyPlan               // OpenMetadata: read the settings, plan field by field
	StepApplyValidate           // OpenMetadata: its validator on the planned settings
	StepApplyConfirm            // the plan and the validation, and a yes/no (default no)
	StepApplyStore              // OpenMetadata: store the settings, read them back
	StepApplied                 // what was stored, what still needs a restart
	StepIngestForm              // ingestion-bot JWT (≥ 1.1)
	StepIngestFiles             // workflowConfig preview, write
	StepDone                    // summary
	StepCheck                   // doctor's checks of what the run did (offered on Done)
	StepChecked                 // their results
	NumSteps
)

// Step is one entry of the guide's table.
type Step struct {
	Section Section
	Kind    Kind
	// Skip says when the answers so far make the step unnecessary; nil: never.
	Skip func(s *State) bool
	// Call is the call of a Load, Work or Files step, its inputs copied from
	// the state on the driver's goroutine; the call itself touches no state.
	Call func(s *State) Call
	// Label names what the call is doing, for a spinner or a progress line.
	Label func(s *State) string
	// Writes says the step changes the tenant: it is never re-run by going
	// back, and its spinner says so.
	Writes bool
	// Final says the run is over once the step is left.
	Final bool
}

// Call is a step's Auth0 (or local) call. Its result is applied to the
// State by the driver (Result.Apply), never inside the call.
type Call func(ctx context.Context) (Result, error)

// Result is a call's outcome; the wizard receives it as a tea.Msg.
type Result interface{ Apply(s *State) }

func mode(s *State) steps.ServiceAccountMode { return s.Cfg.Choices.ServiceAccount }

// table is the guide. Adding a section is an entry here, the Runner method
// its call makes, and its texts.
var table = [NumSteps]Step{
	StepConnectForm:  {Section: SectionConnect, Kind: KindForm, Skip: func(s *State) bool { return !s.AskConnect }},
	StepConnectCreds: {Section: SectionConnect, Kind: KindForm, Skip: func(s *State) bool { return !s.AskConnect }},
	StepConnect: {Section: SectionConnect, Kind: KindWork, Call: connectCall,
		Label: func(s *State) string { return "Connecting to " + s.Cfg.Connect.Domain.Host + "…" }},
	StepConnected: {Section: SectionConnect, Kind: KindInfo,
		Label: func(*State) string { return "Checking the Management API scopes…" }},

	StepOMURL: {Section: SectionServer, Kind: KindForm},
	StepDetect: {Section: SectionServer, Kind: KindWork, Call: detectCall,
		Skip:  func(s *State) bool { return s.DetectVersion == nil },
		Label: func(s *State) string { return "Reading " + s.Cfg.Choices.OMURL + "/api/v1/system/version…" }},
	StepServerForm: {Section: SectionServer, Kind: KindForm},
	StepLoadApps: {Section: SectionServer, Kind: KindLoad, Call: loadAppsCall,
		Skip:  func(s *State) bool { return !s.PickApp },
		Label: func(*State) string { return "Loading the tenant's applications…" }},
	StepPickApp: {Section: SectionServer, Kind: KindPick, Skip: func(s *State) bool { return !s.PickApp }},
	StepPlanUI: {Section: SectionServer, Kind: KindWork, Call: planUICall,
		Label: func(s *State) string { return fmt.Sprintf("Looking up application %q…", s.Cfg.Choices.AppName) }},

	StepServiceForm: {Section: SectionService, Kind: KindForm},
	StepBotName:     {Section: SectionService, Kind: KindForm, Skip: func(s *State) bool { return mode(s) != steps.Separate }},
	StepLoadScopes: {Section: SectionService, Kind: KindLoad, Call: loadScopesCall,
		Skip:  func(s *State) bool { return mode(s) == steps.Skip },
		Label: func(*State) string { return "Reading the Auth0 Management API's scopes…" }},
	StepScopes: {Section: SectionService, Kind: KindForm, Skip: func(s *State) bool { return mode(s) == steps.Skip }},
	StepPlanSA: {Section: SectionService, Kind: KindWork, Call: planSACall,
		Label: func(*State) string { return "Planning the service account…" }},
	StepConfirm: {Section: SectionService, Kind: KindConfirm, Skip: func(s *State) bool { return !s.NeedsConfirm() }},
	StepApplyUI: {Section: SectionService, Kind: KindWork, Writes: true, Call: applyUICall,
		Label: func(s *State) string {
			ui := applyLabel(s.UIPlan.AsPlan())
			if mode(s) != steps.Separate {
				return ui
			}
			// The separate service account is applied at the same time.
			if sa := applyLabel(s.SAPlan.AsPlan()); sa != applyLabel(nil) {
				return strings.TrimSuffix(ui, "…") + "; " + strings.ToLower(sa[:1]) + sa[1:]
			}
			return ui
		}},
	StepApplySA: {Section: SectionService, Kind: KindWork, Writes: true, Call: applySACall,
		Label: func(s *State) string {
			if mode(s) == steps.Skip {
				return "No service account: skipped."
			}
			return applyLabel(s.SAPlan.AsPlan())
		}},
	StepReady: {Section: SectionService, Kind: KindInfo},

	StepVerify:   {Section: SectionVerify, Kind: KindWork, Call: verifyCall, Label: verifyLabel},
	StepVerified: {Section: SectionVerify, Kind: KindInfo},

	StepDeployForm: {Section: SectionDeploy, Kind: KindForm},
	StepDeployFiles: {Section: SectionDeploy, Kind: KindFiles, Call: filesCall(StepDeployFiles),
		Label: func(*State) string { return "Writing files…" }},

	StepApplyForm:     {Section: SectionApply, Kind: KindForm, Skip: noApply},
	StepApplyCredKind: {Section: SectionApply, Kind: KindForm, Skip: func(s *State) bool { return notApplying(s) || !s.AskOMCredential }},
	StepApplyCreds:    {Section: SectionApply, Kind: KindForm, Skip: func(s *State) bool { return notApplying(s) || !s.AskOMCredential }},
	StepApplyPlan: {Section: SectionApply, Kind: KindWork, Call: applyPlanCall, Skip: notApplying,
		Label: func(s *State) string { return "Reading OpenMetadata's SSO settings at " + s.Cfg.Choices.OMURL + "…" }},
	StepApplyValidate: {Section: SectionApply, Kind: KindWork, Call: applyValidateCall, Skip: nothingToStore,
		Label: func(*State) string { return "OpenMetadata is validating the planned settings (nothing is stored)…" }},
	StepApplyConfirm: {Section: SectionApply, Kind: KindConfirm, Skip: nothingToStore},
	StepApplyStore: {Section: SectionApply, Kind: KindWork, Writes: true, Call: applyStoreCall, Skip: nothingToStore,
		Label: func(s *State) string {
			return "Storing the SSO settings in OpenMetadata at " + s.Cfg.Choices.OMURL + ", then reading them back…"
		}},
	StepApplied: {Section: SectionApply, Kind: KindInfo, Skip: notApplying},

	StepIngestForm: {Section: SectionIngest, Kind: KindForm,
		Skip: func(s *State) bool { return s.Cfg.Choices.Version.Band() == openmetadata.BandLegacy }},
	StepIngestFiles: {Section: SectionIngest, Kind: KindFiles, Call: filesCall(StepIngestFiles),
		Label: func(*State) string { return "Writing files…" }},

	StepDone: {Section: SectionDone, Kind: KindInfo, Final: true},
	// Offered on Done, never walked into: the drivers ask first.
	StepCheck: {Section: SectionDone, Kind: KindWork, Call: checkCall, Skip: noCheck,
		Label: func(s *State) string { return "Checking " + s.CheckRequest().What() + " (read-only)…" }},
	StepChecked: {Section: SectionDone, Kind: KindInfo, Skip: noCheck, Final: true},
}

func noCheck(s *State) bool { return !s.CanCheck() }

func noApply(s *State) bool     { return !s.CanApply() }
func notApplying(s *State) bool { return !s.CanApply() || !s.Cfg.Apply }

// nothingToStore: not applying, or the plan changes no setting.
func nothingToStore(s *State) bool {
	return notApplying(s) || s.Applying == nil || !s.Applying.Changes()
}

// Section is the section step id belongs to.
func (id ID) Section() Section {
	if id < 0 || id >= NumSteps {
		return SectionDone
	}
	return table[id].Section
}

// Kind is how step id is presented.
func (id ID) Kind() Kind {
	if id < 0 || id >= NumSteps {
		return KindInfo
	}
	return table[id].Kind
}

// Writes reports whether step id changes the tenant.
func (id ID) Writes() bool { return id >= 0 && id < NumSteps && table[id].Writes }

// Final reports whether the run is over once step id is left.
func (id ID) Final() bool { return id < 0 || id >= NumSteps || table[id].Final }

// State is one run's answers and what its steps found and did, shared by
// the drivers: they read it to show a step and apply the steps' Results to it.
type State struct {
	Cfg *setup.Config
	// Connect opens a session with the tenant; DetectVersion reads
	// OpenMetadata's version (nil: no detection).
	Connect       setup.ConnectFunc
	DetectVersion func(ctx context.Context, omURL string) (openmetadata.Version, error)
	// Yes skips the confirmation of a plan without a consequence; Force
	// overwrites output files changed outside om-auth0.
	Yes, Force bool

	AskConnect bool // the Connect form is shown (credentials missing, or they failed)
	PickApp    bool // the operator chose to pick an existing application

	Runner steps.Runner
	// TenantName is the connected tenant's friendly name, "" until it
	// arrives (TenantNamed), or when it cannot be read.
	TenantName string
	Detected   *openmetadata.Version
	DetectErr  error

	Apps   []steps.AppSummary
	UIPlan *steps.UIPlan
	UI     *steps.App
	Scopes []steps.Scope
	SAPlan *steps.ServiceAccountPlan
	SA     *steps.ServiceAccount

	Verification *steps.Verification
	Written      map[ID][]output.FileResult
	Changes      []steps.Change // every applied change, for the summary

	// RenderFiles renders every output file (tests substitute it).
	RenderFiles func(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error)

	// Check runs doctor's checks (doctor.Run, with the driver's HTTP
	// client); nil: the check is not offered. OMToken is an OpenMetadata
	// administrator's token for it: never written, never shown.
	Check   func(ctx context.Context, req CheckRequest) CheckReport
	OMToken string
	Checked CheckReport // the last check's report; nil before one ran

	// ApplyOM prepares the apply of the settings to a running OpenMetadata
	// 1.10+ (apply.Prepare, adapted by the driver); nil: not offered. The
	// operator's choice is Cfg.Apply, recorded in answers.yaml.
	ApplyOM func(ctx context.Context, req ApplyRequest) (ApplySession, error)
	// AskOMCredential says the driver has no OpenMetadata admin credential:
	// the section asks for one (OMToken, or OMAdminEmail and
	// OMAdminPassword), never written, never shown.
	AskOMCredential               bool
	OMAdminEmail, OMAdminPassword string
	Applying                      ApplySession      // the prepared apply and its plan
	ApplyValidation               *omapi.Validation // OpenMetadata's verdict on the plan
	ApplyOutcome                  *ApplyOutcome     // what the store did; nil before it ran

	preflightPassed string // the session and choices the last passed preflight was for
	// connectedTo is the tenant of the session, and sessions counts the
	// sessions opened, so that a name read for an earlier one is not shown.
	connectedTo tenant.Domain
	sessions    int
}

// NewState is the state of a run with the answers cfg holds so far.
func NewState(cfg *setup.Config) *State {
	if cfg.Out == "" {
		cfg.Out = setup.DefaultOut
	}
	c := cfg.Connect
	return &State{
		Cfg:         cfg,
		AskConnect:  c.Domain.IsZero() || (c.APIToken == "" && (c.ClientID == "" || c.ClientSecret == "")),
		Written:     map[ID][]output.FileResult{},
		RenderFiles: cfg.Files,
	}
}

// Skip reports whether the answers so far make step id unnecessary.
func (s *State) Skip(id ID) bool {
	skip := table[id].Skip
	return skip != nil && skip(s)
}

// Next is the first step after id that is not skipped.
func (s *State) Next(id ID) ID {
	for n := id + 1; n < NumSteps; n++ {
		if !s.Skip(n) {
			return n
		}
	}
	return StepDone
}

// First is the run's first step.
func (s *State) First() ID { return s.Next(-1) }

// Entry is where going back to section sec lands: its first step that asks
// or shows something (never an Auth0 call).
func (s *State) Entry(sec Section) ID {
	for id := ID(0); id < NumSteps; id++ {
		if k := id.Kind(); id.Section() == sec && !s.Skip(id) && k != KindWork && k != KindLoad {
			return id
		}
	}
	return StepDone
}

// Back is the step going back from id leads to: the previous section's
// entry. Auth0 changes already made stay; running the steps again finds them.
func (s *State) Back(id ID) (ID, bool) {
	sec := id.Section()
	if sec == SectionConnect || sec == SectionDone {
		return id, false
	}
	// A section whose steps are all skipped (Apply before 1.10) is passed over.
	for p := sec - 1; p > SectionConnect; p-- {
		if e := s.Entry(p); e.Section() == p {
			return s.rewind(e), true
		}
	}
	return s.rewind(s.Entry(SectionConnect)), true
}

// rewind is where going back to id lands. Once the UI application is
// applied, its plan is stale: a landing between that plan and the
// confirmation moves to Server Credentials, whose plan is made again, so
// that nothing is applied twice from an old plan.
func (s *State) rewind(id ID) ID {
	if s.UI != nil && id > StepPlanUI && id < StepConfirm {
		return s.Entry(SectionServer)
	}
	return id
}

// Retreat is where "back" leads from a failed or declined step: the nearest
// earlier step that asks something; the Connect form for a failed connection
// or missing scopes.
func (s *State) Retreat(id ID) ID {
	if id == StepConnect || id == StepConnected {
		s.AskConnect = true
		return StepConnectForm
	}
	for p := id - 1; p >= 0; p-- {
		if k := p.Kind(); (k == KindForm || k == KindPick) && !s.Skip(p) {
			return s.rewind(p)
		}
	}
	return s.First()
}

// Retry is the step that runs again when the operator retries id: the
// connection itself after missing scopes (a new token holds the scopes
// granted since), else id.
func (s *State) Retry(id ID, err error) ID {
	var ms *MissingScopesError
	if errors.As(err, &ms) {
		return StepConnect
	}
	return id
}

// Call is the call of step id.
func (s *State) Call(id ID) Call {
	if c := table[id].Call; c != nil {
		return c(s)
	}
	return func(context.Context) (Result, error) { return nil, fmt.Errorf("step %d has no call", id) }
}

// Label names what step id's call is doing.
func (s *State) Label(id ID) string {
	if l := table[id].Label; l != nil {
		return l(s)
	}
	return "Working…"
}

// Plan is every change the run's plans make, UI application first.
func (s *State) Plan() []steps.Change {
	var out []steps.Change
	if p := s.UIPlan.AsPlan(); p != nil {
		out = append(out, p.Changes...)
	}
	if p := s.SAPlan.AsPlan(); p != nil {
		out = append(out, p.Changes...)
	}
	return out
}

// NeedsConfirm reports whether the plan is confirmed before it is applied:
// a plan that changes the tenant is, unless --yes; one with a consequence
// always is.
func (s *State) NeedsConfirm() bool {
	p := &steps.Plan{Changes: s.Plan()}
	if !p.Writes() {
		return false
	}
	return !s.Yes || p.NeedsConfirmation()
}

// Consequence is the first change of the plan that breaks something, if any.
func (s *State) Consequence() (steps.Change, bool) {
	for _, c := range s.Plan() {
		if c.Consequence != "" {
			return c, true
		}
	}
	return steps.Change{}, false
}

// MissingScopesError is the preflight failure: every Management API scope
// the chosen path needs and the credentials lack, and how to grant them.
type MissingScopesError struct {
	Missing []string
	Hint    string
}

// Error names the scopes and what to do.
func (e *MissingScopesError) Error() string { return e.Unwrap().Error() }

// Unwrap is the failure as a steps.Error, as the other Auth0 failures are.
func (e *MissingScopesError) Unwrap() error {
	return &steps.Error{
		Op:      "check the Management API credentials",
		Meaning: fmt.Sprintf("they lack %d scope(s) this run needs: %s", len(e.Missing), strings.Join(e.Missing, ", ")),
		Hint:    e.Hint,
	}
}

// Preflight checks the connected credentials hold every scope the choices
// so far need; it is nil when they do. A check that passed is not made
// again for the same session and choices.
func (s *State) Preflight() error {
	if s.Runner == nil {
		return nil
	}
	c := s.Cfg.Choices
	if c.ServiceAccount == "" {
		// Not chosen yet (the wizard asks after connecting): check what the
		// path without a service account needs; the check before the
		// service account is planned covers the rest.
		c.ServiceAccount = steps.Skip
	}
	key := fmt.Sprintf("%p %+v", s.Runner, c)
	if key == s.preflightPassed {
		return nil
	}
	missing := s.Runner.MissingScopes(c)
	if len(missing) == 0 {
		s.preflightPassed = key
		return nil
	}
	return missingScopes(s.Cfg.Connect, missing)
}

// missingScopes is the preflight failure for the credentials of req, with
// where to grant the missing scopes.
func missingScopes(req steps.ConnectRequest, missing []string) *MissingScopesError {
	hint := "use a Management API token that has them"
	if req.APIToken == "" {
		hint = fmt.Sprintf("authorize application %s for them on the Auth0 Management API "+
			"(Dashboard: Applications > APIs > Auth0 Management API > Machine To Machine Applications), then run again", req.ClientID)
	}
	return &MissingScopesError{Missing: missing, Hint: hint}
}

// CanCheck reports whether the check after Done is offered: the driver has
// one, and OpenMetadata answered the version probe (so it is reachable from here).
func (s *State) CanCheck() bool { return s.Check != nil && s.Detected != nil }

// CheckRequest is what the check after Done checks: this run's answers,
// over the session the run already has (no new connection), with the
// OpenMetadata admin token when the driver has one.
type CheckRequest struct {
	Config  *setup.Config
	Connect setup.ConnectFunc // the run's session
	OMToken string
}

// What names what the check looks at.
func (r CheckRequest) What() string {
	tenant := ""
	if d := r.Config.Connect.Domain; !d.IsZero() {
		tenant = d.String()
	}
	return present.CheckSubject(r.Config.Choices.OMURL, tenant)
}

// CheckReport is the check's report (a doctor.Report), in the words both
// drivers show.
type CheckReport interface {
	Text(st *present.Styles) string
}

// CheckRequest is the request of the check after Done, made now.
func (s *State) CheckRequest() CheckRequest {
	cfg := *s.Cfg
	return CheckRequest{Config: &cfg, Connect: s.session(), OMToken: s.OMToken}
}

// session is the run's session with the tenant as a ConnectFunc (no new
// connection); nil before one is open.
func (s *State) session() setup.ConnectFunc {
	r := s.Runner
	if r == nil {
		return nil
	}
	return func(context.Context, steps.ConnectRequest) (steps.Runner, error) { return r, nil }
}

// CanApply reports whether the section "Apply to OpenMetadata" is offered:
// the driver can apply, and the version keeps its SSO settings in the database.
func (s *State) CanApply() bool {
	return s.ApplyOM != nil && s.Cfg.Choices.Version.SettingsInDatabase()
}

// ApplyRequest is what the apply to OpenMetadata needs: this run's answers,
// over the session the run already has, with the admin credential.
type ApplyRequest struct {
	Config                        *setup.Config
	Connect                       setup.ConnectFunc // the run's session
	OMToken                       string
	OMAdminEmail, OMAdminPassword string
}

// ApplySession is a prepared apply (an apply.Session with its Plan): the
// plan, OpenMetadata's validation of it, and the store with its read back.
type ApplySession interface {
	// PlanText is the plan for a person, secrets masked (ascii: no Unicode arrows).
	PlanText(ascii bool) string
	// Changes reports whether storing the plan changes a setting.
	Changes() bool
	Validate(ctx context.Context) (omapi.Validation, error)
	// Store stores the settings with the real secret, then reads them back;
	// the outcome is returned with an error that came after the store.
	Store(ctx context.Context) (*ApplyOutcome, error)
}

// ApplyOutcome is what a store did (an apply.Outcome).
type ApplyOutcome struct {
	// Confirmed reports that the settings read back are the planned ones.
	Confirmed bool
	// ReadBack says how the settings were read back when not in full.
	ReadBack string
	// NextSteps are what still needs a restart, and what changed for users.
	NextSteps []string
}

// ApplyRequest is the request of the apply, made now.
func (s *State) ApplyRequest() ApplyRequest {
	cfg := *s.Cfg
	return ApplyRequest{Config: &cfg, Connect: s.session(), OMToken: s.OMToken, OMAdminEmail: s.OMAdminEmail, OMAdminPassword: s.OMAdminPassword}
}

// ResetApply forgets the prepared apply, as a changed answer makes it stale.
func (s *State) ResetApply() { s.Applying, s.ApplyValidation, s.ApplyOutcome = nil, nil, nil }

// ApplyValidationErr is the failure of OpenMetadata's validation of the
// plan, nil when it passed or did not run.
func (s *State) ApplyValidationErr() error {
	v := s.ApplyValidation
	if v == nil || v.Passed() {
		return nil
	}
	problems := v.Problems()
	if len(problems) == 0 {
		problems = []string{fmt.Sprintf("its verdict is %q, not \"success\"", omapi.Clean(v.Status))}
	}
	return fmt.Errorf("OpenMetadata's validation of the settings failed: %s. Nothing was stored: fix what it names "+
		"(in Auth0, or the answers) and validate again, or choose Not now and apply later with om-auth0 apply",
		strings.Join(problems, "; "))
}

// VerifyErr is the run's failure when a check failed, else nil.
func (s *State) VerifyErr() error { return present.VerificationError(s.Verification) }

// PlannedUI is the UI application as the service-account step plans
// against it: applied, else as its plan leaves it (an existing one's client
// id; empty while it is still to be created), else its name and type.
func (s *State) PlannedUI() *steps.App {
	if s.UI != nil {
		return s.UI
	}
	if app := s.UIPlan.App(); app != nil {
		return app
	}
	c := s.Cfg.Choices
	return &steps.App{Name: c.AppName, AppType: setup.AppType(c.ClientType)}
}

// HasChanged reports whether this run has changed the tenant.
func (s *State) HasChanged() bool {
	return slices.ContainsFunc(s.Changes, func(c steps.Change) bool { return c.Action != steps.Keep })
}

func (s *State) recordChanges(p *steps.Plan) {
	if p == nil {
		return
	}
	for _, c := range p.Changes {
		i := slices.IndexFunc(s.Changes, func(o steps.Change) bool { return o.Resource == c.Resource && o.Name == c.Name })
		switch {
		case i < 0:
			s.Changes = append(s.Changes, c)
		case s.Changes[i].Action == steps.Keep:
			s.Changes[i] = c // what this run created stays "created" when changed again
		}
	}
}

// Created is what this run has created in Auth0 so far, for a run that stops early.
func (s *State) Created(ctx context.Context) []string {
	if s.Runner == nil {
		return nil
	}
	return s.Runner.Created(ctx)
}

// TenantLabel names the connected tenant as the drivers show it: its host,
// and its friendly name once known; "" before a session is open.
func (s *State) TenantLabel() string {
	if s.Runner == nil {
		return ""
	}
	label := s.connectedTo.Host
	if s.TenantName != "" {
		label += " (" + s.TenantName + ")"
	}
	return label
}

// TenantNameCall waits for the friendly name of the session open now, which
// Connect leaves on its way (steps.Runner.Tenant, at most a few seconds):
// the name only decorates, so no step waits for it. Its result is
// TenantNamed; it never fails.
func (s *State) TenantNameCall() Call {
	r, session := s.Runner, s.sessions
	return func(context.Context) (Result, error) {
		if r == nil {
			return TenantNamed{}, nil
		}
		_, name := r.Tenant()
		return TenantNamed{Name: name, session: session}, nil
	}
}

// WaitTenantName waits for the tenant's name and applies it, for what is
// shown or reported once, long after connecting (a printed plan, the
// result), when it has arrived; it waits at most a few seconds.
func (s *State) WaitTenantName() {
	if res, err := s.TenantNameCall()(context.Background()); err == nil {
		res.Apply(s)
	}
}

// Summary is what the run did, as the wizard's Done screen and the
// non-interactive report word it.
func (s *State) Summary() present.Summary {
	answers := filepath.Join(s.Cfg.Out, setup.AnswersFile)
	return present.Summary{
		Tenant:                cmp.Or(s.TenantLabel(), s.Cfg.Answers().Domain),
		Changes:               s.Changes,
		SkippedServiceAccount: s.SA == nil || s.SA.Mode == steps.Skip,
		Out:                   s.Cfg.Out,
		Files:                 s.AllWritten(),
		AnswersPath:           answers,
		FailedChecks:          present.FailedChecks(s.Verification),
		CheckCommand:          present.Invocation("doctor", "--om-url", s.Cfg.Choices.OMURL, "--answers", answers),
	}
}

// FilesOf is the part of the output that files step id writes: the chosen
// targets' files for Deployment; the workflowConfig and answers.yaml for
// Ingestion (written last, as they hold the JWT and the final answers).
func (s *State) FilesOf(id ID) ([]openmetadata.File, error) {
	all, err := s.RenderFiles(s.UI, s.SA)
	if err != nil {
		return nil, err
	}
	var out []openmetadata.File
	for _, file := range all {
		if (TargetOf(file) != "") == (id == StepDeployFiles) {
			out = append(out, file)
		}
	}
	return out, nil
}

// TargetOf is the deployment target a rendered file belongs to, by its
// folder ("docker/…"), or "" for the ingestion config and answers.yaml.
func TargetOf(file openmetadata.File) openmetadata.Target {
	dir, _, _ := strings.Cut(file.Path, "/")
	for _, t := range render.Targets {
		if dir == t.Folder {
			return t.Name
		}
	}
	return ""
}

// AllWritten lists every file written, deployment first.
func (s *State) AllWritten() []output.FileResult {
	return append(slices.Clone(s.Written[StepDeployFiles]), s.Written[StepIngestFiles]...)
}

// Result is the run's machine-readable result so far.
func (s *State) Result(reveal bool) *setup.Result {
	return setup.NewResult(s.Cfg.Answers().Domain, s.TenantName, s.UI, s.SA, s.Verification, s.AllWritten(), reveal)
}

// The steps' results.
type (
	// Connected is a session with the tenant Domain (its name comes later,
	// as TenantNamed).
	Connected struct {
		Runner steps.Runner
		Domain tenant.Domain
	}
	// TenantNamed is the friendly name of the tenant of a session, ""
	// when it could not be read; TenantNameCall makes it, for the session
	// open then.
	TenantNamed struct {
		Name    string
		session int
	}
	// VersionDetected is OpenMetadata's version, or why it could not be read.
	VersionDetected struct {
		Version openmetadata.Version
		Err     error
	}
	// AppsLoaded are the tenant's applications, for the picker.
	AppsLoaded struct{ Apps []steps.AppSummary }
	// UIPlanned is the UI application's plan.
	UIPlanned struct{ Plan *steps.UIPlan }
	// UIApplied is the UI application as the applied plan left it.
	UIApplied struct{ App *steps.App }
	// ScopesLoaded are the Management API's scopes, for the picker.
	ScopesLoaded struct{ Scopes []steps.Scope }
	// SAPlanned is the service account's plan.
	SAPlanned struct{ Plan *steps.ServiceAccountPlan }
	// SAApplied is the service account as the applied plan left it.
	SAApplied struct{ SA *steps.ServiceAccount }
	// Verified are the checks' outcomes.
	Verified struct{ V steps.Verification }
	// FilesWritten is what was done with a files step's files.
	FilesWritten struct {
		Step  ID
		Files []output.FileResult
	}
	// Checked is the report of the check after Done.
	Checked struct{ Report CheckReport }
	// ApplyPrepared is the prepared apply to OpenMetadata, with its plan.
	ApplyPrepared struct{ Session ApplySession }
	// ApplyValidated is OpenMetadata's validation of the plan.
	ApplyValidated struct{ V omapi.Validation }
	// ApplyStored is what storing the settings did.
	ApplyStored struct{ Outcome *ApplyOutcome }
)

// Apply implements Result.
func (r Connected) Apply(s *State) {
	s.Runner, s.AskConnect = r.Runner, false
	s.connectedTo, s.TenantName = r.Domain, ""
	s.sessions++
}

// Apply implements Result. The name of an earlier session is dropped.
func (r TenantNamed) Apply(s *State) {
	if r.session == s.sessions && s.Runner != nil {
		s.TenantName = r.Name
	}
}

// Apply implements Result.
func (r VersionDetected) Apply(s *State) {
	s.DetectErr, s.Detected = r.Err, nil
	if r.Err == nil {
		v := r.Version
		s.Detected = &v
	}
}

// Apply implements Result.
func (r AppsLoaded) Apply(s *State) { s.Apps = r.Apps }

// Apply implements Result.
func (r UIPlanned) Apply(s *State) { s.UIPlan, s.UI = r.Plan, nil }

// Apply implements Result.
func (r UIApplied) Apply(s *State) {
	s.UI = r.App
	s.recordChanges(s.UIPlan.AsPlan())
}

// Apply implements Result.
func (r ScopesLoaded) Apply(s *State) { s.Scopes = r.Scopes }

// Apply implements Result.
func (r SAPlanned) Apply(s *State) { s.SAPlan, s.SA = r.Plan, nil }

// Apply implements Result.
func (r SAApplied) Apply(s *State) {
	s.SA = r.SA
	s.recordChanges(s.SAPlan.AsPlan())
}

// Apply implements Result.
func (r Verified) Apply(s *State) { v := r.V; s.Verification = &v }

// Apply implements Result.
func (r FilesWritten) Apply(s *State) { s.Written[r.Step] = r.Files }

// Apply implements Result.
func (r Checked) Apply(s *State) { s.Checked = r.Report }

// Apply implements Result.
func (r ApplyPrepared) Apply(s *State) { s.ResetApply(); s.Applying = r.Session }

// Apply implements Result.
func (r ApplyValidated) Apply(s *State) { v := r.V; s.ApplyValidation = &v }

// Apply implements Result.
func (r ApplyStored) Apply(s *State) { s.ApplyOutcome = r.Outcome }

// detectTimeout bounds the version probe: the OpenMetadata server may well
// not be reachable from where om-auth0 runs.
const detectTimeout = 3 * time.Second

func connectCall(s *State) Call {
	req, connect := s.Cfg.Connect, s.Connect
	return func(ctx context.Context) (Result, error) {
		if connect == nil {
			return nil, errors.New("connect: no Auth0 connector configured")
		}
		r, err := connect(ctx, req)
		if err != nil {
			return nil, err
		}
		// The tenant's name may still be on its way: nothing waits for it
		// here (TenantNameCall does, off the critical path).
		return Connected{Runner: r, Domain: req.Domain}, nil
	}
}

func detectCall(s *State) Call {
	detect, url := s.DetectVersion, s.Cfg.Choices.OMURL
	return func(ctx context.Context) (Result, error) {
		ctx, cancel := context.WithTimeout(ctx, detectTimeout)
		defer cancel()
		v, err := detect(ctx, url)
		return VersionDetected{v, err}, nil
	}
}

func loadAppsCall(s *State) Call {
	r := s.Runner
	return func(ctx context.Context) (Result, error) {
		apps, err := r.ListApps(ctx)
		return AppsLoaded{apps}, err
	}
}

func planUICall(s *State) Call {
	r, c := s.Runner, s.Cfg.Choices
	return func(ctx context.Context) (Result, error) {
		p, err := r.PlanUIApp(ctx, c)
		return UIPlanned{p}, err
	}
}

func loadScopesCall(s *State) Call {
	r := s.Runner
	return func(ctx context.Context) (Result, error) {
		sc, err := r.ManagementAPIScopes(ctx)
		return ScopesLoaded{sc}, err
	}
}

func planSACall(s *State) Call {
	// The choices are complete now: the preflight runs again, before the
	// plan that the confirmation shows.
	r, c, ui, preflight := s.Runner, s.Cfg.Choices, s.PlannedUI(), s.Preflight()
	return func(ctx context.Context) (Result, error) {
		if preflight != nil {
			return nil, preflight
		}
		p, err := r.PlanServiceAccount(ctx, c, ui)
		return SAPlanned{p}, err
	}
}

func applyUICall(s *State) Call {
	r, p, sa := s.Runner, s.UIPlan, s.SAPlan
	return func(ctx context.Context) (Result, error) {
		// A separate service account is created at the same time;
		// StepApplySA takes its outcome.
		r.StartServiceAccount(ctx, sa)
		app, err := r.ApplyUIApp(ctx, p)
		return UIApplied{app}, err
	}
}

func applySACall(s *State) Call {
	r, p := s.Runner, s.SAPlan
	return func(ctx context.Context) (Result, error) {
		sa, err := r.ApplyServiceAccount(ctx, p)
		return SAApplied{sa}, err
	}
}

func verifyCall(s *State) Call {
	r, c, ui, sa := s.Runner, s.Cfg.Choices, s.UI, s.SA
	return func(ctx context.Context) (Result, error) {
		return Verified{r.Verify(ctx, c, ui, sa)}, nil
	}
}

// verifyLabel says real tokens are fetched only when a check fetches one:
// the service account's.
func verifyLabel(s *State) string {
	if s.SA != nil && s.SA.Mode != steps.Skip && s.SA.App != nil {
		return "Verifying: fetching real tokens…"
	}
	return "Verifying: discovery, signing keys and sign-in URLs…"
}

func filesCall(id ID) func(s *State) Call {
	return func(s *State) Call {
		files, err := s.FilesOf(id)
		dir, force := s.Cfg.Out, s.Force
		return func(context.Context) (Result, error) {
			if err != nil {
				return nil, err
			}
			written, err := output.Write(dir, files, output.Options{Force: force})
			return FilesWritten{id, written}, err
		}
	}
}

func checkCall(s *State) Call {
	check, req := s.Check, s.CheckRequest()
	return func(ctx context.Context) (Result, error) {
		if check == nil {
			return nil, errors.New("check: no doctor configured")
		}
		return Checked{check(ctx, req)}, nil
	}
}

func applyPlanCall(s *State) Call {
	prepare, req := s.ApplyOM, s.ApplyRequest()
	return func(ctx context.Context) (Result, error) {
		if prepare == nil {
			return nil, errors.New("apply: no OpenMetadata client configured")
		}
		sess, err := prepare(ctx, req)
		if err != nil {
			return nil, err
		}
		return ApplyPrepared{sess}, nil
	}
}

func applyValidateCall(s *State) Call {
	sess := s.Applying
	return func(ctx context.Context) (Result, error) {
		if sess == nil {
			return nil, errors.New("apply: no plan to validate")
		}
		v, err := sess.Validate(ctx)
		return ApplyValidated{v}, err
	}
}

func applyStoreCall(s *State) Call {
	sess := s.Applying
	return func(ctx context.Context) (Result, error) {
		if sess == nil {
			return nil, errors.New("apply: no plan to store")
		}
		out, err := sess.Store(ctx)
		return ApplyStored{out}, err
	}
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
