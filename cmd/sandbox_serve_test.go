package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/sandbox"
)

// syncBuffer is a bytes.Buffer safe to read while the command writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var serveOutput = regexp.MustCompile(`^Domain:        (http://127\.0\.0\.1:[0-9]+)
Client ID:     ([A-Za-z0-9]{32})
Client Secret: ([A-Za-z0-9_-]{64})
OpenMetadata:  (http://127\.0\.0\.1:[0-9]+) \(simulated 2\.0\.2\)
OM token:      ([A-Za-z0-9_.-]+)

AUTH0_DOMAIN=(\S+) AUTH0_CLIENT_ID=(\S+) AUTH0_CLIENT_SECRET=(\S+) om-auth0 setup
$`)

func TestSandboxServe(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	out, errOut := &syncBuffer{}, &syncBuffer{}
	ios.Out, ios.ErrOut = out, errOut
	cmd := newSandboxServeCmd(ios)
	cmd.SetArgs([]string{"--addr", "127.0.0.1:0"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasSuffix(out.String(), "om-auth0 setup\n") {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v; stdout %q stderr %q", err, out, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no credentials printed; stdout %q", out)
		}
		time.Sleep(5 * time.Millisecond)
	}
	m := serveOutput.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("stdout:\n%s", out)
	}
	domain, id, secret, om, omToken := m[1], m[2], m[3], m[4], m[5]
	if m[6] != domain || m[7] != id || m[8] != secret {
		t.Fatalf("example line does not repeat the credentials:\n%s", out)
	}
	if got := errOut.String(); got != "This is a simulation; nothing real is created. Press Ctrl+C to stop.\n" {
		t.Fatalf("stderr %q", got)
	}

	// The printed credentials work with go-auth0 and hold exactly the scopes of setup and remove.
	form := url.Values{"grant_type": {"client_credentials"}, "audience": {domain + "/api/v2/"}}
	req, _ := http.NewRequest(http.MethodPost, domain+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Scope string }
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.Scope != strings.Join(append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...), " ") {
		t.Fatalf("token scope %q: %v", tok.Scope, err)
	}
	api, err := management.New(domain, management.WithInsecure(), management.WithClientCredentials(context.Background(), id, secret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	list, err := api.Client.List(context.Background(), management.Parameter("is_global", "false"))
	if err != nil || len(list.Clients) != 1 || list.Clients[0].GetName() != "om-auth0 (sandbox)" {
		t.Fatalf("list: %v %s", err, management.Stringify(list))
	}

	// The simulated OpenMetadata answers, and the token is an admin's.
	resp, err = http.Get(om + "/api/v1/system/version")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("OpenMetadata version: %v %v", resp, err)
	}
	resp.Body.Close()
	req, _ = http.NewRequest(http.MethodGet, om+"/api/v1/system/security/config", nil)
	req.Header.Set("Authorization", "Bearer "+omToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("OpenMetadata security config with the printed token: %v %v", resp, err)
	}
	resp.Body.Close()

	cancel() // Ctrl+C
	select {
	case err := <-done:
		if err != nil || ExitCode(err) != ExitOK {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
	for _, u := range []string{domain + "/.well-known/jwks.json", om + "/api/v1/system/version"} {
		if _, err := http.Get(u); err == nil {
			t.Fatalf("%s still served after cancel", u)
		}
	}
}

func TestSandboxServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.10:8080", "example.com:80", "nonsense"} {
		t.Run(addr, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			cmd := newSandboxServeCmd(ios)
			cmd.SetArgs([]string{"--addr", addr})
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.ExecuteContext(context.Background())
			var usage *UsageError
			if !errors.As(err, &usage) || ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--addr") {
				t.Fatalf("error %v (exit %d), want a usage error naming --addr", err, ExitCode(err))
			}
			if out.Len() != 0 {
				t.Fatalf("stdout %q", out)
			}
		})
	}
}
