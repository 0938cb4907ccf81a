package wizard

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
	"github.com/om-auth0/om-auth0/tenant"
)

// newFakeRunner is the shared fake tenant whose verification has one failing check.
func newFakeRunner() *stepstest.Runner {
	r := stepstest.New()
	r.Verification = steps.Verification{Checks: []steps.Check{
		{Name: "token with HTTP Basic, as the guide configures it", OK: true},
		{Name: "signature checks out against https://acme.us.auth0.com/.well-known/jwks.json", OK: true},
		{Name: "granted scopes = requested", OK: false, Detail: "missing read:clients"},
	}}
	return r
}

// fakeFiles stands in for the renderers so the wizard's tests do not depend
// on their output: one small file per target, the workflowConfig and the
// real answers.yaml.
func fakeFiles(cfg *setup.Config) func(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error) {
	return func(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error) {
		in := cfg.RenderInput(ui, sa)
		var files []openmetadata.File
		for _, t := range cfg.Targets {
			switch t {
			case render.Docker:
				files = append(files, openmetadata.File{Path: "docker/openmetadata_auth0.env", Secret: in.ClientType == openmetadata.Confidential, Data: []byte(fmt.Sprintf(
					"AUTHENTICATION_PROVIDER=auth0\nAUTHENTICATION_PUBLIC_KEYS=[%s,%s/api/v1/system/config/jwks]\nAUTHENTICATION_AUTHORITY=%s\nAUTHENTICATION_CLIENT_ID=%s\nOIDC_CLIENT_SECRET=%s\nAUTHORIZER_ADMIN_PRINCIPALS=[%s]\nAUTHORIZER_PRINCIPAL_DOMAIN=%s\n",
					in.Tenant.JWKSURL(), in.OMURL, in.Tenant.Authority(), in.UI.ClientID, in.UI.ClientSecret, strings.Join(in.AdminPrincipals, ","), in.PrincipalDomain))})
			case render.BareMetal:
				files = append(files, openmetadata.File{Path: "bare-metal/openmetadata-auth0.yaml", Data: []byte("authenticationConfiguration:\n  provider: auth0\n  clientId: " + in.UI.ClientID + "\n")})
			case render.Kubernetes:
				files = append(files, openmetadata.File{Path: "kubernetes/values-auth0.yaml", Data: []byte("openmetadata:\n  config:\n    authentication:\n      provider: auth0\n")})
			}
		}
		jwt := cmp.Or(in.IngestionJWT, "<ingestion-bot JWT>")
		files = append(files, openmetadata.File{Path: "ingestion/workflow-config.yaml", Secret: true,
			Data: []byte("workflowConfig:\n  openMetadataServerConfig:\n    hostPort: " + in.OMURL + "/api\n    authProvider: openmetadata\n    securityConfig:\n      jwtToken: " + jwt + "\n")})
		ans, err := answers.Marshal(cfg.Answers())
		if err != nil {
			return nil, err
		}
		return append(files, openmetadata.File{Path: setup.AnswersFile, Data: ans}), nil
	}
}

func fakeNextSteps(in render.Input, t openmetadata.Target, _ string) string {
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
	runner *stepstest.Runner
	conns  []steps.ConnectRequest
	// holdName keeps the commands that wait for the tenant's name in held
	// instead of running them, for a test to run when it chooses.
	holdName bool
	held     []tea.Cmd
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
			if err := h.runner.Record("Connect"); err != nil {
				return nil, err
			}
			return h.runner, nil
		},
		DetectVersion: func(context.Context, string) (openmetadata.Version, error) {
			return openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, nil
		},
	}
	for _, opt := range opts {
		opt(h, &o)
	}
	f := newFlow(o)
	f.RenderFiles, f.nextSteps = fakeFiles(f.Cfg), fakeNextSteps
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
	if h.holdName && strings.Contains(name, "(*model).tenantName") {
		h.held = append(h.held, cmd)
		return
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

// release runs the held commands, and holds no more.
func (h *harness) release() {
	h.t.Helper()
	held := h.held
	h.holdName, h.held = false, nil
	for _, cmd := range held {
		h.run(cmd)
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
func (h *harness) expectStep(s guide.ID) {
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
