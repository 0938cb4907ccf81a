package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
)

// handleAuthorize is the first step of Auth0's browser login, which
// OpenMetadata's settings validator probes to learn whether a client id
// exists: it sends GET /authorize without following the redirect and reads
// 302 or 200 as "the client exists", 400 or 404 as "Invalid Auth0 client ID"
// [SRC OpenMetadata Auth0Validator.validateClientIdViaAuthorizationEndpoint].
// A known client is redirected to the Universal Login page; the sandbox
// serves no login page, so no browser sign-in is simulated. An unknown or
// missing client id gets Auth0's error page, "invalid_request: Unknown
// client: …", with status 400 (the status is UNVERIFIED: OpenMetadata's
// validator treats 400 and 404 alike). Whether Auth0 checks redirect_uri
// before the login page is UNVERIFIED too; OpenMetadata's probe sends
// http://test.example.com, which no application lists, and expects a 302,
// so the sandbox does not check it here.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("client_id")
	s.mu.Lock()
	known := id != "" && s.lookupClient(id) != nil
	s.mu.Unlock()
	if !known {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><h1>Oops!, something went wrong</h1><p>invalid_request: Unknown client: " +
			html.EscapeString(id) + "</p></body></html>"))
		return
	}
	var state [16]byte
	_, _ = rand.Read(state[:])
	w.Header().Set("Location", "/u/login?"+url.Values{"state": {hex.EncodeToString(state[:])}}.Encode())
	w.WriteHeader(http.StatusFound)
}
