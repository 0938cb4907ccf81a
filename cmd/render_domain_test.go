package cmd

import (
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
)

// TestRenderCustomDomainWarning: OpenMetadata ≤ 1.0's ingestion builds the
// Management API audience from the domain, so a custom domain is worth a warning there only.
func TestRenderCustomDomainWarning(t *testing.T) {
	tests := []struct {
		domain, version string
		warn            bool
	}{
		{"login.acme.com", "1.0.2", true},
		{"acme.us.auth0.com", "1.0.2", false},
		{"login.acme.com", "1.6.4", false},
	}
	for _, tt := range tests {
		t.Run(tt.domain+"/"+tt.version, func(t *testing.T) {
			ios, _, _, stderr := iostreams.Test()
			code := Main([]string{"render", "--domain", tt.domain, "--om-version", tt.version, "--ui-client-id", "ui-id",
				"--admin", "alice", "--principal-domain", "example.com", "--target", "docker", "--out", t.TempDir()}, ios)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			got := strings.Contains(stderr.String(), "looks like a custom domain")
			if got != tt.warn {
				t.Errorf("warned %v, want %v:\n%s", got, tt.warn, stderr)
			}
			if got && !strings.Contains(stderr.String(), "legacy ingestion") {
				t.Errorf("the warning does not say what needs the tenant's domain:\n%s", stderr)
			}
		})
	}
}
