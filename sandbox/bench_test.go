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
// listFields), without the paging.
var listFieldsQuery = url.Values{
	"fields": {strings.Join([]string{"client_id", "name", "app_type", "client_metadata", "token_endpoint_auth_method",
		"grant_types", "callbacks", "web_origins", "allowed_logout_urls", "oidc_conformant"}, ",")},
	"include_fields": {"true"},
	"is_global":      {"false"},
}

// withParams is q plus the key and value pairs kv.
func withParams(q url.Values, kv ...string) url.Values {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// BenchmarkListClientsPage serves GET /api/v2/clients pages of 100 of a
// 5,000-application tenant: "handler" is the tenant's own cost (in process,
// no network), "loopback" adds Go's HTTP client and server over 127.0.0.1.
// "fields" asks what om-auth0 asks of a page (per_page=100, cycling through
// the 10 pages the page limit allows) and "all-fields" the full
// applications, the worst case; "checkpoint" asks what om-auth0 asks by
// checkpoint (take=100, cycling through the 50 checkpoints of the walk).
func BenchmarkListClientsPage(b *testing.B) {
	s := NewTest(b, Options{RateLimit: -1})
	id, secret := s.CreateM2MApp("bench", WizardScopes)
	s.SeedApps(benchTenantSize-1, "regular_web")
	token := benchToken(b, s, id, secret)
	serve := func(u string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		s.srv.Handler.ServeHTTP(w, req)
		return w
	}
	pages := func(q url.Values) (urls []string) {
		for i := range pageLimit / 100 {
			urls = append(urls, s.URL()+"/api/v2/clients?"+withParams(q, "page", fmt.Sprint(i), "per_page", "100", "include_totals", "true").Encode())
		}
		return urls
	}
	var walk []string
	for from := ""; ; {
		q := withParams(listFieldsQuery, "take", "100")
		if from != "" {
			q.Set("from", from)
		}
		u := s.URL() + "/api/v2/clients?" + q.Encode()
		walk = append(walk, u)
		w := serve(u)
		var page struct{ Next string }
		if err := json.Unmarshal(w.Body.Bytes(), &page); w.Code != http.StatusOK || err != nil {
			b.Fatalf("checkpoint walk: %d %s", w.Code, w.Body)
		}
		if page.Next == "" {
			break
		}
		from = page.Next
	}
	if len(walk) != benchTenantSize/100 {
		b.Fatalf("checkpoint walk of %d pages", len(walk))
	}
	queries := []struct {
		name string
		urls []string
	}{
		{"fields", pages(listFieldsQuery)},
		{"all-fields", pages(url.Values{"is_global": {"false"}})},
		{"checkpoint", walk},
	}
	for _, q := range queries {
		b.Run("handler/"+q.name, func(b *testing.B) {
			b.ReportAllocs()
			w := serve(q.urls[0])
			checkPage(b, w.Code, w.Body.Bytes())
			i := 0
			for b.Loop() {
				// Only the status: decoding the page is the client's work, not the tenant's.
				if w := serve(q.urls[i%len(q.urls)]); w.Code != http.StatusOK {
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
				req, err := http.NewRequest(http.MethodGet, q.urls[i%len(q.urls)], nil)
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

// checkPage fails unless the answer is a full page of 100 applications:
// of all of them on a page, and with the next checkpoint by checkpoint
// (the walk's last page is as full, 5,000 being a multiple of 100, but
// names none).
func checkPage(b *testing.B, status int, body []byte) {
	b.Helper()
	var page struct {
		Total   *int              `json:"total"`
		Clients []json.RawMessage `json:"clients"`
	}
	if status != http.StatusOK {
		b.Fatalf("status %d: %.200s", status, body)
	}
	if err := json.Unmarshal(body, &page); err != nil || page.Total != nil && *page.Total != benchTenantSize || len(page.Clients) != 100 {
		b.Fatalf("page of %d applications (%v): %.200s", len(page.Clients), err, body)
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
