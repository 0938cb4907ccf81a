package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

// noFollow is a client that hands back redirects instead of following them.
var noFollow = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func TestCatcherListensOnAnotherLoopbackAddress(t *testing.T) {
	c := NewTestCatcher(t)
	s := unlimited(t)
	cu, err := url.Parse(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	ip := net.ParseIP(cu.Hostname())
	if ip == nil || !ip.IsLoopback() {
		t.Fatalf("catcher on %s, want a loopback address", c.URL())
	}
	if cu.Host == s.Domain().Host {
		t.Fatalf("catcher and tenant share %s", cu.Host)
	}
	// 127.0.0.2 is the point: a different host, not only a different port.
	if l, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		_ = l.Close()
		if cu.Hostname() != "127.0.0.2" {
			t.Errorf("catcher on %s although 127.0.0.2 works here", cu.Hostname())
		}
	}
}

// TestFaultRedirect: each redirect status points at the catcher with the
// request's path and query, serves nothing, and the catcher records what a
// client that follows it sends, credentials included.
func TestFaultRedirect(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			s := unlimited(t)
			c := NewTestCatcher(t)
			tok := tokenFor(t, s, "read:clients", "create:clients")
			s.InjectFault(Fault{Method: http.MethodPost, Path: "/api/v2/clients", Redirect: status, RedirectTo: c.URL()})

			req, _ := http.NewRequest(http.MethodPost, s.URL()+"/api/v2/clients?x=1", strings.NewReader(`{"name":"redirected"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != status || resp.Header.Get("Location") != c.URL()+"/api/v2/clients?x=1" {
				t.Fatalf("%d Location %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			for _, app := range s.Clients() {
				if app.Name == "redirected" {
					t.Fatal("the redirected create was served")
				}
			}
			if log := s.Requests(); log[len(log)-1] != (Request{Method: "POST", Path: "/api/v2/clients", RawQuery: "x=1", Status: status}) {
				t.Errorf("log %+v", log[len(log)-1])
			}
			if len(c.Requests()) != 0 {
				t.Fatal("the catcher got a request nobody sent it")
			}

			// go-auth0 follows it and its token transport re-sends the bearer token.
			s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Redirect: status, RedirectTo: c.URL()})
			m, err := management.New(s.URL(), management.WithInsecure(), management.WithStaticToken(tok), management.WithNoRetries())
			if err != nil {
				t.Fatal(err)
			}
			_, _ = m.Client.List(context.Background())
			got := c.Requests()
			if len(got) != 1 || got[0].Method != http.MethodGet || got[0].Path != "/api/v2/clients" || !strings.Contains(got[0].RawQuery, "per_page=50") {
				t.Fatalf("caught %+v", got)
			}
			if got[0].Header.Get("Authorization") != "Bearer "+tok || !c.Saw(tok) {
				t.Errorf("the catcher did not record the token it was sent: %v", got[0].Header)
			}
		})
	}
}

// TestFaultRedirectTokenEndpoint: a 307 on /oauth/token sends x/oauth2's
// second attempt, credentials in the form body, to the other host.
func TestFaultRedirectTokenEndpoint(t *testing.T) {
	s := unlimited(t)
	c := NewTestCatcher(t)
	id, secret := s.CreateM2MApp("redirected token", WizardScopes)
	for range 2 { // x/oauth2 tries Basic credentials, then the form body
		s.InjectFault(Fault{Method: http.MethodPost, Path: "/oauth/token", Redirect: http.StatusTemporaryRedirect, RedirectTo: c.URL()})
	}
	m := mgmt(t, s, id, secret)
	if _, err := m.Client.List(context.Background()); err == nil {
		t.Fatal("listed without a token")
	}
	if !c.Saw(secret) {
		t.Fatalf("the catcher did not see the secret; it got %+v", c.Requests())
	}
	if c.Saw("never sent") {
		t.Error("Saw reports what was never sent")
	}
}

func TestCatcherSawDecodesCredentials(t *testing.T) {
	c := NewTestCatcher(t)
	secret := "s3cr+t/with=signs"
	form := url.Values{"client_secret": {secret}}
	req, _ := http.NewRequest(http.MethodPost, c.URL()+"/oauth/token", strings.NewReader(form.Encode()))
	req.SetBasicAuth(url.QueryEscape("client-id"), url.QueryEscape("basic+secret"))
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r := readResponse(t, resp)
	if r.status != http.StatusOK || string(r.body) != "{}" {
		t.Fatalf("catcher answered %d %s", r.status, r.body)
	}
	for _, want := range []string{secret, "basic+secret", "client-id", "/oauth/token"} {
		if !c.Saw(want) {
			t.Errorf("Saw(%q) = false", want)
		}
	}
	if c.Saw("") {
		t.Error(`Saw("") = true`)
	}
}

// TestFaultBodies: the malformed bodies answer instead of the endpoint,
// with the fault's status or 200, and nothing is written.
func TestFaultBodies(t *testing.T) {
	tests := []struct {
		name        string
		fault       Fault
		status      int
		contentType string
		body        string
	}{
		{"null", Fault{Body: BodyNull}, 200, contentTypeJSON, "null"},
		{"empty", Fault{Body: BodyEmpty}, 200, contentTypeJSON, ""},
		{"not JSON", Fault{Body: BodyNotJSON}, 200, "text/html; charset=utf-8", "<html>"},
		{"not JSON with a status", Fault{Body: BodyNotJSON, Status: http.StatusBadGateway}, 502, "text/html; charset=utf-8", "<html>"},
		{"oversized, small", Fault{Body: BodyOversized, Size: 40}, 200, contentTypeJSON, "[" + strings.Repeat(" ", 38) + "]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := unlimited(t)
			tok := tokenFor(t, s, "read:clients", "create:clients")
			before := len(s.Clients())
			for _, method := range []string{http.MethodGet, http.MethodPost} {
				f := tt.fault
				f.Method, f.Path = method, "/api/v2/clients"
				s.InjectFault(f)
				var body any
				if method == http.MethodPost {
					body = map[string]any{"name": "never made"}
				}
				r := call(t, method, s.URL()+"/api/v2/clients", tok, body)
				if r.status != tt.status || r.header.Get("Content-Type") != tt.contentType || !strings.HasPrefix(string(r.body), tt.body) {
					t.Fatalf("%s: %d %q %q", method, r.status, r.header.Get("Content-Type"), r.body)
				}
				if tt.body == "null" || tt.body == "" {
					if string(r.body) != tt.body {
						t.Fatalf("%s: body %q, want %q", method, r.body, tt.body)
					}
				}
				if log := s.Requests(); log[len(log)-1] != (Request{Method: method, Path: "/api/v2/clients", Status: tt.status}) {
					t.Errorf("log %+v", log[len(log)-1])
				}
			}
			if n := len(s.Clients()); n != before {
				t.Fatalf("%d clients after the faults, want %d: a body fault served the create", n, before)
			}
			if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", tok, nil); r.status != 200 || !json.Valid(r.body) {
				t.Fatalf("after the faults: %d %s", r.status, r.body)
			}
		})
	}
}

// TestFaultNullBodyReachesGoAuth0: go-auth0 decodes `null` into a nil
// result and reports no error: its callers must check for nil.
func TestFaultNullBodyReachesGoAuth0(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/resource-servers/*", Body: BodyNull})
	rs, err := m.ResourceServer.Read(context.Background(), s.Domain().ManagementAudience())
	if err != nil {
		t.Fatalf("go-auth0 refused null: %v", err)
	}
	if rs != nil {
		t.Fatalf("resource server %+v from a null body, want nil", rs)
	}
}

// TestOversizedBodyIsExactValidJSON: whatever the size, the body is valid
// JSON of exactly that many bytes, made of application-like objects.
func TestOversizedBodyIsExactValidJSON(t *testing.T) {
	item := int64(len(oversizedItem))
	for _, size := range []int64{1, 2, 3, item + 1, item + 2, item + 3, 2*item + 3, 2*item + 4, 100_000, 1 << 20} {
		var b bytes.Buffer
		if err := writeArray(&b, size); err != nil {
			t.Fatal(err)
		}
		want := max(size, 2)
		if int64(b.Len()) != want || !json.Valid(b.Bytes()) {
			t.Fatalf("size %d: %d bytes, valid %v: %.80q", size, b.Len(), json.Valid(b.Bytes()), b.Bytes())
		}
		var apps []map[string]any
		if err := json.Unmarshal(b.Bytes(), &apps); err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if wantN := max(0, (size-2+1)/(item+1)); int64(len(apps)) != wantN {
			t.Errorf("size %d: %d items, want %d", size, len(apps), wantN)
		}
		for _, a := range apps {
			if a["client_id"] == nil || a["name"] == nil {
				t.Fatalf("size %d: item %v", size, a)
			}
		}
	}
}

// TestFaultOversizedStreams: 64 MiB by default, generated while sent:
// serving it allocates a fraction of its size.
func TestFaultOversizedStreams(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodyOversized})
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/api/v2/clients", nil)
	req.Header.Set("Authorization", "Bearer "+tok)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.ContentLength != -1 {
		t.Errorf("Content-Length %d: the size is known before reading", resp.ContentLength)
	}
	head := make([]byte, 2)
	if _, err := io.ReadFull(resp.Body, head); err != nil || string(head) != `[{` {
		t.Fatalf("starts %q: %v", head, err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n+2 != defaultOversized {
		t.Fatalf("%d bytes, want %d", n+2, defaultOversized)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > defaultOversized/4 {
		t.Errorf("serving and reading 64 MiB allocated %d MiB: the body is held in memory", alloc>>20)
	}
	waitNoStreams(t, s)
}

// waitNoStreams fails unless every streamed answer has ended within 2 s.
func waitNoStreams(t *testing.T, s *Server) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); s.streaming() != 0; time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d streamed answers outlived their client", s.streaming())
		}
	}
}

// TestFaultSlowBody: the headers come at once, the body trickles or stalls,
// and the stream ends when the client gives up or the tenant closes.
func TestFaultSlowBody(t *testing.T) {
	get := func(t *testing.T, s *Server, ctx context.Context) *http.Response {
		t.Helper()
		tok := tokenFor(t, s, "read:clients")
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/api/v2/clients", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := httpClient.Do(req)
		if err != nil {
			t.Fatalf("the headers did not come: %v", err)
		}
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != contentTypeJSON {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		return resp
	}

	t.Run("stall until the client gives up", func(t *testing.T) {
		s := unlimited(t)
		s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodySlow})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		resp := get(t, s, ctx)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if !errors.Is(err, context.DeadlineExceeded) || string(body) != "[" {
			t.Fatalf("read %q, %v; want the first byte, then the client's deadline", body, err)
		}
		waitNoStreams(t, s)
	})

	t.Run("trickle", func(t *testing.T) {
		const pause = 10 * time.Millisecond
		s := unlimited(t)
		s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodySlow, Trickle: pause})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		resp := get(t, s, ctx)
		defer resp.Body.Close()
		start := time.Now()
		got := make([]byte, 6)
		if _, err := io.ReadFull(resp.Body, got); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took < 5*pause {
			t.Errorf("6 bytes in %v, want one per %v", took, pause)
		}
		if got[0] != '[' || !strings.HasPrefix(oversizedItem, string(got[1:])) {
			t.Fatalf("body starts %q", got)
		}
		cancel()
		waitNoStreams(t, s)
	})

	t.Run("trickle to the end", func(t *testing.T) {
		s := unlimited(t)
		s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodySlow, Trickle: time.Microsecond, Size: 40})
		resp := get(t, s, context.Background())
		body := readResponse(t, resp).body
		if string(body) != "["+strings.Repeat(" ", 38)+"]" {
			t.Fatalf("body %q", body)
		}
		waitNoStreams(t, s)
	})

	t.Run("over TLS, HTTP/2", func(t *testing.T) {
		s := NewTest(t, Options{RateLimit: -1, TLS: true})
		tok := tokenForClient(t, s, s.HTTPClient(), "read:clients")
		s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodySlow})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL()+"/api/v2/clients", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := s.HTTPClient().Do(req)
		if err != nil {
			t.Fatalf("the headers did not come: %v", err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if resp.ProtoMajor != 2 || err == nil || string(body) != "[" {
			t.Fatalf("%s read %q, %v; want HTTP/2, the first byte, then the client's deadline", resp.Proto, body, err)
		}
		waitNoStreams(t, s)
	})

	t.Run("close ends it", func(t *testing.T) {
		s, err := Start(Options{RateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.InjectFault(Fault{Method: http.MethodGet, Path: "/api/v2/clients", Body: BodySlow})
		resp := get(t, s, context.Background()) // no deadline: only Close can end it
		defer resp.Body.Close()
		read := make(chan error, 1)
		go func() {
			_, err := io.ReadAll(resp.Body)
			read <- err
		}()
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if n := s.streaming(); n != 0 {
			t.Fatalf("%d streams after Close", n)
		}
		select {
		case err := <-read:
			if err == nil {
				t.Fatal("the stalled body ended cleanly; want a broken answer")
			}
		case <-time.After(2 * time.Second):
			t.Fatal("the client still waits after Close")
		}
	})
}

// TestFaultMessage: server text with control sequences, as a client would
// receive it: JSON-escaped on the wire, raw once decoded.
func TestFaultMessage(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/api/v2/clients", Status: http.StatusBadRequest, Message: HostileText})
	tok := tokenFor(t, s, "create:clients")
	r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, map[string]any{"name": "x"})
	wantAPIError(t, r, http.StatusBadRequest, HostileText, "bad_request")
	if !strings.Contains(string(r.body), `\u001b]0;pwned\u0007\u001b[2Jbad`) {
		t.Errorf("body %s", r.body)
	}

	s.InjectFault(Fault{Method: http.MethodPost, Path: "/api/v2/clients", Status: http.StatusBadRequest, Message: HostileText})
	err := m.Client.Create(context.Background(), &management.Client{Name: auth0.String("x")})
	wantMgmtStatus(t, err, http.StatusBadRequest, "\x1b]0;pwned\x07\x1b[2J")

	id, secret := s.CreateM2MApp("hostile token", nil)
	s.InjectFault(Fault{Path: "/oauth/token", Status: http.StatusForbidden, Message: HostileText})
	r = postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}, id, secret)
	var oe oauthError
	mustUnmarshal(t, r.body, &oe)
	if r.status != http.StatusForbidden || oe.Description != HostileText {
		t.Fatalf("%d %+v", r.status, oe)
	}
}
