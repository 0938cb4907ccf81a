package render

import (
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
)

func TestCheckKubernetesName(t *testing.T) {
	tests := []struct {
		flag, name string
		ok         bool
	}{
		{"namespace", "default", true},
		{"namespace", "data-platform-2", true},
		{"namespace", strings.Repeat("a", 63), true},
		{"namespace", strings.Repeat("a", 64), false},
		{"release", strings.Repeat("a", 53), true},
		{"release", strings.Repeat("a", 54), false},
		{"namespace", "Prod", false},
		{"namespace", "-prod", false},
		{"namespace", "prod-", false},
		{"namespace", "data_platform", false},
		{"release", "om.prod", false},
		{"release", "om prod", false},
		{"release", "", false},
	}
	for _, tt := range tests {
		err := CheckKubernetesName(tt.flag, tt.name)
		if (err == nil) != tt.ok {
			t.Errorf("CheckKubernetesName(%q, %q) = %v, want ok %v", tt.flag, tt.name, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "--"+tt.flag) {
			t.Errorf("error %q does not name --%s", err, tt.flag)
		}
	}
}

// TestKubernetesNamespaceAndRelease: the Secret lives in the namespace, and
// the files' headers name the namespace and the release; a bad name is an
// input problem naming the flag.
func TestKubernetesNamespaceAndRelease(t *testing.T) {
	in := fixture("2.0.2", openmetadata.Confidential)
	in.Namespace, in.Release = "data", "om-prod"
	files, err := Render(in, []openmetadata.Target{Kubernetes})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
	}
	for path, want := range map[string][]string{
		HelmSecretPath: {"  namespace: data\n", "kubectl apply --namespace data -f kubernetes/oidc-secrets.yaml"},
		HelmValuesPath: {"helm upgrade --install om-prod open-metadata/openmetadata --namespace data ",
			"kubectl rollout restart --namespace data deploy/om-prod-openmetadata"},
	} {
		for _, w := range want {
			if !strings.Contains(byPath[path], w) {
				t.Errorf("%s lacks %q:\n%s", path, w, byPath[path])
			}
		}
	}

	in.Namespace, in.Release = "Data", "om_prod"
	err = Validate(in)
	if err == nil || !strings.Contains(err.Error(), "--namespace \"Data\"") || !strings.Contains(err.Error(), "--release \"om_prod\"") {
		t.Errorf("Validate = %v, want both names refused", err)
	}
}
