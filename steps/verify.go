package steps

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
)

// Names of the verification checks (screens.md "Verification"). Names that
// carry a value are built by the Check* functions.
const (
	CheckTokenBasic = "token with HTTP Basic, as the guide configures it"
	// CheckTokenForm runs for OpenMetadata ≤ 1.0 only (openmetadata.BandLegacy).
	CheckTokenForm = "token with the secret in the form body, as OpenMetadata ≤ 1.0 ingestion sends it"
)

// CheckValidatorToken names the check, for a confidential client on
// OpenMetadata 1.10 and later, that OpenMetadata's own validator makes of
// the UI application: a client-credentials token for the Management API
// audience, the application's id and secret in the form body.
func CheckValidatorToken(audience string) string {
	return "token for " + audience + " with the application's secret in the form body, as OpenMetadata's validator asks"
}

// CheckSignature names the signature check against the tenant's JWKS.
func CheckSignature(jwksURL string) string { return "signature checks out against " + jwksURL }

// CheckClaims names the iss/sub/aud/exp check of the service account's token.
func CheckClaims(clientID, audience string) string {
	return "sub " + clientID + "@clients · aud " + audience
}

// CheckScopes names the comparison of granted and requested scopes.
func CheckScopes(requested []string) string {
	list := strings.Join(requested, " ")
	if list == "" {
		list = "none"
	}
	return "granted scopes = requested (" + list + ")"
}

// CheckDiscovery names the check of the tenant's OpenID Connect discovery document.
func CheckDiscovery(url string) string { return "discovery document answers at " + url }

// CheckJWKS names the check of the tenant's signing keys.
func CheckJWKS(url string) string { return "JWKS answers at " + url }

// CheckAppURLs names the check of the UI application's sign-in URLs.
func CheckAppURLs(omURL string) string {
	return "callbacks, web origins and logout URLs include " + omURL
}

// Verify implements Runner. The independent requests (discovery document,
// JWKS, the token requests) run in parallel; the checks that need their
// answers follow. The service account's token is requested with HTTP Basic,
// as the guide configures it, and for OpenMetadata ≤ 1.0 also with the
// secret in the form body, the way its ingestion asks; later versions'
// ingestion signs in with the ingestion-bot's JWT, so nothing sends that
// form and it is not checked. For a confidential client on 1.10 and later,
// the UI application's token is requested as OpenMetadata's validator asks
// for it.
func (s *Session) Verify(ctx context.Context, c Choices, ui *App, sa *ServiceAccount) Verification {
	var (
		wg                crash.Group
		discoveryErr      error
		keys              map[string]*rsa.PublicKey
		keysErr           error
		basic, form       *auth0http.TokenResponse
		basicErr, formErr error
		validatorErr      error
	)
	aud := s.domain.ManagementAudience()
	bot := (*App)(nil)
	if sa != nil && sa.Mode != Skip {
		bot = sa.App
	}
	validator := ui != nil && c.validatorToken()
	if validator && ui.ClientSecret != "" {
		// StyleLegacyOM: the validator, too, joins the form unescaped.
		wg.Go(func() {
			_, validatorErr = s.requestToken(ctx, ui.ClientID, ui.ClientSecret, auth0http.StyleLegacyOM)
		})
	}
	legacy := c.Version.Band() == openmetadata.BandLegacy
	if bot != nil && bot.ClientSecret != "" {
		wg.Go(func() { basic, basicErr = s.requestToken(ctx, bot.ClientID, bot.ClientSecret, auth0http.StyleBasic) })
		if legacy {
			wg.Go(func() { form, formErr = s.requestToken(ctx, bot.ClientID, bot.ClientSecret, auth0http.StyleLegacyOM) })
		}
	}
	// After the token requests are sent: the public reads ApplyUIApp
	// started may still be on their way.
	read := s.publicRead()
	if ui != nil && (!read || s.discoveryErr != nil) {
		wg.Go(func() { discoveryErr = s.checkDiscovery(ctx) })
	}
	readKeys := read && s.keysErr == nil
	if (ui != nil || bot != nil) && !readKeys {
		wg.Go(func() { keys, keysErr = s.fetchJWKS(ctx) })
	} else if readKeys {
		keys = s.keys
	}
	wg.Wait()

	var v Verification
	if ui != nil {
		v.Checks = append(v.Checks,
			result(CheckDiscovery(s.domain.DiscoveryURL()), discoveryErr),
			result(CheckJWKS(s.domain.JWKSURL()), keysErr),
			result(CheckAppURLs(normalizeURL(c.OMURL)), appURLs(ui, normalizeURL(c.OMURL))))
	}
	if validator {
		check := Check{Name: CheckValidatorToken(aud), Detail: firstNonEmpty(ui.SecretUnavailable, "the client secret is unknown")}
		if ui.ClientSecret != "" {
			check = result(check.Name, s.tokenCheckError(ui, validatorErr))
		}
		v.Checks = append(v.Checks, check)
	}
	if bot == nil {
		return v
	}
	if bot.ClientSecret == "" {
		why := firstNonEmpty(bot.SecretUnavailable, "the client secret is unknown")
		v.Checks = append(v.Checks, Check{Name: CheckTokenBasic, Detail: why})
		if legacy {
			v.Checks = append(v.Checks, Check{Name: CheckTokenForm, Detail: why})
		}
	} else {
		v.Checks = append(v.Checks, result(CheckTokenBasic, s.tokenCheckError(bot, basicErr)))
		if legacy {
			v.Checks = append(v.Checks, result(CheckTokenForm, s.tokenCheckError(bot, formErr)))
		}
	}
	token := ""
	switch {
	case basic != nil:
		token = basic.AccessToken
	case form != nil:
		token = form.AccessToken
	}
	noToken := errors.New("no token to check")
	requested := cleanScopes(c.Scopes)
	if token == "" {
		v.Checks = append(v.Checks,
			result(CheckSignature(s.domain.JWKSURL()), noToken),
			result(CheckClaims(bot.ClientID, aud), noToken),
			result(CheckScopes(requested), noToken))
		return v
	}
	sigErr := keysErr
	if sigErr == nil {
		sigErr = auth0http.CheckSignature(token, keys)
	}
	if sigErr != nil && readKeys {
		// The keys were read before the run's writes: a key rotated
		// since then is only in the tenant's JWKS now.
		if keys, keysErr = s.fetchJWKS(ctx); keysErr != nil {
			sigErr = keysErr
		} else {
			sigErr = auth0http.CheckSignature(token, keys)
		}
	}
	claims, claimsErr := auth0http.DecodeClaims(token)
	scopeErr := claimsErr
	if claimsErr == nil {
		claimsErr = s.checkClaims(claims, bot.ClientID, time.Now())
		scopeErr = compareScopes(claims.Scopes(), requested)
	}
	v.Checks = append(v.Checks,
		result(CheckSignature(s.domain.JWKSURL()), sigErr),
		result(CheckClaims(bot.ClientID, aud), claimsErr),
		result(CheckScopes(requested), scopeErr))
	return v
}

func result(name string, err error) Check {
	if err != nil {
		return Check{Name: name, Detail: err.Error()}
	}
	return Check{Name: name, OK: true}
}

// tokenCheckError explains a refused token request of app.
func (s *Session) tokenCheckError(app *App, err error) error {
	if err == nil {
		return nil
	}
	e := s.tokenFailure("", app.ClientID, err, false)
	var se *Error
	if errors.As(e, &se) {
		msg := se.Meaning
		if se.Hint != "" {
			msg += " — " + se.Hint
		}
		return errors.New(msg)
	}
	return e
}

// startPublicReads reads the tenant's discovery document and JWKS in the
// background, once per session, for Verify: they need no token, so they
// need not wait for the run's last step. ApplyUIApp starts them.
func (s *Session) startPublicReads(ctx context.Context) {
	s.publicOnce.Do(func() {
		g := new(crash.Group)
		g.Go(func() { s.discoveryErr = s.checkDiscovery(ctx) })
		g.Go(func() { s.keys, s.keysErr = s.fetchJWKS(ctx) })
		s.mu.Lock()
		s.public = g
		s.mu.Unlock()
	})
}

// publicRead waits for the reads startPublicReads started and reports
// whether there were any; their outcome is in s.discoveryErr, s.keys and
// s.keysErr.
func (s *Session) publicRead() bool {
	s.mu.Lock()
	g := s.public
	s.mu.Unlock()
	if g == nil {
		return false
	}
	g.Wait()
	return true
}

// checkDiscovery is CheckTenantDiscovery for the session's tenant.
func (s *Session) checkDiscovery(ctx context.Context) error {
	return CheckTenantDiscovery(ctx, s.http, s.domain)
}

func (s *Session) fetchJWKS(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	return FetchTenantJWKS(ctx, s.http, s.domain)
}

// CheckTenantDiscovery checks that d's discovery document (public, no
// credentials) names the tenant as issuer and points at its JWKS, as
// OpenMetadata's OIDC client reads them.
func CheckTenantDiscovery(ctx context.Context, client *http.Client, d tenant.Domain) error {
	var doc struct {
		Issuer        string `json:"issuer"`
		JWKSURI       string `json:"jwks_uri"`
		AuthEndpoint  string `json:"authorization_endpoint"`
		TokenEndpoint string `json:"token_endpoint"`
	}
	if err := auth0http.GetJSON(ctx, client, d.DiscoveryURL(), &doc); err != nil {
		return err
	}
	switch {
	case doc.Issuer != d.Issuer():
		return fmt.Errorf("its issuer is %q, not %q", doc.Issuer, d.Issuer())
	case doc.JWKSURI != d.JWKSURL():
		return fmt.Errorf("its jwks_uri is %q, not %q", doc.JWKSURI, d.JWKSURL())
	case doc.AuthEndpoint == "" || doc.TokenEndpoint == "":
		return errors.New("it lacks the authorization or token endpoint")
	}
	return nil
}

// FetchTenantJWKS reads d's signing keys (public, no credentials).
func FetchTenantJWKS(ctx context.Context, client *http.Client, d tenant.Domain) (map[string]*rsa.PublicKey, error) {
	var set auth0http.JWKS
	if err := auth0http.GetJSON(ctx, client, d.JWKSURL(), &set); err != nil {
		return nil, err
	}
	return set.RSAKeys()
}

// checkClaims checks iss, aud, exp and sub of the service account's token.
func (s *Session) checkClaims(c auth0http.Claims, clientID string, now time.Time) error {
	var problems []string
	if c.Issuer != s.domain.Issuer() {
		problems = append(problems, fmt.Sprintf("iss is %q, not %q", c.Issuer, s.domain.Issuer()))
	}
	if aud := s.domain.ManagementAudience(); !slices.Contains(c.Audience, aud) {
		problems = append(problems, fmt.Sprintf("aud is %q, not %q", strings.Join(c.Audience, ", "), aud))
	}
	if want := clientID + "@clients"; c.Subject != want {
		problems = append(problems, fmt.Sprintf("sub is %q, not %q", c.Subject, want))
	}
	switch {
	case c.Expiry == 0:
		problems = append(problems, "exp is missing")
	case !time.Unix(c.Expiry, 0).After(now):
		problems = append(problems, "the token expired at "+time.Unix(c.Expiry, 0).UTC().Format(time.RFC3339))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// compareScopes names the scopes granted but not requested, and the reverse.
func compareScopes(granted, requested []string) error {
	var missing, extra []string
	for _, r := range requested {
		if !slices.Contains(granted, r) {
			missing = append(missing, r)
		}
	}
	for _, g := range granted {
		if !slices.Contains(requested, g) {
			extra = append(extra, g)
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "not granted: "+strings.Join(missing, " "))
	}
	if len(extra) > 0 {
		parts = append(parts, "granted but not requested: "+strings.Join(extra, " "))
	}
	if len(parts) > 0 {
		return errors.New(strings.Join(parts, "; "))
	}
	return nil
}

// appURLs checks the UI application's sign-in URLs as Auth0 returned them.
func appURLs(ui *App, omURL string) error {
	var missing []string
	if !slices.Contains(ui.Callbacks, omURL+"/callback") {
		missing = append(missing, "callback "+omURL+"/callback")
	}
	if !slices.Contains(ui.WebOrigins, omURL) {
		missing = append(missing, "web origin "+omURL)
	}
	if !slices.Contains(ui.AllowedLogoutURLs, omURL) {
		missing = append(missing, "logout URL "+omURL)
	}
	if len(missing) > 0 {
		return errors.New("missing " + strings.Join(missing, ", "))
	}
	return nil
}
