package setup

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// FuzzResolve layers arbitrary flag and environment values the way the
// command line does (flags over environment). Resolve never panics; it
// returns either an *InputError that names the flag or variable at fault, or
// a Config whose every value passes the input checks, restated here
// independently of the code under test. Complete keeps it so.
func FuzzResolve(f *testing.F) {
	type in struct {
		domain, clientID, omURL, version, clientType, appName, appID, mode, botName,
		scopes, targets, admins, principalDomain, out, envOMURL, envSecret string
	}
	for _, s := range []in{
		{domain: "acme.us.auth0.com", omURL: "https://om.acme.com", admins: "alice@acme.com", scopes: "read:clients", mode: "separate"},
		{domain: "http://127.0.0.1:4000", clientID: "m2m", envSecret: "s3cret", admins: "alice,bob", principalDomain: "acme.com", targets: "docker,all"},
		{omURL: "http://om.acme.com:99999"},
		{envOMURL: "http://[::1]:8585/om/", omURL: " "},
		{scopes: "read:users\nevil", mode: "separate"},
		{scopes: "read:users,,read:clients", mode: "separate"},
		{appName: "OM", botName: "om", mode: "separate"},
		{appName: "OpenMetadata Ingestion Bot"},
		{appName: "OM\x1b]0;pwned\a", botName: "<b>"},
		{appID: "../tenants/settings", clientID: "a b"},
		{admins: "alice\x1b[2J", principalDomain: "acme\u202e.com"},
		{admins: "a@b@c, @x, y@", principalDomain: "@"},
		{version: "1.0.2", clientType: "confidential", mode: "skip", scopes: "read:clients"},
		{out: "out\x00", envSecret: "two\nlines"},
		{domain: "https://u:p@acme.auth0.com:0/x?y#z"},
	} {
		f.Add(s.domain, s.clientID, s.omURL, s.version, s.clientType, s.appName, s.appID, s.mode, s.botName,
			s.scopes, s.targets, s.admins, s.principalDomain, s.out, s.envOMURL, s.envSecret)
	}
	f.Fuzz(func(t *testing.T, domain, clientID, omURL, version, clientType, appName, appID, mode, botName,
		scopes, targets, admins, principalDomain, out, envOMURL, envSecret string) {
		// As pflag gives them: --scopes, --target and --admin are repeatable.
		list := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, "\x00")
		}
		flags := Layer{Source: FromFlags, Answers: answers.Answers{
			Domain: domain, ClientID: clientID, OMURL: omURL, OMVersion: version, ClientType: clientType,
			AppName: appName, AppID: appID, ServiceAccount: mode, BotAppName: botName, Scopes: list(scopes),
			Targets: list(targets), Admins: list(admins), PrincipalDomain: principalDomain, Out: out,
		}}
		env := EnvLayer(func(k string) string {
			return map[string]string{"OM_URL": envOMURL, "AUTH0_CLIENT_SECRET": envSecret}[k]
		})
		cfg, _, err := Resolve(flags, env)
		if err != nil {
			checkNamesAField(t, err)
			return
		}
		checkConfig(t, cfg)
		for _, v := range []openmetadata.Version{openmetadata.Newest, {Major: 1, Patch: 2}} {
			c := *cfg
			if err := c.Complete(v); err != nil {
				checkNamesAField(t, err)
				continue
			}
			checkConfig(t, &c)
		}
	})
}

// checkNamesAField: an *InputError whose message starts with the flag,
// variable or key at fault, or names the values that conflict.
func checkNamesAField(t *testing.T, err error) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v (%T) is not an *InputError", err, err)
	}
	msg := err.Error()
	for flag, s := range settings {
		if strings.HasPrefix(msg, "--"+flag) || s.env != "" && strings.HasPrefix(msg, s.env+":") {
			return
		}
	}
	if strings.HasPrefix(msg, "both a Management API token (") {
		return
	}
	t.Fatalf("error %q names no field", msg)
}

// checkConfig restates the input checks on an accepted Config.
func checkConfig(t *testing.T, cfg *Config) {
	t.Helper()
	text := func(field, v string, spaces bool) {
		t.Helper()
		bad := func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || !spaces && unicode.IsSpace(r)
		}
		if !utf8.ValidString(v) || strings.ContainsFunc(v, bad) {
			t.Fatalf("%s %q accepted with a control character or space", field, v)
		}
	}

	u, err := url.Parse(cfg.Choices.OMURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		t.Fatalf("OpenMetadata URL %q accepted (%v)", cfg.Choices.OMURL, err)
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			t.Fatalf("OpenMetadata URL %q accepted with port %q", cfg.Choices.OMURL, p)
		}
	}
	text("om-url", cfg.Choices.OMURL, false)

	for _, s := range cfg.Choices.Scopes {
		text("scope", s, false)
		if verb, res, ok := strings.Cut(s, ":"); !ok || verb == "" || res == "" {
			t.Fatalf("scope %q accepted", s)
		}
	}
	for _, name := range []string{cfg.Choices.AppName, cfg.Choices.BotAppName} {
		text("application name", name, true)
		if n := utf8.RuneCountInString(name); n == 0 || n > MaxAppNameLength || strings.ContainsAny(name, "<>") {
			t.Fatalf("application name %q accepted", name)
		}
	}
	if cfg.Choices.ServiceAccount == steps.Separate && strings.EqualFold(cfg.Choices.AppName, cfg.Choices.BotAppName) {
		t.Fatalf("the service account and the UI application are both named %q", cfg.Choices.AppName)
	}
	for _, id := range []string{cfg.Connect.ClientID, cfg.Choices.AppID} {
		text("client id", id, false)
		if strings.ContainsAny(id, "/?#%.") {
			t.Fatalf("client id %q accepted, which would change the Management API path", id)
		}
	}
	text("principal-domain", cfg.PrincipalDomain, false)
	for _, a := range cfg.Admins {
		text("admin", a, false)
		if a == "" {
			t.Fatal("an empty admin accepted")
		}
	}
	text("out", cfg.Out, true)
	text("client-secret", cfg.Connect.ClientSecret, true)
}
