package openmetadata

import (
	"strings"
	"testing"
)

// TestCheckURL is the one OpenMetadata URL check the wizard, the command
// line and the steps share.
func TestCheckURL(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"plain", "https://om.acme.internal", "https://om.acme.internal", ""},
		{"trimmed, trailing slashes dropped", "  http://om.acme.internal:8585// ", "http://om.acme.internal:8585", ""},
		{"path kept", "https://acme.internal/openmetadata/", "https://acme.internal/openmetadata", ""},
		{"empty", " ", "", "missing"},
		{"no scheme", "om.acme.internal", "", "http:// or https://"},
		{"ftp", "ftp://om.acme.internal", "", "http:// or https://"},
		{"no host", "https://", "", "no host"},
		{"port only", "https://:8585", "", "no host"},
		{"query", "https://om.acme.internal/?x=1", "", "base URL only"},
		{"empty query", "https://om.acme.internal?", "", "base URL only"},
		{"fragment", "https://om.acme.internal#top", "", "base URL only"},
		{"credentials", "https://u:p@om.acme.internal", "", "base URL only"},
		{"space in path", "https://om.acme.internal/a b", "", "space or control character"},
		{"tab in path", "https://om.acme.internal/a\tb", "", "space or control character"},
		{"variable", "https://om.acme.internal/${X}", "", "${"},
		{"not UTF-8", "https://om.acme.internal/\xff", "", "UTF-8"},
		{"IPv4 and port", "http://10.0.0.7:8585/", "http://10.0.0.7:8585", ""},
		{"IPv6 and port", "http://[::1]:8585", "http://[::1]:8585", ""},
		{"Docker service name", "http://openmetadata_server:8585", "http://openmetadata_server:8585", ""},
		{"highest port", "https://om.acme.com:65535", "https://om.acme.com:65535", ""},
		{"port above 65535", "http://om.acme.com:99999", "", "invalid port: a port is a number from 1 to 65535"},
		{"port 0", "http://om.acme.com:0", "", "invalid port"},
		{"port of six digits", "http://om.acme.com:000080", "", "invalid port"},
		{"colon without port", "http://om.acme.com:/", "", "invalid port"},
		{"empty label", "http://om..acme.com", "", "invalid host"},
		{"label starts with a hyphen", "http://-om.acme.com", "", "invalid host"},
		{"punctuation in host", "http://om!acme.com", "", "invalid host"},
		{"percent-escape in host", "http://om%2eacme.com", "", "is not a URL"},
		{"name in brackets", "http://[om.acme.com]:8585", "", "is not a URL"},
		{"IPv6 zone", "http://[fe80::1%25eth0]:8585", "", "invalid host"},
		{"label of 64 characters", "http://" + strings.Repeat("a", 64) + ".acme.com", "", "invalid host"},
		{"newline in host", "http://om.acme.com\n.evil.com", "", "space or control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckURL(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("CheckURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckURL(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			if got != "" {
				t.Errorf("CheckURL(%q) returned %q with its error", tt.in, got)
			}
		})
	}
}
