package render

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/tenant"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *Input)
		field  string
		msg    string // in the problem's message
	}{
		{"missing client id", func(in *Input) { in.UI.ClientID = "" }, "client-id", "client id of the OpenMetadata application is missing"},
		{"blank client id", func(in *Input) { in.UI.ClientID = "  \t" }, "client-id", "missing"},
		{"client id with a space", func(in *Input) { in.UI.ClientID = "abc def" }, "client-id", "space"},
		{"confidential before 1.5", func(in *Input) {
			in.Version, in.ClientType = mustVersion("1.4.0"), Confidential
		}, "client-type", "confidential clients need OpenMetadata 1.5 or later"},
		{"confidential on 1.0", func(in *Input) {
			in.Version, in.ClientType = mustVersion("1.0.2"), Confidential
		}, "client-type", "confidential clients need OpenMetadata 1.5 or later"},
		{"confidential without secret", func(in *Input) {
			in.ClientType, in.UI.ClientSecret = Confidential, ""
		}, "client-secret", "needs the application's client secret"},
		{"unknown client type", func(in *Input) { in.ClientType = "hybrid" }, "client-type", `"hybrid"`},
		{"no admins", func(in *Input) { in.AdminPrincipals = nil }, "admin", "no admin principal"},
		{"only empty admins", func(in *Input) { in.AdminPrincipals = []string{"", "  ", "@acme.com"} }, "admin", "no admin principal"},
		{"admin with a space", func(in *Input) { in.AdminPrincipals = []string{"jane doe"} }, "admin", "space"},
		{"no principal domain", func(in *Input) { in.PrincipalDomain = "" }, "principal-domain", "missing"},
		{"principal domain as URL", func(in *Input) { in.PrincipalDomain = "https://acme.com" }, "principal-domain", "only the email domain"},
		{"principal domain as email", func(in *Input) { in.PrincipalDomain = "jane@acme.com" }, "principal-domain", "only the email domain"},
		{"missing OM URL", func(in *Input) { in.OMURL = "" }, "om-url", "missing"},
		{"OM URL without scheme", func(in *Input) { in.OMURL = "openmetadata.acme.internal" }, "om-url", "http:// or https://"},
		{"OM URL ftp", func(in *Input) { in.OMURL = "ftp://openmetadata.acme.internal" }, "om-url", "http:// or https://"},
		{"OM URL without host", func(in *Input) { in.OMURL = "https://" }, "om-url", "no host"},
		{"OM URL with query", func(in *Input) { in.OMURL = "https://om.acme.internal/?x=1" }, "om-url", "base URL only"},
		{"OM URL with credentials", func(in *Input) { in.OMURL = "https://u:p@om.acme.internal" }, "om-url", "base URL only"},
		{"OM URL with a space", func(in *Input) { in.OMURL = "https://om.acme.internal/a b" }, "om-url", ""},
		{"missing tenant", func(in *Input) { in.Tenant = tenant.Domain{} }, "domain", "missing"},
		{"http tenant that is not loopback", func(in *Input) {
			in.Tenant = tenant.Domain{Scheme: "http", Host: "acme.us.auth0.com"}
		}, "domain", "https"},
		{"missing version", func(in *Input) { in.Version = Version{} }, "om-version", "0.13"},
		{"legacy service account without secret", func(in *Input) {
			in.Version = mustVersion("1.0.2")
			in.ServiceAccount = &Credentials{ClientID: "bot"}
		}, "service-account", "client id and its client secret"},
		{"secret with ${", func(in *Input) {
			in.ClientType, in.UI.ClientSecret = Confidential, "a${X}b"
		}, "client-secret", "${"},
		{"secret not UTF-8", func(in *Input) {
			in.ClientType, in.UI.ClientSecret = Confidential, "a\xffb"
		}, "client-secret", "UTF-8"},
		{"admin not UTF-8", func(in *Input) { in.AdminPrincipals = []string{"ja\xffne"} }, "admin", "UTF-8"},
		{"principal domain not UTF-8", func(in *Input) { in.PrincipalDomain = "ac\xfeme.com" }, "principal-domain", "UTF-8"},
		{"JWT with ${", func(in *Input) { in.IngestionJWT = "${TOKEN}" }, "ingestion-jwt", "${"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixture("2.0.2", Public)
			tt.modify(&in)
			err := Validate(in)
			var inv *InvalidInputError
			if !errors.As(err, &inv) {
				t.Fatalf("Validate = %v, want *InvalidInputError", err)
			}
			if len(inv.Problems) != 1 {
				t.Errorf("problems = %v, want exactly one", inv.Problems)
			}
			p := inv.Problems[0]
			if p.Field != tt.field || !strings.Contains(p.Message, tt.msg) {
				t.Errorf("problem = %q, want field %q and a message with %q", p, tt.field, tt.msg)
			}
			if !strings.Contains(err.Error(), p.String()) {
				t.Errorf("Error() = %q does not name %q", err, p)
			}
			if _, rerr := Render(in, AllTargets); rerr == nil || rerr.Error() != err.Error() {
				t.Errorf("Render error = %v, want the same as Validate's", rerr)
			}
		})
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	in := Input{Version: mustVersion("1.4.0"), ClientType: Confidential}
	err := Validate(in)
	var inv *InvalidInputError
	if !errors.As(err, &inv) {
		t.Fatalf("Validate = %v, want *InvalidInputError", err)
	}
	var fields []string
	for _, p := range inv.Problems {
		fields = append(fields, p.Field)
	}
	want := []string{"domain", "om-url", "client-id", "client-type", "client-secret", "admin", "principal-domain"}
	if !slices.Equal(fields, want) {
		t.Errorf("fields = %v, want %v", fields, want)
	}
}

func TestValidateNormalises(t *testing.T) {
	in := fixture("1.0.2", Public)
	in.OMURL = " https://OpenMetadata.acme.internal:8585/ "
	in.UI.ClientID = " abc "
	in.AdminPrincipals = []string{"Jane.Doe@Acme.com", "jane.doe", " OPS ", "ops@elsewhere.org", ""}
	in.PrincipalDomain = "@Acme.COM"
	in.ServiceAccount = &Credentials{ClientID: " bot ", ClientSecret: " keep spaces "}
	in.IngestionJWT = " a.b.c\n"
	c, err := prepare(in)
	if err != nil {
		t.Fatal(err)
	}
	if c.om != "https://OpenMetadata.acme.internal:8585" {
		t.Errorf("om = %q", c.om)
	}
	if c.UI.ClientID != "abc" || c.ServiceAccount.ClientID != "bot" || c.ServiceAccount.ClientSecret != " keep spaces " {
		t.Errorf("credentials = %+v, %+v", c.UI, *c.ServiceAccount)
	}
	if !slices.Equal(c.admins, []string{"jane.doe", "ops"}) {
		t.Errorf("admins = %q, want [jane.doe ops]", c.admins)
	}
	if c.principalDomain != "acme.com" || c.jwt != "a.b.c" || c.clientType != Public {
		t.Errorf("principal domain %q, jwt %q, client type %q", c.principalDomain, c.jwt, c.clientType)
	}
	if in.ServiceAccount.ClientID != " bot " {
		t.Error("prepare changed the caller's service account")
	}
	// The service account is ignored where ingestion uses a JWT.
	later := fixture("1.4.0", Public)
	later.ServiceAccount = &Credentials{}
	if err := Validate(later); err != nil {
		t.Errorf("1.4 with an empty service account: %v", err)
	}
}

// TestCheckOMURL is the one OpenMetadata URL check the wizard, the command
// line and the steps share.
func TestCheckOMURL(t *testing.T) {
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
			got, err := CheckOMURL(tt.in)
			if tt.wantErr == "" {
				if err != nil || got != tt.want {
					t.Fatalf("CheckOMURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("CheckOMURL(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			if got != "" {
				t.Errorf("CheckOMURL(%q) returned %q with its error", tt.in, got)
			}
		})
	}
}
