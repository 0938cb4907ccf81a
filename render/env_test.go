package render

import (
	"reflect"
	"strings"
	"testing"

	"github.com/joho/godotenv"
	"gopkg.in/yaml.v3"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// serverRead is what OpenMetadata makes of an environment value: it pastes
// the text into conf/openmetadata.yaml (key: ${VAR}) and parses that as YAML.
func serverRead(t testing.TB, value string) any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte("key: "+value+"\n"), &m); err != nil {
		t.Fatalf("OpenMetadata could not parse %q as YAML: %v", value, err)
	}
	return m["key"]
}

// intendedEnv is what each variable must mean to OpenMetadata, from the input.
func intendedEnv(c *config) map[string]any {
	list := func(items []string) []any {
		out := make([]any, len(items))
		for i, s := range items {
			out[i] = s
		}
		return out
	}
	m := map[string]any{
		"AUTHORIZER_CLASS_NAME":       authorizerClassName,
		"AUTHORIZER_REQUEST_FILTER":   authorizerFilter,
		"AUTHORIZER_ADMIN_PRINCIPALS": list(c.admins),
		"AUTHORIZER_PRINCIPAL_DOMAIN": c.principalDomain,
		"AUTHENTICATION_PROVIDER":     "auth0",
		"AUTHENTICATION_PUBLIC_KEYS":  list([]string{c.Tenant.JWKSURL(), c.om + "/api/v1/system/config/jwks"}),
		"AUTHENTICATION_AUTHORITY":    c.Tenant.Authority(),
		"AUTHENTICATION_CLIENT_ID":    c.UI.ClientID,
		"AUTHENTICATION_CALLBACK_URL": c.om + "/callback",
	}
	if c.Version.Band() == openmetadata.BandOIDC {
		m["AUTHENTICATION_CLIENT_TYPE"] = string(c.clientType)
	}
	if c.clientType == openmetadata.Confidential {
		m["OIDC_CLIENT_ID"] = c.UI.ClientID
		m["OIDC_TYPE"] = "auth0"
		m["OIDC_CLIENT_SECRET"] = c.UI.ClientSecret
		m["OIDC_DISCOVERY_URI"] = c.Tenant.DiscoveryURL()
		m["OIDC_CALLBACK"] = c.om + "/callback"
		m["OIDC_SERVER_URL"] = c.om
		m["OIDC_CLIENT_AUTH_METHOD"] = "client_secret_post"
		if strings.EqualFold(strings.TrimSpace(c.ClientAuthMethod), "client_secret_basic") {
			m["OIDC_CLIENT_AUTH_METHOD"] = "client_secret_basic"
		}
	}
	return m
}

// checkEnvRoundTrip parses the env file back as docker compose would (with
// godotenv, whose parser compose's descends from) and checks that every
// variable holds what the renderer meant, and that OpenMetadata reads each
// one back as the input's value.
func checkEnvRoundTrip(t testing.TB, c *config, f openmetadata.File) {
	t.Helper()
	got, err := godotenv.Unmarshal(string(f.Data))
	if err != nil {
		t.Fatalf("%s does not parse as an env file: %v\n%s", f.Path, err, f.Data)
	}
	want := map[string]string{}
	for _, v := range c.dockerEnv() {
		want[v.Key] = v.Value
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s reads back as\n%q\nwant\n%q\nfile:\n%s", f.Path, got, want, f.Data)
	}
	meant := intendedEnv(c)
	if len(meant) != len(got) {
		t.Errorf("%s sets %d variables, want %d", f.Path, len(got), len(meant))
	}
	for k, v := range got {
		if strings.Contains(v, "${") {
			t.Errorf("%s=%s: OpenMetadata would expand ${...}", k, v)
		}
		if r := serverRead(t, v); !reflect.DeepEqual(r, meant[k]) {
			t.Errorf("%s=%s: OpenMetadata reads %#v, want %#v", k, v, r, meant[k])
		}
	}
}

func TestDockerEnvKeysArePassedByCompose(t *testing.T) {
	passed := composeServerEnv(t)
	for _, tc := range goldenCases() {
		files, err := Render(tc.in, []openmetadata.Target{Docker})
		if err != nil {
			t.Fatal(err)
		}
		env, err := godotenv.Unmarshal(string(files[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		for k := range env {
			if !passed[k] {
				t.Errorf("%s: %s is not passed to openmetadata-server by docker-compose.yml", tc.name, k)
			}
		}
	}
}

// hostileValues are values an env file or YAML could mangle.
var hostileValues = []string{
	"with space", " leading", "trailing ", `"double"`, "it's", `'`, `"`, `''`, `""`,
	"yes", "no", "on", "off", "y", "n", "$HOME", "$(id)", "a$", "$", "$$", "#hash", "a #b", "a#b", "line1\nline2", "\n", "\nx", "\n\n", "x\n", "\t\n", "\n\t", "cr\r\nlf", "\r",
	`back\slash`, `ends\`, `\$HOME`, `\"`, `\'`, `\n`, "tab\tx", "true", "null", "~", "0x1F", "1:20", "1e3", ".inf",
	"- x", ": y", "a: b", "[a,b]", "{a: b}", "&anchor", "*alias", "!tag", "%dir", "@at", "`tick`", "a,b",
	"é中文", "\u2028", "\u00a0nbsp", "\x7f", "bell\a", "=", "a=b", "?", "|", ">", "\ufeffbom", "😀",
}

func TestDockerEnvRoundTrip(t *testing.T) {
	for _, v := range hostileValues {
		in := fixture("2.0.2", openmetadata.Confidential)
		in.UI.ClientSecret = v
		in.AdminPrincipals = []string{"Jane@acme.com", strings.NewReplacer(" ", "", "\t", "", "\n", "", "\r", "", "\u2028", "", "\u00a0", "", "\x7f", "", "\a", "", "@", "", "\ufeff", "").Replace(v)}
		c, err := prepare(in)
		if err != nil {
			t.Fatalf("secret %q: %v", v, err)
		}
		files, err := Render(in, []openmetadata.Target{Docker})
		if err != nil {
			t.Fatalf("secret %q: %v", v, err)
		}
		checkEnvRoundTrip(t, c, files[0])
	}
}

// TestServerText checks the encoding on its own: plain when YAML keeps it,
// quoted otherwise, and OpenMetadata reads back the value either way.
func TestServerText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://acme.us.auth0.com/.well-known/jwks.json", "https://acme.us.auth0.com/.well-known/jwks.json"},
		{"9xYtQ2pLmN4oR7sT1uV3wX5yZ8aB0cDe", "9xYtQ2pLmN4oR7sT1uV3wX5yZ8aB0cDe"},
		{"-Ab_cd", `"-Ab_cd"`},
		{"abc$def", "abc$def"},
		{"it's", `"it\x27s"`},
		{"a #b", `"a #b"`},
		{"yes", `"yes"`},
		{"12345", `"12345"`},
		{"line1\nline2", `"line1\nline2"`},
	}
	for _, tt := range tests {
		if got := serverText(tt.in); got != tt.want {
			t.Errorf("serverText(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, v := range append(hostileValues, "plain", "a.b-c_d") {
		text := serverText(v)
		if got := serverRead(t, text); got != v {
			t.Errorf("serverText(%q) = %s reads back as %#v", v, text, got)
		}
		line, err := envValue(text)
		if err != nil {
			t.Errorf("envValue(%s): %v", text, err)
			continue
		}
		env, err := godotenv.Unmarshal("K=" + line + "\n")
		if err != nil || env["K"] != text {
			t.Errorf("K=%s reads back as %q (%v), want %s", line, env["K"], err, text)
		}
	}
}
