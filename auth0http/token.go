package auth0http

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/om-auth0/om-auth0/termtext"
)

// TokenStyle is how a client-credentials request carries the client's secret.
type TokenStyle int

const (
	// StyleBasic sends HTTP Basic, as the guide's "Basic" auth method expects.
	StyleBasic TokenStyle = iota
	// StyleForm sends client_id and client_secret, URL-encoded, in the form body.
	StyleForm
	// StyleLegacyOM sends the form body exactly as OpenMetadata ≤ 1.0's
	// ingestion client and OpenMetadata's Auth0 settings validator build
	// it: fixed order, no escaping.
	StyleLegacyOM
)

// TokenResponse is a token endpoint's answer to a client-credentials request.
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
}

// TokenError is a refused client-credentials request.
type TokenError struct {
	Status int // 0 when there was no answer
	Body   ErrorBody
	Err    error // transport error when Status is 0
}

// Error is the transport error, or the status with Auth0's error and description.
func (e *TokenError) Error() string {
	if e.Status == 0 {
		return e.Err.Error()
	}
	desc := e.Body.ErrorDescription
	if desc == "" {
		desc = e.Body.Message
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Body.Error, desc)
}

// Unwrap returns the transport error.
func (e *TokenError) Unwrap() error { return e.Err }

// RequestToken asks tokenURL for a client-credentials token for audience,
// sending the secret as style says. A refusal or a missing token is a
// *TokenError.
func RequestToken(ctx context.Context, client *http.Client, tokenURL, audience, clientID, secret string, style TokenStyle) (*TokenResponse, error) {
	var body string
	switch style {
	case StyleLegacyOM:
		body = "grant_type=client_credentials&client_id=" + clientID + "&client_secret=" + secret + "&audience=" + audience
	case StyleForm:
		body = url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID}, "client_secret": {secret}, "audience": {audience}}.Encode()
	default:
		body = url.Values{"grant_type": {"client_credentials"}, "audience": {audience}}.Encode()
	}
	ctx, c := WithCall(WithIdempotent(ctx))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tokenURL, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if style == StyleBasic {
		// RFC 6749 §2.3.1: the id and secret are form-encoded before Basic encoding.
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, &TokenError{Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, eb, _ := c.Snapshot()
		return nil, &TokenError{Status: resp.StatusCode, Body: eb}
	}
	var tr TokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		return nil, &TokenError{Status: resp.StatusCode, Body: ErrorBody{Error: "invalid_response", ErrorDescription: "the token endpoint answered without an access_token"}}
	}
	return &tr, nil
}

// GetJSON fetches a public JSON document into v with a client from
// NewClient, following redirects within the same host (the request carries
// no credential). A cancelled or expired ctx is returned as it is; other
// failures say what happened: no answer, a redirect elsewhere (a
// *RedirectError), a status other than 200, or an answer too large, empty
// or not JSON (a *BodyError).
func GetJSON(ctx context.Context, client *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(WithoutCredentials(ctx), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var te *TimeoutError
		if (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) && !errors.As(err, &te) {
			return err
		}
		var redirect *RedirectError
		var body *BodyError
		if errors.As(err, &te) {
			return &TimeoutError{After: te.After, Err: errors.New(RootCause(te))}
		}
		if errors.As(err, &redirect) {
			return redirect
		}
		if errors.As(err, &body) {
			return body
		}
		// A certificate's names are server text: printed cleaned, while
		// callers can still tell a refused connection from a timeout.
		return &noAnswer{msg: "no answer: " + termtext.Clean(RootCause(err)), err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	return nil
}

// RootCause is the message of the innermost error err wraps: "connection
// refused" rather than the URL and operation around it.
func RootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// noAnswer is a request that got no answer: its message cleaned for
// printing, its cause kept for errors.Is and errors.As.
type noAnswer struct {
	msg string
	err error
}

func (e *noAnswer) Error() string { return e.msg }
func (e *noAnswer) Unwrap() error { return e.err }
