package wizard

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

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

	applyChoice, omCred, omToken, omEmail, omPassword string

	confirmed bool
}

// flow is the wizard's state, shared by the TUI and the accessible driver:
// the guide's state (the answers, the connected tenant, the results of each
// step) and the forms' drafts.
type flow struct {
	*guide.State
	opts Options
	d    *draft

	appRows *appIndex

	askPrincipals bool // admins / principal domain were missing, so Deployment asks them
	versionGiven  bool // the Config names the version: detection does not replace it
	modeGiven     bool // the Config or the operator chose the service account mode

	// nextSteps renders how to apply a target's files (tests substitute it).
	nextSteps func(in render.Input, t openmetadata.Target, dir string) string

	// Form plumbing: live validators, secret inputs and which ones show
	// their text, and the option values of each select in order, by field key.
	validators map[string]func(string) error
	secrets    map[string]*huh.Input
	choices    map[string][]string
	revealed   map[string]bool
	accessible bool
	// width is the cells a line of text may use, to break commands at: the
	// TUI's; 0 (the accessible driver) for no limit.
	width int
}

func newFlow(opts Options) *flow {
	cfg := opts.Config
	if cfg == nil {
		cfg = &setup.Config{}
	}
	st := guide.NewState(cfg)
	st.Connect, st.DetectVersion, st.Yes, st.Force = opts.Connect, opts.DetectVersion, opts.Yes, opts.Force
	if check := opts.Check; check != nil {
		st.Check = func(ctx context.Context, req guide.CheckRequest) guide.CheckReport {
			return check(ctx, doctor.Inputs{Config: req.Config, Connect: req.Connect, OMToken: req.OMToken, Source: "this setup run"})
		}
	}
	st.OMToken = opts.OMAdminToken
	st.AskOMCredential = opts.OMAdminToken == ""
	if opts.Apply != nil {
		st.ApplyOM = applyPrepare(opts.Apply)
	}
	st.PickApp = cfg.Choices.AppID != ""
	f := &flow{State: st, opts: opts, d: &draft{}, revealed: map[string]bool{}, accessible: opts.Accessible}
	c := cfg.Connect
	f.askPrincipals = len(cfg.Admins) == 0 || cfg.PrincipalDomain == ""
	f.nextSteps = render.NextStepsIn

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
	d.applyChoice, d.omCred = applyNow, omCredToken
	return f
}

// submit parses the answers of form step s into the Config.
func (f *flow) submit(s guide.ID) error {
	d, cfg := f.d, f.Cfg
	switch s {
	case guide.StepConnectForm:
		dom, err := tenant.Parse(d.domain)
		if err != nil {
			return err
		}
		cfg.Connect.Domain = dom
	case guide.StepConnectCreds:
		if d.method == methodToken {
			cfg.Connect.ClientID, cfg.Connect.ClientSecret, cfg.Connect.APIToken = "", "", strings.TrimSpace(d.apiToken)
		} else {
			cfg.Connect.ClientID, cfg.Connect.ClientSecret, cfg.Connect.APIToken = strings.TrimSpace(d.clientID), d.clientSecret, ""
		}
	case guide.StepOMURL:
		om, err := openmetadata.CheckURL(d.omURL)
		if err != nil {
			return err
		}
		cfg.Choices.OMURL = om
	case guide.StepServerForm:
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
		f.PickApp = d.appChoice == appExisting
		if !f.modeGiven {
			d.saMode = string(steps.DefaultServiceAccountMode(v))
		}
		// The tenant and the URL are final now, before the UI application is planned.
		cfg.UsePrevious()
	case guide.StepServiceForm:
		mode, err := steps.ParseServiceAccountMode(d.saMode)
		if err != nil {
			return err
		}
		cfg.Choices.ServiceAccount = mode
		f.modeGiven = true
	case guide.StepBotName:
		cfg.Choices.BotAppName = strings.TrimSpace(d.botName)
	case guide.StepScopes:
		cfg.Choices.Scopes = slices.Clone(d.scopes)
	case guide.StepDeployForm:
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
	case guide.StepApplyForm:
		cfg.Apply = d.applyChoice == applyNow
		f.ResetApply()
	case guide.StepApplyCreds:
		// The fields refuse an empty answer; accessible prompts without a
		// terminal cannot read a password, and leave it empty.
		f.OMToken, f.OMAdminEmail, f.OMAdminPassword = "", "", ""
		if d.omCred == omCredToken {
			if f.OMToken = strings.TrimSpace(d.omToken); f.OMToken == "" {
				return errors.New("an administrator's token is needed to apply (it is read from a terminal): enter it, or choose Not now")
			}
		} else {
			f.OMAdminEmail, f.OMAdminPassword = strings.TrimSpace(d.omEmail), d.omPassword
			if f.OMAdminEmail == "" || f.OMAdminPassword == "" {
				return errors.New("an administrator's email and password are needed to apply (the password is read from a terminal): enter them, or choose Not now")
			}
		}
		f.ResetApply()
	case guide.StepIngestForm:
		cfg.IngestionJWT = strings.TrimSpace(d.jwt)
	case guide.StepConfirm:
		// the answer is d.confirmed, read by the driver
	}
	return nil
}

// applied brings the drafts in line with a step's result just applied.
func (f *flow) applied(res guide.Result) {
	switch res := res.(type) {
	case guide.VersionDetected:
		if res.Err == nil && !f.versionGiven {
			f.d.version = res.Version.String()
		}
	case guide.AppsLoaded:
		f.appRows = newAppIndex(res.Apps)
	}
}

// secretValues are the secrets the wizard knows, masked on screen unless revealed.
func (f *flow) secretValues() []string {
	var s []string
	if f.UI != nil {
		s = append(s, f.UI.ClientSecret)
	}
	if f.SA != nil && f.SA.App != nil {
		s = append(s, f.SA.App.ClientSecret)
	}
	s = append(s, f.Cfg.IngestionJWT, f.Cfg.Connect.ClientSecret, f.Cfg.Connect.APIToken, f.OMToken, f.OMAdminPassword)
	return s
}

// result is what Run returns once the wizard is done, with the tenant's
// name (a plan without a confirmation may not have shown it).
func (f *flow) result() *setup.Result {
	f.WaitTenantName()
	return f.Result(f.opts.RevealSecrets)
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
