package steps

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
	"github.com/om-auth0/om-auth0/termtext"
)

var _ Runner = (*Session)(nil)

// Session is a connection to one tenant's Management API. It implements
// Runner and remembers what it has read and created, so no answer is fetched
// twice and an interrupted run can say what it left behind.
type Session struct {
	domain   tenant.Domain
	name     string // the tenant's friendly name, when readable
	clientID string // the Management API application: never offered, found or changed; empty when unknown (an opaque API token)
	apiToken bool
	scopes   []string // granted Management scopes, sorted
	known    bool     // whether scopes could be read from the token
	m        *management.Management
	http     *http.Client

	// run marks the applications this session creates (client_metadata
	// markerRun), so that it finds them again after a lost answer and tells
	// them from those of a run at the same time.
	run string

	mu         sync.Mutex
	apps       []remoteApp              // the listing of non-global applications; nil until read
	mgmtScopes []Scope                  // the Management API's scopes; nil until read
	grants     map[string]*Grant        // "client_id audience" → grant (nil: none); entries are known answers
	grantReads map[string]chan struct{} // "client_id audience" → closed when the grant read in flight ends
	// recordedReads are reads of recorded applications started ahead of
	// their step, by "answers key id"; taken once.
	recordedReads map[string]*recordedRead
	created       []string
	createdApps   map[string]bool // client ids this session created
	lastUI        *App            // what the last ApplyUIApp returned
	started       *startedSA      // the service account StartServiceAccount is applying, until taken
	omURL         string          // the OpenMetadata URL the last plan was for
	// grantsSeen are the grant ids the tenant held per "client_id audience"
	// before this session wrote any ("" for none); grantsTried the keys
	// this session sent a create for. Created compares them with the tenant.
	grantsSeen  map[string]string
	grantsTried map[string]bool
	triedCreate bool // a create was sent: Created must read the tenant

	// nameRead is the read of the tenant's friendly name that Connect
	// leaves running (nil when none runs); Tenant waits for it.
	nameRead *crash.Group
	// public is the read of the tenant's discovery document and JWKS that
	// the first ApplyUIApp starts, so that Verify finds them read (nil until
	// started). They need no token and change only when the tenant's keys
	// rotate; Verify reads again what failed or lacks the token's key.
	public       *crash.Group
	publicOnce   sync.Once
	discoveryErr error
	keys         map[string]*rsa.PublicKey
	keysErr      error
}

// tenantNameTimeout bounds the read of the tenant's friendly name, which
// only decorates: a slow answer costs the name, never the run.
const tenantNameTimeout = 5 * time.Second

// Connect gets a Management API token for the request (client credentials
// or an API token), reads the scopes it carries and, when allowed, starts
// reading the tenant's friendly name, which Tenant waits for. An API
// token's name is read before Connect returns: nothing else has checked
// the token yet.
func Connect(ctx context.Context, req ConnectRequest, opts Options) (*Session, error) {
	const opName = "connect to Auth0"
	if req.Domain.IsZero() {
		return nil, &Error{Op: opName, Meaning: "the tenant domain is missing", Hint: "give it like acme.us.auth0.com"}
	}
	if req.Domain.Scheme == "http" && !req.Domain.IsLoopback() {
		return nil, &Error{Op: opName, Meaning: "http is accepted only for loopback hosts", Hint: "use https://" + req.Domain.Host}
	}
	run, err := newRunID()
	if err != nil {
		return nil, &Error{Op: opName, Meaning: "could not draw a random run id: " + err.Error(), Err: err}
	}
	s := &Session{domain: req.Domain, http: auth0http.NewClient(opts), run: run}
	token := strings.TrimSpace(req.APIToken)
	var granted []string // the token response's scope, if the claims lack one
	switch {
	case token != "":
		s.apiToken = true
	case req.ClientID == "" || req.ClientSecret == "":
		return nil, &Error{Op: opName, Meaning: "no Management API credentials",
			Hint: "give the client id and secret of a Machine-to-Machine application authorized for the Auth0 Management API, or an API token"}
	default:
		s.clientID = req.ClientID
		tr, err := s.managementToken(ctx, req.ClientID, req.ClientSecret)
		if err != nil {
			return nil, err
		}
		token = tr.AccessToken
		granted = strings.Fields(tr.Scope)
	}
	if err := s.readScopes(token, granted); err != nil {
		return nil, err
	}

	mopts := []management.Option{}
	if s.domain.Scheme == "http" {
		// WithInsecure sets its own token source, so it must come before WithStaticToken.
		mopts = append(mopts, management.WithInsecure())
	}
	mopts = append(mopts,
		management.WithStaticToken(token),
		management.WithClient(s.http),
		management.WithNoRetries(),
		management.WithUserAgent("om-auth0"),
	)
	m, err := management.New(s.domain.Host, mopts...)
	if err != nil {
		return nil, &Error{Op: opName, Meaning: "could not build the Management API client: " + err.Error(), Err: err}
	}
	s.m = m

	if s.has("read:tenant_settings") {
		if !s.apiToken {
			// The token request has already vouched for the credentials
			// and the tenant (a redirect is refused on every request), so
			// the name, which only decorates, arrives in the background.
			s.nameRead = new(crash.Group)
			s.nameRead.Go(func() {
				ctx, cancel := context.WithTimeout(ctx, tenantNameTimeout)
				defer cancel()
				_ = s.readTenantName(ctx)
			})
			return s, nil
		}
		// Nothing has checked an API token yet: its first use fails early
		// on a refused token or on something else answering for the tenant.
		if err := s.readTenantName(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// readTenantName reads the tenant's friendly name into s.name. It returns
// the errors that say something other than the tenant answers (401, a
// redirect, a body that is not the tenant's) or that the context ended; any
// other failure only costs the name.
func (s *Session) readTenantName(ctx context.Context) error {
	var t *management.Tenant
	err := s.do(ctx, op{Name: "read the tenant's settings", Scope: "read:tenant_settings"}, func(ctx context.Context) (err error) {
		t, err = s.m.Tenant.Read(ctx, management.IncludeFields("friendly_name"))
		return err
	})
	var (
		redirect *auth0http.RedirectError
		body     *auth0http.BodyError
	)
	switch {
	case err == nil:
		s.name = termtext.Clean(t.GetFriendlyName())
	case isStatus(err, http.StatusUnauthorized), contextError(err) != nil,
		errors.As(err, &redirect), errors.As(err, &body): // something else answers for the tenant
		return err
	}
	return nil
}

// readScopes takes the granted scopes from the token's claims. An API token
// is also checked for its audience and expiry, since nothing else has
// vouched for it yet.
func (s *Session) readScopes(token string, granted []string) error {
	claims, err := auth0http.DecodeClaims(token)
	if err != nil {
		if s.apiToken {
			// An opaque token may still work; the scopes are then unknown.
			return nil
		}
		return &Error{Op: "read the Management API token", Meaning: err.Error(), Err: err}
	}
	if s.apiToken {
		aud := s.domain.ManagementAudience()
		if len(claims.Audience) > 0 && !slices.Contains(claims.Audience, aud) {
			return &Error{Op: "check the API token", Meaning: fmt.Sprintf("the token is for %s, not for %s", strings.Join(claims.Audience, ", "), aud),
				Hint: "create a token for this tenant under " + whereAPIToken}
		}
		if claims.Expiry > 0 && time.Unix(claims.Expiry, 0).Before(time.Now()) {
			return &Error{Op: "check the API token", Meaning: "the token expired at " + time.Unix(claims.Expiry, 0).UTC().Format(time.RFC3339),
				Hint: "create a new one under " + whereAPIToken}
		}
		if s.clientID == "" {
			// The application the token was issued to: azp, else the
			// subject of a client-credentials token, "<client id>@clients".
			s.clientID = firstNonEmpty(claims.AuthParty, strings.TrimSuffix(claims.Subject, "@clients"))
		}
	}
	s.scopes = claims.Scopes()
	if len(s.scopes) == 0 {
		s.scopes = sortedUnique(granted)
	}
	s.known = true
	return nil
}

// Tenant implements Runner. It waits for the read of the friendly name that
// Connect left running, at most tenantNameTimeout after Connect.
func (s *Session) Tenant() (tenant.Domain, string) {
	if s.nameRead != nil {
		s.nameRead.Wait()
	}
	return s.domain, s.name
}

// GrantedScopes implements Runner.
func (s *Session) GrantedScopes() []string { return slices.Clone(s.scopes) }

// ScopesKnown reports whether the token revealed its scopes (an opaque API
// token does not); when not, MissingScopes names nothing.
func (s *Session) ScopesKnown() bool { return s.known }

func (s *Session) has(scope string) bool {
	_, found := slices.BinarySearch(s.scopes, scope)
	return found
}

// MissingScopes implements Runner.
func (s *Session) MissingScopes(c Choices) []string {
	if !s.known {
		return nil
	}
	var missing []string
	for _, scope := range RequiredScopes(c) {
		if !s.has(scope) {
			missing = append(missing, scope)
		}
	}
	return missing
}

// RequiredScopes are the Management API scopes the chosen path needs, in the
// order the steps use them.
func RequiredScopes(c Choices) []string {
	mode := c.mode()
	need := []string{"read:clients"}
	if c.AppID == "" || mode == Separate {
		need = append(need, "create:clients")
	}
	// The UI application, once found, may differ from what sign-in needs.
	need = append(need, "update:clients")
	if c.ClientType == openmetadata.Confidential || mode != Skip {
		need = append(need, "read:client_keys")
	}
	switch {
	case mode != Skip:
		need = append(need, "read:resource_servers", "read:client_grants", "create:client_grants", "update:client_grants")
	case c.validatorGrant():
		// An existing grant's scopes are kept: no update:client_grants.
		need = append(need, "read:client_grants", "create:client_grants")
	}
	return need
}

// ScopeReason says what a Management API scope is needed for, and what fails without it.
func ScopeReason(scope string) string {
	switch scope {
	case "read:clients":
		return "find the applications om-auth0 manages"
	case "create:clients":
		return "create the OpenMetadata and ingestion bot applications"
	case "update:clients":
		return "set callbacks, web origins, logout URLs and grant types on an existing application"
	case "read:client_keys":
		return "the secret of an existing application can't be read; the confidential config / legacy ingestion needs it"
	case "read:resource_servers":
		return "read the scopes the Auth0 Management API defines"
	case "read:client_grants":
		return "find the existing authorization of the Auth0 Management API of the service account, or of a confidential client on OpenMetadata 1.10+"
	case "create:client_grants":
		return "authorize the service account, or a confidential client on OpenMetadata 1.10+ (OpenMetadata's validator asks), for the Auth0 Management API"
	case "update:client_grants":
		return "change the scopes of the service account's authorization"
	case "read:tenant_settings":
		return "show the tenant's friendly name (optional)"
	case "delete:client_grants":
		return "om-auth0 remove: delete the service account's authorization of the Auth0 Management API"
	case "delete:clients":
		return "om-auth0 remove: delete the applications om-auth0 created; setup: delete a duplicate application it created when two runs created one at the same time (optional)"
	}
	return ""
}

// validatorReason is why a confidential client on OpenMetadata 1.10 and
// later gets the client_credentials grant type and a Management API grant.
const validatorReason = "OpenMetadata's validator requests a client-credentials token for the Management API with this application's credentials"

// validatorToken reports whether OpenMetadata's own Auth0 validator (1.10
// and later: Settings > SSO, its validate API, and before it stores new
// settings) asks for a client-credentials token for the Management API
// with the UI application's id and secret: for a confidential client. It
// refuses the settings unless the application has the client_credentials
// grant type and a client grant for the Management API.
func (c Choices) validatorToken() bool {
	return c.ClientType == openmetadata.Confidential && c.Version.SettingsInDatabase()
}

// validatorGrant reports whether the UI step gives the UI application the
// client_credentials grant type and the Management API grant that
// validatorToken says OpenMetadata's validator needs. In "same" mode the
// service-account step gives it both.
func (c Choices) validatorGrant() bool { return c.validatorToken() && c.mode() != Same }

// mode is the service-account mode, defaulted from the version when unset.
func (c Choices) mode() ServiceAccountMode {
	if c.ServiceAccount == "" {
		return DefaultServiceAccountMode(c.Version)
	}
	return c.ServiceAccount
}

// requestToken asks the tenant for a client-credentials token for the Management API.
func (s *Session) requestToken(ctx context.Context, clientID, secret string, style auth0http.TokenStyle) (*auth0http.TokenResponse, error) {
	return auth0http.RequestToken(ctx, s.http, s.domain.TokenURL(), s.domain.ManagementAudience(), clientID, secret, style)
}

// managementToken gets the Management API token with HTTP Basic, falling back
// to the form body only when Basic is refused (an application whose token
// endpoint auth method is Post may refuse Basic).
func (s *Session) managementToken(ctx context.Context, clientID, secret string) (*auth0http.TokenResponse, error) {
	tr, err := s.requestToken(ctx, clientID, secret, auth0http.StyleBasic)
	var te *auth0http.TokenError
	if errors.As(err, &te) && (te.Status == http.StatusUnauthorized || te.Status == http.StatusBadRequest) {
		tr, err = s.requestToken(ctx, clientID, secret, auth0http.StyleForm)
	}
	if err != nil {
		return nil, s.tokenFailure("get a Management API token for "+strconvQuote(clientID), clientID, err, true)
	}
	return tr, nil
}

// tokenFailure explains a refused client-credentials request. mgmt says
// whether the client is the Management API application (Connect) or the
// service account (Verify).
func (s *Session) tokenFailure(opName, clientID string, err error, mgmt bool) error {
	if ce := contextError(err); ce != nil {
		return ce.with(opName, rerunHint)
	}
	var te *auth0http.TokenError
	if !errors.As(err, &te) || te.Status == 0 {
		return s.networkError(opName, rerunHint, err)
	}
	desc := firstNonEmpty(te.Body.ErrorDescription, te.Body.Message)
	e := &Error{Op: opName, Status: te.Status, Code: te.Body.Error, Auth0Message: desc, Err: err}
	app := fmt.Sprintf("application %q", clientID)
	lower := strings.ToLower(desc)
	switch {
	case te.Status == http.StatusUnauthorized || te.Body.Error == "invalid_client":
		e.Meaning = "Auth0 refused the client id or client secret: one of them is wrong"
		e.Hint = "copy both from Applications > Applications > (the application) > Settings"
	case te.Body.Error == "unauthorized_client" || strings.Contains(lower, "grant type"):
		e.Meaning = app + " may not use the Client Credentials grant"
		e.Hint = "enable it under Applications > Applications > (the application) > Advanced Settings > Grant Types"
		if mgmt {
			e.Hint += ", or use a Machine-to-Machine application"
		}
	case strings.Contains(lower, "service not enabled"):
		e.Meaning = "Auth0 does not know the Management API audience " + s.domain.ManagementAudience()
		e.Hint = "use the tenant's canonical domain (like acme.us.auth0.com), not a custom domain"
	case te.Status == http.StatusForbidden && (strings.Contains(lower, "not authorized") || strings.Contains(lower, "client-grant") || te.Body.Error == "access_denied"):
		e.Meaning = app + " is not authorized for the Auth0 Management API"
		e.Hint = "authorize it under " + whereM2M
	case te.Status == http.StatusNotFound:
		e.Meaning = "no Auth0 tenant answers at " + s.domain.String()
		e.Hint = "check the tenant domain (Settings > General shows it, like acme.us.auth0.com)"
	case te.Status == http.StatusTooManyRequests:
		e.Meaning = "Auth0's rate limit was still exceeded after retrying"
		e.Hint = "wait a minute and run again"
	case te.Status >= 500:
		e.Meaning = fmt.Sprintf("Auth0 failed with %d %s", te.Status, firstNonEmpty(desc, http.StatusText(te.Status)))
		e.Hint = "try again in a moment (see status.auth0.com)"
	default:
		e.Meaning = fmt.Sprintf("Auth0 refused the token request (%d %s: %s)", te.Status, te.Body.Error, desc)
		e.Hint = "check the application's settings in the Auth0 dashboard"
	}
	return e
}

func (s *Session) recordCreated(what string) {
	s.mu.Lock()
	s.created = append(s.created, what)
	s.mu.Unlock()
}
