package clitest

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/sandbox"
)

// newTLSTenant is newTenant served over https, and the path of a PEM file
// holding its certificate, for SSL_CERT_FILE (which crypto/x509 honours on
// Linux and other Unix systems: the binary then trusts exactly that file).
func newTLSTenant(t *testing.T) (tn *tenant, certFile string) {
	t.Helper()
	s := sandbox.NewTest(t, sandbox.Options{RateLimit: -1, TLS: true, TenantName: "CI tenant"})
	id, secret := s.CreateM2MApp("om-auth0 CI", sandbox.WizardScopes)
	certFile = filepath.Join(t.TempDir(), "tenant.pem")
	if err := os.WriteFile(certFile, s.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	return &tenant{Server: s, clientID: id, secret: secret}, certFile
}

// The binary against an https tenant, reached as an operator reaches a real
// one: the domain given as a bare host (https implied), the certificate
// trusted through the system roots. The files point OpenMetadata at the
// tenant's https endpoints, answers.yaml keeps the bare host, and replaying
// it over https changes nothing.
func TestTLSTenant(t *testing.T) {
	t.Parallel()
	tn, certFile := newTLSTenant(t)
	host := tn.Domain().Host // 127.0.0.1:PORT
	base := "https://" + host
	dir := t.TempDir()
	env := []string{"AUTH0_DOMAIN=" + host, "AUTH0_CLIENT_ID=" + tn.clientID, "AUTH0_CLIENT_SECRET=" + tn.secret,
		"OM_INGESTION_BOT_JWT=" + jwt, "SSL_CERT_FILE=" + certFile}
	first := run(t, dir, env, "", "setup", "--no-input", "--json", "--om-url", omURL, "--om-version", "1.6.4",
		"--client-type", "confidential", "--service-account", "separate", "--scopes", "read:clients", "--target", "all",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	if first.code != 0 {
		t.Fatalf("%v", first)
	}
	res := parseResult(t, first.stdout)
	if res.Verification == nil || !res.Verification.OK {
		t.Errorf("verification over https = %+v", res.Verification)
	}
	ui := tn.client(t, "OpenMetadata")
	if res.UIApp.ClientID != ui.ClientID || !res.UIApp.Created || res.ServiceAccount == nil || res.Grant == nil || !res.Grant.Created {
		t.Errorf("result = %+v, tenant UI app %s", res, ui.ClientID)
	}

	out := filepath.Join(dir, "out")
	files := snapshot(t, out)
	for path, want := range map[string][]string{
		"docker/openmetadata_auth0.env": {
			"AUTHENTICATION_AUTHORITY=" + base + "\n",
			"AUTHENTICATION_PUBLIC_KEYS=[" + base + "/.well-known/jwks.json,",
			"OIDC_DISCOVERY_URI=" + base + "/.well-known/openid-configuration\n",
		},
		"bare-metal/openmetadata-auth0.yaml": {
			"authority: " + base + "\n", "- " + base + "/.well-known/jwks.json\n", "discoveryUri: " + base + "/.well-known/openid-configuration\n",
		},
		"kubernetes/values-auth0.yaml": {
			"authority: " + base + "\n", "- " + base + "/.well-known/jwks.json\n", "discoveryUri: " + base + "/.well-known/openid-configuration\n",
		},
	} {
		data, ok := files[path]
		if !ok {
			t.Errorf("no %s among %v", path, keys(files))
			continue
		}
		for _, w := range want {
			if !strings.Contains(data.data, w) {
				t.Errorf("%s lacks %q:\n%s", path, w, data.data)
			}
		}
	}
	for path, f := range files {
		if strings.Contains(f.data, "http://"+host) {
			t.Errorf("%s names the tenant with http:\n%s", path, f.data)
		}
	}
	saved, err := answers.Load(filepath.Join(out, "answers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if saved.Domain != host || saved.ClientID != tn.clientID {
		t.Errorf("answers.yaml domain %q client id %q, want %q (https implied) and %q", saved.Domain, saved.ClientID, host, tn.clientID)
	}

	state := tn.state(t)
	tn.ResetRequests()
	replay := run(t, dir, []string{"AUTH0_CLIENT_SECRET=" + tn.secret, "OM_INGESTION_BOT_JWT=" + jwt, "SSL_CERT_FILE=" + certFile}, "",
		"setup", "--json", "--answers", filepath.Join("out", "answers.yaml"))
	if replay.code != 0 {
		t.Fatalf("replay: %v", replay)
	}
	if len(tn.Requests()) == 0 {
		t.Fatal("the replay sent no request to the https tenant")
	}
	if w := tn.writes(); len(w) > 0 || tn.state(t) != state {
		t.Errorf("the replay changed the tenant: %v", w)
	}
	if !maps.Equal(snapshot(t, out), files) {
		t.Errorf("the replay wrote different files")
	}
	if again := parseResult(t, replay.stdout); again.Verification == nil || !again.Verification.OK || again.UIApp.ClientID != ui.ClientID {
		t.Errorf("replay result = %+v", again)
	}
}

// Without the certificate among its roots the binary stops before any
// change, naming the TLS problem and the way to trust a certificate.
func TestTLSUntrustedTenant(t *testing.T) {
	t.Parallel()
	tn, _ := newTLSTenant(t)
	host := tn.Domain().Host
	dir := t.TempDir()
	// An empty trust store: nothing vouches for the tenant, whatever this machine trusts.
	empty := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := run(t, dir, []string{"AUTH0_DOMAIN=" + host, "AUTH0_CLIENT_ID=" + tn.clientID, "AUTH0_CLIENT_SECRET=" + tn.secret,
		"OM_INGESTION_BOT_JWT=" + jwt, "SSL_CERT_FILE=" + empty, "SSL_CERT_DIR=" + dir},
		"", "setup", "--no-input", "--om-url", omURL, "--om-version", "1.6.4", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
	want := "the TLS certificate of " + host + " is not trusted (x509: certificate signed by unknown authority)"
	if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "SSL_CERT_FILE") {
		t.Fatalf("want exit 1 naming %q: %v", want, r)
	}
	if len(tn.Requests()) > 0 || snapshot(t, filepath.Join(dir, "out")) != nil {
		t.Errorf("the untrusted tenant got requests %+v, or files were written", tn.Requests())
	}
	if strings.Contains(r.stderr, tn.secret) {
		t.Errorf("stderr shows the client secret")
	}
}
