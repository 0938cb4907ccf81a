package clitest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

const (
	omURL = "https://openmetadata.example.com"
	jwt   = "eyJhbGciOiJSUzI1NiJ9.ingestion-bot-token.signature"
)

// targetFiles are the files each target writes into the output folder.
var targetFiles = map[string][]string{
	"docker":     {"docker/openmetadata_auth0.env"},
	"bare-metal": {"bare-metal/openmetadata-auth0.yaml"},
	"kubernetes": {"kubernetes/values-auth0.yaml"},
}

// A full --no-input run for each target and client type: the tenant ends up
// as the guide describes, and the output folder holds exactly the chosen
// targets' files, secret files readable by the owner only.
func TestNoInputRun(t *testing.T) {
	t.Parallel()
	type tc struct {
		target, clientType, version, serviceAccount string
		scopes                                      string
	}
	var cases []tc
	for _, target := range []string{"docker", "bare-metal", "kubernetes", "all"} {
		for _, ct := range []string{"public", "confidential"} {
			cases = append(cases, tc{target: target, clientType: ct, version: "1.6.4"})
		}
	}
	cases = append(cases,
		tc{target: "all", clientType: "public", version: "1.0.2", scopes: "read:clients"}, // separate service account by default
		tc{target: "docker", clientType: "public", version: "1.3.0"},
		tc{target: "kubernetes", clientType: "confidential", version: "2.0.2", serviceAccount: "separate"},
	)
	for _, c := range cases {
		name := fmt.Sprintf("%s/%s/%s", c.target, c.clientType, c.version)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tn := newTenant(t)
			dir := t.TempDir()
			args := []string{"setup", "--no-input", "--json", "--om-url", omURL, "--om-version", c.version,
				"--client-type", c.clientType, "--target", c.target, "--admin", "Alice", "--admin", "bob@example.com",
				"--principal-domain", "example.com", "--out", "out"}
			if c.serviceAccount != "" {
				args = append(args, "--service-account", c.serviceAccount)
			}
			if c.scopes != "" {
				args = append(args, "--scopes", c.scopes)
			}
			r := run(t, dir, tn.env("OM_INGESTION_BOT_JWT="+jwt), "", args...)
			if r.code != 0 {
				t.Fatalf("%v", r)
			}
			res := parseResult(t, r.stdout)

			// The tenant.
			ui := tn.client(t, "OpenMetadata")
			wantType, wantMethod := "spa", "none"
			if c.clientType == "confidential" {
				wantType, wantMethod = "regular_web", "client_secret_post"
			}
			if ui.AppType != wantType || ui.TokenEndpointAuthMethod != wantMethod ||
				!slices.Equal(ui.Callbacks, []string{omURL + "/callback"}) ||
				!slices.Equal(ui.WebOrigins, []string{omURL}) || !slices.Equal(ui.AllowedLogoutURLs, []string{omURL}) {
				t.Errorf("UI application = %+v", ui)
			}
			if res.UIApp.ClientID != ui.ClientID || !res.UIApp.Created || res.UIApp.AppType != wantType {
				t.Errorf("result ui_app = %+v, tenant has %s", res.UIApp, ui.ClientID)
			}
			wantBot := c.version == "1.0.2" || c.serviceAccount == "separate"
			grants := tn.ClientGrants()
			if !wantBot {
				if len(tn.Clients()) != 3 || len(grants) != 1 || res.ServiceAccount != nil || res.Grant != nil { // M2M, UI, global
					t.Errorf("skipped service account, but the tenant has %+v, %+v; result %+v", tn.Clients(), grants, res)
				}
			} else {
				bot := tn.client(t, "OpenMetadata Ingestion Bot")
				if bot.AppType != "non_interactive" || !slices.Contains(bot.GrantTypes, "client_credentials") || bot.TokenEndpointAuthMethod != "client_secret_basic" {
					t.Errorf("service account = %+v", bot)
				}
				var grant *struct{ scopes []string }
				for _, g := range grants {
					if g.ClientID == bot.ClientID && g.Audience == tn.URL()+"/api/v2/" {
						grant = &struct{ scopes []string }{g.Scope}
					}
				}
				wantScopes := []string{}
				if c.scopes != "" {
					wantScopes = strings.Split(c.scopes, ",")
				}
				if grant == nil || !slices.Equal(grant.scopes, wantScopes) {
					t.Errorf("service account grant = %+v, want scopes %v; grants %+v", grant, wantScopes, grants)
				}
				if res.ServiceAccount == nil || res.ServiceAccount.ClientID != bot.ClientID || res.Grant == nil || !res.Grant.Created {
					t.Errorf("result service_account %+v grant %+v", res.ServiceAccount, res.Grant)
				}
			}
			if res.Verification == nil || !res.Verification.OK {
				t.Errorf("verification = %+v", res.Verification)
			}

			// The files.
			out := filepath.Join(dir, "out")
			files := snapshot(t, out)
			want := []string{"answers.yaml", "ingestion/workflow-config.yaml", output.ManifestFile}
			if c.serviceAccount == "separate" && c.version != "1.0.2" {
				want = append(want, "service-account.yaml") // no configuration file holds its credentials there
			}
			for target, paths := range targetFiles {
				if c.target == target || c.target == "all" {
					want = append(want, paths...)
					if target == "kubernetes" && c.clientType == "confidential" {
						want = append(want, "kubernetes/oidc-secrets.yaml")
					}
				}
			}
			if got := keys(files); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
				t.Fatalf("files = %v, want %v", got, slices.Sorted(slices.Values(want)))
			}
			wantPaths := []string{output.ManifestFile}
			for _, f := range res.FileResults {
				rel, _ := filepath.Rel("out", f.Path)
				wantPaths = append(wantPaths, filepath.ToSlash(rel))
				if f.Status != output.Written {
					t.Errorf("%+v, want written", f)
				}
			}
			if !slices.Equal(slices.Sorted(slices.Values(wantPaths)), keys(files)) {
				t.Errorf("result files = %v", res.FileResults)
			}
			secrets := []string{jwt}
			if c.clientType == "confidential" {
				secrets = append(secrets, ui.ClientSecret)
			}
			if wantBot {
				secrets = append(secrets, tn.client(t, "OpenMetadata Ingestion Bot").ClientSecret)
			}
			for path, f := range files {
				holds := slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(f.data, s) })
				if holds != (f.mode == 0o600) || (!holds && f.mode != 0o644) {
					t.Errorf("%s: mode %04o, holds a secret: %v", path, f.mode, holds)
				}
			}
			targetText := ""
			for p, f := range files {
				if !strings.HasPrefix(p, "ingestion/") && p != "answers.yaml" {
					targetText += f.data
				}
			}
			if !strings.Contains(targetText, ui.ClientID) || !strings.Contains(targetText, tn.URL()) {
				t.Errorf("the configuration names neither the application %s nor the tenant %s", ui.ClientID, tn.URL())
			}
			if c.clientType == "confidential" && !strings.Contains(targetText, ui.ClientSecret) {
				t.Errorf("the confidential configuration lacks the client secret")
			}
			if !strings.Contains(files["ingestion/workflow-config.yaml"].data, map[bool]string{true: "securityConfig", false: jwt}[c.version == "1.0.2"]) {
				t.Errorf("workflow-config.yaml:\n%s", files["ingestion/workflow-config.yaml"].data)
			}
		})
	}
}

// A second identical run changes nothing in the tenant and rewrites identical files.
func TestSecondRunChangesNothing(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--no-input", "--om-url", omURL, "--om-version", "1.6.4", "--client-type", "confidential",
		"--service-account", "separate", "--scopes", "read:clients,read:users", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}
	env := tn.env("OM_INGESTION_BOT_JWT=" + jwt)
	first := run(t, dir, env, "", args...)
	if first.code != 0 {
		t.Fatalf("first run: %v", first)
	}
	if !strings.Contains(first.stderr, `application "OpenMetadata" created`) {
		t.Errorf("first run:\n%s", first.stderr)
	}
	state, files := tn.state(t), snapshot(t, filepath.Join(dir, "out"))
	tn.ResetRequests()

	second := run(t, dir, env, "", args...)
	if second.code != 0 {
		t.Fatalf("second run: %v", second)
	}
	if w := tn.writes(); len(w) > 0 {
		t.Errorf("the second run changed the tenant: %v", w)
	}
	if tn.state(t) != state {
		t.Errorf("tenant state changed:\n%s\n%s", state, tn.state(t))
	}
	if again := snapshot(t, filepath.Join(dir, "out")); !maps.Equal(again, files) {
		t.Errorf("the second run wrote different files")
	}
	for _, want := range []string{`application "OpenMetadata" already set up`, `service account application "OpenMetadata Ingestion Bot" already set up`,
		"client grant for " + tn.URL() + "/api/v2/ already set up"} {
		if !strings.Contains(second.stderr, want) {
			t.Errorf("second run's stderr lacks %q:\n%s", want, second.stderr)
		}
	}
}

// --dry-run changes nothing in the tenant and writes nothing, on a fresh
// tenant and on one where a change is due.
func TestDryRun(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--no-input", "--om-url", omURL, "--om-version", "1.0.2", "--scopes", "read:clients",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "out"}

	before := tn.state(t)
	r := run(t, dir, tn.env(), "", append(args, "--dry-run")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if tn.state(t) != before || len(tn.writes()) > 0 {
		t.Errorf("the dry run changed the tenant: %v", tn.writes())
	}
	if snapshot(t, filepath.Join(dir, "out")) != nil {
		t.Errorf("the dry run wrote the output folder")
	}
	for _, want := range []string{
		`+ create application "OpenMetadata"`,
		`+ create application "OpenMetadata Ingestion Bot"`,
		`+ create client grant "` + tn.URL() + `/api/v2/"`,
		"callbacks", omURL + "/callback",
		"docker/openmetadata_auth0.env", "answers.yaml",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if !regexp.MustCompile(`ingestion/workflow-config.yaml +0600`).MatchString(r.stdout) {
		t.Errorf("the plan does not show the ingestion config as a secret file:\n%s", r.stdout)
	}

	// After a real run, someone removes the callback in the Dashboard: a dry
	// run plans to restore it, and only that.
	if r := run(t, dir, tn.env(), "", args...); r.code != 0 {
		t.Fatalf("%v", r)
	}
	tn.patchClient(t, tn.client(t, "OpenMetadata").ClientID, `{"callbacks":["https://elsewhere.example.com/callback"]}`)
	before, files := tn.state(t), snapshot(t, filepath.Join(dir, "out"))
	tn.ResetRequests()
	r = run(t, dir, tn.env(), "", append(args, "--dry-run", "--json")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if tn.state(t) != before || len(tn.writes()) > 0 || !maps.Equal(snapshot(t, filepath.Join(dir, "out")), files) {
		t.Errorf("the dry run changed something: %v", tn.writes())
	}
	res := parseResult(t, r.stdout)
	if !res.DryRun || len(res.Plan) == 0 || len(res.Files) == 0 {
		t.Fatalf("dry-run result = %+v", res)
	}
	var ui *struct{ action, fields string }
	for _, c := range res.Plan {
		if c.Resource == "application" && c.Name == "OpenMetadata" {
			var fields []string
			for _, f := range c.Fields {
				fields = append(fields, f.Field+"="+f.To)
			}
			ui = &struct{ action, fields string }{string(c.Action), strings.Join(fields, " ")}
		}
	}
	if ui == nil || ui.action != "update" || ui.fields != "callbacks=https://elsewhere.example.com/callback, "+omURL+"/callback" {
		t.Errorf("planned UI change = %+v; plan %+v", ui, res.Plan)
	}
	if changes := slices.DeleteFunc(slices.Clone(res.Plan), func(c steps.Change) bool { return c.Action == steps.Keep }); len(changes) != 1 {
		t.Errorf("the plan changes more than the callbacks: %+v", res.Plan)
	}
	if !strings.Contains(r.stderr, "~ update application \"OpenMetadata\"") {
		t.Errorf("with --json the plan for a person goes to stderr:\n%s", r.stderr)
	}
}

// --dry-run --json names the applications and the grant the plan found,
// with their client ids; only what is still to be created has none.
func TestDryRunReportsWhatItFound(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--no-input", "--json", "--om-url", omURL, "--om-version", "1.6.4", "--client-type", "confidential",
		"--service-account", "separate", "--scopes", "read:clients", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}

	// A fresh tenant: everything is to be created.
	r := run(t, dir, tn.env(), "", append(args, "--dry-run")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	res := parseResult(t, r.stdout)
	if res.UIApp != (setup.AppResult{Name: "OpenMetadata", AppType: "regular_web"}) {
		t.Errorf("fresh dry run ui_app = %+v", res.UIApp)
	}
	if sa := res.ServiceAccount; sa == nil || *sa != (setup.AppResult{Name: "OpenMetadata Ingestion Bot", AppType: "non_interactive"}) {
		t.Errorf("fresh dry run service_account = %+v", sa)
	}
	if g := res.Grant; g == nil || g.ID != "" || g.Audience != tn.URL()+"/api/v2/" || !slices.Equal(g.Scopes, []string{"read:clients"}) || g.Created {
		t.Errorf("fresh dry run grant = %+v", g)
	}

	if r := run(t, dir, tn.env(), "", args...); r.code != 0 {
		t.Fatalf("%v", r)
	}
	ui, bot := tn.client(t, "OpenMetadata"), tn.client(t, "OpenMetadata Ingestion Bot")
	grants := tn.ClientGrants()
	grantID := ""
	for _, g := range grants {
		if g.ClientID == bot.ClientID {
			grantID = g.ID
		}
	}

	// Everything exists: the dry run keeps it all, and says which it found.
	r = run(t, dir, tn.env(), "", append(args, "--dry-run")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	res = parseResult(t, r.stdout)
	for _, c := range res.Plan {
		if c.Action != steps.Keep {
			t.Errorf("the second dry run plans %+v", c)
		}
	}
	if res.UIApp != (setup.AppResult{ClientID: ui.ClientID, Name: "OpenMetadata", AppType: "regular_web"}) {
		t.Errorf("dry run ui_app = %+v, the tenant has %s", res.UIApp, ui.ClientID)
	}
	if sa := res.ServiceAccount; sa == nil || *sa != (setup.AppResult{ClientID: bot.ClientID, Name: "OpenMetadata Ingestion Bot", AppType: "non_interactive"}) {
		t.Errorf("dry run service_account = %+v, the tenant has %s", sa, bot.ClientID)
	}
	if g := res.Grant; g == nil || grantID == "" || g.ID != grantID || !slices.Equal(g.Scopes, []string{"read:clients"}) || g.Created {
		t.Errorf("dry run grant = %+v, the tenant has %+v", g, grants)
	}
	if strings.Contains(r.stdout, ui.ClientSecret) || strings.Contains(r.stdout, bot.ClientSecret) {
		t.Errorf("the dry run's result shows a secret:\n%s", r.stdout)
	}
}

// Missing values: exit 2 naming all of them, before any request.
func TestMissingValues(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	tests := []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"nothing", nil, []string{"setup"},
			"missing: --domain (or AUTH0_DOMAIN), the Management API credentials: --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET), or --api-token (or AUTH0_API_TOKEN), --admin, --principal-domain"},
		{"no secret", []string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_CLIENT_ID=" + tn.clientID}, []string{"setup", "--no-input", "--admin", "alice"},
			"missing: --client-secret (or AUTH0_CLIENT_SECRET), --principal-domain"},
		{"root command is setup", tn.env(), []string{"--principal-domain", "example.com"}, "missing: --admin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tn.ResetRequests()
			r := run(t, t.TempDir(), tt.env, "", tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want+"\n") || r.stdout != "" {
				t.Fatalf("want exit 2 naming %q: %v", tt.want, r)
			}
			if len(tn.Requests()) > 0 {
				t.Errorf("requests were made: %+v", tn.Requests())
			}
		})
	}
}

// A bad answers file: exit 2 naming the key and its line, before any request.
func TestBadAnswersFile(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	tests := []struct{ name, yaml, want string }{
		{"unknown key", "om_url: https://om.example.com\nadmins: [alice]\ncolour: blue\n", `answers.yaml:3: key "colour": unknown key`},
		{"wrong type", "om_url: https://om.example.com\nadmins: alice\n", `answers.yaml:2: key "admins": must be a list`},
		{"secret", "client_secret: hunter2\n", `answers.yaml:1: key "client_secret": is a secret`},
		{"bad value", "om_version: latest\n", `om_version in answers.yaml: OpenMetadata version "latest"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "answers.yaml"), []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			tn.ResetRequests()
			r := run(t, dir, tn.env(), "", "setup", "--answers", "answers.yaml", "--principal-domain", "example.com")
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) || strings.Contains(r.stderr, "hunter2") {
				t.Fatalf("want exit 2 with %q: %v", tt.want, r)
			}
			if len(tn.Requests()) > 0 {
				t.Errorf("requests were made: %+v", tn.Requests())
			}
		})
	}
}

// answers.yaml with the secrets from the environment reproduces the run,
// reading the applications by the ids it recorded instead of listing the tenant.
func TestAnswersRoundTrip(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	first := run(t, dir, tn.env("OM_INGESTION_BOT_JWT="+jwt), "", "setup", "--json", "--om-url", omURL, "--om-version", "1.0.2",
		"--scopes", "read:clients", "--bot-app-name", "Ingestion", "--target", "docker", "--target", "kubernetes",
		"--admin", "alice", "--principal-domain", "example.com") // default --out
	if first.code != 0 {
		t.Fatalf("%v", first)
	}
	out := filepath.Join(dir, "openmetadata-auth0")
	files, state := snapshot(t, out), tn.state(t)
	saved, err := answers.Load(filepath.Join(out, "answers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := answers.Answers{Domain: tn.URL(), ClientID: tn.clientID, OMURL: omURL, OMVersion: "1.0.2", ClientType: "public",
		AppName: "OpenMetadata", ServiceAccount: "separate", BotAppName: "Ingestion", Scopes: []string{"read:clients"},
		Targets: []string{"docker", "kubernetes"}, Namespace: "default", Release: "openmetadata",
		Admins: []string{"alice"}, PrincipalDomain: "example.com", Out: "./openmetadata-auth0"}
	a := parseResult(t, first.stdout)
	if a.ServiceAccount == nil || a.Grant == nil {
		t.Fatalf("no service account in %+v", a)
	}
	want.UIAppID, want.ServiceAccountID, want.GrantID = a.UIApp.ClientID, a.ServiceAccount.ClientID, a.Grant.ID
	if got, _ := json.Marshal(saved); string(got) != string(must(json.Marshal(want))) {
		t.Errorf("answers.yaml = %s\nwant          %s", got, must(json.Marshal(want)))
	}

	tn.ResetRequests()
	// Only the secrets, from the environment: the domain and client id come from the file.
	replay := run(t, dir, []string{"AUTH0_CLIENT_SECRET=" + tn.secret, "OM_INGESTION_BOT_JWT=" + jwt}, "",
		"setup", "--json", "--answers", filepath.Join("openmetadata-auth0", "answers.yaml"))
	if replay.code != 0 {
		t.Fatalf("%v", replay)
	}
	if w := tn.writes(); len(w) > 0 || tn.state(t) != state {
		t.Errorf("the replay changed the tenant: %v", w)
	}
	for _, r := range tn.Requests() {
		if r.Method == http.MethodGet && r.Path == "/api/v2/clients" {
			t.Errorf("the replay listed the tenant's applications: %s?%s", r.Path, r.RawQuery)
		}
	}
	if !maps.Equal(snapshot(t, out), files) {
		t.Errorf("the replay wrote different files")
	}
	b := parseResult(t, replay.stdout)
	if a.UIApp.ClientID != b.UIApp.ClientID || a.ServiceAccount == nil || b.ServiceAccount == nil ||
		a.ServiceAccount.ClientID != b.ServiceAccount.ClientID || a.Grant.ID != b.Grant.ID || len(a.FileResults) != len(b.FileResults) {
		t.Errorf("replay result differs:\n%+v\n%+v", a, b)
	}
	for i, f := range b.FileResults {
		if f.Path != a.FileResults[i].Path || f.Status != output.Unchanged {
			t.Errorf("replay file %+v, want %s unchanged", f, a.FileResults[i].Path)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// No secret appears on stderr, in answers.yaml or in --json output, unless
// --reveal-secrets (then the applications' secrets are in --json).
func TestSecretsNeverShown(t *testing.T) {
	t.Parallel()
	for _, reveal := range []bool{false, true} {
		t.Run(fmt.Sprintf("reveal=%v", reveal), func(t *testing.T) {
			tn := newTenant(t)
			dir := t.TempDir()
			args := []string{"setup", "--json", "--om-url", omURL, "--om-version", "1.6.4", "--client-type", "confidential",
				"--service-account", "separate", "--admin", "alice", "--principal-domain", "example.com", "--out", "out",
				"--client-secret", "-"}
			if reveal {
				args = append(args, "--reveal-secrets")
			}
			// The Management API secret through stdin: no warning, and it works.
			r := run(t, dir, []string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_CLIENT_ID=" + tn.clientID, "OM_INGESTION_BOT_JWT=" + jwt}, tn.secret+"\n", args...)
			if r.code != 0 {
				t.Fatalf("%v", r)
			}
			if strings.Contains(r.stderr, "warning: --client-secret") {
				t.Errorf("a secret from stdin drew the argv warning:\n%s", r.stderr)
			}
			res := parseResult(t, r.stdout)
			uiSecret := tn.client(t, "OpenMetadata").ClientSecret
			botSecret := tn.client(t, "OpenMetadata Ingestion Bot").ClientSecret
			answersFile := snapshot(t, filepath.Join(dir, "out"))["answers.yaml"].data
			for name, secret := range map[string]string{"management": tn.secret, "ui": uiSecret, "bot": botSecret, "jwt": jwt} {
				if strings.Contains(answersFile, secret) {
					t.Errorf("the %s secret is in answers.yaml", name)
				}
				// Revealed secrets are shown on screen (stderr) and in --json.
				revealed := reveal && (name == "ui" || name == "bot")
				if got := strings.Contains(r.stdout, secret); got != revealed {
					t.Errorf("the %s secret in --json: %v", name, got)
				}
				if got := strings.Contains(r.stderr, secret); got != revealed {
					t.Errorf("the %s secret on stderr: %v", name, got)
				}
			}
			if reveal && (res.UIApp.ClientSecret != uiSecret || res.ServiceAccount.ClientSecret != botSecret) {
				t.Errorf("revealed result = %+v %+v", res.UIApp, res.ServiceAccount)
			}
		})
	}
}

// A secret typed on the command line works, with a warning that does not repeat it.
func TestSecretOnCommandLineWarns(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	r := run(t, t.TempDir(), []string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_CLIENT_ID=" + tn.clientID}, "",
		"setup", "--client-secret", tn.secret, "--om-version", "1.6.4", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	if !strings.Contains(r.stderr, "warning: --client-secret on the command line is visible to other users in the process list; prefer AUTH0_CLIENT_SECRET") ||
		strings.Contains(r.stderr, tn.secret) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// --json: stdout is one JSON object; everything for a person is on stderr.
// Without --json, stderr has the progress and stdout the summary.
func TestStdoutStderrSeparation(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--om-version", "1.6.4", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}
	r := run(t, dir, tn.env(), "", append(args, "--json")...)
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	res := parseResult(t, r.stdout)
	if res.Tenant != tn.URL() || res.TenantName != "CI tenant" || len(res.Files) != 5 {
		t.Errorf("result = %+v", res)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(r.stdout), &raw)
	for _, key := range []string{"tenant", "ui_app", "service_account", "grant", "verification", "files"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("--json lacks %q: %s", key, r.stdout)
		}
	}
	// The progress line names the domain (the tenant's name only decorates,
	// and nothing waits for it); the result, made last, has the name.
	for _, want := range []string{"ok: connected to tenant " + tn.URL() + "\n", `ok: application "OpenMetadata" created`,
		"Next steps for Docker:", "docker compose --env-file"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}

	r = run(t, dir, tn.env(), "", args...)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "Auth0 SSO for OpenMetadata is set up") || strings.Contains(r.stdout, "ok: ") ||
		!strings.Contains(r.stderr, "ok: files in out: 5 unchanged") || strings.Contains(r.stderr, "Next steps") {
		t.Errorf("without --json: %v", r)
	}
	// Not a terminal, so no Unicode marks in the progress lines.
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		if !strings.HasPrefix(line, "ok: ") {
			t.Errorf("progress line %q", line)
		}
	}
}

// An Auth0 failure: exit 1, naming what failed and what was already created;
// no file is written.
func TestAuth0FailureExit1(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	tn.InjectFault(sandbox.Fault{Method: "POST", Path: "/api/v2/client-grants", Status: 400})
	r := run(t, dir, tn.env(), "", "setup", "--json", "--om-version", "1.0.2", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	ui, bot := tn.client(t, "OpenMetadata"), tn.client(t, "OpenMetadata Ingestion Bot")
	for _, want := range []string{`authorize application "OpenMetadata Ingestion Bot" for the Auth0 Management API`,
		"Already created in Auth0:", ui.ClientID, bot.ClientID} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	res := parseResult(t, r.stdout)
	if res.Error == nil || res.Error.Status != 400 || len(res.Error.Created) != 2 {
		t.Errorf("result error = %+v", res.Error)
	}
	if snapshot(t, filepath.Join(dir, "out")) != nil {
		t.Errorf("files were written")
	}
}

// Missing Management API scopes: exit 1 naming them all, before any change.
func TestMissingScopesExit1(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	id, secret := tn.CreateM2MApp("read only", []string{"read:clients", "read:resource_servers"})
	r := run(t, t.TempDir(), []string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_CLIENT_ID=" + id, "AUTH0_CLIENT_SECRET=" + secret}, "",
		"setup", "--om-version", "1.0.2", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if r.code != 1 {
		t.Fatalf("want exit 1: %v", r)
	}
	for _, want := range []string{"create:clients", "create:client_grants", "read:client_grants", "authorize application " + id, "Nothing was created in Auth0."} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if w := tn.writes(); len(w) > 0 {
		t.Errorf("writes: %v", w)
	}
}

// Bad usage: exit 2, nothing changed.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"confidential before 1.5", []string{"--client-type", "confidential", "--om-version", "1.3.0"}, "--client-type confidential needs OpenMetadata 1.5 or later"},
		{"same mode on a public app needs --yes", []string{"--om-version", "1.0.2", "--service-account", "same"}, "browser sign-in to OpenMetadata stops working"},
		{"unknown flag", []string{"--colour"}, "unknown flag: --colour"},
		{"argument", []string{"please"}, `unknown command "please"`},
		{"two secrets from stdin", []string{"--client-secret", "-", "--ingestion-jwt", "-"}, "both read stdin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tn.state(t)
			args := append([]string{"setup", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}, tt.args...)
			r := run(t, t.TempDir(), tn.env(), "x\n", args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("want exit 2 with %q: %v", tt.want, r)
			}
			if tn.state(t) != before {
				t.Errorf("the tenant changed")
			}
		})
	}
}

// Ctrl+C: exit 130, naming what the run had created. Not parallel:
// waitHeld looks at every goroutine of the test process.
func TestInterruptExit130(t *testing.T) {
	tn := newTenant(t)
	dir := t.TempDir()
	tn.InjectFault(sandbox.Fault{Method: "POST", Path: "/api/v2/client-grants", Latency: 20 * time.Second})
	cmd := exec.Command(bin, "setup", "--om-version", "1.0.2", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, tn.env()...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	held := heldRequests() // an earlier run's, still parked
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	// Interrupt once the grant's POST is held by the tenant: both
	// applications exist and the run knows it created them.
	waitHeld(t, held, exited, &stderr)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := <-exited
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 130 {
		t.Fatalf("want exit 130, got %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "Interrupted.") || !strings.Contains(stderr.String(), "Already created in Auth0:") ||
		!strings.Contains(stderr.String(), tn.client(t, "OpenMetadata Ingestion Bot").ClientID) {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// heldRequests are the goroutines of this process parked inside the
// simulated tenant's handler, by their goroutine header: requests held by an
// injected Latency fault (the tenant runs in this process). Its request log
// cannot show them: a request is logged once answered.
func heldRequests() map[string]bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	held := map[string]bool{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, "[select") && strings.Contains(g, "sandbox.(*Server).serveHTTP") {
			held[strings.Fields(header)[1]] = true // the goroutine's id
		}
	}
	return held
}

// waitHeld waits until the tenant holds a request that was not held before
// (see heldRequests). The run ending first, or 10 s passing, fails the test.
// A test calling it must not run in parallel with others that hold requests.
func waitHeld(t *testing.T, before map[string]bool, exited <-chan error, stderr *strings.Builder) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		for g := range heldRequests() {
			if !before[g] {
				return
			}
		}
		select {
		case err := <-exited:
			t.Fatalf("the run ended (%v) before the tenant held a request:\n%s", err, stderr) // read once Wait returned
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the tenant held no request after 10 s")
		}
	}
}

// Without --om-version, the version comes from the server, and its defaults follow.
func TestVersionDetected(t *testing.T) {
	t.Parallel()
	om := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/system/version" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"version":"1.0.2","revision":"abc","timestamp":1}`))
	}))
	defer om.Close()
	tn := newTenant(t)
	dir := t.TempDir()
	r := run(t, dir, tn.env("OM_URL="+om.URL), "", "setup", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if r.code != 0 || !strings.Contains(r.stderr, "ok: OpenMetadata at "+om.URL+" is version 1.0.2") {
		t.Fatalf("%v", r)
	}
	a, err := answers.Load(filepath.Join(dir, "out", "answers.yaml"))
	if err != nil || a.OMVersion != "1.0.2" || a.ServiceAccount != "separate" {
		t.Fatalf("answers %+v, %v", a, err)
	}
	tn.client(t, "OpenMetadata Ingestion Bot")

	// A server that does not answer: the newest version, said on stderr.
	r = run(t, dir, tn.env("OM_URL=http://127.0.0.1:1"), "", "setup", "--dry-run", "--admin", "alice", "--principal-domain", "example.com", "--out", "out2")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: could not read OpenMetadata's version") {
		t.Fatalf("%v", r)
	}
}

// A Management API token instead of client credentials; --app-id reuses an
// existing application, which gets only the fields sign-in needs.
func TestAPITokenAndAppID(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	tn.SeedApps(1, "spa")
	existing := tn.Clients()[1]
	token := tn.token(t)
	dir := t.TempDir()
	r := run(t, dir, []string{"AUTH0_DOMAIN=" + tn.URL(), "AUTH0_API_TOKEN=" + token}, "",
		"setup", "--json", "--app-id", existing.ClientID, "--om-url", omURL, "--om-version", "1.6.4", "--target", "docker",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if r.code != 0 {
		t.Fatalf("%v", r)
	}
	res := parseResult(t, r.stdout)
	app := tn.client(t, existing.Name)
	if res.UIApp.ClientID != existing.ClientID || res.UIApp.Created || !slices.Contains(app.Callbacks, omURL+"/callback") || len(tn.Clients()) != 3 {
		t.Fatalf("result %+v; application %+v", res.UIApp, app)
	}
	if !strings.Contains(r.stderr, `application "`+existing.Name+`" updated (`) || strings.Contains(r.stderr+r.stdout, token) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	a, err := answers.Load(filepath.Join(dir, "out", "answers.yaml"))
	if err != nil || a.AppID != existing.ClientID || a.ClientID != "" {
		t.Errorf("answers %+v, %v", a, err)
	}
}

// Every command has help with examples, and shell completion works from the binary.
func TestHelpAndCompletion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"--help"}, {"setup", "--help"}, {"render", "--help"}} {
		r := run(t, dir, nil, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:\n  # ") || r.stderr != "" {
			t.Errorf("%v: %v", args, r)
		}
	}
	r := run(t, dir, nil, "", "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "__start_om-auth0") {
		t.Errorf("completion bash: exit %d, stdout %.200q", r.code, r.stdout)
	}
	r = run(t, dir, nil, "", "__complete", "setup", "--service-account", "")
	if r.code != 0 || r.stdout != "separate\nsame\nskip\n:4\n" {
		t.Errorf("__complete: %v", r)
	}
	r = run(t, dir, nil, "", "__complete", "")
	for _, cmd := range []string{"setup", "render", "version", "completion"} {
		if !strings.Contains(r.stdout, cmd+"\t") {
			t.Errorf("__complete '' lacks %s: %v", cmd, r)
		}
	}
}

// --app-name given while the application om-auth0 set up for this URL has
// another name: the dry run says which one it found and plans the rename as
// a field change; --yes applies it (not a breaking change), and answers.yaml
// then records the new name. Without --app-name the name is kept.
func TestAppNameRenamesTheMarkedApplication(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--no-input", "--om-url", omURL, "--om-version", "1.6.4",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "out"}
	if r := run(t, dir, tn.env(), "", args...); r.code != 0 {
		t.Fatalf("first run: %v", r)
	}
	id := tn.client(t, "OpenMetadata").ClientID
	tn.patchClient(t, id, `{"name":"Old name"}`)
	found := `found by its marker: application "Old name" (` + id + ")"

	tn.ResetRequests()
	r := run(t, dir, tn.env(), "", append(args, "--dry-run")...)
	if r.code != 0 || len(tn.writes()) > 0 {
		t.Fatalf("dry run without --app-name wrote %v: %v", tn.writes(), r)
	}
	if !strings.Contains(r.stdout, `= keep application "Old name" as it is`) || !strings.Contains(r.stdout, found) {
		t.Errorf("without --app-name the plan does not keep and name the application found:\n%s", r.stdout)
	}

	rename := append(slices.Clone(args), "--app-name", "New name")
	r = run(t, dir, tn.env(), "", append(rename, "--dry-run")...)
	if r.code != 0 || len(tn.writes()) > 0 {
		t.Fatalf("dry run wrote %v: %v", tn.writes(), r)
	}
	for _, want := range []string{`~ update application "Old name"`, found, `name  "Old name" -> "New name"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the dry run's plan lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "!") {
		t.Errorf("the rename is marked as breaking:\n%s", r.stdout)
	}

	r = run(t, dir, tn.env(), "", append(rename, "--yes")...)
	if r.code != 0 {
		t.Fatalf("--yes: %v", r)
	}
	if got := tn.client(t, "New name"); got.ClientID != id {
		t.Errorf("renamed application %s, want %s", got.ClientID, id)
	}
	if w := tn.writes(); !slices.Equal(w, []string{"PATCH /api/v2/clients/" + id}) {
		t.Errorf("writes = %v, want one PATCH of %s", w, id)
	}
	answers, err := os.ReadFile(filepath.Join(dir, "out", "answers.yaml"))
	if err != nil || !strings.Contains(string(answers), "app_name: New name") {
		t.Errorf("answers.yaml (%v):\n%s", err, answers)
	}
	tn.ResetRequests()
	if r := run(t, dir, tn.env(), "", "setup", "--no-input", "--answers", filepath.Join("out", "answers.yaml")); r.code != 0 || len(tn.writes()) > 0 {
		t.Errorf("a replay of the answers wrote %v: %v", tn.writes(), r)
	}
}

// A replay whose recorded UI application was marked for another
// OpenMetadata since does not use it: it says so, lists the tenant, creates
// the application anew, leaves the other one alone and records the new id.
func TestReplayWithRecordedAppMarkedElsewhere(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	first := run(t, dir, tn.env(), "", "setup", "--json", "--om-url", omURL, "--om-version", "1.6.4",
		"--target", "docker", "--admin", "alice", "--principal-domain", "example.com")
	if first.code != 0 {
		t.Fatalf("%v", first)
	}
	old := parseResult(t, first.stdout).UIApp.ClientID
	tn.patchClient(t, old, `{"client_metadata":{"om_auth0_om_url":"https://staging.example.com"}}`)
	answersFile := filepath.Join(dir, "openmetadata-auth0", "answers.yaml")

	tn.ResetRequests()
	replay := run(t, dir, []string{"AUTH0_CLIENT_SECRET=" + tn.secret}, "", "setup", "--yes", "--answers", answersFile)
	if replay.code != 0 {
		t.Fatalf("%v", replay)
	}
	if out := replay.stdout + replay.stderr; !strings.Contains(out, "ui_app_id in answers.yaml") ||
		!strings.Contains(out, "no longer carries om-auth0's marker for "+omURL) {
		t.Errorf("the replay does not say why the recorded application was not used:\n%s", out)
	}
	for _, w := range tn.writes() {
		if strings.HasSuffix(w, "/"+old) {
			t.Errorf("the replay changed the application marked for another OpenMetadata: %s", w)
		}
	}
	saved, err := answers.Load(answersFile)
	if err != nil {
		t.Fatal(err)
	}
	if saved.UIAppID == "" || saved.UIAppID == old {
		t.Errorf("answers.yaml records ui_app_id %q, want the new application's (not %q)", saved.UIAppID, old)
	}
}
