package steps_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// holdUntil is a transport that holds a request matching a hold rule until
// a request matching its release rule has been sent, or gives up after
// patience (noting it, so the test fails instead of hanging). It shows two
// requests in flight at once without timing anything.
type holdUntil struct {
	base     http.RoundTripper
	rules    []holdRule
	patience time.Duration

	mu      sync.Mutex
	sent    map[string]chan struct{} // release rule's name → closed once such a request was sent
	stalled []string                 // holds that ran out of patience
}

type holdRule struct {
	name           string
	hold, release  func(r *http.Request, body string) bool
	releaseChannel string
}

func (h *holdUntil) signal(name string) chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sent == nil {
		h.sent = map[string]chan struct{}{}
	}
	c, ok := h.sent[name]
	if !ok {
		c = make(chan struct{})
		h.sent[name] = c
	}
	return c
}

func (h *holdUntil) RoundTrip(r *http.Request) (*http.Response, error) {
	var body string
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		body = string(b)
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	for _, rule := range h.rules {
		if rule.release(r, body) {
			c := h.signal(rule.name)
			h.mu.Lock()
			select {
			case <-c:
			default:
				close(c)
			}
			h.mu.Unlock()
		}
	}
	for _, rule := range h.rules {
		if rule.hold(r, body) {
			select {
			case <-h.signal(rule.name):
			case <-time.After(h.patience):
				h.mu.Lock()
				h.stalled = append(h.stalled, rule.name)
				h.mu.Unlock()
			}
		}
	}
	return h.base.RoundTrip(r)
}

func isCreate(appType string) func(*http.Request, string) bool {
	return func(r *http.Request, body string) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/api/v2/clients" && strings.Contains(body, `"app_type":"`+appType+`"`)
	}
}

// On a fresh run in separate mode the guide's order (both plans, then the
// applies) creates the UI application and the service account at the same
// time, and the service account's grant while the tenant is looked at again
// for another run's create: each held request goes on only once the other
// one has been sent.
func TestFreshRunSendsIndependentWritesTogether(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	h := &holdUntil{base: http.DefaultTransport, patience: 2 * time.Second, rules: []holdRule{
		{name: "the UI application's create until the service account's is sent", hold: isCreate("spa"), release: isCreate("non_interactive")},
		{name: "the grant's create until the service accounts are listed again",
			hold: func(r *http.Request, _ string) bool {
				return r.Method == http.MethodPost && r.URL.Path == "/api/v2/client-grants"
			},
			release: func(r *http.Request, _ string) bool {
				return r.Method == http.MethodGet && r.URL.Path == "/api/v2/clients" && r.URL.Query().Get("app_type") == "non_interactive"
			}},
	}}
	opts := testOptions()
	opts.HTTPClient = &http.Client{Transport: h}
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := runSetup(t, s, choices(openmetadata.Public, steps.Separate))
	if len(h.stalled) > 0 {
		t.Errorf("sent one after the other: %v", h.stalled)
	}
	if !r.ui.Created || !r.sa.App.Created || !r.sa.Grant.Created || !r.verification.OK() {
		t.Errorf("ui created %v, service account created %v, grant created %v, verification %+v",
			r.ui.Created, r.sa.App.Created, r.sa.Grant.Created, r.verification.Checks)
	}
	assertFreshTenant(t, tt, s, choices(openmetadata.Public, steps.Separate), r)
}

// When the UI application's create fails, ApplyUIApp returns only once the
// service account started alongside is done, so that Created names it: what
// the run leaves behind never depends on which create finished first.
func TestFailedUICreateWaitsForTheServiceAccount(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: `"app_type":"spa"`, Status: http.StatusBadRequest})
	// The service account's create is the slower one.
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: `"app_type":"non_interactive"`, Latency: 100 * time.Millisecond})
	s := tt.connect(t)
	ctx := context.Background()
	c := choices(openmetadata.Public, steps.Separate)
	uiPlan, err := s.PlanUIApp(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	saPlan, err := s.PlanServiceAccount(ctx, c, uiPlan.App())
	if err != nil {
		t.Fatal(err)
	}
	s.StartServiceAccount(ctx, saPlan)
	if _, err := s.ApplyUIApp(ctx, uiPlan); err == nil {
		t.Fatal("ApplyUIApp succeeded through a 400")
	}
	bots := marked(tt, steps.RoleBot)
	if len(bots) != 1 {
		t.Fatalf("the tenant holds service accounts %v when ApplyUIApp returned", bots)
	}
	got := s.Created(ctx)
	if len(got) != 2 || !strings.Contains(got[0], bots[0]) || !strings.HasPrefix(got[1], "client grant ") {
		t.Errorf("Created = %q, want the service account %s and its grant", got, bots[0])
	}
	// The service account's outcome is still there for its step.
	sa, err := s.ApplyServiceAccount(ctx, saPlan)
	if err != nil || sa.App.ClientID != bots[0] {
		t.Errorf("ApplyServiceAccount = %+v, %v", sa, err)
	}
}
