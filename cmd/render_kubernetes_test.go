package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/render"
)

// TestRenderNamespaceAndRelease: --namespace and --release (or their
// answers-file keys) reach the Secret and every printed command; a name
// Kubernetes would refuse is exit 2 naming where it came from.
func TestRenderNamespaceAndRelease(t *testing.T) {
	tests := []struct {
		name    string
		flags   []string
		answers string // answers file content; "" for none
		code    int
		want    []string // in the output (the next steps, or the usage error)
		secret  string   // the Secret's namespace line
	}{
		{name: "defaults", code: ExitOK, secret: "  namespace: default\n",
			want: []string{"kubectl apply --namespace default -f ", "helm upgrade --install openmetadata open-metadata/openmetadata --namespace default "}},
		{name: "flags", flags: []string{"--namespace", "data", "--release", "om-prod"}, code: ExitOK, secret: "  namespace: data\n",
			want: []string{"kubectl apply --namespace data -f ", "helm upgrade --install om-prod open-metadata/openmetadata --namespace data ",
				"kubectl exec --namespace data deploy/om-prod-openmetadata -- "}},
		{name: "bad namespace", flags: []string{"--namespace", "Data"}, code: ExitUsage,
			want: []string{`--namespace: --namespace "Data" is not a Kubernetes name`}},
		{name: "bad release", flags: []string{"--release", "om_prod"}, code: ExitUsage,
			want: []string{`--release "om_prod" is not a Kubernetes name`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			ios, _, stdout, stderr := iostreams.Test()
			ios.SetEnv(envOf(map[string]string{"OM_UI_CLIENT_SECRET": "ui-secret-VALUE"}))
			args := append([]string{"render", "--domain", "acme.us.auth0.com", "--ui-client-id", "ui-id", "--client-type", "confidential",
				"--om-version", "2.0.2", "--admin", "alice", "--principal-domain", "example.com", "--target", "kubernetes", "--out", out}, tt.flags...)
			code := Main(args, ios)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout.String()+stderr.String(), w) {
					t.Errorf("output lacks %q:\n%s%s", w, stdout, stderr)
				}
			}
			if tt.secret == "" {
				if _, err := os.Stat(filepath.Join(out, render.HelmSecretPath)); !os.IsNotExist(err) {
					t.Errorf("a refused run wrote the Secret (%v)", err)
				}
				return
			}
			data, err := os.ReadFile(filepath.Join(out, render.HelmSecretPath))
			if err != nil || !strings.Contains(string(data), tt.secret) {
				t.Errorf("Secret (%v) lacks %q:\n%s", err, tt.secret, data)
			}
		})
	}
}

// TestSetupNamespaceFromAnswers: the answers file's keys are read, and a bad
// one is named with its file, before anything happens.
func TestSetupNamespaceFromAnswers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(path, []byte("namespace: Data\nrelease: om-prod\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ios, _, _, stderr := iostreams.Test()
	code := Main([]string{"setup", "--no-input", "--answers", path}, ios)
	if code != ExitUsage || !strings.Contains(stderr.String(), "namespace in "+path+`: --namespace "Data" is not a Kubernetes name`) {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
}
