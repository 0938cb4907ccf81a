package sandbox

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

func TestFaultStatus(t *testing.T) {
	tests := []struct {
		status  int
		message string
		code    string
	}{
		{http.StatusTooManyRequests, "Global limit has been reached", "too_many_requests"},
		{http.StatusInternalServerError, "Internal Server Error", "internal_server_error"},
		{http.StatusServiceUnavailable, "Service Unavailable", "service_unavailable"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			s := unlimited(t)
			m := wizard(t, s)
			tok := tokenFor(t, s, "read:clients")
			ctx := context.Background()
			s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Nth: 2, Status: tt.status})

			if _, err := m.Client.List(ctx); err != nil {
				t.Fatalf("first request: %v", err)
			}
			_, err := m.Client.List(ctx)
			wantMgmtStatus(t, err, tt.status, tt.message)
			if _, err := m.Client.List(ctx); err != nil {
				t.Fatalf("the fault fired twice: %v", err)
			}

			s.InjectFault(Fault{Path: "/api/v2/clients", Status: tt.status})
			r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", tok, nil)
			wantAPIError(t, r, tt.status, tt.message, tt.code)
			if tt.status == http.StatusTooManyRequests && (r.header.Get("X-Ratelimit-Remaining") != "0" || r.header.Get("X-Ratelimit-Reset") == "") {
				t.Errorf("429 without rate limit headers: %v", r.header)
			}
		})
	}
}

func TestFaultMatching(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:client_grants", "read:clients")
	s.InjectFault(Fault{Path: "/api/v2/client-grants*", Status: 500})
	s.InjectFault(Fault{Path: "/api/v2/client-grants*", Status: 503})
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", tok, nil); r.status != 200 {
		t.Fatalf("unmatched path failed: %d", r.status)
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/client-grants/cgr_x", tok, nil); r.status != 500 {
		t.Fatalf("first due fault: %d", r.status)
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/client-grants", tok, nil); r.status != 503 {
		t.Fatalf("second due fault waits for the next request: %d", r.status)
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/client-grants", tok, nil); r.status != 200 {
		t.Fatalf("faults are spent: %d", r.status)
	}

	t.Run("token endpoint answers OAuth errors", func(t *testing.T) {
		id, secret := s.CreateM2MApp("token fault", []string{"read:clients"})
		s.InjectFault(Fault{Method: http.MethodPost, Path: "/oauth/token", Status: http.StatusServiceUnavailable})
		form := url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}
		r := postForm(t, s, form, id, secret)
		if r.status != 503 || string(r.body) != `{"error":"temporarily_unavailable","error_description":"Service Unavailable"}` {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if r := postForm(t, s, form, id, secret); r.status != 200 {
			t.Fatalf("after the fault: %d", r.status)
		}
	})
}

// TestDropAfterCommit: the write happens, the client gets no answer, and
// the write is visible afterwards, as when Auth0's answer is lost.
func TestDropAfterCommit(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	ctx := context.Background()
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/api/v2/clients", DropAfterCommit: true})

	err := m.Client.Create(ctx, &management.Client{Name: auth0.String("OpenMetadata"), AppType: auth0.String("spa")})
	var mErr management.Error
	if err == nil || errors.As(err, &mErr) {
		t.Fatalf("create answered: %v", err)
	}
	var found []ClientState
	for _, c := range s.Clients() {
		if c.Name == "OpenMetadata" {
			found = append(found, c)
		}
	}
	if len(found) != 1 || found[0].AppType != "spa" {
		t.Fatalf("created clients %+v", found)
	}
	reqs := s.Requests()
	if last := reqs[len(reqs)-1]; last.Method != http.MethodPost || last.Path != "/api/v2/clients" || last.Status != 0 {
		t.Fatalf("log %+v", last)
	}
	// A read finds what the lost create made.
	list, err := m.Client.List(ctx, management.Parameter("app_type", "spa"))
	if err != nil || len(list.Clients) != 1 || list.Clients[0].GetClientID() != found[0].ClientID {
		t.Fatalf("list after the drop: %v", err)
	}

	t.Run("patch", func(t *testing.T) {
		s.InjectFault(Fault{Method: http.MethodPatch, Path: "/api/v2/clients/*", DropAfterCommit: true})
		err := m.Client.Update(ctx, found[0].ClientID, &management.Client{Callbacks: &[]string{"https://om.example.com/callback"}})
		if err == nil {
			t.Fatal("patch answered")
		}
		if got := s.lookupClientState(found[0].ClientID).Callbacks; len(got) != 1 {
			t.Fatalf("callbacks %v", got)
		}
	})
}

func TestFaultLatency(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Latency: 10 * time.Second})

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/api/v2/clients", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := httpClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("answered within the latency")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the client's deadline", err)
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", tok, nil); r.status != http.StatusOK {
		t.Fatalf("next request: %d", r.status)
	}
	// The delayed request is logged without an answer once the client gave up.
	deadline := time.Now().Add(2 * time.Second)
	for !slices.Contains(s.Requests(), Request{Method: "GET", Path: "/api/v2/clients", Status: 0}) {
		if time.Now().After(deadline) {
			t.Fatalf("log %+v", s.Requests())
		}
		time.Sleep(5 * time.Millisecond)
	}

	t.Run("latency then status", func(t *testing.T) {
		s.InjectFault(Fault{Path: "/api/v2/clients", Latency: time.Millisecond, Status: http.StatusServiceUnavailable})
		if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", tok, nil); r.status != http.StatusServiceUnavailable {
			t.Fatalf("%d", r.status)
		}
	})
}

func TestRequestLog(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	s.ResetRequests()
	call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=5", tok, nil)
	call(t, http.MethodGet, s.URL()+"/api/v2/clients/nope", tok, nil)
	call(t, http.MethodGet, s.URL()+"/.well-known/jwks.json", "", nil)
	want := []Request{
		{Method: "GET", Path: "/api/v2/clients", RawQuery: "per_page=5", Status: 200},
		{Method: "GET", Path: "/api/v2/clients/nope", Status: 404},
		{Method: "GET", Path: "/.well-known/jwks.json", Status: 200},
	}
	got := s.Requests()
	if len(got) != len(want) {
		t.Fatalf("log %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	s.ResetRequests()
	if n := len(s.Requests()); n != 0 {
		t.Fatalf("%d entries after reset", n)
	}
}
