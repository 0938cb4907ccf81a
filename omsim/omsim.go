// Package omsim is a simulated OpenMetadata server: the HTTP surface that
// om-auth0 reads and writes to set up single sign-on, faithful to what
// OpenMetadata's source shows, on a loopback port, in-process for tests and
// behind `om-auth0 sandbox`.
//
// What is simulated, by version (Options.Version):
//
//   - Every version: GET /api/v1/system/version ({version, revision,
//     timestamp}), /api/v1/system/config/jwks (the server's own signing key),
//     /api/v1/system/config/auth, /api/v1/system/config/authorizer and
//     /api/v1/system/health without a token; POST /api/v1/users/login
//     (basic sign-in, password base64, only while the provider is basic or
//     ldap); PUT /api/v1/system/settings refusing the two security settings.
//   - Before 1.10 the security settings come from the deployment's files
//     only: the security and settings-source endpoints answer 404, as on a
//     server without them.
//   - 1.10 to 2.0: the settings live in the database, seeded once from the
//     files at the first start; GET/PUT/PATCH /api/v1/system/security/config
//     and POST /api/v1/system/security/validate with the older response
//     shape ({status, message, results:[{component, status, message}]}). PUT
//     echoes its body and stores a masked secret "*********" as is.
//   - 2.1: the newer validation shape ({status, errors:[{field, error}]}),
//     PUT keeping the stored secret where it is sent masked and answering the
//     masked settings, GET /api/v1/system/settings/source and POST
//     …/settings/source/{configType}/adopt, the AUTO / ENV / DB modes of
//     SECURITY_CONFIG_SOURCE, and 409 for writes in ENV mode.
//
// Settings saved through the API apply at once, as OpenMetadata reloads its
// security system on a save; Restart simulates the next start (seeding,
// reconciling the files per mode, creating admin users from
// adminPrincipals, which OpenMetadata does only at start).
//
// The settings validator does what OpenMetadata's Auth0 validator does
// against the Auth0 tenant: the discovery document, the /authorize probe of
// the client id, each public key URL fetched, and for a confidential client
// the OIDC settings checked against discovery and a client-credentials
// token asked for {domain}/api/v2/ with the secret in the form body.
//
// Administrators authenticate with a personal access token (AdminToken,
// for OM_ADMIN_TOKEN; UserToken mints a non-admin's) or with basic login
// (AdminCredentials). Refusals use OpenMetadata's bodies: 401 from
// JwtFilter ("Not Authorized! Token not present", "Invalid token",
// "Expired token!"), 403 "Principal: CatalogPrincipal{name='…'} is not
// admin", and {"code","message"} for every error.
//
// Test hooks, as in package sandbox: Options start a version with given
// files (Deployment), database rows (Stored) and source mode; Settings,
// SettingsJSON and Deployment read them back; SetStored, SetDeployment,
// SetSourceMode, RemoveStored and Restart change them the ways operators
// do; Requests is the request log (method, path, credential, body with
// secrets masked, status); InjectFault answers a chosen request with a
// status (a 412 of a concurrent PATCH writer, a 500 of a failed reload),
// a redirect or a delay.
//
// Choices where OpenMetadata's behaviour is not confirmed (UNVERIFIED; the
// stricter plausible behaviour is taken):
//   - The Auth0 checks run for every auth0 configuration. The older
//     (pre-2.1) SystemRepository runs them only when oidcConfiguration is
//     present; the newer always does.
//   - The validator's plain GETs (discovery, public keys, the confidential
//     client's /authorize probe) do not follow redirects.
//   - Bean validation failures of a 1.10–2.0 PUT answer 422 with
//     Dropwizard's {"errors":[…]} body; 2.1 answers 400 {"code","message"}.
//   - /api/v1/system/config/auth on 1.10–1.12 serves the files' settings,
//     not the database's (issue #29597 was seen on 1.10.1–1.12.12; its fix
//     is taken to be 1.13); from 2.0.10 only the fields the newest server
//     copies, with the schema's defaults written for the others (publicKeyUrls
//     [], responseType "id_token"), so that a client comparing them fails
//     here; before 2.0.10, the settings without their LDAP, OIDC and SAML
//     details.
//   - A user named in adminPrincipals becomes an admin at the next start
//     (admin bootstrap), not when the settings are saved.
//   - 2.1 masks the fields whose schema says "format": "password" that
//     the simulation knows: the OIDC client secret, the LDAP admin and trust
//     store passwords, the SAML private key. Bot tokens (which get unmasked
//     values) are not simulated.
//   - A login session ends when the provider changes (the newest JwtFilter:
//     "Session was issued by a provider that is no longer configured."), on
//     every version that can change it at run time. Personal access tokens
//     (AdminToken, UserToken) survive.
//   - adopt's refusal to mix providers and its unknown-path answer, the
//     discovery-comparison messages for confidential clients and the login
//     refusal for other providers (403 "Not Implemented") have invented
//     wording.
//   - Unknown fields in a settings body are kept, not refused: newer
//     schemas add fields, and a client must be able to send back what a GET
//     gave it.
//   - Validation's AuthenticationCodeFlowHandler.validateConfig step is not
//     simulated beyond the checks above.
//
// Loopback authorities: OpenMetadata requires the tenant's issuer to be
// https. The simulated tenant (package sandbox) serves plain http on
// 127.0.0.1, so this server accepts an http issuer when its host is a
// loopback address, and nowhere else.
package omsim

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/om-auth0/om-auth0/internal/simfault"
	"github.com/om-auth0/om-auth0/sandbox"
)

// DefaultVersion is the version a server runs when Options.Version is "".
const DefaultVersion = "2.0.2"

// Source modes of SECURITY_CONFIG_SOURCE (2.1).
const (
	ModeAuto = "AUTO"
	ModeEnv  = "ENV"
	ModeDB   = "DB"
)

// Default basic-auth administrator of a fresh installation.
const (
	DefaultAdminEmail    = "admin@open-metadata.org"
	DefaultAdminPassword = "admin"
)

const (
	jwksPath = "/api/v1/system/config/jwks"
	// keyID is the kid of the signing key OpenMetadata ships (JWT_KEY_ID).
	keyID = "Gb389a-9f76-gdjs-a92j-0242bk94356"
	// issuer of the tokens OpenMetadata signs (JWT_ISSUER).
	issuer = "open-metadata.org"
)

// Options configure a simulated server. The zero value is a fresh 2.0.2
// installation (basic sign-in) on 127.0.0.1 with a random port.
type Options struct {
	// Addr is the loopback address to listen on; "" means 127.0.0.1:0.
	Addr string
	// Version is the OpenMetadata version, like "1.6.4", "2.0.2" or "2.1.0".
	Version string
	// Deployment is what the files and environment say (openmetadata.yaml,
	// env, Helm values), given the server's URL. nil means FreshInstall.
	Deployment func(omURL string) SecurityConfig
	// Stored, from 1.10, is what the database holds at start (rows written
	// earlier through the API or a previous deployment). nil means the rows
	// are absent, and the first start seeds them from Deployment.
	Stored func(omURL string) SecurityConfig
	// SourceMode is SECURITY_CONFIG_SOURCE on 2.1: ModeAuto (""), ModeEnv or
	// ModeDB. Earlier versions refuse anything but "".
	SourceMode string
	// AdminEmail and AdminPassword sign the administrator in with basic
	// auth; "" means admin@open-metadata.org and "admin".
	AdminEmail, AdminPassword string
	// HTTPClient is what the settings validator calls the Auth0 tenant
	// with (for a tenant over TLS, one that trusts its certificate). Its
	// redirect policy is replaced: the validator never follows redirects.
	// nil means a plain client with a 10 s timeout.
	HTTPClient *http.Client
}

// Server is a running simulated OpenMetadata.
type Server struct {
	opts    Options
	version version
	url     string
	srv     *http.Server
	key     *signer
	client  *http.Client
	started time.Time

	mu         sync.Mutex
	deployment object // the files now
	running    object // the files as read at the last start
	stored     object // the database rows; nil before 1.10
	snapshot   object // the files at the last start (AUTO mode)
	mode       string
	nextMode   string          // SetSourceMode's, for the next start
	admins     map[string]bool // users OpenMetadata knows, and whether each is an admin
	adminToken string

	logMu  sync.Mutex
	faults simfault.Queue[Fault]
	log    []Request

	closeOnce sync.Once
	closeErr  error
}

// TB is the part of testing.TB that NewTest needs.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// NewTest starts a simulated server for a test and closes it when the test ends.
func NewTest(t TB, opts Options) *Server {
	t.Helper()
	s, err := Start(opts)
	if err != nil {
		t.Fatalf("start simulated OpenMetadata: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// Start runs a simulated OpenMetadata on opts.Addr (default 127.0.0.1:0).
// It refuses non-loopback addresses, unknown versions, and a source mode
// before 2.1.
func Start(opts Options) (*Server, error) {
	if opts.Version == "" {
		opts.Version = DefaultVersion
	}
	v, err := parseVersion(opts.Version)
	if err != nil {
		return nil, err
	}
	mode := strings.ToUpper(opts.SourceMode)
	switch {
	case mode == "":
		mode = ModeAuto
	case !v.atLeast(2, 1, 0):
		return nil, fmt.Errorf("source mode %q needs OpenMetadata 2.1 or later, not %s: leave SourceMode empty", opts.SourceMode, opts.Version)
	case mode != ModeAuto && mode != ModeEnv && mode != ModeDB:
		return nil, fmt.Errorf("source mode %q is not AUTO, ENV or DB", opts.SourceMode)
	}
	if opts.Stored != nil && !v.settingsInDatabase() {
		return nil, fmt.Errorf("OpenMetadata %s keeps no settings in its database (1.10 and later do): leave Stored nil", opts.Version)
	}
	if opts.AdminEmail == "" {
		opts.AdminEmail = DefaultAdminEmail
	}
	if opts.AdminPassword == "" {
		opts.AdminPassword = DefaultAdminPassword
	}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := sandbox.CheckAddr(addr); err != nil {
		return nil, fmt.Errorf("simulated OpenMetadata: %w", err)
	}
	key, err := serverKey()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &Server{
		opts:    opts,
		version: v,
		url:     "http://" + ln.Addr().String(),
		key:     key,
		client:  validatorClient(opts.HTTPClient),
		started: time.Now(),
		mode:    mode,
		admins:  map[string]bool{},
	}
	deploy := FreshInstall(s.url)
	if opts.Deployment != nil {
		deploy = opts.Deployment(s.url)
	}
	s.deployment = toObject(deploy)
	if opts.Stored != nil {
		s.stored = toObject(opts.Stored(s.url))
		// Rows written before this start: the files they came from are
		// unknown, so AUTO mode treats every difference as an API change
		// and keeps the row's value.
		s.snapshot = copyObject(s.deployment)
	}
	s.startUp()
	s.adminToken, err = s.key.sign(s.personalToken(adminName(opts.AdminEmail)))
	if err != nil {
		_ = ln.Close()
		return nil, err
	}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// validatorClient copies c (or makes a client with its own connections)
// so that it never follows redirects.
func validatorClient(c *http.Client) *http.Client {
	out := &http.Client{Timeout: 10 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()}
	if c != nil {
		cp := *c
		out = &cp
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return out
}

// startUp is what OpenMetadata does at start: from 1.10 seed the database
// rows once (and on 2.1 reconcile them with the files per source mode),
// then create the admin users named in adminPrincipals. s.mu must be held
// or the server not yet serving.
func (s *Server) startUp() {
	s.running = copyObject(s.deployment)
	if s.version.settingsInDatabase() {
		switch {
		case s.stored == nil:
			s.stored = copyObject(s.deployment)
		case s.version.hasSettingsSource():
			s.reconcile()
		}
		s.snapshot = copyObject(s.deployment)
	}
	s.admins[adminName(s.opts.AdminEmail)] = true
	live := typed(s.live())
	for _, p := range live.Authorizer.AdminPrincipals {
		s.admins[strings.ToLower(p)] = true
	}
}

// reconcile applies the files to the stored rows at start, per source mode
// (2.1): ENV overwrites every field the files set; AUTO applies the fields
// the files changed since the last start unless the API changed them too;
// DB fills only the fields the rows lack.
func (s *Server) reconcile() {
	for _, key := range settingKeys {
		file, row := section(s.deployment, key), section(s.stored, key)
		if file == nil {
			continue
		}
		if row == nil {
			s.stored[key] = copyObject(file)
			continue
		}
		for _, p := range fieldPaths(file) {
			fv, _ := pointerGet(file, p)
			rv, rowErr := pointerGet(row, p)
			apply := false
			switch s.mode {
			case ModeEnv:
				apply = true
			case ModeDB:
				apply = rowErr != nil
			default:
				before, _ := pointerGet(section(s.snapshot, key), p)
				changedByFiles := !sameJSON(before, fv)
				changedByAPI := !sameJSON(before, rv)
				apply = changedByFiles && !changedByAPI
			}
			if apply {
				if updated, err := pointerAdd(row, p, deepCopy(fv)); err == nil {
					row = updated.(object)
				} else if updated, err := setWithParents(row, p, deepCopy(fv)); err == nil {
					row = updated
				}
			}
		}
		s.stored[key] = row
	}
}

// setWithParents sets p in o, creating missing parent objects.
func setWithParents(o object, p string, v any) (object, error) {
	parts, err := splitPointer(p)
	if err != nil || len(parts) == 0 {
		return nil, fmt.Errorf("bad pointer %q", p)
	}
	cur := o
	for _, k := range parts[:len(parts)-1] {
		next, ok := cur[k].(object)
		if !ok {
			next = object{}
			cur[k] = next
		}
		cur = next
	}
	cur[parts[len(parts)-1]] = v
	return o, nil
}

// live is the configuration the server runs with. s.mu must be held.
func (s *Server) live() object {
	if s.version.settingsInDatabase() {
		return s.stored
	}
	return s.running
}

// URL is the server's base URL, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.url }

// Version is the version the server reports.
func (s *Server) Version() string { return s.opts.Version }

// AdminToken is a personal access token of the administrator: it
// authenticates as an admin whatever the provider, as a PAT does.
func (s *Server) AdminToken() string { return s.adminToken }

// UserToken is a personal access token of the user name (created if new),
// who is an admin only if an adminPrincipals list named them at a start.
func (s *Server) UserToken(name string) string {
	s.mu.Lock()
	name = strings.ToLower(name)
	if _, ok := s.admins[name]; !ok {
		s.admins[name] = false
	}
	s.mu.Unlock()
	tok, err := s.key.sign(s.personalToken(name))
	if err != nil {
		// Signing with a valid RSA key does not fail; an empty token is refused.
		return ""
	}
	return tok
}

// AdminCredentials are the basic-auth administrator's email and password.
func (s *Server) AdminCredentials() (email, password string) {
	return s.opts.AdminEmail, s.opts.AdminPassword
}

// Settings is the configuration the server runs with: the database rows
// from 1.10, the files before. Secrets are not masked.
func (s *Server) Settings() SecurityConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return typed(s.live())
}

// SettingsJSON is Settings as the server stores it, with every field it was
// sent (those the SecurityConfig type does not name too).
func (s *Server) SettingsJSON() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return mustJSON(s.live())
}

// Deployment is what the simulated files say.
func (s *Server) Deployment() SecurityConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return typed(s.deployment)
}

// SetStored writes the database rows directly (1.10 and later), as another
// replica, the ops script or an earlier run would have; they apply at once.
func (s *Server) SetStored(c SecurityConfig) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.version.settingsInDatabase() {
		return fmt.Errorf("OpenMetadata %s keeps no settings in its database", s.opts.Version)
	}
	s.stored = toObject(c)
	return nil
}

// SetDeployment changes the simulated files; like real files they are read
// at the next Restart.
func (s *Server) SetDeployment(c SecurityConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deployment = toObject(c)
}

// SetSourceMode changes SECURITY_CONFIG_SOURCE (2.1); like the variable
// it takes effect at the next Restart.
func (s *Server) SetSourceMode(mode string) error {
	mode = strings.ToUpper(mode)
	if !s.version.hasSettingsSource() {
		return fmt.Errorf("OpenMetadata %s has no settings source modes (2.1 and later do)", s.opts.Version)
	}
	if mode != ModeAuto && mode != ModeEnv && mode != ModeDB {
		return fmt.Errorf("source mode %q is not AUTO, ENV or DB", mode)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextMode = mode
	return nil
}

// RemoveStored deletes the database rows, as `openmetadata-ops.sh
// remove-security-config --force` does; the next Restart seeds them again
// from the files.
func (s *Server) RemoveStored() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version.settingsInDatabase() {
		s.stored = nil
	}
}

// Restart simulates a restart of the server: the files are read again
// (from 1.10 only to seed missing rows, or on 2.1 per source mode) and
// admin users are created for adminPrincipals. Tokens stay valid.
func (s *Server) Restart() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nextMode != "" {
		s.mode, s.nextMode = s.nextMode, ""
	}
	s.startUp()
}

// Close stops the server and drops open connections. Closing twice is harmless.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		if err := s.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = fmt.Errorf("close simulated OpenMetadata: %w", err)
		}
		if s.opts.HTTPClient == nil {
			// The connections are this server's own; a given client's are its owner's.
			s.client.CloseIdleConnections()
		}
	})
	return s.closeErr
}

// adminName is the user name OpenMetadata derives from an email: its local part, lowercased.
func adminName(email string) string {
	name, _, _ := strings.Cut(email, "@")
	return strings.ToLower(name)
}

// version is a parsed OpenMetadata version.
type version [3]int

func parseVersion(s string) (version, error) {
	core, _, _ := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return version{}, fmt.Errorf("OpenMetadata version %q is not MAJOR.MINOR.PATCH (example: 2.0.2)", s)
	}
	var v version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return version{}, fmt.Errorf("OpenMetadata version %q is not MAJOR.MINOR.PATCH (example: 2.0.2)", s)
		}
		v[i] = n
	}
	if !v.atLeast(1, 0, 0) {
		return version{}, fmt.Errorf("OpenMetadata version %q is older than 1.0, which is not simulated", s)
	}
	return v, nil
}

func (v version) atLeast(major, minor, patch int) bool {
	return slices.Compare(v[:], []int{major, minor, patch}) >= 0
}

// settingsInDatabase: from 1.10 the security settings live in the database.
func (v version) settingsInDatabase() bool { return v.atLeast(1, 10, 0) }

// hasSettingsSource: 2.1 adds settings/source, adopt, the source modes and the newer validation shape.
func (v version) hasSettingsSource() bool { return v.atLeast(2, 1, 0) }
