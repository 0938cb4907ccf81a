package sandbox

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The simulated tenant must not be what makes a test slow: these benchmarks
// measure what it costs to serve the requests om-auth0 sends most, so that
// the steps benchmarks (docs/performance.md) can tell the tenant's share.

// benchTenantSize is the largest tenant of the steps benchmarks.
const benchTenantSize = 5_000

// listFieldsQuery is the listing query om-auth0 sends (steps/apps.go,
// listFields), without the page.
var listFieldsQuery = url.Values{
	"fields": {strings.Join([]string{"client_id", "name", "app_type", "client_metadata", "token_endpoint_auth_method",
		"grant_types", "callbacks", "web_origins", "allowed_logout_urls", "oidc_conformant"}, ",")},
	"include_fields": {"true"},
	"include_totals": {"true"},
	"is_global":      {"false"},
	"per_page":       {"100"},
}

// BenchmarkListClientsPage serves GET /api/v2/clients?per_page=100 pages of
// a 5,000-application tenant, cycling through all 50 pages: "handler" is
// the tenant's own cost (in process, no network), "loopback" adds Go's HTTP
// client and server over 127.0.0.1. "fields" asks what om-auth0 asks;
// "all-fields" is the full application, the worst case.
func BenchmarkListClientsPage(b *testing.B) {
	s := NewTest(b, Options{RateLimit: -1})
	id, secret := s.CreateM2MApp("bench", WizardScopes)
	s.SeedApps(benchTenantSize-1, "regular_web")
	token := benchToken(b, s, id, secret)
	pages := benchTenantSize / 100
	queries := []struct {
		name  string
		query url.Values
	}{
		{"fields", listFieldsQuery},
		{"all-fields", url.Values{"include_totals": {"true"}, "is_global": {"false"}, "per_page": {"100"}}},
	}
	for _, q := range queries {
		pageURL := func(i int) string {
			v := url.Values{"page": {fmt.Sprint(i % pages)}}
			for k, vs := range q.query {
				v[k] = vs
			}
			return s.URL() + "/api/v2/clients?" + v.Encode()
		}
		serve := func(i int) *httptest.ResponseRecorder {
			req := httptest.NewRequest(http.MethodGet, pageURL(i), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			w := httptest.NewRecorder()
			s.srv.Handler.ServeHTTP(w, req)
			return w
		}
		b.Run("handler/"+q.name, func(b *testing.B) {
			b.ReportAllocs()
			w := serve(0)
			checkPage(b, w.Code, w.Body.Bytes())
			i := 0
			for b.Loop() {
				// Only the status: decoding the page is the client's work, not the tenant's.
				if w := serve(i); w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				i++
			}
			b.ReportMetric(float64(b.N)*100/b.Elapsed().Seconds(), "clients/s")
		})
		b.Run("loopback/"+q.name, func(b *testing.B) {
			b.ReportAllocs()
			client := &http.Client{}
			defer client.CloseIdleConnections()
			i := 0
			for b.Loop() {
				req, err := http.NewRequest(http.MethodGet, pageURL(i), nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					b.Fatal(err)
				}
				checkPage(b, resp.StatusCode, body)
				i++
			}
			b.ReportMetric(float64(b.N)*100/b.Elapsed().Seconds(), "clients/s")
		})
	}
}

// checkPage fails unless the answer is a full page of 100 applications.
func checkPage(b *testing.B, status int, body []byte) {
	b.Helper()
	var page struct {
		Total   int               `json:"total"`
		Clients []json.RawMessage `json:"clients"`
	}
	if status != http.StatusOK {
		b.Fatalf("status %d: %.200s", status, body)
	}
	if err := json.Unmarshal(body, &page); err != nil || page.Total != benchTenantSize || len(page.Clients) != 100 {
		b.Fatalf("page of %d of %d applications (%v): %.200s", len(page.Clients), page.Total, err, body)
	}
}

// BenchmarkToken is POST /oauth/token, the client-credentials grant with
// HTTP Basic as om-auth0 sends it, served in process: form parsing, the
// client and grant lookup and the RS256 signature of the access token.
func BenchmarkToken(b *testing.B) {
	s := NewTest(b, Options{RateLimit: -1})
	id, secret := s.CreateM2MApp("bench", WizardScopes)
	b.ReportAllocs()
	for b.Loop() {
		benchToken(b, s, id, secret)
	}
}

// benchToken gets a Management API token for the application id, in process.
func benchToken(b *testing.B, s *Server, id, secret string) string {
	b.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}
	req := httptest.NewRequest(http.MethodPost, s.URL()+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	w := httptest.NewRecorder()
	s.srv.Handler.ServeHTTP(w, req)
	var tr tokenResponse
	if err := json.Unmarshal(w.Body.Bytes(), &tr); w.Code != http.StatusOK || err != nil || tr.AccessToken == "" {
		b.Fatalf("token: %d %s", w.Code, w.Body)
	}
	return tr.AccessToken
}
