// Package sandbox is a simulated Auth0 tenant: the token endpoint, the OpenID
// discovery document and JWKS, and the part of the Management API that
// om-auth0 uses (clients, client grants, resource servers, tenant settings).
// It listens on a loopback address, in-process for tests and behind
// `om-auth0 sandbox`.
//
// Faithfulness to real Auth0 is the point: a sandbox more lenient than Auth0
// lets code pass here and break on a real tenant. Every behaviour copied from
// real Auth0 names its source in a comment: [REC <cassette>] for recorded
// traffic in shared/reference/auth0/recordings, [SRC <file>] for source code,
// [ISSUE <repo#n>] for a public issue. Where Auth0's behaviour is unknown
// (marked unverified in docs/auth0.md) the sandbox picks the stricter plausible
// behaviour and says so where it does.
//
// Tests inject faults into chosen requests (InjectFault: by method, path
// or path prefix, and the Nth matching request), each firing once:
//   - Status: an Auth0-style error answer (429 with rate limit headers,
//     5xx, ...); Message replaces its text, e.g. with HostileText, terminal
//     control sequences a client must never print raw.
//   - DropAfterCommit: the write happens and the answer is lost.
//   - Latency: the answer comes late, or never if the client gives up first.
//   - Redirect: a 301, 302, 307 or 308 to RedirectTo, another host. A
//     Catcher there records everything it receives (Authorization headers
//     and bodies included), so a test can show that no credential reached it.
//   - Body: a 200 (or Status) answer whose body is null, empty, an HTML
//     page, an oversized JSON array generated while it is sent (64 MiB by
//     default), or slow: headers at once, then the body trickles or stalls
//     until the client gives up. Streamed answers end when the client
//     leaves or the tenant closes; Close waits for them.
//
// None of these is Auth0's own behaviour: they stand for proxies, broken
// networks and hostile hosts between om-auth0 and the tenant. Hostile
// application names and descriptions need no fault: Auth0's rules on both
// admit control characters, and SeedApp (or POST /api/v2/clients) adds them.
//
// The tenant's clock (Options.Now, e.g. a ManualClock) drives the rate
// limit and token lifetimes, so no test needs to wait on a real limiter.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/om-auth0/om-auth0/internal/simfault"
	"github.com/om-auth0/om-auth0/tenant"
)

// WizardScopes are exactly the Management API scopes om-auth0 uses
// (docs/auth0.md, "Scopes om-auth0 needs"), with the optional delete:clients,
// which lets a run delete the duplicate application it created when another
// run created one at the same time.
var WizardScopes = []string{
	"read:clients",
	"read:client_keys",
	"create:clients",
	"update:clients",
	"read:resource_servers",
	"read:client_grants",
	"create:client_grants",
	"update:client_grants",
	"read:tenant_settings",
	"delete:clients",
}

// RemoveScopes are the scopes `om-auth0 remove` needs beyond WizardScopes:
// it deletes client grants and applications.
var RemoveScopes = []string{"delete:client_grants", "delete:clients"}

// Options configure a simulated tenant. The zero value is a tenant on
// 127.0.0.1 with a random port and Auth0's default rate limit.
type Options struct {
	// Addr is the loopback address to listen on; "" means 127.0.0.1:0.
	Addr string
	// RateLimit is the Management API budget in requests per second.
	// 0 means the default, like a paid Auth0 tenant: 15/s with bursts of 50.
	// A positive N allows N/s with bursts of N. Negative means unlimited.
	RateLimit int
	// TenantName is the tenant's friendly name; "" means "Sandbox".
	TenantName string
	// Now is the tenant's clock: rate limit windows and token lifetimes
	// follow it. nil means time.Now; tests pass a ManualClock's Now so that
	// no test waits on a real limiter.
	Now func() time.Time
	// TLS serves https with a self-signed certificate for 127.0.0.1, ::1
	// and localhost (see CertPEM and HTTPClient), the way a real tenant is
	// reached; the domain, issuer and Management API audience are then https.
	TLS bool
}

// Default rate limit: Auth0's Management API allows paid self-service
// tenants 15 requests per second with bursts of up to 50.
const (
	defaultRate  = 15
	defaultBurst = 50
)

// Server is a running simulated tenant.
type Server struct {
	opts   Options
	domain tenant.Domain
	srv    *http.Server
	mux    *http.ServeMux
	key    *signingKey
	cert   *serverCert      // nil without TLS
	now    func() time.Time // fixed at start; tests inject a fake clock

	clientMu sync.Mutex
	client   *http.Client // HTTPClient's; nil until asked for

	mu      sync.Mutex
	clients []*client // creation order, without the global client
	byID    map[string]*client
	global  *client
	grants  []*grant
	apis    []*resourceServer
	limiter *bucket // nil when unlimited

	logMu  sync.Mutex
	faults simfault.Queue[Fault]
	log    []Request

	// Streamed fault answers (BodyOversized, BodySlow): closed is done
	// when Close starts, which ends them, and Close waits for them.
	closed        context.Context
	shut          context.CancelFunc
	streamMu      sync.Mutex
	closing       bool
	activeStreams int
	streams       sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// TB is the part of testing.TB that NewTest needs.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Start runs a simulated tenant on opts.Addr (default 127.0.0.1:0), over
// plain http unless opts.TLS. It refuses non-loopback addresses.
func Start(opts Options) (*Server, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return start(opts, now)
}

// ManualClock is a clock that moves only when told to, for Options.Now.
// It is safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock is a clock that reads start until advanced.
func NewManualClock(start time.Time) *ManualClock { return &ManualClock{now: start} }

// Now is the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// NewTest starts a simulated tenant for a test and closes it when the test ends.
func NewTest(t TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("start simulated Auth0 tenant: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func start(opts Options, now func() time.Time) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := CheckAddr(addr); err != nil {
		return nil, err
	}
	key, err := tenantKey()
	if err != nil {
		return nil, err
	}
	scheme := "http"
	var cert *serverCert
	if opts.TLS {
		scheme = "https"
		if cert, err = tlsCert(); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	domain, err := tenant.Parse(scheme + "://" + ln.Addr().String())
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("listener address %s: %w", ln.Addr(), err)
	}
	if opts.TenantName == "" {
		opts.TenantName = "Sandbox"
	}
	s := &Server{
		opts:   opts,
		domain: domain,
		key:    key,
		cert:   cert,
		now:    now,
		byID:   map[string]*client{},
	}
	switch {
	case opts.RateLimit == 0:
		s.limiter = newBucket(defaultRate, defaultBurst, now())
	case opts.RateLimit > 0:
		s.limiter = newBucket(float64(opts.RateLimit), float64(opts.RateLimit), now())
	}
	mgmt, err := managementAPI(domain)
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s.apis = []*resourceServer{mgmt}
	s.global = s.newGlobalClient()
	s.closed, s.shut = context.WithCancel(context.Background())
	s.mux = s.routes()
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go s.serve(ln)
	return s, nil
}

// CheckAddr reports whether addr is a host:port on a loopback interface,
// the only place the simulated tenant may listen.
func CheckAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q is not host:port (example: 127.0.0.1:8080): %w", addr, err)
	}
	if port == "" {
		return fmt.Errorf("address %q has no port (example: 127.0.0.1:8080)", addr)
	}
	d := tenant.Domain{Scheme: "http", Host: net.JoinHostPort(host, port)}
	if host == "" || !d.IsLoopback() {
		return fmt.Errorf("address %q is not a loopback address: the simulated tenant listens on 127.0.0.1, ::1 or localhost only", addr)
	}
	return nil
}

// URL is the tenant's base URL, e.g. "http://127.0.0.1:PORT" ("https://…" with TLS).
func (s *Server) URL() string { return s.domain.String() }

// Domain is the tenant's domain.
func (s *Server) Domain() tenant.Domain { return s.domain }

// Close stops the tenant, drops open connections and ends the answers
// still streaming. Closing twice is harmless.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.streamMu.Lock()
		s.closing = true
		s.streamMu.Unlock()
		s.shut()
		defer s.streams.Wait()
		if err := s.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = fmt.Errorf("close simulated tenant: %w", err)
		}
		s.clientMu.Lock()
		if s.client != nil {
			s.client.CloseIdleConnections()
		}
		s.clientMu.Unlock()
	})
	return s.closeErr
}

// ClientState is a snapshot of one application.
type ClientState struct {
	ClientID                string
	Name                    string
	AppType                 string
	TokenEndpointAuthMethod string // "" when Auth0 would not return the field
	GrantTypes              []string
	Callbacks               []string
	WebOrigins              []string
	AllowedLogoutURLs       []string
	ClientMetadata          map[string]string
	ClientSecret            string
	Global                  bool
}

// GrantState is a snapshot of one client grant.
type GrantState struct {
	ID       string
	ClientID string
	Audience string
	Scope    []string
}

// Clients returns a snapshot of every application, in creation order, with
// the global "All Applications" client last (as Auth0 lists it).
func (s *Server) Clients() []ClientState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ClientState, 0, len(s.clients)+1)
	for _, c := range s.allClients() {
		out = append(out, c.state())
	}
	return out
}

// ClientGrants returns a snapshot of every client grant, in creation order.
func (s *Server) ClientGrants() []GrantState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]GrantState, 0, len(s.grants))
	for _, g := range s.grants {
		out = append(out, GrantState{ID: g.id, ClientID: g.clientID, Audience: g.audience, Scope: slices.Clone(g.scope)})
	}
	return out
}

// CreateM2MApp creates a Machine-to-Machine application, as the Dashboard
// does, and grants it the Management API with scopes (not checked against
// the API's scope list, so tests can build odd grants). It returns the
// application's credentials.
func (s *Server) CreateM2MApp(name string, scopes []string) (clientID, clientSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.newClient(map[string]any{
		"name":                       name,
		"app_type":                   "non_interactive",
		"token_endpoint_auth_method": "client_secret_post",
		"grant_types":                []string{"client_credentials"},
		"oidc_conformant":            true,
		"jwt_configuration":          map[string]any{"alg": "RS256", "lifetime_in_seconds": 36000},
	})
	s.addGrant(c.id, s.domain.ManagementAudience(), slices.Clone(scopes), nil)
	return c.id, c.secret
}

// SeedApps adds n applications of appType (spa, regular_web, native,
// non_interactive, ...) named "Seeded <appType> app <i>", as if created
// through the API without a token endpoint auth method, except that spa and
// native apps are public (method none) as the Dashboard creates them.
func (s *Server) SeedApps(n int, appType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 1; i <= n; i++ {
		body := map[string]any{
			"name":     fmt.Sprintf("Seeded %s app %d", appType, i),
			"app_type": appType,
		}
		if appType == "spa" || appType == "native" {
			body["token_endpoint_auth_method"] = "none"
		}
		s.newClient(body)
	}
}

// SeedApp adds an application of appType with name and description (""
// for none) through the same rules as POST /api/v2/clients, and returns its
// client id. Auth0's rules admit control characters in both, so a tenant
// can hold names like HostileText; what breaks the rules SeedApp refuses,
// with Auth0's error message.
func (s *Server) SeedApp(name, description, appType string) (string, error) {
	body := map[string]any{"name": name, "app_type": appType}
	if description != "" {
		body["description"] = description
	}
	if err := validateBody(body, clientProps, []string{"name"}, false); err != nil {
		return "", fmt.Errorf("seed application %q: %d %s", name, err.StatusCode, err.Message)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newClient(body).id, nil
}

// allClients lists the clients as Auth0 does: creation order, global last
// [REC TestAccDataClients: "All Applications" is the last of the list]. s.mu must be held.
func (s *Server) allClients() []*client {
	out := make([]*client, 0, len(s.clients)+1)
	out = append(out, s.clients...)
	return append(out, s.global)
}
