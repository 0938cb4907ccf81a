package render

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// renderCase is one golden case: a version band and client type.
type renderCase struct {
	name string
	in   Input
}

func mustVersion(s string) openmetadata.Version {
	v, err := openmetadata.ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// fixture is a valid Input for version v and client type ct.
func fixture(v string, ct openmetadata.ClientType) Input {
	return Input{
		Tenant:     tenant.MustParse("acme.us.auth0.com"),
		OMURL:      "https://openmetadata.acme.internal",
		Version:    mustVersion(v),
		ClientType: ct,
		UI: Credentials{
			ClientID:     "9xYtQ2pLmN4oR7sT1uV3wX5yZ8aB0cDe",
			ClientSecret: "Ui-SeCrEt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL",
		},
		AdminPrincipals: []string{"Jane.Doe@acme.com", "ops"},
		PrincipalDomain: "acme.com",
	}
}

// goldenCases cover every version band (1.0.2 legacy, 1.4.0 JWT, 1.6.4 OIDC,
// 2.0.2 OIDC with settings in the database), every valid client type and
// both token endpoint auth methods of a confidential client.
func goldenCases() []renderCase {
	legacySA := fixture("1.0.2", openmetadata.Public)
	legacySA.ServiceAccount = &Credentials{ClientID: "BotQ2pLmN4oR7sT1uV3wX5yZ8aB0cDeF", ClientSecret: "Bot-SeCrEt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJK"}
	withJWT := fixture("2.0.2", openmetadata.Public)
	withJWT.IngestionJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJpbmdlc3Rpb24tYm90In0.c2lnbmF0dXJl"
	// --service-account same: the UI application's method became Basic.
	basic := fixture("2.0.2", openmetadata.Confidential)
	basic.ClientAuthMethod = openmetadata.BasicAuthMethod
	return []renderCase{
		{"1.0.2-public-service-account", legacySA},
		{"1.0.2-public", fixture("1.0.2", openmetadata.Public)},
		{"1.4.0-public", fixture("1.4.0", openmetadata.Public)},
		{"1.6.4-public", fixture("1.6.4", openmetadata.Public)},
		{"1.6.4-confidential", fixture("1.6.4", openmetadata.Confidential)},
		{"2.0.2-public", fixture("2.0.2", openmetadata.Public)},
		{"2.0.2-public-jwt", withJWT},
		{"2.0.2-confidential", fixture("2.0.2", openmetadata.Confidential)},
		{"2.0.2-confidential-basic", basic},
	}
}

// goldenOut is the output folder the golden next steps name the files in.
const goldenOut = "/home/ops/openmetadata-auth0"

// TestGolden compares every file and every target's next steps with
// testdata/golden/<case>/; run `go test ./render -update` to rewrite them.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Render(tc.in, AllTargets)
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join("testdata", "golden", tc.name)
			got := map[string][]byte{}
			for _, f := range files {
				got[f.Path] = f.Data
			}
			for _, target := range AllTargets {
				got["next-steps/"+string(target)+".txt"] = []byte(NextStepsIn(tc.in, target, goldenOut))
			}
			got["next-steps/ingestion.txt"] = []byte(IngestionNextSteps(tc.in))
			if *update {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
				for p, data := range got {
					dst := filepath.Join(dir, filepath.FromSlash(p))
					if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(dst, data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			var want []string
			err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				want = append(want, filepath.ToSlash(rel))
				return nil
			})
			if err != nil {
				t.Fatalf("read golden files (run with -update to create them): %v", err)
			}
			var gotPaths []string
			for p := range got {
				gotPaths = append(gotPaths, p)
			}
			slices.Sort(gotPaths)
			slices.Sort(want)
			if !slices.Equal(gotPaths, want) {
				t.Fatalf("files = %v, golden has %v (run with -update to accept)", gotPaths, want)
			}
			for _, p := range want {
				data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got[p], data) {
					t.Errorf("%s differs from its golden file (run with -update to accept):\n--- got\n%s\n--- want\n%s", p, got[p], data)
				}
			}
		})
	}
}

func paths(files []openmetadata.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Path
	}
	return out
}

func TestRenderChosenTargetsOnly(t *testing.T) {
	tests := []struct {
		name    string
		ct      openmetadata.ClientType
		targets []openmetadata.Target
		want    []string
	}{
		{"none", openmetadata.Public, nil, []string{IngestionPath}},
		{"docker", openmetadata.Public, []openmetadata.Target{Docker}, []string{DockerEnvPath, IngestionPath}},
		{"bare metal", openmetadata.Public, []openmetadata.Target{BareMetal}, []string{BareMetalPath, IngestionPath}},
		{"kubernetes public", openmetadata.Public, []openmetadata.Target{Kubernetes}, []string{HelmValuesPath, IngestionPath}},
		{"kubernetes confidential", openmetadata.Confidential, []openmetadata.Target{Kubernetes}, []string{HelmValuesPath, HelmSecretPath, IngestionPath}},
		{"all, any order, repeated", openmetadata.Confidential, []openmetadata.Target{Kubernetes, Docker, BareMetal, Docker},
			[]string{DockerEnvPath, BareMetalPath, HelmValuesPath, HelmSecretPath, IngestionPath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Render(fixture("2.0.2", tt.ct), tt.targets)
			if err != nil {
				t.Fatal(err)
			}
			if got := paths(files); !slices.Equal(got, tt.want) {
				t.Errorf("paths = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := Render(fixture("2.0.2", openmetadata.Public), []openmetadata.Target{"swarm"}); err == nil || !strings.Contains(err.Error(), `"swarm"`) {
		t.Errorf("unknown target: err = %v, want one naming it", err)
	}
}

func TestSecretFiles(t *testing.T) {
	legacy := fixture("1.0.2", openmetadata.Public)
	legacy.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: "bot-secret"}
	jwt := fixture("1.4.0", openmetadata.Public)
	jwt.IngestionJWT = "a.b.c"
	tests := []struct {
		name string
		in   Input
		want map[string]bool // path -> Secret
	}{
		// The ingestion config is secret also with the JWT placeholder: the
		// operator pastes the token into it.
		{"public", fixture("2.0.2", openmetadata.Public), map[string]bool{
			DockerEnvPath: false, BareMetalPath: false, HelmValuesPath: false, IngestionPath: true}},
		{"confidential", fixture("2.0.2", openmetadata.Confidential), map[string]bool{
			DockerEnvPath: true, BareMetalPath: true, HelmValuesPath: false, HelmSecretPath: true, IngestionPath: true}},
		{"legacy service account", legacy, map[string]bool{
			DockerEnvPath: false, BareMetalPath: false, HelmValuesPath: false, IngestionPath: true}},
		{"ingestion JWT", jwt, map[string]bool{
			DockerEnvPath: false, BareMetalPath: false, HelmValuesPath: false, IngestionPath: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Render(tt.in, AllTargets)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, f := range files {
				got[f.Path] = f.Secret
				if f.Secret != (f.Mode() == 0o600) {
					t.Errorf("%s: Mode %v does not match Secret %v", f.Path, f.Mode(), f.Secret)
				}
			}
			for p, want := range tt.want {
				if s, ok := got[p]; !ok || s != want {
					t.Errorf("%s: Secret = %v (rendered %v), want %v", p, s, ok, want)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("rendered %v, want exactly %v", got, tt.want)
			}
		})
	}
}

// TestContent checks the facts the goldens must keep, so a careless -update
// cannot bring back a documentation bug.
func TestContent(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Render(tc.in, AllTargets)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := prepare(tc.in)
			for _, f := range files {
				text := string(f.Data)
				for _, line := range strings.Split(text, "\n") {
					if strings.HasPrefix(line, "#") {
						continue
					}
					for _, bad := range []string{"http://acme", "Auth0", "= ", "${"} {
						if strings.Contains(line, bad) {
							t.Errorf("%s: line %q contains %q", f.Path, line, bad)
						}
					}
				}
				if !strings.HasPrefix(text, "# Generated by om-auth0 for OpenMetadata "+c.versionLabel()) {
					t.Errorf("%s does not start with the om-auth0 header", f.Path)
				}
				if strings.Count(text, "principalDomain") > 1 {
					t.Errorf("%s repeats principalDomain", f.Path)
				}
			}
			byPath := map[string]openmetadata.File{}
			for _, f := range files {
				byPath[f.Path] = f
			}
			jwks := c.om + omJWKSPath

			env := string(byPath[DockerEnvPath].Data)
			for _, line := range strings.Split(env, "\n") {
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				k, _, ok := strings.Cut(line, "=")
				if !ok || strings.ContainsAny(k, " :") {
					t.Errorf("env line %q is not KEY=value", line)
				}
			}
			wantEnv := []string{
				"AUTHENTICATION_PROVIDER=auth0\n",
				"AUTHENTICATION_AUTHORITY=https://acme.us.auth0.com\n",
				"AUTHENTICATION_PUBLIC_KEYS=[https://acme.us.auth0.com/.well-known/jwks.json," + jwks + "]\n",
				"AUTHORIZER_ADMIN_PRINCIPALS=[jane.doe,ops]\n",
				"AUTHENTICATION_CALLBACK_URL=https://openmetadata.acme.internal/callback\n",
			}
			if tc.in.ClientType == openmetadata.Confidential {
				wantEnv = append(wantEnv, "OIDC_TYPE=auth0\n", "OIDC_CLIENT_AUTH_METHOD="+c.authMethod+"\n",
					"OIDC_DISCOVERY_URI=https://acme.us.auth0.com/.well-known/openid-configuration\n")
			}
			for _, w := range wantEnv {
				if !strings.Contains(env, w) {
					t.Errorf("env file lacks %q", w)
				}
			}
			if got := strings.Contains(env, "AUTHENTICATION_CLIENT_TYPE="); got != (c.Version.Band() == openmetadata.BandOIDC) {
				t.Errorf("env file sets AUTHENTICATION_CLIENT_TYPE = %v for %s", got, c.Version)
			}

			bm := parseYAML(t, byPath[BareMetalPath])
			authn := bm["authenticationConfiguration"].(map[string]any)
			if authn["provider"] != "auth0" || !slices.Contains(toStrings(authn["publicKeyUrls"]), jwks) {
				t.Errorf("bare metal authenticationConfiguration = %v", authn)
			}
			if oidc, ok := authn["oidcConfiguration"].(map[string]any); ok && oidc["type"] != "auth0" {
				t.Errorf("oidcConfiguration.type = %v, want auth0", oidc["type"])
			}

			hv := parseYAML(t, byPath[HelmValuesPath])
			hauth := hv["openmetadata"].(map[string]any)["config"].(map[string]any)["authentication"].(map[string]any)
			if oidc, ok := hauth["oidcConfiguration"].(map[string]any); ok {
				if oidc["enabled"] != true || oidc["oidcType"] != "auth0" {
					t.Errorf("helm oidcConfiguration = %v, want enabled: true and oidcType: auth0", oidc)
				}
			} else if tc.in.ClientType == openmetadata.Confidential {
				t.Error("helm values lack oidcConfiguration for a confidential client")
			}

			ing := parseYAML(t, byPath[IngestionPath])
			server := ing["workflowConfig"].(map[string]any)["openMetadataServerConfig"].(map[string]any)
			if server["hostPort"] != c.om+"/api" {
				t.Errorf("hostPort = %v", server["hostPort"])
			}
			sec := server["securityConfig"].(map[string]any)
			if c.legacyIngestion() {
				if server["authProvider"] != "auth0" || sec["domain"] != "acme.us.auth0.com" || sec["clientId"] != c.ServiceAccount.ClientID {
					t.Errorf("legacy ingestion = %v", server)
				}
			} else if server["authProvider"] != "openmetadata" || sec["jwtToken"] == "" {
				t.Errorf("ingestion = %v", server)
			}
		})
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestLoopbackTenant: the simulated tenant is plain http on loopback, and the
// URLs keep its scheme; the legacy domain keeps the port.
func TestLoopbackTenant(t *testing.T) {
	in := fixture("1.0.2", openmetadata.Public)
	in.Tenant = tenant.MustParse("http://127.0.0.1:8089")
	in.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: "bot-secret"}
	files, err := Render(in, []openmetadata.Target{Docker})
	if err != nil {
		t.Fatal(err)
	}
	env := string(files[0].Data)
	for _, want := range []string{"AUTHENTICATION_AUTHORITY=http://127.0.0.1:8089\n", "[http://127.0.0.1:8089/.well-known/jwks.json,"} {
		if !strings.Contains(env, want) {
			t.Errorf("env file lacks %q:\n%s", want, env)
		}
	}
	if !strings.Contains(string(files[1].Data), "domain: 127.0.0.1:8089\n") {
		t.Errorf("legacy ingestion domain is not host:port:\n%s", files[1].Data)
	}
}

func TestNextSteps(t *testing.T) {
	tests := []struct {
		name    string
		in      Input
		target  openmetadata.Target
		want    []string
		notWant []string
	}{
		{"docker 1.6", fixture("1.6.4", openmetadata.Public), Docker,
			[]string{"docker compose --env-file docker/openmetadata_auth0.env up -d", "give --env-file the file's full path"},
			// The ingestion steps are the same for every target: IngestionNextSteps.
			[]string{"remove-security-config", "Settings > Bots > ingestion-bot", IngestionPath}},
		{"docker 2.0", fixture("2.0.2", openmetadata.Public), Docker,
			[]string{dockerUp(""), dockerOps, dockerRestart, "Settings > SSO"}, nil},
		{"kubernetes public 2.0", fixture("2.0.2", openmetadata.Public), Kubernetes,
			[]string{"helm upgrade --install openmetadata open-metadata/openmetadata --namespace default --version 2.0.2 --reuse-values --values kubernetes/values-auth0.yaml",
				"kubectl exec --namespace default deploy/openmetadata -- ./bootstrap/openmetadata-ops.sh remove-security-config --force",
				"kubectl rollout restart --namespace default deploy/openmetadata", "every replica", "relative to the output folder"},
			[]string{"kubectl apply"}},
		{"kubernetes confidential 1.6", fixture("1.6.4", openmetadata.Confidential), Kubernetes,
			[]string{"kubectl apply --namespace default -f kubernetes/oidc-secrets.yaml", "helm upgrade --install openmetadata open-metadata/openmetadata --namespace default --version 1.6.4 "},
			[]string{"remove-security-config"}},
		{"kubernetes namespace and release", func() Input {
			in := fixture("2.0.2", openmetadata.Confidential)
			in.Namespace, in.Release = "data", "om-prod"
			return in
		}(), Kubernetes,
			[]string{"kubectl apply --namespace data -f kubernetes/oidc-secrets.yaml",
				"helm upgrade --install om-prod open-metadata/openmetadata --namespace data --version 2.0.2 ",
				// The chart names its Deployment <release>-openmetadata unless the release name holds "openmetadata".
				"kubectl exec --namespace data deploy/om-prod-openmetadata -- ",
				"kubectl rollout restart --namespace data deploy/om-prod-openmetadata"},
			[]string{"--namespace default", "deploy/openmetadata "}},
		{"kubernetes release holding the chart's name", func() Input {
			in := fixture("2.0.2", openmetadata.Public)
			in.Release = "openmetadata-prod"
			return in
		}(), Kubernetes,
			[]string{"helm upgrade --install openmetadata-prod ", "deploy/openmetadata-prod -- ", "restart --namespace default deploy/openmetadata-prod"},
			[]string{"openmetadata-prod-openmetadata"}},
		{"bare metal 2.0", fixture("2.0.2", openmetadata.Public), BareMetal,
			[]string{bareMetalOps, "conf/openmetadata.yaml", "restart every OpenMetadata server"}, nil},
		{"legacy service account", func() Input {
			in := fixture("1.0.2", openmetadata.Public)
			in.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: "s"}
			return in
		}(), Docker, []string{dockerUp("")}, []string{"Settings > Bots", "remove-security-config"}},
		{"JWT given", func() Input {
			in := fixture("1.4.0", openmetadata.Public)
			in.IngestionJWT = "a.b.c"
			return in
		}(), Docker, []string{dockerUp("")}, []string{"Settings > Bots"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextSteps(tt.in, tt.target)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("next steps lack %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("next steps contain %q:\n%s", w, got)
				}
			}
			if strings.Index(got, "remove-security-config") >= 0 && strings.Index(got, "remove-security-config") < strings.Index(got, "up -d") {
				t.Errorf("the database step comes before applying the files:\n%s", got)
			}
		})
	}
	if got := NextSteps(fixture("2.0.2", openmetadata.Public), "swarm"); got != "" {
		t.Errorf("NextSteps(unknown target) = %q, want empty", got)
	}
}

// TestIngestionNextSteps: the ingestion steps, printed once whatever the
// targets, for each way the workflowConfig signs in.
func TestIngestionNextSteps(t *testing.T) {
	legacySA := fixture("1.0.2", openmetadata.Public)
	legacySA.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: "s"}
	withJWT := fixture("1.4.0", openmetadata.Public)
	withJWT.IngestionJWT = "a.b.c"
	jwtSteps := []string{"Settings > Bots > ingestion-bot", "securityConfig.jwtToken", "--ingestion-jwt or OM_INGESTION_BOT_JWT"}
	tests := []struct {
		name    string
		in      Input
		want    []string
		notWant []string
	}{
		{"1.0 with a service account", legacySA, []string{"signs in to Auth0 as the service", "client secret: keep it private"}, jwtSteps},
		// Without a service account, 1.0 gets the ingestion-bot JWT placeholder.
		{"1.0 with the service account skipped", fixture("1.0.2", openmetadata.Public), jwtSteps, []string{"service account"}},
		{"1.6 without a JWT", fixture("1.6.4", openmetadata.Public), jwtSteps, []string{"service account", "keep it private"}},
		{"1.4 with a JWT", withJWT, []string{"holds the ingestion-bot's token", "keep it private"}, jwtSteps},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IngestionNextSteps(tt.in)
			for _, w := range append([]string{IngestionPath, "metadata ingest -c"}, tt.want...) {
				if !strings.Contains(got, w) {
					t.Errorf("ingestion steps lack %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("ingestion steps contain %q:\n%s", w, got)
				}
			}
			// Read from a workflow file, the config's own file, not a target's.
			for _, target := range AllTargets {
				if strings.Contains(NextSteps(tt.in, target), IngestionPath) {
					t.Errorf("NextSteps(%s) repeats the ingestion steps:\n%s", target, NextSteps(tt.in, target))
				}
			}
		})
	}
}

func TestRenderRejectsInvalidInput(t *testing.T) {
	in := fixture("2.0.2", openmetadata.Public)
	in.UI.ClientID = ""
	_, err := Render(in, AllTargets)
	var inv *InvalidInputError
	if !errors.As(err, &inv) {
		t.Fatalf("err = %v, want *InvalidInputError", err)
	}
}

// TestNextStepsIn: the printed commands name every rendered file by its path
// in the output folder, so they work as pasted from any folder (compose reads
// --env-file from the current folder), quoted for the shell when needed.
func TestNextStepsIn(t *testing.T) {
	tests := []struct {
		name   string
		in     Input
		target openmetadata.Target
		dir    string
		want   []string
	}{
		{"docker", fixture("2.0.2", openmetadata.Public), Docker, "/srv/om",
			[]string{"  docker compose --env-file /srv/om/docker/openmetadata_auth0.env up -d\n"}},
		{"docker, folder with a space", fixture("2.0.2", openmetadata.Public), Docker, "/home/jo/om out",
			[]string{"  docker compose --env-file '/home/jo/om out/docker/openmetadata_auth0.env' up -d\n"}},
		{"docker, folder with a quote", fixture("2.0.2", openmetadata.Public), Docker, "/home/o'brien",
			[]string{`  docker compose --env-file '/home/o'\''brien/docker/openmetadata_auth0.env' up -d` + "\n"}},
		{"kubernetes confidential", fixture("2.0.2", openmetadata.Confidential), Kubernetes, "/srv/om",
			[]string{"  kubectl apply --namespace default -f /srv/om/kubernetes/oidc-secrets.yaml\n",
				" --reuse-values --values /srv/om/kubernetes/values-auth0.yaml\n"}},
		{"kubernetes, folder with a space", fixture("1.6.4", openmetadata.Public), Kubernetes, "/srv/om auth0",
			[]string{" --reuse-values --values '/srv/om auth0/kubernetes/values-auth0.yaml'\n"}},
		{"bare metal", fixture("2.0.2", openmetadata.Public), BareMetal, "/srv/om",
			[]string{"to those in /srv/om/bare-metal/openmetadata-auth0.yaml (keep your other keys)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextStepsIn(tt.in, tt.target, tt.dir)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("next steps lack %q:\n%s", w, got)
				}
			}
			for _, rel := range []string{" " + DockerEnvPath, " " + HelmValuesPath, " " + HelmSecretPath, " " + BareMetalPath, "relative to the output folder"} {
				if strings.Contains(got, rel) {
					t.Errorf("next steps name a file relative to the output folder (%q):\n%s", rel, got)
				}
			}
		})
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/srv/om-auth0/docker/x.env", "/srv/om-auth0/docker/x.env"},
		{"/a b", "'/a b'"},
		{"/a$b", "'/a$b'"},
		{"it's", `'it'\''s'`},
		{"", "''"},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestClientAuthMethod: a confidential client's auth method reaches every
// file that configures it, and must be one Auth0 and OpenMetadata share.
func TestClientAuthMethod(t *testing.T) {
	oidcMethod := func(t *testing.T, files []openmetadata.File) (env, bareMetal, helm any) {
		t.Helper()
		for _, f := range files {
			switch f.Path {
			case DockerEnvPath:
				for _, line := range strings.Split(string(f.Data), "\n") {
					if v, ok := strings.CutPrefix(line, "OIDC_CLIENT_AUTH_METHOD="); ok {
						env = v
					}
				}
			case BareMetalPath:
				authn := parseYAML(t, f)["authenticationConfiguration"].(map[string]any)
				if oidc, ok := authn["oidcConfiguration"].(map[string]any); ok {
					bareMetal = oidc["clientAuthenticationMethod"]
				}
			case HelmValuesPath:
				authn := parseYAML(t, f)["openmetadata"].(map[string]any)["config"].(map[string]any)["authentication"].(map[string]any)
				if oidc, ok := authn["oidcConfiguration"].(map[string]any); ok {
					helm = oidc["clientAuthenticationMethod"]
				}
			}
		}
		return env, bareMetal, helm
	}
	tests := []struct {
		method string
		want   string
	}{
		{"", openmetadata.ConfidentialAuthMethod},
		{openmetadata.ConfidentialAuthMethod, openmetadata.ConfidentialAuthMethod},
		{openmetadata.BasicAuthMethod, openmetadata.BasicAuthMethod},
		{" Client_Secret_Basic ", openmetadata.BasicAuthMethod},
	}
	for _, tt := range tests {
		t.Run("method "+tt.method, func(t *testing.T) {
			in := fixture("2.0.2", openmetadata.Confidential)
			in.ClientAuthMethod = tt.method
			files, err := Render(in, AllTargets)
			if err != nil {
				t.Fatal(err)
			}
			env, bm, helm := oidcMethod(t, files)
			if env != tt.want || bm != tt.want || helm != tt.want {
				t.Errorf("env %v, bare metal %v, helm %v; want %s in each", env, bm, helm, tt.want)
			}
		})
	}
	t.Run("public client", func(t *testing.T) {
		in := fixture("2.0.2", openmetadata.Public)
		in.ClientAuthMethod = openmetadata.BasicAuthMethod
		files, err := Render(in, AllTargets)
		if err != nil {
			t.Fatal(err)
		}
		if env, bm, helm := oidcMethod(t, files); env != nil || bm != nil || helm != nil {
			t.Errorf("a public client has no auth method, got env %v, bare metal %v, helm %v", env, bm, helm)
		}
	})
	for _, bad := range []string{"private_key_jwt", "none", "basic"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			in := fixture("2.0.2", openmetadata.Confidential)
			in.ClientAuthMethod = bad
			var inv *InvalidInputError
			if err := Validate(in); !errors.As(err, &inv) || len(inv.Problems) != 1 || inv.Problems[0].Field != "client-auth-method" ||
				!strings.Contains(inv.Problems[0].Message, openmetadata.BasicAuthMethod) {
				t.Errorf("Validate = %v, want one client-auth-method problem naming the valid methods", err)
			}
		})
	}
}
