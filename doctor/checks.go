package doctor

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/termtext"
)

func (r *run) add(c Check) { r.checks = append(r.checks, c) }

func (r *run) ok(id, format string, a ...any) {
	r.add(Check{ID: id, Status: OK, Message: fmt.Sprintf(format, a...)})
}

func (r *run) skip(id, needs, why string) {
	r.add(Check{ID: id, Status: Skip, Message: why, Needs: needs})
}

// makeChecks turns the facts into checks. A check whose cause another
// failed check already names is skipped or only warns, so that one
// mistake is one failure.
func (r *run) makeChecks() {
	r.answersCheck()
	omUp := r.omChecks()
	r.adminChecks(omUp)
	r.auth0Checks()
	r.demoteValidation()
}

func (r *run) answersCheck() {
	switch {
	case r.in.Source != "":
		r.ok(IDAnswers, "the answers of %s", r.in.Source)
	case r.in.AnswersPath != "":
		r.ok(IDAnswers, "read %s", r.in.AnswersPath)
	case r.in.AnswersMissing != "":
		r.add(Check{ID: IDAnswers, Status: Warn,
			Message: "no answers file at " + r.in.AnswersMissing + ": the checks know only what flags and the environment say",
			Fix:     "give --answers with the answers.yaml of the setup run (or --out with its output folder)"})
	default:
		r.ok(IDAnswers, "no answers file: the checks know what flags and the environment say")
	}
}

// remedy is how to bring a running server in line with the files, for its version.
func (r *run) remedy() string {
	out := r.cfg.Out
	if out == "" {
		out = "the output folder"
	}
	switch {
	case !r.f.effective.SettingsInDatabase():
		return fmt.Sprintf("OpenMetadata %s reads these settings from its files: put the files of %s into the deployment (setup's next steps) and restart it", r.f.effective, out)
	case r.sourceMode() == "ENV":
		return "the deployment owns these settings (SECURITY_CONFIG_SOURCE=ENV): put the files of " + out + " into it and restart OpenMetadata"
	default:
		return "OpenMetadata " + r.f.effective.String() + " keeps the settings of its database over the files: run om-auth0 apply, " +
			"or ./bootstrap/openmetadata-ops.sh remove-security-config --force in the server and restart every replica"
	}
}

// sourceMode is the authentication settings' source mode (2.1), "" when unknown.
func (r *run) sourceMode() string {
	if r.f.source == nil {
		return ""
	}
	for _, s := range r.f.source.Settings {
		if s.ConfigType == "authenticationConfiguration" {
			return strings.ToUpper(termtext.Clean(s.Source))
		}
	}
	return ""
}

// omChecks are the checks of OpenMetadata's public endpoints; it reports
// whether OpenMetadata answered.
func (r *run) omChecks() bool {
	if r.f.omErr != nil {
		r.add(Check{ID: IDOMReachable, Status: Fail, Message: errText(r.f.omErr), Fix: "give OpenMetadata's base URL with --om-url, like https://openmetadata.example.com"})
		return false
	}
	if r.f.versionErr != nil {
		r.add(Check{ID: IDOMReachable, Status: Fail, Message: "OpenMetadata does not answer: " + errText(r.f.versionErr),
			Fix: "check --om-url (the address its users open, reachable from here) and that the server is up"})
		for _, id := range []string{IDOMVersion, IDOMJWKS, IDOMProvider, IDOMClient} {
			r.skip(id, "", "OpenMetadata did not answer (see "+IDOMReachable+")")
		}
		return false
	}
	r.ok(IDOMReachable, "OpenMetadata answers at %s", r.om.URL())

	v := r.f.version.Version
	if want := r.cfg.Choices.Version; want != (openmetadata.Version{}) && (want.Band() != v.Band() || want.SettingsInDatabase() != v.SettingsInDatabase()) {
		r.add(Check{ID: IDOMVersion, Status: Fail,
			Message: fmt.Sprintf("OpenMetadata runs %s, but the files are for %s, which OpenMetadata configures differently", r.f.version.Raw, want),
			Fix:     fmt.Sprintf("run om-auth0 setup again with --om-version %s (or without it: it asks the server)", v)})
	} else if want != (openmetadata.Version{}) {
		r.ok(IDOMVersion, "OpenMetadata %s (the files are for %s)", r.f.version.Raw, want)
	} else {
		r.ok(IDOMVersion, "OpenMetadata %s", r.f.version.Raw)
	}

	if r.f.ownKeysErr != nil {
		r.add(Check{ID: IDOMJWKS, Status: Fail, Message: "its JWKS does not answer: " + errText(r.f.ownKeysErr),
			Fix: "OpenMetadata must serve " + omapi.PathJWKS + ", or its bots' tokens are refused: check its jwtTokenConfiguration"})
	} else if _, err := r.f.ownKeys.RSAKeys(); err != nil {
		r.add(Check{ID: IDOMJWKS, Status: Fail, Message: "its JWKS " + errText(err),
			Fix: "OpenMetadata must serve its signing key at " + omapi.PathJWKS + ": check its jwtTokenConfiguration"})
	} else {
		r.ok(IDOMJWKS, "its JWKS serves %d key(s) at %s", len(r.f.ownKeys.Keys), omapi.PathJWKS)
	}

	r.providerCheck()
	r.clientCheck()
	return true
}

// providerOK reports whether OpenMetadata signs in with Auth0, as
// config/auth and (with an admin credential) its stored settings show.
func (r *run) providerOK() bool {
	if r.f.authCfgErr == nil && r.f.authCfg.Provider != "auth0" {
		return false
	}
	return r.f.sec == nil || r.f.sec.Authentication.Provider == "auth0"
}

func (r *run) providerCheck() {
	if r.f.authCfgErr != nil && r.f.sec == nil {
		r.add(Check{ID: IDOMProvider, Status: Fail, Message: "its sign-in settings do not answer: " + errText(r.f.authCfgErr),
			Fix: "OpenMetadata must serve " + omapi.PathAuthConfig + " to its UI: check the server's logs"})
		return
	}
	if r.providerOK() {
		r.ok(IDOMProvider, "OpenMetadata signs in with Auth0")
		return
	}
	var seen []string
	if r.f.authCfgErr == nil && r.f.authCfg.Provider != "auth0" {
		seen = append(seen, quote(r.f.authCfg.Provider)+" in "+omapi.PathAuthConfig)
	}
	if r.f.sec != nil && r.f.sec.Authentication.Provider != "auth0" {
		seen = append(seen, quote(r.f.sec.Authentication.Provider)+" in its stored settings")
	}
	r.add(Check{ID: IDOMProvider, Status: Fail,
		Message: "OpenMetadata does not sign in with Auth0: the provider is " + strings.Join(seen, " and ") + ", the files say \"auth0\"",
		Fix:     r.remedy()})
}

// field is one value the server has that the files set.
type field struct{ name, server, files string }

func diffText(diffs []field) string {
	var parts []string
	for _, d := range diffs {
		s := fmt.Sprintf("%s is %s, the files say %q", d.name, quote(d.server), d.files)
		if !slices.Contains(parts, s) {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

func (r *run) clientCheck() {
	switch {
	case !r.providerOK():
		r.skip(IDOMClient, "", "OpenMetadata does not sign in with Auth0 yet (see "+IDOMProvider+")")
		return
	case r.f.expectedErr != "":
		r.skip(IDOMClient, "", r.f.expectedErr)
		return
	}
	want := r.f.expected
	var diffs []field
	cmp := func(name, server, files string) {
		if server != files {
			diffs = append(diffs, field{name, server, files})
		}
	}
	typed := r.f.effective.Band() == openmetadata.BandOIDC && want.ClientType != ""
	if r.f.authCfgErr == nil {
		a := r.f.authCfg
		cmp("clientId", a.ClientID, want.ClientID)
		cmp("authority", strings.TrimRight(a.Authority, "/"), want.Authority)
		if a.Authority != strings.TrimRight(a.Authority, "/") {
			diffs = append(diffs, field{"authority", a.Authority, want.Authority})
		}
		cmp("callbackUrl", a.CallbackURL, want.CallbackURL)
		if typed && a.ClientType != "" {
			cmp("clientType", a.ClientType, want.ClientType)
		}
	}
	if s := r.f.sec; s != nil {
		a := s.Authentication
		cmp("clientId", a.ClientID, want.ClientID)
		cmp("authority", a.Authority, want.Authority)
		cmp("callbackUrl", a.CallbackURL, want.CallbackURL)
		if typed {
			cmp("clientType", a.ClientType, want.ClientType)
		}
		if o := want.OIDC; o != nil {
			if a.OIDC == nil {
				diffs = append(diffs, field{"oidcConfiguration", "missing", "a confidential client's"})
			} else {
				cmp("oidcConfiguration.id", a.OIDC.ID, o.ID)
				cmp("oidcConfiguration.discoveryUri", a.OIDC.DiscoveryURI, o.DiscoveryURI)
				cmp("oidcConfiguration.callbackUrl", a.OIDC.CallbackURL, o.CallbackURL)
				cmp("oidcConfiguration.serverUrl", a.OIDC.ServerURL, o.ServerURL)
				cmp("oidcConfiguration.clientAuthenticationMethod", a.OIDC.ClientAuthenticationMethod, o.ClientAuthenticationMethod)
			}
		}
	}
	if len(diffs) > 0 {
		r.add(Check{ID: IDOMClient, Status: Fail, Message: "OpenMetadata's sign-in differs from the files: " + diffText(diffs), Fix: r.remedy()})
		return
	}
	what := "client id, authority, callback URL"
	if typed {
		what += " and client type"
	}
	if !r.f.clientIDKnown {
		r.ok(IDOMClient, "%s match the files (the client id is not compared: the Auth0 application is unknown without Auth0 credentials or app_id)", what)
		return
	}
	r.ok(IDOMClient, "%s match the Auth0 application %s", what, want.ClientID)
}

// adminChecks are the checks that need an administrator's credential.
func (r *run) adminChecks(omUp bool) {
	ids := []string{IDOMPublicKeys, IDOMAuthorizer, IDOMValidate, IDOMSettingsSource}
	skipAll := func(needs, why string) {
		for _, id := range ids {
			r.skip(id, needs, why)
		}
	}
	switch {
	case !omUp:
		r.skip(IDOMCredential, "", "OpenMetadata did not answer (see "+IDOMReachable+")")
		skipAll("", "OpenMetadata did not answer (see "+IDOMReachable+")")
		return
	case !r.f.effective.SettingsInDatabase():
		why := fmt.Sprintf("OpenMetadata %s keeps its SSO settings in the deployment's files, not behind an API (1.10 and later have one)", r.f.effective)
		r.skip(IDOMCredential, "", why)
		skipAll("", why)
		return
	case !r.hasAdminCredential():
		r.skip(IDOMCredential, NeedsOMAdmin, "no OpenMetadata admin credential given")
		skipAll(NeedsOMAdmin, "needs an OpenMetadata admin credential")
		return
	}
	credErr := r.f.loginErr
	if credErr == nil && r.f.secErr != nil {
		credErr = r.f.secErr
	}
	if credErr != nil {
		c := Check{ID: IDOMCredential, Status: Fail, Message: errText(credErr)}
		switch status := omapi.StatusOf(credErr); {
		case r.f.loginErr != nil && status == http.StatusUnauthorized:
			c.Message, c.Fix = "OpenMetadata refused the admin email or password", "check --om-admin-email and OM_ADMIN_PASSWORD"
		case r.f.loginErr != nil && status == http.StatusForbidden:
			c.Message = "OpenMetadata refused the login: it signs in with a password only while its provider is basic or ldap"
			c.Fix = "give an admin's personal access token instead (--om-token or OM_ADMIN_TOKEN; Settings > Users > you > Access Token)"
		case status == http.StatusUnauthorized:
			c.Message, c.Fix = "OpenMetadata refused the token: "+errText(credErr), "give a valid admin token (--om-token or OM_ADMIN_TOKEN), like a personal access token"
		case status == http.StatusForbidden:
			c.Message, c.Fix = "the credential is not an administrator's: "+errText(credErr), "give an administrator's token or login"
		default:
			c.Fix = "check the server's logs; run again"
		}
		r.add(c)
		skipAll("", "the admin credential did not work (see "+IDOMCredential+")")
		return
	}
	r.ok(IDOMCredential, "the admin credential reads the SSO settings")
	r.publicKeysCheck()
	r.authorizerCheck()
	r.validateCheck()
	r.sourceCheck()
}

func (r *run) publicKeysCheck() {
	if !r.providerOK() {
		r.skip(IDOMPublicKeys, "", "OpenMetadata does not sign in with Auth0 yet (see "+IDOMProvider+")")
		return
	}
	if r.cfg.Connect.Domain.IsZero() {
		r.skip(IDOMPublicKeys, "", "the Auth0 tenant domain is unknown: give --domain or --answers")
		return
	}
	keys := r.f.sec.Authentication.PublicKeyURLs
	tenantKeys := r.cfg.Connect.Domain.JWKSURL()
	own := r.om.URL() + omapi.PathJWKS
	dotless := omapi.DotlessHost(own)
	var problems []string
	if !slices.Contains(keys, tenantKeys) {
		problems = append(problems, "they lack the tenant's JWKS "+tenantKeys+" (users' Auth0 tokens are refused)")
	}
	switch has := slices.Contains(keys, own); {
	case !has && !dotless:
		problems = append(problems, "they lack OpenMetadata's own JWKS "+own+" (the ingestion bot's tokens are refused)")
	case has && dotless:
		r.add(Check{ID: IDOMPublicKeys, Status: Warn,
			Message: "they list " + own + ", whose host has no dot: OpenMetadata's Auth0 validator refuses it",
			Fix:     "leave it out: OpenMetadata " + r.f.effective.String() + " checks its own tokens with its own key first"})
		return
	}
	if len(problems) > 0 {
		r.add(Check{ID: IDOMPublicKeys, Status: Fail, Message: "publicKeyUrls " + quote(strings.Join(keys, ", ")) + ": " + strings.Join(problems, "; "), Fix: r.remedy()})
		return
	}
	if dotless {
		r.ok(IDOMPublicKeys, "publicKeyUrls list the tenant's JWKS (OpenMetadata's own is left out: its host has no dot, and the server checks its own tokens first)")
		return
	}
	r.ok(IDOMPublicKeys, "publicKeyUrls list the tenant's JWKS and OpenMetadata's own")
}

func (r *run) authorizerCheck() {
	if !r.providerOK() {
		r.skip(IDOMAuthorizer, "", "OpenMetadata does not sign in with Auth0 yet (see "+IDOMProvider+")")
		return
	}
	if len(r.cfg.Admins) == 0 || r.cfg.PrincipalDomain == "" {
		r.skip(IDOMAuthorizer, "", "the admins and principal domain are unknown: give --answers (or --admin and --principal-domain)")
		return
	}
	z := r.f.sec.Authorizer
	var problems []string
	for _, a := range r.f.expected.AdminPrincipals {
		if !containsFold(z.AdminPrincipals, a) {
			problems = append(problems, "admin "+a+" is not in adminPrincipals "+quote(strings.Join(z.AdminPrincipals, ", ")))
		}
	}
	if !strings.EqualFold(z.PrincipalDomain, r.f.expected.PrincipalDomain) {
		p := "principalDomain is " + quote(z.PrincipalDomain) + ", the files say " + fmt.Sprintf("%q", r.f.expected.PrincipalDomain)
		if z.EnforcePrincipalDomain {
			p += " (enforced: users of the answered domain are refused)"
		}
		problems = append(problems, p)
	}
	if len(problems) > 0 {
		r.add(Check{ID: IDOMAuthorizer, Status: Fail, Message: strings.Join(problems, "; "),
			Fix: r.remedy() + "; a new admin becomes one at the next restart"})
		return
	}
	r.ok(IDOMAuthorizer, "admin principals %s and principal domain %s as answered", strings.Join(r.f.expected.AdminPrincipals, ", "), r.f.expected.PrincipalDomain)
}

func (r *run) validateCheck() {
	switch {
	case r.f.validateSkip != "":
		r.skip(IDOMValidate, "", r.f.validateSkip)
	case r.f.validateErr != nil:
		r.add(Check{ID: IDOMValidate, Status: Fail, Message: "OpenMetadata's validation did not answer: " + errText(r.f.validateErr), Fix: "check the server's logs; run again"})
	case r.f.validation.Passed():
		msg := "OpenMetadata's own validator accepts the settings of the files"
		if r.f.expectedErr != "" {
			msg = "OpenMetadata's own validator accepts the settings it has"
		}
		if comps := r.f.validation.Components(); len(comps) > 0 {
			msg += " (" + strings.Join(comps, "; ") + ")"
		}
		r.ok(IDOMValidate, "%s", msg)
	default:
		r.add(Check{ID: IDOMValidate, Status: Fail,
			Message: "OpenMetadata's own validator refuses the settings: " + strings.Join(r.f.validation.Problems(), "; "),
			Fix:     "fix what it names (Settings > SSO shows the same checks); the Auth0 checks here say how for Auth0's side"})
	}
}

func (r *run) sourceCheck() {
	switch {
	case errors.Is(r.f.sourceErr, omapi.ErrNoSettingsSource):
		r.skip(IDOMSettingsSource, "", fmt.Sprintf("OpenMetadata %s has no settings source (2.1 and later have)", r.f.effective))
		return
	case r.f.sourceErr != nil:
		r.add(Check{ID: IDOMSettingsSource, Status: Fail, Message: "its settings source does not answer: " + errText(r.f.sourceErr), Fix: "check the server's logs; run again"})
		return
	}
	var over, modes, reloads []string
	for _, s := range r.f.source.Settings {
		if s.ConfigType != "authenticationConfiguration" && s.ConfigType != "authorizerConfiguration" {
			continue
		}
		modes = append(modes, termtext.Clean(s.ConfigType)+" "+termtext.Clean(s.Source))
		for _, f := range s.OverriddenFields {
			o := termtext.Clean(s.ConfigType) + termtext.Clean(f.Path)
			if f.EnvVariable != "" {
				o += " (" + termtext.Clean(f.EnvVariable) + ")"
			}
			over = append(over, o)
		}
		if s.LastReloadError != "" {
			reloads = append(reloads, termtext.Clean(s.ConfigType)+": "+termtext.Clean(s.LastReloadError))
		}
	}
	mode := "mode " + strings.Join(modes, ", ")
	if len(modes) == 0 {
		mode = "no security setting in the deployment configuration"
	}
	switch {
	case len(reloads) > 0:
		r.add(Check{ID: IDOMSettingsSource, Status: Fail, Message: "the last reload of the settings failed: " + strings.Join(reloads, "; ") + " (" + mode + ")",
			Fix: "fix the deployment's values it names and restart OpenMetadata"})
	case len(over) > 0:
		r.add(Check{ID: IDOMSettingsSource, Status: Fail,
			Message: "the database overrides what the deployment sets: " + strings.Join(over, ", ") + " (" + mode + ")",
			Fix: "the stored values win: set them with om-auth0 apply, or take the deployment's with " +
				"POST " + omapi.PathSettingsSource + "/{configType}/adopt, or set SECURITY_CONFIG_SOURCE=ENV and restart"})
	default:
		r.ok(IDOMSettingsSource, "the database overrides nothing the deployment sets (%s)", mode)
	}
}

// auth0Checks are the tenant's checks.
func (r *run) auth0Checks() {
	d := r.cfg.Connect.Domain
	if d.IsZero() {
		why := "the Auth0 tenant domain is unknown: give --domain (AUTH0_DOMAIN) or --answers"
		for _, id := range []string{IDAuth0Discovery, IDAuth0JWKS, IDAuth0App} {
			r.skip(id, "", why)
		}
		return
	}
	if r.f.discoveryErr != nil {
		r.add(Check{ID: IDAuth0Discovery, Status: Fail, Message: "the discovery document at " + d.DiscoveryURL() + ": " + errText(r.f.discoveryErr),
			Fix: "check the tenant domain (--domain or answers.yaml): the canonical one, like acme.us.auth0.com"})
	} else {
		r.ok(IDAuth0Discovery, "the discovery document answers at %s, issuer %s", d.DiscoveryURL(), d.Issuer())
	}
	if r.f.tenantKeyErr != nil {
		r.add(Check{ID: IDAuth0JWKS, Status: Fail, Message: "the tenant's JWKS at " + d.JWKSURL() + ": " + errText(r.f.tenantKeyErr),
			Fix: "check the tenant domain (--domain or answers.yaml); OpenMetadata checks users' tokens with these keys"})
	} else {
		r.ok(IDAuth0JWKS, "the tenant's JWKS answers at %s", d.JWKSURL())
	}
	managed := []string{IDAuth0App, IDAuth0URLs, IDAuth0AppType}
	if r.confidential10() {
		managed = append(managed, IDAuth0ClientCreds)
	}
	legacy := r.f.effective.Band() == openmetadata.BandLegacy && r.serviceAccountMode() != steps.Skip
	if legacy {
		managed = append(managed, IDAuth0ServiceAcct)
	}
	if !r.hasAuth0Credentials() {
		for _, id := range managed {
			r.skip(id, NeedsAuth0, "needs Auth0 credentials")
		}
		return
	}
	skipRest := func(why string) {
		for _, id := range managed[1:] {
			r.skip(id, "", why)
		}
	}
	if r.f.connectErr == nil && r.f.planErr == nil && (r.f.plan == nil || len(r.f.plan.Changes) == 0) {
		r.f.planErr = errors.New("finding the OpenMetadata application gave no answer (a bug in om-auth0)")
	}
	if r.f.connectErr != nil || r.f.planErr != nil {
		err := r.f.connectErr
		if err == nil {
			err = r.f.planErr
		}
		r.add(Check{ID: IDAuth0App, Status: Fail, Message: errText(err), Fix: stepsHint(err)})
		skipRest("the OpenMetadata application could not be read (see " + IDAuth0App + ")")
		return
	}
	ch := r.f.plan.Changes[0]
	if ch.Action == steps.Create {
		how := "none is marked for " + r.cfg.Choices.OMURL + " and none is named " + quote(ch.Name)
		if r.cfg.Choices.AppID != "" {
			how = "app_id " + r.cfg.Choices.AppID + " was not found"
		}
		r.add(Check{ID: IDAuth0App, Status: Fail, Message: "the tenant has no OpenMetadata application for " + r.cfg.Choices.OMURL + ": " + how,
			Fix: "run om-auth0 setup (with the same answers) to create it"})
		skipRest("no OpenMetadata application (see " + IDAuth0App + ")")
		return
	}
	app := r.f.plan.App()
	changed := map[string]steps.FieldChange{}
	for _, f := range ch.Fields {
		changed[f.Field] = f
	}
	if f, ok := changed["client_metadata"]; ok {
		r.add(Check{ID: IDAuth0App, Status: Warn,
			Message: fmt.Sprintf("application %s (%s) was found by its name, and is not marked as om-auth0's for %s (%s)", quote(app.Name), app.ClientID, r.cfg.Choices.OMURL, present.FieldValue(f, "->")),
			Fix:     "run om-auth0 setup again: it marks the application so that it is found for this URL only"})
	} else {
		r.ok(IDAuth0App, "application %s (%s), %s", quote(app.Name), app.ClientID, app.AppType)
	}
	r.urlsCheck(changed, app)
	r.appTypeCheck(changed, app)
	if r.confidential10() {
		r.clientCredentialsCheck(app)
	}
	if legacy {
		r.serviceAccountCheck()
	}
}

func (r *run) serviceAccountMode() steps.ServiceAccountMode {
	if m := r.cfg.Choices.ServiceAccount; m != "" {
		return m
	}
	return steps.DefaultServiceAccountMode(r.f.effective)
}

// stepsHint is a steps.Error's hint, or a generic one.
func stepsHint(err error) string {
	var se *steps.Error
	if errors.As(err, &se) && se.Hint != "" {
		return termtext.Clean(se.Hint)
	}
	return "check the tenant domain and the Management API credentials (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN)"
}

// lacking lists the items of a plan change's target that its current value lacks.
func lacking(f steps.FieldChange) []string {
	from := strings.Split(f.From, ", ")
	var out []string
	for _, v := range strings.Split(f.To, ", ") {
		if v != "" && !slices.Contains(from, v) {
			out = append(out, v)
		}
	}
	return out
}

func (r *run) urlsCheck(changed map[string]steps.FieldChange, app *steps.App) {
	var missing []string
	for _, x := range []struct{ field, what string }{{"callbacks", "callbacks"}, {"web_origins", "web origins"}, {"allowed_logout_urls", "logout URLs"}} {
		if f, ok := changed[x.field]; ok {
			missing = append(missing, x.what+" lack "+strings.Join(lacking(f), ", "))
		}
	}
	if len(missing) > 0 {
		r.add(Check{ID: IDAuth0URLs, Status: Fail, Message: "the application's " + strings.Join(missing, "; "),
			Fix: "run om-auth0 setup again (it adds them), or add them under Applications > Applications > " + termtext.Clean(app.Name) + " > Settings"})
		return
	}
	om := r.cfg.Choices.OMURL
	r.ok(IDAuth0URLs, "callbacks include %s/callback; web origins and logout URLs include %s", om, om)
}

func (r *run) appTypeCheck(changed map[string]steps.FieldChange, app *steps.App) {
	var problems []string
	if f, ok := changed["app_type"]; ok {
		problems = append(problems, fmt.Sprintf("it is a %s application; a %s client needs %s", quote(f.From), r.cfg.Choices.ClientType, f.To))
	}
	if f, ok := changed["token_endpoint_auth_method"]; ok {
		problems = append(problems, fmt.Sprintf("its token endpoint auth method is %s; a %s client needs %s", quote(f.From), r.cfg.Choices.ClientType, f.To))
	}
	if f, ok := changed["grant_types"]; ok {
		need := lacking(f)
		// The client-credentials grant is auth0.client_credentials' business.
		need = slices.DeleteFunc(need, func(g string) bool { return g == "client_credentials" && r.confidential10() })
		if len(need) > 0 {
			problems = append(problems, "its grant types lack "+strings.Join(need, ", "))
		}
		if extra := lacking(steps.FieldChange{From: f.To, To: f.From}); len(extra) > 0 {
			problems = append(problems, "its grant types include "+strings.Join(extra, ", ")+", which a public client cannot use")
		}
	}
	if f, ok := changed["oidc_conformant"]; ok {
		problems = append(problems, "OIDC Conformant is "+f.From)
	}
	if len(problems) > 0 {
		r.add(Check{ID: IDAuth0AppType, Status: Fail, Message: strings.Join(problems, "; "),
			Fix: "run om-auth0 setup again (with --yes for a change of type or method, which breaks other users of the application), or change it under Applications > " + termtext.Clean(app.Name)})
		return
	}
	r.ok(IDAuth0AppType, "app type %s and token endpoint auth method %s fit a %s client", app.AppType, app.TokenEndpointAuthMethod, r.cfg.Choices.ClientType)
}

func (r *run) clientCredentialsCheck(app *steps.App) {
	const id = IDAuth0ClientCreds
	switch {
	case r.f.ccSkip != "":
		r.skip(id, "", r.f.ccSkip)
		return
	case r.f.ccErr == nil:
		r.ok(id, "a client-credentials token for %s is granted to %s, as OpenMetadata's validator asks", r.cfg.Connect.Domain.ManagementAudience(), app.ClientID)
		return
	}
	c := Check{ID: id, Status: Fail}
	var te *auth0http.TokenError
	where := "Applications > Applications > " + termtext.Clean(app.Name)
	authorize := "APIs > Auth0 Management API > Machine to Machine Applications > " + termtext.Clean(app.Name)
	switch {
	case errors.As(r.f.ccErr, &te) && (te.Body.Error == "unauthorized_client" || strings.Contains(strings.ToLower(te.Body.ErrorDescription), "grant type")):
		c.Message = "the application may not use the Client Credentials grant, and OpenMetadata " + r.f.effective.String() + "'s validator asks for such a token of a confidential client"
		c.Fix = "enable it under " + where + " > Advanced Settings > Grant Types, and authorize it under " + authorize
	case errors.As(r.f.ccErr, &te) && te.Body.Error == "access_denied" && te.Status == http.StatusForbidden:
		c.Message = "the application is not authorized for the Auth0 Management API (" + termtext.Clean(te.Error()) + "), and OpenMetadata's validator asks for such a token"
		c.Fix = "authorize it (no scope needed) under " + authorize
	case errors.As(r.f.ccErr, &te) && te.Body.Error == "invalid_client":
		c.Message = "Auth0 refused the application's client secret: " + termtext.Clean(te.Error())
		c.Fix = "rotate nothing blindly: compare the secret under " + where + " with the one in the files, and run om-auth0 setup again"
	default:
		c.Message = "the client-credentials token was refused: " + errText(r.f.ccErr)
		c.Fix = "enable the Client Credentials grant under " + where + " and authorize it under " + authorize
	}
	r.add(c)
}

func (r *run) serviceAccountCheck() {
	const id = IDAuth0ServiceAcct
	switch {
	case r.f.saErr != nil:
		r.add(Check{ID: id, Status: Fail, Message: errText(r.f.saErr), Fix: stepsHint(r.f.saErr)})
	case r.f.saMissing || r.f.sa == nil:
		r.add(Check{ID: id, Status: Fail, Message: "the tenant has no ingestion service account for " + r.cfg.Choices.OMURL,
			Fix: "run om-auth0 setup (with the same answers) to create it"})
	case r.f.saVerify == nil:
		r.skip(id, "", "the service account was not checked")
	default:
		var failed []string
		formOK := false
		for _, c := range r.f.saVerify.Checks {
			if c.Name == steps.CheckTokenForm && c.OK {
				formOK = true
			}
			if !c.OK {
				failed = append(failed, termtext.Clean(c.Name)+": "+termtext.Clean(c.Detail))
			}
		}
		if len(failed) > 0 || !formOK {
			r.add(Check{ID: id, Status: Fail, Message: "the service account " + r.f.sa.App.ClientID + ": " + strings.Join(failed, "; "),
				Fix: "run om-auth0 setup again; OpenMetadata ≤ 1.0 ingestion signs in with its client id and secret in the form body"})
			return
		}
		r.ok(id, "the service account %s gets a token with the secret in the form body, as OpenMetadata ≤ 1.0 ingestion asks", r.f.sa.App.ClientID)
	}
}

// demoteValidation turns a failed validation into a warning when an Auth0
// check already failed: OpenMetadata's validator then fails for the same
// reason, and the Auth0 check names the fix.
func (r *run) demoteValidation() {
	var auth0Failed []string
	for _, c := range r.checks {
		if c.Status == Fail && strings.HasPrefix(c.ID, "auth0.") {
			auth0Failed = append(auth0Failed, c.ID)
		}
	}
	if len(auth0Failed) == 0 {
		return
	}
	for i, c := range r.checks {
		if c.ID == IDOMValidate && c.Status == Fail {
			r.checks[i].Status = Warn
			r.checks[i].Message += " (a consequence of " + strings.Join(auth0Failed, ", ") + ")"
			r.checks[i].Fix = "fix " + strings.Join(auth0Failed, ", ") + " first"
		}
	}
}
