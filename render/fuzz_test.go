package render

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
	"gopkg.in/yaml.v3"
)

// FuzzRender: no input makes a renderer panic or write a file that does not
// read back as what it was meant to say. Its seed corpus runs with go test.
func FuzzRender(f *testing.F) {
	for _, tc := range goldenCases() {
		in := tc.in
		var saID, saSecret string
		if in.ServiceAccount != nil {
			saID, saSecret = in.ServiceAccount.ClientID, in.ServiceAccount.ClientSecret
		}
		f.Add(in.Tenant.String(), in.OMURL, in.Version.String(), string(in.ClientType), in.UI.ClientID, in.UI.ClientSecret,
			in.AdminPrincipals[0], in.AdminPrincipals[1], in.PrincipalDomain, in.IngestionJWT, saID, saSecret)
	}
	for i, v := range hostileValues {
		admin := strings.ReplaceAll(v, " ", "")
		f.Add("http://127.0.0.1:8089", "http://localhost:8585/om", "1.0.2", "public", "id"+admin, v,
			admin, "O'Brien@acme.com", "acme.com"+admin, v, "bot", v)
		f.Add("acme.eu.auth0.com", "https://om.acme.internal/"+strings.TrimSpace(v), []string{"2.0.2", "1.6.4", "1.4.0"}[i%3], "confidential",
			"client", v, "jane", admin, "@ACME.com", v, "", "")
	}
	f.Add("", "", "", "", "", "", "", "", "", "", "", "")
	f.Add("acme.us.auth0.com", "https://om", "0.12.0", "Public", "c", "s", "a", "b", "d", "${X}", "", "")

	f.Fuzz(func(t *testing.T, domain, omURL, version, clientType, clientID, secret, admin1, admin2, principalDomain, jwt, saID, saSecret string) {
		in := Input{
			OMURL:           omURL,
			ClientType:      openmetadata.ClientType(clientType),
			UI:              Credentials{ClientID: clientID, ClientSecret: secret},
			AdminPrincipals: []string{admin1, admin2},
			PrincipalDomain: principalDomain,
			IngestionJWT:    jwt,
		}
		if d, err := tenant.Parse(domain); err == nil {
			in.Tenant = d
		}
		if v, err := openmetadata.ParseVersion(version); err == nil {
			in.Version = v
		}
		if saID != "" || saSecret != "" {
			in.ServiceAccount = &Credentials{ClientID: saID, ClientSecret: saSecret}
		}
		for _, target := range AllTargets {
			if NextSteps(in, target) == "" {
				t.Errorf("no next steps for %s", target)
			}
		}
		files, err := Render(in, AllTargets)
		if err != nil {
			var inv *InvalidInputError
			if !errors.As(err, &inv) || len(inv.Problems) == 0 {
				t.Fatalf("Render failed without naming a problem: %v", err)
			}
			return
		}
		c, err := prepare(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			checkReadsBack(t, c, f)
		}
	})
}

// checkReadsBack parses a rendered file as its consumer would and checks it
// holds what the renderer meant.
func checkReadsBack(t *testing.T, c *config, f openmetadata.File) {
	t.Helper()
	decode := func(v any) {
		t.Helper()
		if err := yaml.Unmarshal(f.Data, v); err != nil {
			t.Fatalf("%s is not valid YAML: %v\n%s", f.Path, err, f.Data)
		}
	}
	same := func(got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s reads back as\n%#v\nwant\n%#v\nfile:\n%s", f.Path, got, want, f.Data)
		}
	}
	switch f.Path {
	case DockerEnvPath:
		checkEnvRoundTrip(t, c, f)
	case BareMetalPath:
		var got openMetadataSections
		decode(&got)
		same(got, c.openMetadataSections())
		if o := got.Authentication.OIDC; o != nil && o.Secret != c.UI.ClientSecret {
			t.Errorf("oidcConfiguration.secret = %q, want %q", o.Secret, c.UI.ClientSecret)
		}
	case HelmValuesPath:
		var got helmValues
		decode(&got)
		same(got, c.helmValues())
	case HelmSecretPath:
		var got kubernetesSecret
		decode(&got)
		same(got, c.oidcSecret())
		if r := serverRead(t, got.StringData[oidcSecretClientKeyKey]); r != c.UI.ClientSecret {
			t.Errorf("OpenMetadata reads the Secret's client secret as %#v, want %q", r, c.UI.ClientSecret)
		}
	case IngestionPath:
		var got struct {
			WorkflowConfig struct {
				OpenMetadataServerConfig struct {
					HostPort       string            `yaml:"hostPort"`
					AuthProvider   string            `yaml:"authProvider"`
					SecurityConfig map[string]string `yaml:"securityConfig"`
				} `yaml:"openMetadataServerConfig"`
			} `yaml:"workflowConfig"`
		}
		decode(&got)
		s := got.WorkflowConfig.OpenMetadataServerConfig
		want := map[string]string{"jwtToken": c.jwt}
		if c.jwt == "" {
			want["jwtToken"] = IngestionJWTPlaceholder
		}
		if c.legacyIngestion() {
			want = map[string]string{"clientId": c.ServiceAccount.ClientID, "secretKey": c.ServiceAccount.ClientSecret, "domain": c.Tenant.Host}
		}
		same(s.SecurityConfig, want)
		if s.HostPort != c.om+"/api" {
			t.Errorf("hostPort = %q", s.HostPort)
		}
	default:
		t.Errorf("unexpected file %s", f.Path)
	}
}

// TestHostileValuesReadBack renders every target with each hostile value in
// every free-text field and parses each file back as its consumer would.
func TestHostileValuesReadBack(t *testing.T) {
	for _, v := range hostileValues {
		conf := fixture("2.0.2", openmetadata.Confidential)
		conf.UI.ClientSecret = v
		conf.IngestionJWT = v
		conf.OMURL = "https://om.acme.internal/" + strings.Map(func(r rune) rune {
			if spaceOrControl(r) || strings.ContainsRune("?#", r) {
				return -1
			}
			return r
		}, v)
		legacy := fixture("1.0.2", openmetadata.Public)
		legacy.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: v}
		for _, in := range []Input{conf, legacy} {
			c, err := prepare(in)
			if err != nil {
				if strings.Contains(err.Error(), "om-url") {
					continue // not every value makes a URL path
				}
				t.Fatalf("%q: %v", v, err)
			}
			files, err := Render(in, AllTargets)
			if err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			for _, f := range files {
				checkReadsBack(t, c, f)
				// YAML 1.1 readers (SnakeYAML, PyYAML) take these for booleans, numbers or null.
				for _, word := range []string{"yes", "no", "on", "off", "y", "n", "null", "~", "1:20", "0x1F", "1e3", ".inf"} {
					if v == word && strings.Contains(string(f.Data), ": "+word+"\n") {
						t.Errorf("%s leaves %q unquoted:\n%s", f.Path, word, f.Data)
					}
				}
			}
		}
	}
}
