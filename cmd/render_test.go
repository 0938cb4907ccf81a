package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
)

func TestRenderCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetEnv(envOf(map[string]string{"OM_UI_CLIENT_SECRET": "ui-secret-VALUE", "AUTH0_CLIENT_SECRET": "ignored", "AUTH0_API_TOKEN": "ignored"}))
	code := Main([]string{"render", "--domain", "acme.us.auth0.com", "--ui-client-id", "ui-id", "--client-type", "confidential",
		"--om-url", "https://om.example.com", "--admin", "alice", "--principal-domain", "example.com", "--target", "kubernetes", "--out", out, "--json"}, ios)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res renderResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout: %v\n%s", err, stdout)
	}
	want := []string{filepath.Join(out, render.HelmValuesPath), filepath.Join(out, render.HelmSecretPath), filepath.Join(out, render.IngestionPath)}
	got := res.Files
	if strings.Join(got, " ") != strings.Join(want, " ") || res.OMVersion != openmetadata.Newest.String() || res.ClientType != "confidential" {
		t.Fatalf("result = %+v", res)
	}
	secretFile, err := os.ReadFile(filepath.Join(out, render.HelmSecretPath))
	if err != nil || !strings.Contains(string(secretFile), "ui-secret-VALUE") {
		t.Fatalf("oidc-secrets.yaml: %v\n%s", err, secretFile)
	}
	if info, _ := os.Stat(filepath.Join(out, render.HelmSecretPath)); info.Mode().Perm() != 0o600 {
		t.Errorf("oidc-secrets.yaml mode %v", info.Mode())
	}
	if _, err := os.Stat(filepath.Join(out, setup.AnswersFile)); !os.IsNotExist(err) {
		t.Errorf("render wrote answers.yaml")
	}
	if strings.Contains(stdout.String()+stderr.String(), "ui-secret-VALUE") || !strings.Contains(stderr.String(), "helm upgrade") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestRenderMissingValues(t *testing.T) {
	ios, _, _, stderr := iostreams.Test()
	code := Main([]string{"render", "--client-type", "confidential", "--om-version", "1.0.2", "--bot-client-id", "b"}, ios)
	if code != ExitUsage {
		t.Fatalf("exit %d", code)
	}
	want := "--client-type confidential needs OpenMetadata 1.5 or later"
	if !strings.Contains(stderr.String(), want) {
		t.Fatalf("stderr %q lacks %q", stderr, want)
	}
	ios, _, _, stderr = iostreams.Test()
	code = Main([]string{"render", "--om-version", "1.0.2", "--bot-client-id", "b"}, ios)
	want = "missing: --domain (or AUTH0_DOMAIN), --admin, --principal-domain, --ui-client-id, --bot-client-secret (or OM_BOT_CLIENT_SECRET)\n"
	if code != ExitUsage || !strings.Contains(stderr.String(), want) {
		t.Fatalf("exit %d, stderr %q lacks %q", code, stderr, want)
	}
}

// TestRenderClientAuthMethod: --client-auth-method reaches the confidential
// client's configuration, so it can match an Auth0 application set to Basic.
func TestRenderClientAuthMethod(t *testing.T) {
	tests := []struct {
		name     string
		flags    []string
		wantCode int
		want     string // the env file's OIDC_CLIENT_AUTH_METHOD line, or a word of the usage error
	}{
		{"default", nil, ExitOK, "OIDC_CLIENT_AUTH_METHOD=client_secret_post\n"},
		{"basic", []string{"--client-auth-method", "client_secret_basic"}, ExitOK, "OIDC_CLIENT_AUTH_METHOD=client_secret_basic\n"},
		{"post", []string{"--client-auth-method", "client_secret_post"}, ExitOK, "OIDC_CLIENT_AUTH_METHOD=client_secret_post\n"},
		{"unsupported", []string{"--client-auth-method", "private_key_jwt"}, ExitUsage, "client-auth-method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			ios, _, _, stderr := iostreams.Test()
			ios.SetEnv(envOf(map[string]string{"OM_UI_CLIENT_SECRET": "ui-secret-VALUE"}))
			args := append([]string{"render", "--domain", "acme.us.auth0.com", "--ui-client-id", "ui-id", "--client-type", "confidential",
				"--admin", "alice", "--principal-domain", "example.com", "--target", "docker", "--out", out}, tt.flags...)
			code := Main(args, ios)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tt.wantCode, stderr)
			}
			if tt.wantCode != ExitOK {
				if !strings.Contains(stderr.String(), tt.want) {
					t.Errorf("stderr %q lacks %q", stderr, tt.want)
				}
				return
			}
			env, err := os.ReadFile(filepath.Join(out, render.DockerEnvPath))
			if err != nil || !strings.Contains(string(env), "\n"+tt.want) {
				t.Errorf("env file (%v) lacks %q:\n%s", err, tt.want, env)
			}
		})
	}
}

// TestRenderNextStepsWorkAsPasted: the printed commands name the files by
// their absolute path, quoted for the shell, when --out is relative and has a
// space: docker compose reads --env-file from the current folder, which is
// the compose project's, not the output folder.
func TestRenderNextStepsWorkAsPasted(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetEnv(envOf(map[string]string{"OM_UI_CLIENT_SECRET": "ui-secret-VALUE"}))
	code := Main([]string{"render", "--domain", "acme.us.auth0.com", "--ui-client-id", "ui-id", "--client-type", "confidential",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "om out"}, ios)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	abs := filepath.Join(base, "om out")
	for _, want := range []string{
		"docker compose --env-file '" + filepath.Join(abs, "docker", "openmetadata_auth0.env") + "' up -d",
		"kubectl apply --namespace default -f '" + filepath.Join(abs, "kubernetes", "oidc-secrets.yaml") + "'",
		"--values '" + filepath.Join(abs, "kubernetes", "values-auth0.yaml") + "'",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}
