package wizard

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// fakeRunner is a steps.Runner that records the calls the wizard makes and
// answers them like a small tenant would.
type fakeRunner struct {
	mu      sync.Mutex
	calls   []string
	domain  tenant.Domain
	name    string
	granted []string
	missing []string
	apps    []steps.AppSummary
	scopes  []steps.Scope
	checks  []steps.Check
	created []string
	// fail makes the next call of a method fail with the error, once.
	fail map[string]error

	lastChoices steps.Choices
}

func newFakeRunner() *fakeRunner {
	return &fakeRunner{
		domain:  tenant.MustParse("acme.us.auth0.com"),
		name:    "Acme",
		granted: []string{"read:clients", "create:clients", "update:clients", "read:client_keys", "read:resource_servers", "read:client_grants", "create:client_grants", "update:client_grants"},
		apps: []steps.AppSummary{
			{ClientID: "legacyUI0001", Name: "Legacy Portal", AppType: "spa"},
			{ClientID: "reportsWeb02", Name: "Reports", AppType: "regular_web"},
			{ClientID: "etlBot000003", Name: "ETL Bot", AppType: "non_interactive"},
		},
		scopes: []steps.Scope{
			{Value: "read:users", Description: "Read Users"},
			{Value: "read:roles", Description: "Read Roles"},
			{Value: "read:clients", Description: "Read Clients"},
			{Value: "update:clients", Description: "Update Clients"},
			{Value: "delete:users", Description: "Delete Users"},
		},
		checks: []steps.Check{
			{Name: "token with HTTP Basic, as the guide configures it", OK: true},
			{Name: "signature checks out against https://acme.us.auth0.com/.well-known/jwks.json", OK: true},
			{Name: "granted scopes = requested", OK: false, Detail: "missing read:clients"},
		},
		fail: map[string]error{},
	}
}

func (r *fakeRunner) record(call string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
	name, _, _ := strings.Cut(call, "(")
	if err, ok := r.fail[name]; ok {
		delete(r.fail, name)
		return err
	}
	return nil
}

func (r *fakeRunner) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

func (r *fakeRunner) Tenant() (tenant.Domain, string) { return r.domain, r.name }
func (r *fakeRunner) GrantedScopes() []string         { return r.granted }
func (r *fakeRunner) MissingScopes(steps.Choices) []string {
	return r.missing
}

func (r *fakeRunner) ListApps(context.Context) ([]steps.AppSummary, error) {
	return r.apps, r.record("ListApps")
}

func (r *fakeRunner) PlanUIApp(_ context.Context, c steps.Choices) (*steps.Plan, error) {
	r.lastChoices = c
	if err := r.record(fmt.Sprintf("PlanUIApp(%s,%s,%s,%s)", c.AppName, c.AppID, c.ClientType, c.Version)); err != nil {
		return nil, err
	}
	fields := []steps.FieldChange{
		{Field: "callbacks", To: c.OMURL + "/callback"},
		{Field: "web_origins", To: c.OMURL},
		{Field: "allowed_logout_urls", To: c.OMURL},
	}
	if c.AppID != "" {
		return steps.NewPlan([]steps.Change{{Action: steps.Update, Resource: "application", Name: c.AppName, Fields: fields}}, c), nil
	}
	appType := "spa"
	if c.ClientType == render.Confidential {
		appType = "regular_web"
	}
	fields = append([]steps.FieldChange{{Field: "app_type", To: appType}}, fields...)
	return steps.NewPlan([]steps.Change{{Action: steps.Create, Resource: "application", Name: c.AppName, Fields: fields}}, c), nil
}

func (r *fakeRunner) ApplyUIApp(_ context.Context, p *steps.Plan) (*steps.App, error) {
	c := p.State().(steps.Choices)
	if err := r.record("ApplyUIApp(" + c.AppName + ")"); err != nil {
		return nil, err
	}
	app := &steps.App{ClientID: "uiClient9xYtQ2vQa", ClientSecret: "ui-secret-Zm9vYmFy", Name: c.AppName, AppType: "spa", Created: c.AppID == ""}
	if c.AppID != "" {
		app.ClientID = c.AppID
	}
	if app.Created {
		r.mu.Lock()
		r.created = append(r.created, fmt.Sprintf("application %q (client id %s)", c.AppName, app.ClientID))
		r.mu.Unlock()
	}
	return app, nil
}

func (r *fakeRunner) ManagementAPIScopes(context.Context) ([]steps.Scope, error) {
	return r.scopes, r.record("ManagementAPIScopes")
}

func (r *fakeRunner) PlanServiceAccount(_ context.Context, c steps.Choices, ui *steps.App) (*steps.Plan, error) {
	r.lastChoices = c
	if err := r.record(fmt.Sprintf("PlanServiceAccount(%s,%s,%s)", c.ServiceAccount, c.BotAppName, strings.Join(c.Scopes, " "))); err != nil {
		return nil, err
	}
	grant := steps.Change{Action: steps.Create, Resource: "client grant", Name: r.domain.ManagementAudience(),
		Fields: []steps.FieldChange{{Field: "scope", To: strings.Join(c.Scopes, " ")}}}
	if c.ServiceAccount == steps.Same {
		return steps.NewPlan([]steps.Change{{
			Action: steps.Update, Resource: "application", Name: c.AppName,
			Fields:      []steps.FieldChange{{Field: "token_endpoint_auth_method", From: "none", To: "client_secret_basic"}},
			Consequence: "a public SPA whose token endpoint method is Basic can no longer complete the browser sign-in",
		}, grant}, c), nil
	}
	return steps.NewPlan([]steps.Change{{Action: steps.Create, Resource: "application", Name: c.BotAppName,
		Fields: []steps.FieldChange{{Field: "app_type", To: "non_interactive"}, {Field: "grant_types", To: "client_credentials"}}}, grant}, c), nil
}

func (r *fakeRunner) ApplyServiceAccount(_ context.Context, p *steps.Plan) (*steps.ServiceAccount, error) {
	c := p.State().(steps.Choices)
	if err := r.record("ApplyServiceAccount(" + string(c.ServiceAccount) + ")"); err != nil {
		return nil, err
	}
	app := &steps.App{ClientID: "botClient7Hq", ClientSecret: "bot-secret-YmFyYmF6", Name: c.BotAppName, AppType: "non_interactive", Created: true}
	r.mu.Lock()
	r.created = append(r.created, fmt.Sprintf("application %q (client id %s)", c.BotAppName, app.ClientID), "client grant for the Auth0 Management API")
	r.mu.Unlock()
	return &steps.ServiceAccount{Mode: c.ServiceAccount, App: app,
		Grant: &steps.Grant{ID: "cgr_1", ClientID: app.ClientID, Audience: r.domain.ManagementAudience(), Scopes: c.Scopes, Created: true}}, nil
}

func (r *fakeRunner) Verify(_ context.Context, c steps.Choices, ui *steps.App, sa *steps.ServiceAccount) steps.Verification {
	_ = r.record("Verify")
	return steps.Verification{Checks: r.checks}
}

func (r *fakeRunner) Created() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.created)
}

// fakeFiles stands in for the renderers so the wizard's tests do not depend
// on their output: one small file per target, the workflowConfig and the
// real answers.yaml.
func fakeFiles(cfg *setup.Config) func(ui *steps.App, sa *steps.ServiceAccount) ([]render.File, error) {
	return func(ui *steps.App, sa *steps.ServiceAccount) ([]render.File, error) {
		in := cfg.RenderInput(ui, sa)
		var files []render.File
		for _, t := range cfg.Targets {
			switch t {
			case render.Docker:
				files = append(files, render.File{Path: "docker/openmetadata_auth0.env", Secret: in.ClientType == render.Confidential, Data: []byte(fmt.Sprintf(
					"AUTHENTICATION_PROVIDER=auth0\nAUTHENTICATION_PUBLIC_KEYS=[%s,%s/api/v1/system/config/jwks]\nAUTHENTICATION_AUTHORITY=%s\nAUTHENTICATION_CLIENT_ID=%s\nOIDC_CLIENT_SECRET=%s\nAUTHORIZER_ADMIN_PRINCIPALS=[%s]\nAUTHORIZER_PRINCIPAL_DOMAIN=%s\n",
					in.Tenant.JWKSURL(), in.OMURL, in.Tenant.Authority(), in.UI.ClientID, in.UI.ClientSecret, strings.Join(in.AdminPrincipals, ","), in.PrincipalDomain))})
			case render.BareMetal:
				files = append(files, render.File{Path: "bare-metal/openmetadata-auth0.yaml", Data: []byte("authenticationConfiguration:\n  provider: auth0\n  clientId: " + in.UI.ClientID + "\n")})
			case render.Kubernetes:
				files = append(files, render.File{Path: "kubernetes/values-auth0.yaml", Data: []byte("openmetadata:\n  config:\n    authentication:\n      provider: auth0\n")})
			}
		}
		jwt := cmp.Or(in.IngestionJWT, "<ingestion-bot JWT>")
		files = append(files, render.File{Path: "ingestion/workflow-config.yaml", Secret: true,
			Data: []byte("workflowConfig:\n  openMetadataServerConfig:\n    hostPort: " + in.OMURL + "/api\n    authProvider: openmetadata\n    securityConfig:\n      jwtToken: " + jwt + "\n")})
		ans, err := answers.Marshal(cfg.Answers())
		if err != nil {
			return nil, err
		}
		return append(files, render.File{Path: setup.AnswersFile, Data: ans}), nil
	}
}

func fakeNextSteps(in render.Input, t render.Target, _ string) string {
	return fmt.Sprintf("Apply    (%s) apply the files for OpenMetadata %s", t, in.Version)
}

// completeConfig is what flags would give: tenant, credentials, output folder.
func completeConfig(t *testing.T) *setup.Config {
	return &setup.Config{
		Connect: steps.ConnectRequest{Domain: tenant.MustParse("acme.us.auth0.com"), ClientID: "mgmtClientId", ClientSecret: "mgmt-secret-value"},
		Out:     t.TempDir(),
	}
}

// harness drives the model synchronously: it sends a message to Update,
// runs the returned commands and feeds their messages back, depth first,
// until nothing is left. Timers (cursor blink, spinner ticks) are not run.
type harness struct {
	t      *testing.T
	m      *model
	runner *fakeRunner
	conns  []steps.ConnectRequest
}

// harnessOption adjusts the options (and the fake) before the wizard starts.
type harnessOption func(h *harness, o *Options)

func newHarness(t *testing.T, cfg *setup.Config, opts ...harnessOption) *harness {
	t.Helper()
	h := &harness{t: t, runner: newFakeRunner()}
	ios, _, _, _ := iostreams.Test()
	o := Options{IO: ios, Config: cfg,
		Connect: func(_ context.Context, req steps.ConnectRequest) (steps.Runner, error) {
			h.conns = append(h.conns, req)
			if err := h.runner.record("Connect"); err != nil {
				return nil, err
			}
			return h.runner, nil
		},
		DetectVersion: func(context.Context, string) (render.Version, error) {
			return render.Version{Major: 1, Minor: 6, Patch: 4}, nil
		},
	}
	for _, opt := range opts {
		opt(h, &o)
	}
	f := newFlow(o)
	f.renderFiles, f.nextSteps = fakeFiles(f.cfg), fakeNextSteps
	h.m = newModel(context.Background(), f)
	h.m.animate = false
	h.m.width, h.m.height = 100, 30
	h.run(h.m.Init())
	return h
}

// slowCmds are commands that only wait for a timer.
var slowCmds = []string{"cursor.(*Model).Blink", "bubbletea/v2.Tick", "bubbletea/v2.Every"}

func (h *harness) run(cmd tea.Cmd) {
	h.t.Helper()
	if cmd == nil {
		return
	}
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, s := range slowCmds {
		if strings.Contains(name, s) {
			return
		}
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Second):
		h.t.Fatalf("command %s did not return", name)
	}
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.run(c)
		}
	default:
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ { // tea.Sequence's unexported message
				h.run(v.Index(i).Interface().(tea.Cmd))
			}
			return
		}
		_, next := h.m.Update(msg)
		h.run(next)
	}
}

func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"esc":       {Code: tea.KeyEscape},
	"tab":       {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift},
	"up":        {Code: tea.KeyUp},
	"down":      {Code: tea.KeyDown},
	"space":     {Code: tea.KeySpace, Text: " "},
	"backspace": {Code: tea.KeyBackspace},
	"ctrl+c":    {Code: 'c', Mod: tea.ModCtrl},
	"ctrl+r":    {Code: 'r', Mod: tea.ModCtrl},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
}

// keys presses named keys ("enter") or single characters ("y").
func (h *harness) keys(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		msg, ok := namedKeys[k]
		if !ok {
			r := []rune(k)
			if len(r) != 1 {
				h.t.Fatalf("unknown key %q", k)
			}
			msg = tea.KeyPressMsg{Code: r[0], Text: k}
		}
		h.send(msg)
	}
}

// typ types text character by character.
func (h *harness) typ(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// clear empties the focused input.
func (h *harness) clear() {
	h.t.Helper()
	h.keys("ctrl+u")
}

// view is the screen's text, without any styling.
func (h *harness) view() string { return ansi.Strip(h.m.View().Content) }

// asciiView is the screen as a terminal without colour gets it (attributes
// such as bold remain), for the golden files.
func (h *harness) asciiView() string {
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ASCII}
	_, _ = w.WriteString(h.m.View().Content)
	return b.String()
}

// expectStep fails unless the wizard is on step s, showing the screen.
func (h *harness) expectStep(s stepID) {
	h.t.Helper()
	if h.m.step != s || h.m.err != nil {
		h.t.Fatalf("on step %d (error %v), want step %d; screen:\n%s", h.m.step, h.m.err, s, h.view())
	}
}

func (h *harness) expectView(subs ...string) {
	h.t.Helper()
	v := h.view()
	for _, s := range subs {
		if !strings.Contains(v, s) {
			h.t.Fatalf("screen lacks %q:\n%s", s, v)
		}
	}
}
