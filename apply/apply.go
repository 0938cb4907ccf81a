// Package apply puts the SSO settings om-auth0's answers describe into a
// running OpenMetadata 1.10 or later over its API, as Settings > SSO does:
// read the current settings, plan field by field (only the fields om-auth0
// owns; every other field kept as the server has it), validate with
// OpenMetadata's own validator, store with the real client secret (never
// the mask the server shows), read back and confirm. No UI: Run prints
// lines for a person to the writers it is given, and `om-auth0 apply`,
// `setup --apply` and the wizard call Prepare, Session.Validate and
// Session.Apply, or Run.
//
// It reads the Auth0 application setup made (never creates or changes
// one): the client id, and a confidential client's secret. OpenMetadata
// before 1.10 reads its settings from its files, and a 2.1 server whose
// deployment owns them (SECURITY_CONFIG_SOURCE=ENV) refuses API writes:
// both are refused with the way that works for them.
package apply

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// Inputs are what an apply writes where, and with which credentials.
type Inputs struct {
	// Config is the answers (flags, environment, answers.yaml) resolved by
	// setup.Resolve; its Connect holds the Auth0 credentials, which apply
	// needs to read the application.
	Config *setup.Config
	// AnswersPath is the answers file read, for the doctor command the
	// report suggests; "" means answers.yaml in Config.Out.
	AnswersPath string
	// Connect connects to the tenant; nil means steps.Connect over HTTPClient.
	Connect setup.ConnectFunc
	// HTTPClient is the base client for OpenMetadata and Auth0; nil means a plain one.
	HTTPClient *http.Client
	// OMToken is an OpenMetadata administrator's token; else OMAdminEmail
	// and OMAdminPassword sign in with basic auth.
	OMToken                       string
	OMAdminEmail, OMAdminPassword string
}

// Session is a prepared apply: OpenMetadata signed in to, its version and
// settings read, the Auth0 application found.
type Session struct {
	in      Inputs
	om      *omapi.Client // no token: the public endpoints
	admin   *omapi.Client
	login   bool // admin's token is a basic-auth session, which a provider change ends
	version omapi.VersionInfo
	current *omapi.SecurityConfig
	source  *omapi.SettingsSource
	app     *steps.App
}

// Plan is what an apply would write, and why.
type Plan struct {
	OMURL     string
	OMVersion string // as the server reports it
	// App is the Auth0 application the settings name (its secret is never shown).
	App    *steps.App
	Fields []Field
	// Notes are choices the plan made that the operator should know of.
	Notes []string

	confidential bool
	want         render.Settings
	current      *omapi.SecurityConfig
	body         []byte // the SecurityConfiguration to store, the real secret in it
}

// Changes reports whether applying the plan changes a setting.
func (p *Plan) Changes() bool {
	return slices.ContainsFunc(p.Fields, func(f Field) bool { return f.Action != steps.Keep })
}

// Prepare signs in to OpenMetadata, reads its version and settings and,
// alongside, finds the Auth0 application setup made, then plans. Nothing
// is changed. Bad input and an OpenMetadata before 1.10 are
// *setup.InputError; a missing application, a 2.1 server whose deployment
// owns the settings, and failed requests are other errors.
func Prepare(ctx context.Context, in Inputs) (*Session, *Plan, error) {
	cfg := in.Config
	if cfg == nil {
		return nil, nil, &setup.InputError{Err: errors.New("no answers: give --answers with the answers.yaml of a setup run")}
	}
	if missing := cfg.Missing(); len(missing) > 0 {
		return nil, nil, setup.MissingError(missing)
	}
	if in.OMToken == "" && (in.OMAdminEmail == "" || in.OMAdminPassword == "") {
		return nil, nil, &setup.InputError{Err: errors.New("no OpenMetadata administrator credential: give --om-token (or OM_ADMIN_TOKEN), " +
			"or --om-admin-email with the password in OM_ADMIN_PASSWORD")}
	}
	om, err := omapi.New(cfg.Choices.OMURL, omapi.Options{HTTPClient: in.HTTPClient})
	if err != nil {
		return nil, nil, &setup.InputError{Err: fmt.Errorf("--om-url: %w", err)}
	}
	s := &Session{in: in, om: om}
	var omErr, auth0Err error
	var wg sync.WaitGroup
	wg.Go(func() { omErr = s.readOpenMetadata(ctx) })
	wg.Go(func() { auth0Err = s.findApp(ctx) })
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if s.version.Version != (openmetadata.Version{}) && !s.version.Version.SettingsInDatabase() {
		return nil, nil, s.filesOnly()
	}
	if omErr != nil {
		return nil, nil, omErr
	}
	if err := s.deploymentOwns(); err != nil {
		return nil, nil, err
	}
	if auth0Err != nil {
		return nil, nil, auth0Err
	}
	p, err := s.plan()
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// readOpenMetadata reads the version and, signed in (logging in first
// when given a password), the settings and on 2.1 their source.
func (s *Session) readOpenMetadata(ctx context.Context) error {
	var versionErr error
	var wg sync.WaitGroup
	wg.Go(func() { s.version, versionErr = s.om.Version(ctx) })
	defer wg.Wait()

	token := s.in.OMToken
	if token == "" {
		var err error
		if token, err = s.om.Login(ctx, s.in.OMAdminEmail, s.in.OMAdminPassword); err != nil {
			return fmt.Errorf("%w — basic sign-in works only while OpenMetadata's provider is basic or ldap, with an administrator's "+
				"email and password: else give an administrator's personal access token with --om-token (or OM_ADMIN_TOKEN)", err)
		}
		s.login = true
	}
	s.admin = s.om.WithToken(token)
	var secErr, sourceErr error
	wg.Go(func() { s.current, secErr = s.admin.SecurityConfig(ctx) })
	wg.Go(func() { s.source, sourceErr = s.admin.SettingsSource(ctx) })
	wg.Wait()
	switch {
	case versionErr != nil:
		return fmt.Errorf("%w — check --om-url (the address OpenMetadata's users open, reachable from here) and that the server is up", versionErr)
	case secErr != nil:
		return fmt.Errorf("%w%s", secErr, credentialHint(secErr))
	case sourceErr != nil && !errors.Is(sourceErr, omapi.ErrNoSettingsSource):
		// Only ENV mode is read from it, and a PUT in ENV mode is refused (409) anyway.
		s.source = nil
	}
	return nil
}

// credentialHint says what to do about a refused OpenMetadata credential.
func credentialHint(err error) string {
	switch omapi.StatusOf(err) {
	case http.StatusUnauthorized:
		return " — OpenMetadata refused the credential: give an administrator's personal access token (--om-token or OM_ADMIN_TOKEN) that has not expired"
	case http.StatusForbidden:
		return " — the credential is not an administrator's: give an administrator's personal access token (--om-token or OM_ADMIN_TOKEN)"
	}
	return ""
}

// findApp connects to the tenant and finds the UI application (read-only).
func (s *Session) findApp(ctx context.Context) error {
	cfg := s.in.Config
	connect := s.in.Connect
	if connect == nil {
		connect = func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
			return steps.Connect(ctx, req, steps.Options{HTTPClient: s.in.HTTPClient})
		}
	}
	r, err := connect(ctx, cfg.Connect)
	if err != nil {
		return err
	}
	c := cfg.Choices
	if c.Version == (openmetadata.Version{}) {
		c.Version = openmetadata.Newest
	}
	if c.ServiceAccount == "" {
		c.ServiceAccount = steps.Skip
	}
	p, err := r.PlanUIApp(ctx, c)
	if err != nil {
		return err
	}
	app := p.App()
	if len(p.Changes) == 0 || app == nil || p.Changes[0].Action == steps.Create || app.ClientID == "" {
		return fmt.Errorf("no Auth0 application %q for OpenMetadata at %s in tenant %s: run om-auth0 setup first (apply reads the application, it never creates one)",
			c.AppName, c.OMURL, cfg.Connect.Domain.Host)
	}
	if p.Writes() {
		var fields []string
		for _, ch := range p.Changes {
			for _, f := range ch.Fields {
				fields = append(fields, f.Field)
			}
		}
		return fmt.Errorf("the Auth0 application %q (client id %s) is not as sign-in needs it (setup would change %s): run om-auth0 setup first, then apply",
			app.Name, app.ClientID, strings.Join(fields, ", "))
	}
	if c.ClientType == openmetadata.Confidential && app.ClientSecret == "" {
		why := "Auth0 did not return it"
		if app.SecretUnavailable != "" {
			why = app.SecretUnavailable
		}
		return fmt.Errorf("the client secret of the Auth0 application %q (client id %s) is unknown (%s): OpenMetadata needs the real secret, "+
			"and om-auth0 never sends back the mask OpenMetadata shows — give the Management API credentials the read:client_keys scope", app.Name, app.ClientID, why)
	}
	s.app = app
	return nil
}

// filesOnly is the refusal of an OpenMetadata before 1.10, naming the
// files of the chosen targets that it reads instead.
func (s *Session) filesOnly() error {
	cfg := *s.in.Config
	cfg.Choices.Version = s.version.Version
	which := "the files"
	// Only the paths are named, so placeholder credentials render them.
	placeholder := &steps.App{ClientID: "<client-id>", ClientSecret: "<client-secret>"}
	if files, err := render.Render(cfg.RenderInput(placeholder, nil), cfg.Targets); err == nil {
		var paths []string
		for _, f := range files {
			if f.Path != render.IngestionPath {
				paths = append(paths, f.Path)
			}
		}
		if len(paths) > 0 {
			which = strings.Join(paths, ", ")
		}
	}
	return &setup.InputError{Err: fmt.Errorf("OpenMetadata %s reads its SSO settings from its configuration files, not from its database "+
		"(1.10 and later keep them there, which om-auth0 apply writes): put %s of %s into the deployment, as setup's next steps say, "+
		"and restart OpenMetadata", s.version.Raw, which, cfg.Out)}
}

// deploymentOwns is the refusal of a 2.1 server whose deployment owns the
// security settings (SECURITY_CONFIG_SOURCE=ENV), nil otherwise.
func (s *Session) deploymentOwns() error {
	if s.source == nil {
		return nil
	}
	for _, st := range s.source.Settings {
		if (st.ConfigType == "authenticationConfiguration" || st.ConfigType == "authorizerConfiguration") &&
			(!st.Editable || strings.EqualFold(st.Source, "ENV")) {
			return s.envOwned("")
		}
	}
	return nil
}

// envOwned explains ENV mode; serverSays is the 409's message, when there was one.
func (s *Session) envOwned(serverSays string) error {
	msg := "OpenMetadata's deployment owns its SSO settings (SECURITY_CONFIG_SOURCE=ENV), so they cannot be changed over its API"
	if serverSays != "" {
		msg += " (OpenMetadata: " + serverSays + ")"
	}
	return fmt.Errorf("%s: put the files of %s into the deployment, as setup's next steps say, and restart OpenMetadata; "+
		"or set SECURITY_CONFIG_SOURCE=AUTO, restart, and apply again. Nothing was stored", msg, s.in.Config.Out)
}

// plan renders the settings for the application found and compares them with the server's.
func (s *Session) plan() (*Plan, error) {
	cfg := *s.in.Config
	cfg.Choices.Version = s.version.Version
	in := cfg.RenderInput(s.app, nil)
	want, note, err := settingsFor(in)
	if err != nil {
		return nil, &setup.InputError{Err: fmt.Errorf("the answers do not describe a deployment om-auth0 can configure: %w", err)}
	}
	body, err := omapi.WithSettings(s.current.Raw, want)
	if err != nil {
		return nil, err
	}
	confidential := cfg.Choices.ClientType == openmetadata.Confidential
	fields, err := planFields(s.current.Raw, body, confidential)
	if err != nil {
		return nil, err
	}
	p := &Plan{OMURL: s.om.URL(), OMVersion: s.version.Raw, App: s.app, Fields: fields,
		confidential: confidential, want: want, current: s.current, body: body}
	if note != "" {
		p.Notes = append(p.Notes, note)
	}
	if v := s.in.Config.Choices.Version; v != (openmetadata.Version{}) && !v.SettingsInDatabase() {
		p.Notes = append(p.Notes, fmt.Sprintf("the answers are for OpenMetadata %s, but the server runs %s: run om-auth0 setup again "+
			"(without --om-version) so that the files match the server", v, s.version.Raw))
	}
	return p, nil
}

// Validate asks OpenMetadata's validator about the plan's settings; it
// stores nothing. A validation that ran is returned whatever its verdict.
func (s *Session) Validate(ctx context.Context, p *Plan) (omapi.Validation, error) {
	return s.admin.Validate(ctx, p.body)
}

// Outcome is what an apply did.
type Outcome struct {
	// Confirmed reports that the settings read back are the planned ones.
	Confirmed bool
	// ReadBack says how the settings were read back when not in full; "" when they were.
	ReadBack string
	// NextSteps are what the operator still has to do, and what changed for users.
	NextSteps []string
}

// Apply stores the plan's settings, with the application's real secret,
// then reads them back and compares them with the plan. Settings that
// changed on the server since the plan was made are not overwritten: the
// plan would send their old values back. A failed read back or a
// difference is an error after the settings were stored.
func (s *Session) Apply(ctx context.Context, p *Plan) (*Outcome, error) {
	now, err := s.admin.SecurityConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w%s", err, credentialHint(err))
	}
	if changed := changedFields(p.current.Raw, now.Raw); len(changed) > 0 {
		return nil, fmt.Errorf("OpenMetadata's SSO settings changed since the plan was made (%s): nothing was stored — run om-auth0 apply again to plan from them",
			strings.Join(changed, ", "))
	}
	if err := s.admin.PutSecurityConfig(ctx, p.body); err != nil {
		if omapi.StatusOf(err) == http.StatusConflict {
			var e *omapi.Error
			msg := ""
			if errors.As(err, &e) {
				msg = e.Msg
			}
			return nil, s.envOwned(msg)
		}
		return nil, fmt.Errorf("%w%s", err, credentialHint(err))
	}
	out := &Outcome{NextSteps: s.nextSteps(p)}
	stored, err := s.admin.SecurityConfig(ctx)
	if err != nil {
		if s.login && omapi.StatusOf(err) == http.StatusUnauthorized && p.current.Authentication.Provider != p.want.Provider {
			return out, s.readBackPublic(ctx, p, out)
		}
		return out, fmt.Errorf("the settings were stored, but reading them back failed: %w", err)
	}
	if diffs := readBackDiffs(p, stored.Raw); len(diffs) > 0 {
		return out, fmt.Errorf("the settings were stored, but OpenMetadata reads back other values: %s — run om-auth0 doctor to see what the server runs with",
			strings.Join(diffs, "; "))
	}
	out.Confirmed = true
	return out, nil
}

// changedFields names the fields that differ between two readings of the settings.
func changedFields(before, after []byte) []string {
	b, errB := flatten(before)
	a, errA := flatten(after)
	if errB != nil || errA != nil {
		return []string{"the settings read are not JSON"}
	}
	var out []string
	for name, v := range a {
		if w, ok := b[name]; !ok || !sameJSON(v, w) {
			out = append(out, omapi.Clean(name))
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			out = append(out, omapi.Clean(name))
		}
	}
	slices.Sort(out)
	return out
}

// readBackDiffs lists the planned fields the stored settings hold otherwise.
func readBackDiffs(p *Plan, stored []byte) []string {
	got, err := flatten(stored)
	if err != nil {
		return []string{"the settings read back are not JSON: " + omapi.Clean(err.Error())}
	}
	want, _ := flatten(p.body)
	var diffs []string
	for _, f := range p.Fields {
		w, g := want[f.Name], got[f.Name]
		if f.Name == secretField && !empty(w) && !empty(g) {
			// Read back masked: only its presence can be checked.
			continue
		}
		if !sameJSON(w, g) {
			diffs = append(diffs, fmt.Sprintf("%s is %s, not %s", f.Name, show(f.Name, g, g != nil), show(f.Name, w, w != nil)))
		}
	}
	return diffs
}

// readBackPublic checks the settings OpenMetadata shows without a token,
// after a provider change ended the basic-auth session apply signed in
// with (OpenMetadata ends the sessions of the old provider).
func (s *Session) readBackPublic(ctx context.Context, p *Plan, out *Outcome) error {
	ended := "the basic-auth session om-auth0 signed in with ended with the provider change, as every session of the old provider does"
	if !s.version.Version.AtLeast(1, 13) {
		// 1.10–1.12 show the files' settings there, not the stored ones.
		out.ReadBack = ended + "; not read back: run om-auth0 doctor with a personal access token (--om-token) to check"
		return nil
	}
	ac, err := s.om.AuthConfig(ctx)
	if err != nil {
		return fmt.Errorf("the settings were stored, but %s, and reading %s failed: %w", ended, omapi.PathAuthConfig, err)
	}
	var diffs []string
	for _, c := range []struct{ name, got, want string }{
		{"provider", ac.Provider, p.want.Provider}, {"clientId", ac.ClientID, p.want.ClientID},
		{"authority", ac.Authority, p.want.Authority}, {"callbackUrl", ac.CallbackURL, p.want.CallbackURL},
		{"clientType", ac.ClientType, p.want.ClientType},
	} {
		if c.got != c.want {
			diffs = append(diffs, fmt.Sprintf("%s is %q, not %q", c.name, omapi.Clean(c.got), c.want))
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the settings were stored, but OpenMetadata's sign-in settings (%s) show other values: %s", omapi.PathAuthConfig, strings.Join(diffs, "; "))
	}
	out.ReadBack = ended + "; read back from " + omapi.PathAuthConfig + " (provider, clientId, authority, callbackUrl, clientType): " +
		"run om-auth0 doctor with a personal access token (--om-token) to check the rest"
	out.Confirmed = true
	return nil
}

// nextSteps are what still needs a restart, and what the change means for
// users signed in now.
func (s *Session) nextSteps(p *Plan) []string {
	cur := p.current
	var out []string
	var newAdmins []string
	for _, a := range p.want.AdminPrincipals {
		if !slices.ContainsFunc(cur.Authorizer.AdminPrincipals, func(c string) bool { return strings.EqualFold(c, a) }) {
			newAdmins = append(newAdmins, a)
		}
	}
	if len(newAdmins) > 0 {
		out = append(out, fmt.Sprintf("Restart OpenMetadata (every replica) to make %s administrator(s): OpenMetadata makes the users of "+
			"adminPrincipals administrators only when it starts.", strings.Join(newAdmins, ", ")))
	}
	switch old := omapi.Clean(cur.Authentication.Provider); {
	case old != p.want.Provider:
		out = append(out, fmt.Sprintf("Browser sessions signed in with %q end now: everyone signs in again, with Auth0. "+
			"Personal access tokens and bot tokens keep working.", old))
	case cur.Authentication.ClientID != p.want.ClientID:
		out = append(out, "Browser sessions signed in through the previous Auth0 application end now: everyone signs in again.")
	}
	if !s.version.Version.AtLeast(2, 1) {
		out = append(out, "If OpenMetadata runs several replicas, restart the others: before 2.1 only the replica that stored the settings is known to reload them.")
	}
	cfg := s.in.Config
	answers := s.in.AnswersPath
	if answers == "" {
		answers = filepath.Join(cfg.Out, setup.AnswersFile)
	}
	out = append(out,
		"Keep the files of "+cfg.Out+" in the deployment: they hold the same settings, and a new database is seeded from them.",
		"Check sign-in end to end: om-auth0 doctor --om-url "+p.OMURL+" --answers "+answers)
	return out
}
