// Package omapi is om-auth0's client of a running OpenMetadata server's
// HTTP API: the public endpoints (version, its own JWKS, the sign-in
// settings of /api/v1/system/config/auth), basic-auth login, and, with an
// administrator's credential, the SSO settings of 1.10 and later (GET
// security/config, POST security/validate in both response shapes, and on
// 2.1 settings/source).
//
// The administrator's token goes to the OpenMetadata URL's host only: no
// redirect is ever followed (the error names where it pointed). Answers are
// capped at 16 MiB, and text that came from the server is cleaned of
// control and escape sequences before it reaches an error message.
package omapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/termtext"
)

// MaxBody caps every answer read from OpenMetadata.
const MaxBody = 16 << 20

// DefaultTimeout caps each request when Options.Timeout is 0.
const DefaultTimeout = 15 * time.Second

// API paths, relative to the OpenMetadata base URL.
const (
	PathVersion        = "/api/v1/system/version"
	PathJWKS           = "/api/v1/system/config/jwks"
	PathAuthConfig     = "/api/v1/system/config/auth"
	PathLogin          = "/api/v1/users/login"
	PathSecurityConfig = "/api/v1/system/security/config"
	PathValidate       = "/api/v1/system/security/validate"
	PathSettingsSource = "/api/v1/system/settings/source"
)

// Options tune the client. The zero value is right for real servers.
type Options struct {
	// HTTPClient is the base client (its transport is used; its redirect
	// policy is replaced: redirects are never followed). nil means a plain one.
	HTTPClient *http.Client
	// Timeout caps each request; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Client talks to one OpenMetadata server. It is safe for concurrent use
// once its token is set.
type Client struct {
	base  string
	http  *http.Client
	token string
}

// New is a client of the OpenMetadata server at omURL (checked with
// openmetadata.CheckURL).
func New(omURL string, opts Options) (*Client, error) {
	base, err := openmetadata.CheckURL(omURL)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		cp := *opts.HTTPClient
		hc = &cp
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Timeout = opts.Timeout
	if hc.Timeout <= 0 {
		hc.Timeout = DefaultTimeout
	}
	return &Client{base: base, http: hc}, nil
}

// URL is the server's base URL, without a trailing slash.
func (c *Client) URL() string { return c.base }

// WithToken is a copy of c that authenticates as an administrator with
// token (a personal access token, a JWT, or Login's access token).
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = strings.TrimSpace(token)
	return &cp
}

// HasToken reports whether the client carries an administrator's token.
func (c *Client) HasToken() bool { return c.token != "" }

// Error is an answer of OpenMetadata other than the expected one, or no answer.
type Error struct {
	Op     string // what was asked, like "read the SSO settings"
	URL    string
	Status int    // 0 when there was no answer
	Msg    string // the server's message, cleaned; or what went wrong
	Err    error  // the transport error, when there was no answer
}

// Error names the request, the status and the server's message.
func (e *Error) Error() string {
	switch {
	case e.Status == 0:
		return fmt.Sprintf("%s: %s: %s", e.Op, e.URL, e.Msg)
	case e.Msg != "":
		return fmt.Sprintf("%s: %s answered %d: %s", e.Op, e.URL, e.Status, e.Msg)
	default:
		return fmt.Sprintf("%s: %s answered %d %s", e.Op, e.URL, e.Status, http.StatusText(e.Status))
	}
}

// Unwrap returns the transport error.
func (e *Error) Unwrap() error { return e.Err }

// StatusOf is the HTTP status of an *Error in err's chain, 0 when none.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

// RedirectError is a redirect the client refused to follow, so that no
// credential reaches another host.
type RedirectError struct {
	URL      string // what was asked
	Status   int
	Location string // where it pointed, cleaned
}

// Error names the redirect's target.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s answered %d, a redirect to %s, which om-auth0 does not follow "+
		"(no credential leaves the OpenMetadata host): give the URL OpenMetadata answers at directly as --om-url", e.URL, e.Status, e.Location)
}

// do sends one request and decodes a 200 (or 204) answer into out (nil: ignore the body).
func (c *Client) do(ctx context.Context, op, method, path, contentType string, body []byte, auth bool, out any) error {
	u := c.base + path
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return &Error{Op: op, URL: u, Msg: err.Error(), Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth && c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &Error{Op: op, URL: u, Msg: "no answer: " + Clean(auth0http.RootCause(err)), Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return &Error{Op: op, URL: u, Status: resp.StatusCode,
			Err: &RedirectError{URL: u, Status: resp.StatusCode, Location: Clean(resp.Header.Get("Location"))},
			Msg: "a redirect to " + Clean(resp.Header.Get("Location")) + ", which om-auth0 does not follow (no credential leaves the OpenMetadata host)"}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return &Error{Op: op, URL: u, Status: resp.StatusCode, Msg: "the answer broke off: " + Clean(auth0http.RootCause(err)), Err: err}
	}
	if len(data) > MaxBody {
		return &Error{Op: op, URL: u, Status: resp.StatusCode, Msg: "the answer is larger than 16 MiB"}
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return &Error{Op: op, URL: u, Status: resp.StatusCode, Msg: serverMessage(data)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &Error{Op: op, URL: u, Status: resp.StatusCode, Msg: "the answer is not the JSON expected: " + Clean(err.Error())}
	}
	return nil
}

// serverMessage is the message of OpenMetadata's error body {"code","message"},
// else the start of the body; cleaned either way.
func serverMessage(data []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &e) == nil && e.Message != "" {
		return Clean(e.Message)
	}
	return Clean(string(data))
}

// Clean is termtext.Clean cut to a line's worth: OpenMetadata's error
// bodies can be whole HTML pages.
func Clean(s string) string {
	const limit = 300
	s = strings.TrimSpace(termtext.Clean(s))
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

// VersionInfo is /api/v1/system/version's answer.
type VersionInfo struct {
	Raw     string               // as the server wrote it, cleaned
	Version openmetadata.Version // parsed
}

// Version asks the server for its version (no token needed).
func (c *Client) Version(ctx context.Context) (VersionInfo, error) {
	const op = "ask OpenMetadata for its version"
	var body struct {
		Version string `json:"version"`
	}
	if err := c.do(ctx, op, http.MethodGet, PathVersion, "", nil, false, &body); err != nil {
		return VersionInfo{}, err
	}
	v, err := openmetadata.ParseVersion(body.Version)
	if err != nil {
		return VersionInfo{Raw: Clean(body.Version)}, &Error{Op: op, URL: c.base + PathVersion, Status: http.StatusOK, Msg: Clean(err.Error())}
	}
	return VersionInfo{Raw: Clean(body.Version), Version: v}, nil
}

// JWKS reads the server's own signing keys (no token needed): the keys its
// bots' tokens are checked with.
func (c *Client) JWKS(ctx context.Context) (auth0http.JWKS, error) {
	var set auth0http.JWKS
	err := c.do(ctx, "read OpenMetadata's own JWKS", http.MethodGet, PathJWKS, "", nil, false, &set)
	return set, err
}

// AuthConfig is what /api/v1/system/config/auth shows (no token needed):
// the sign-in settings the UI uses. The newest servers copy only these
// fields into it; the others come out as defaults and are not read here.
type AuthConfig struct {
	Provider     string `json:"provider"`
	ProviderName string `json:"providerName"`
	ClientType   string `json:"clientType"`
	ClientID     string `json:"clientId"`
	Authority    string `json:"authority"`
	CallbackURL  string `json:"callbackUrl"`
}

// AuthConfig reads the public sign-in settings.
func (c *Client) AuthConfig(ctx context.Context) (AuthConfig, error) {
	var a AuthConfig
	err := c.do(ctx, "read OpenMetadata's sign-in settings", http.MethodGet, PathAuthConfig, "", nil, false, &a)
	return a, err
}

// Login signs in with basic auth (POST /api/v1/users/login, the password
// base64-encoded as OpenMetadata wants it) and returns the access token. It
// works only while the server's provider is basic or ldap.
func (c *Client) Login(ctx context.Context, email, password string) (string, error) {
	body, err := json.Marshal(map[string]string{"email": email, "password": base64.StdEncoding.EncodeToString([]byte(password))})
	if err != nil {
		return "", err
	}
	var out struct {
		AccessToken string `json:"accessToken"`
	}
	const op = "sign in to OpenMetadata"
	if err := c.do(ctx, op, http.MethodPost, PathLogin, "application/json", body, false, &out); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &Error{Op: op, URL: c.base + PathLogin, Status: http.StatusOK, Msg: "the answer has no accessToken"}
	}
	return out.AccessToken, nil
}
