package setup

import (
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// Each value comes from the first of flag, environment, answers file that
// gives it, else its default.
func TestResolvePrecedence(t *testing.T) {
	type field struct {
		name   string
		hasEnv bool
		set    func(l *Layer, v string)
		get    func(c *Config) string
		vals   [3]string // flag, environment, answers file
		def    string    // "" when there is no default
	}
	fields := []field{
		{"domain", true, func(l *Layer, v string) { l.Answers.Domain = v }, func(c *Config) string { return c.Connect.Domain.Host },
			[3]string{"flag.auth0.com", "env.auth0.com", "file.auth0.com"}, ""},
		{"client-id", true, func(l *Layer, v string) { l.Answers.ClientID = v }, func(c *Config) string { return c.Connect.ClientID },
			[3]string{"id-flag", "id-env", "id-file"}, ""},
		{"client-secret", true, func(l *Layer, v string) { l.Secrets.ClientSecret = v }, func(c *Config) string { return c.Connect.ClientSecret },
			[3]string{"s-flag", "s-env", ""}, ""},
		{"om-url", true, func(l *Layer, v string) { l.Answers.OMURL = v }, func(c *Config) string { return c.Choices.OMURL },
			[3]string{"https://flag.om/", "https://env.om", "https://file.om"}, DefaultOMURL},
		{"om-version", true, func(l *Layer, v string) { l.Answers.OMVersion = v }, func(c *Config) string { return c.Choices.Version.String() },
			[3]string{"1.6.4", "1.3", "v1.0.2"}, "0.0.0"},
		{"client-type", false, func(l *Layer, v string) { l.Answers.ClientType = v }, func(c *Config) string { return string(c.Choices.ClientType) },
			[3]string{"Confidential", "", "public"}, "public"},
		{"app-name", false, func(l *Layer, v string) { l.Answers.AppName = v }, func(c *Config) string { return c.Choices.AppName },
			[3]string{"OM flag", "", "OM file"}, DefaultAppName},
		{"service-account", false, func(l *Layer, v string) { l.Answers.ServiceAccount = v }, func(c *Config) string { return string(c.Choices.ServiceAccount) },
			[3]string{"same", "", "separate"}, ""},
		{"bot-app-name", false, func(l *Layer, v string) { l.Answers.BotAppName = v }, func(c *Config) string { return c.Choices.BotAppName },
			[3]string{"bot flag", "", "bot file"}, DefaultBotAppName},
		{"target", false, func(l *Layer, v string) { l.Answers.Targets = []string{v} }, func(c *Config) string { return joinTargets(c.Targets) },
			[3]string{"docker,k8s", "", "bare-metal"}, "docker,bare-metal,kubernetes"},
		{"admin", false, func(l *Layer, v string) { l.Answers.Admins = strings.Split(v, ",") }, func(c *Config) string { return strings.Join(c.Admins, ",") },
			[3]string{"alice,bob", "", "carol"}, ""},
		{"scopes", false, func(l *Layer, v string) { l.Answers.Scopes = []string{v} }, func(c *Config) string { return strings.Join(c.Choices.Scopes, ",") },
			[3]string{"read:clients, read:users", "", "read:roles"}, ""},
		{"ingestion-jwt", true, func(l *Layer, v string) { l.Secrets.IngestionJWT = v }, func(c *Config) string { return c.IngestionJWT },
			[3]string{"jwt-flag", "jwt-env", ""}, ""},
		{"out", false, func(l *Layer, v string) { l.Answers.Out = v }, func(c *Config) string { return c.Out },
			[3]string{"./flag-out", "", "./file-out"}, DefaultOut},
		// --apply=false given on the command line beats apply: true in the file.
		{"apply", false, func(l *Layer, v string) { l.Answers.Apply = new(v == "true") }, func(c *Config) string { return strconv.FormatBool(c.Apply) },
			[3]string{"false", "", "true"}, "false"},
	}
	normalise := map[string]string{"https://flag.om/": "https://flag.om", "1.3": "1.3.0", "v1.0.2": "1.0.2",
		"Confidential": "confidential", "docker,k8s": "docker,kubernetes", "read:clients, read:users": "read:clients,read:users"}
	want := func(v string) string {
		if n, ok := normalise[v]; ok {
			return n
		}
		return v
	}
	for _, f := range fields {
		cases := []struct {
			name  string
			given [3]bool
			want  string
		}{
			{"flag beats environment and file", [3]bool{true, true, true}, want(f.vals[0])},
			{"environment beats file", [3]bool{false, true, true}, want(f.vals[1])},
			{"file", [3]bool{false, false, true}, want(f.vals[2])},
			{"default", [3]bool{}, f.def},
		}
		for _, tc := range cases {
			if !f.hasEnv && tc.given == [3]bool{false, true, true} {
				tc.want = want(f.vals[2])
			}
			if tc.given[2] && f.vals[2] == "" { // secrets are never in a file
				continue
			}
			t.Run(f.name+"/"+tc.name, func(t *testing.T) {
				layers := []Layer{{Source: FromFlags}, {Source: FromEnv}, {Source: FromFile, Path: "answers.yaml"}}
				for i, given := range tc.given {
					if given && f.vals[i] != "" && (i != 1 || f.hasEnv) {
						f.set(&layers[i], f.vals[i])
					}
				}
				cfg, _, err := Resolve(layers...)
				if err != nil {
					t.Fatal(err)
				}
				if got := f.get(cfg); got != tc.want {
					t.Fatalf("%s = %q, want %q", f.name, got, tc.want)
				}
			})
		}
	}
}

func joinTargets(ts []openmetadata.Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return strings.Join(s, ",")
}

func TestEnvLayerReadsSpecVariables(t *testing.T) {
	env := map[string]string{
		"AUTH0_DOMAIN": "acme.us.auth0.com", "AUTH0_CLIENT_ID": "id", "AUTH0_CLIENT_SECRET": "secret",
		"AUTH0_API_TOKEN": "tok", "OM_URL": "http://om:8585", "OM_VERSION": "1.6.4", "OM_INGESTION_BOT_JWT": "jwt",
	}
	l := EnvLayer(func(k string) string { return env[k] })
	want := Layer{Source: FromEnv,
		Answers: answers.Answers{Domain: "acme.us.auth0.com", ClientID: "id", OMURL: "http://om:8585", OMVersion: "1.6.4"},
		Secrets: answers.Secrets{ClientSecret: "secret", APIToken: "tok", IngestionJWT: "jwt"}}
	if l.Source != want.Source || l.Answers.Domain != want.Answers.Domain || l.Answers.ClientID != want.Answers.ClientID ||
		l.Answers.OMURL != want.Answers.OMURL || l.Answers.OMVersion != want.Answers.OMVersion || l.Secrets != want.Secrets {
		t.Fatalf("EnvLayer = %+v\nwant       %+v", l, want)
	}
}

// A bad value is an input error naming where it came from.
func TestResolveErrorsNameTheSource(t *testing.T) {
	tests := []struct {
		name   string
		layers []Layer
		want   string
	}{
		{"domain from env", []Layer{{Source: FromEnv, Answers: answers.Answers{Domain: "http://acme.us.auth0.com"}}},
			"AUTH0_DOMAIN: tenant domain \"http://acme.us.auth0.com\" uses http"},
		{"version from file", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{OMVersion: "latest"}}},
			`om_version in a.yaml: OpenMetadata version "latest"`},
		{"client type flag", []Layer{{Source: FromFlags, Answers: answers.Answers{ClientType: "private"}}},
			`--client-type: client type "private"`},
		{"service account", []Layer{{Source: FromFlags, Answers: answers.Answers{ServiceAccount: "both"}}},
			`--service-account: "both" is not a service-account mode`},
		{"target", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{Targets: []string{"nomad"}}}},
			`targets in a.yaml: target "nomad"`},
		{"scope", []Layer{{Source: FromFlags, Answers: answers.Answers{Scopes: []string{"everything"}}}},
			`--scopes: "everything" is not a Management API scope`},
		{"admin outside principal domain", []Layer{{Source: FromFlags, Answers: answers.Answers{Admins: []string{"eve@evil.com"}, PrincipalDomain: "acme.com"}}},
			`--admin: "eve@evil.com" is not in the principal domain "acme.com"`},
		{"namespace from file", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{Namespace: "Data"}}},
			`namespace in a.yaml: --namespace "Data" is not a Kubernetes name`},
		{"release flag", []Layer{{Source: FromFlags, Answers: answers.Answers{Release: "om_prod"}}},
			`--release: --release "om_prod" is not a Kubernetes name`},
		{"token and secret", []Layer{{Source: FromFlags, Secrets: answers.Secrets{APIToken: "t"}}, {Source: FromEnv, Secrets: answers.Secrets{ClientSecret: "s"}}},
			"both a Management API token (--api-token) and a client secret (AUTH0_CLIENT_SECRET) are given"},

		// Hostile values are refused naming the field, before any request.
		{"om url port above 65535", flags(answers.Answers{OMURL: "http://om.acme.com:99999"}),
			`--om-url: OpenMetadata URL "http://om.acme.com:99999" has an invalid port`},
		{"om url from env with credentials", []Layer{{Source: FromEnv, Answers: answers.Answers{OMURL: "https://u:p@om.acme.com"}}},
			`OM_URL: OpenMetadata URL "https://u:p@om.acme.com" must be the base URL only`},
		{"om url newline", flags(answers.Answers{OMURL: "https://om.acme.com/\nx"}), `--om-url: OpenMetadata URL "https://om.acme.com/\nx" contains a space or control character`},
		{"scope with a newline", flags(answers.Answers{Scopes: []string{"read:users\nevil"}}),
			`--scopes: "read:users\nevil" is not a Management API scope`},
		{"scope with a tab", flags(answers.Answers{Scopes: []string{"read:users\tx"}}), `--scopes: "read:users\tx" is not a Management API scope`},
		{"scope with a zero-width space", flags(answers.Answers{Scopes: []string{"read:users\u200b"}}), `--scopes: "read:users\u200b" is not a Management API scope`},
		{"empty scope between commas", flags(answers.Answers{Scopes: []string{"read:users,,read:clients"}}), "--scopes: an empty scope"},
		{"empty scope in the file", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{Scopes: []string{"read:users", ""}}}},
			"scopes in a.yaml: an empty scope"},
		{"app name with a newline", flags(answers.Answers{AppName: "OpenMetadata\nProd"}), `--app-name: application name "OpenMetadata\nProd" contains a control character`},
		{"app name with an escape", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{AppName: "OM\x1b]0;pwned\a"}}},
			`app_name in a.yaml: application name "OM\x1b]0;pwned\a" contains a control character`},
		{"app name with a bidi override", flags(answers.Answers{AppName: "OM\u202eProd"}), `--app-name: application name "OM\u202eProd" contains a control character`},
		{"app name with <", flags(answers.Answers{AppName: "<script>"}), "--app-name: application name \"<script>\" contains < or >"},
		{"app name too long", flags(answers.Answers{AppName: strings.Repeat("é", MaxAppNameLength+1)}), "--app-name: the application name is 129 characters long: give one of at most 128"},
		{"app name not UTF-8", flags(answers.Answers{AppName: "OM\xff"}), "--app-name: the application name is not valid UTF-8"},
		{"bot name with a control character", flags(answers.Answers{BotAppName: "Bot\x00"}), `--bot-app-name: application name "Bot\x00" contains a control character`},
		{"bot name is the app name", flags(answers.Answers{AppName: "OpenMetadata", BotAppName: "openmetadata ", ServiceAccount: "separate"}),
			`--bot-app-name: "openmetadata" is also the UI application's name`},
		{"bot name given is the app name, mode not yet known", flags(answers.Answers{AppName: "OM", BotAppName: "OM"}),
			`--bot-app-name: "OM" is also the UI application's name`},
		{"app name is the default bot name, separate", flags(answers.Answers{AppName: DefaultBotAppName, ServiceAccount: "separate"}),
			`--bot-app-name: "OpenMetadata Ingestion Bot" is also the UI application's name`},
		{"app id with a slash", flags(answers.Answers{AppID: "../tenants/settings"}), `--app-id: "../tenants/settings" is not an Auth0 client id`},
		{"app id of dots", flags(answers.Answers{AppID: ".."}), `--app-id: ".." is not an Auth0 client id`},
		{"client id with a newline", []Layer{{Source: FromEnv, Answers: answers.Answers{ClientID: "abc\ndef"}}}, `AUTH0_CLIENT_ID: "abc\ndef" is not an Auth0 client id`},
		{"admin with a control character", flags(answers.Answers{Admins: []string{"alice\x1b[2J"}}), `--admin: admin "alice\x1b[2J" contains a control character`},
		{"admin email in a bad domain", flags(answers.Answers{Admins: []string{"alice@acme!com"}}), `--admin: "alice@acme!com" is not an email address`},
		{"principal domain with a control character", flags(answers.Answers{PrincipalDomain: "acme\x01.com"}), `--principal-domain: "acme\x01.com" is not a domain name`},
		{"principal domain not a domain", []Layer{{Source: FromFile, Path: "a.yaml", Answers: answers.Answers{PrincipalDomain: "acme com", Admins: []string{"alice"}}}},
			`principal_domain in a.yaml: "acme com" is not a domain name`},
		{"output folder with a control character", flags(answers.Answers{Out: "out\x07"}), `--out: the output folder "out\a" contains a control character`},
		{"secret with a line break, not shown", []Layer{{Source: FromEnv, Secrets: answers.Secrets{ClientSecret: "s3cret\nmore"}}},
			"AUTH0_CLIENT_SECRET: the secret contains a line break"},
		{"jwt with a control character", flags2(answers.Secrets{IngestionJWT: "a.b.c\x00"}), "--ingestion-jwt: the secret contains a line break or another control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Resolve(tt.layers...)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Resolve error = %v, want an InputError containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}

func flags(a answers.Answers) []Layer  { return []Layer{{Source: FromFlags, Answers: a}} }
func flags2(s answers.Secrets) []Layer { return []Layer{{Source: FromFlags, Secrets: s}} }

// Admins given as emails are their local parts, lowercased (as the
// renderers and OpenMetadata take them), in the emails' principal domain.
func TestResolveAdminEmails(t *testing.T) {
	cfg, _, err := Resolve(Layer{Answers: answers.Answers{Admins: []string{"Alice@Acme.com", "bob", "alice@acme.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Admins, []string{"alice", "bob"}) || cfg.PrincipalDomain != "acme.com" {
		t.Fatalf("admins %q, principal domain %q", cfg.Admins, cfg.PrincipalDomain)
	}
}

// TestPrincipals: the one reading of admin principals, shared by the
// command line and the wizard.
func TestPrincipals(t *testing.T) {
	tests := []struct {
		name       string
		given      []string
		domain     string
		want       []string
		wantDomain string
		wantErr    string
	}{
		{"local parts", []string{"alice", "Bob.Smith"}, "acme.com", []string{"alice", "bob.smith"}, "acme.com", ""},
		{"email fills the domain", []string{"Alice@Acme.com"}, "", []string{"alice"}, "acme.com", ""},
		{"comma separated, mixed", []string{"Alice@Acme.com, bob ,alice"}, "", []string{"alice", "bob"}, "acme.com", ""},
		{"blank entries skipped", []string{"alice, ,bob,"}, "acme.com", []string{"alice", "bob"}, "acme.com", ""},
		{"given domain normalized", []string{"alice@acme.com"}, " @ACME.com", []string{"alice"}, "acme.com", ""},
		{"local parts leave the domain unset", []string{"alice"}, "", []string{"alice"}, "", ""},
		{"space inside a name", []string{"bob smith"}, "acme.com", nil, "", `"bob smith" has a space: separate principals with commas`},
		{"nothing given", []string{" , "}, "acme.com", nil, "", "give at least one admin"},
		{"nothing before @", []string{"@acme.com"}, "", nil, "", `"@acme.com" has nothing before @`},
		{"nothing after @", []string{"alice@"}, "", nil, "", `"alice@" is not an email address`},
		{"two @", []string{"alice@acme.com@evil.com"}, "", nil, "", "is not an email address"},
		{"outside the given domain", []string{"eve@evil.com"}, "acme.com", nil, "", `"eve@evil.com" is not in the principal domain "acme.com"`},
		{"emails disagree", []string{"alice@acme.com,eve@evil.com"}, "", nil, "", `"eve@evil.com" is not in the principal domain "acme.com" (of "alice@acme.com")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dom, err := Principals(tt.given, tt.domain)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Principals(%q, %q) error = %v, want one containing %q", tt.given, tt.domain, err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) || dom != tt.wantDomain {
				t.Fatalf("Principals(%q, %q) = %q, %q, %v; want %q, %q", tt.given, tt.domain, got, dom, err, tt.want, tt.wantDomain)
			}
		})
	}
}

func TestMissingNamesEverythingAtOnce(t *testing.T) {
	tests := []struct {
		name  string
		layer Layer
		want  string
	}{
		{"nothing given", Layer{},
			"missing: --domain (or AUTH0_DOMAIN), the Management API credentials: --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET), or --api-token (or AUTH0_API_TOKEN), --admin, --principal-domain"},
		{"client id without secret", Layer{Answers: answers.Answers{ClientID: "id", Admins: []string{"a"}}},
			"missing: --domain (or AUTH0_DOMAIN), --client-secret (or AUTH0_CLIENT_SECRET), --principal-domain"},
		{"secret without client id", Layer{Answers: answers.Answers{Domain: "a.auth0.com", PrincipalDomain: "acme.com"}, Secrets: answers.Secrets{ClientSecret: "s"}},
			"missing: --client-id (or AUTH0_CLIENT_ID), --admin"},
		{"an API token is enough", Layer{Answers: answers.Answers{Domain: "a.auth0.com", Admins: []string{"a@acme.com"}}, Secrets: answers.Secrets{APIToken: "t"}},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, missing, err := Resolve(tt.layer)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(missing) > 0 {
					t.Fatalf("missing = %q, want none", missing)
				}
				return
			}
			err = MissingError(missing)
			var ie *InputError
			if !errors.As(err, &ie) || err.Error() != tt.want {
				t.Fatalf("MissingError = %q\nwant          %q", err, tt.want)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	tests := []struct {
		name     string
		a        answers.Answers
		detected openmetadata.Version
		wantSA   steps.ServiceAccountMode
		wantVer  string
		wantErr  string
	}{
		{"detected version, legacy: separate", answers.Answers{}, openmetadata.Version{Major: 1, Patch: 2}, steps.Separate, "1.0.2", ""},
		{"newest: skip", answers.Answers{}, openmetadata.Newest, steps.Skip, "2.0.0", ""},
		{"given version wins over detected", answers.Answers{OMVersion: "1.3.1"}, openmetadata.Version{Major: 1}, steps.Skip, "1.3.1", ""},
		{"given mode kept", answers.Answers{ServiceAccount: "separate", Scopes: []string{"read:clients"}}, openmetadata.Newest, steps.Separate, "2.0.0", ""},
		{"confidential before 1.5", answers.Answers{ClientType: "confidential", OMVersion: "1.4.9"}, openmetadata.Newest, "", "",
			"--client-type confidential needs OpenMetadata 1.5 or later, and this is OpenMetadata 1.4.9"},
		{"scopes without a service account", answers.Answers{Scopes: []string{"read:clients"}}, openmetadata.Newest, "", "",
			"but the service account is skipped (the default for OpenMetadata 2.0.0"},
		{"app named like the default bot, separate by default", answers.Answers{AppName: DefaultBotAppName}, openmetadata.Version{Major: 1, Patch: 2}, "", "",
			`--bot-app-name: "OpenMetadata Ingestion Bot" is also the UI application's name`},
		{"app named like the default bot, skipped by default", answers.Answers{AppName: DefaultBotAppName}, openmetadata.Newest, steps.Skip, "2.0.0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := Resolve(Layer{Answers: tt.a})
			if err != nil {
				t.Fatal(err)
			}
			err = cfg.Complete(tt.detected)
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Complete error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Choices.ServiceAccount != tt.wantSA || cfg.Choices.Version.String() != tt.wantVer {
				t.Fatalf("service account %q version %s, want %q %s", cfg.Choices.ServiceAccount, cfg.Choices.Version, tt.wantSA, tt.wantVer)
			}
		})
	}
}

func TestFileLayerIsInputError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.yaml")
	if err := os.WriteFile(path, []byte("domain: a.auth0.com\ncolour: red\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := FileLayer(path)
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), path+`:2: key "colour": unknown key`) {
		t.Fatalf("FileLayer error = %v", err)
	}
}

// The answers a config writes resolve back to the same config.
func TestAnswersResolveToTheSameConfig(t *testing.T) {
	cfg, _, err := Resolve(Layer{
		Answers: answers.Answers{Domain: "http://127.0.0.1:9999", ClientID: "m2m", OMURL: "https://om.acme.com", OMVersion: "1.0.2",
			ClientType: "public", ServiceAccount: "separate", Scopes: []string{"read:clients"}, Targets: []string{"docker"},
			Admins: []string{"alice"}, PrincipalDomain: "acme.com", Out: "out", Apply: new(true)},
		Secrets: answers.Secrets{ClientSecret: "s"},
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := answers.Marshal(cfg.Answers())
	if err != nil {
		t.Fatal(err)
	}
	a, err := answers.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := Resolve(Layer{Source: FromFile, Answers: a, Secrets: answers.Secrets{ClientSecret: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	if again.Answers().Domain != cfg.Answers().Domain || again.Connect != cfg.Connect || again.Choices.Version != cfg.Choices.Version ||
		!slices.Equal(again.Targets, cfg.Targets) || again.Out != cfg.Out || again.Choices.ServiceAccount != cfg.Choices.ServiceAccount ||
		!again.Apply || !strings.Contains(string(data), "\napply: true\n") {
		t.Fatalf("replayed config %+v\nwant %+v", again, cfg)
	}
}

// The namespace and release default, and answers.yaml keeps them only where
// they are used: with the Kubernetes target.
func TestNamespaceAndReleaseInAnswers(t *testing.T) {
	for _, tt := range []struct {
		targets       []string
		ns, release   string
		wantNS, wantR string
	}{
		{[]string{"kubernetes"}, "", "", "default", "openmetadata"},
		{[]string{"all"}, "data", "om-prod", "data", "om-prod"},
		{[]string{"docker"}, "data", "om-prod", "", ""},
	} {
		cfg, _, err := Resolve(Layer{Source: FromFlags, Answers: answers.Answers{Targets: tt.targets, Namespace: tt.ns, Release: tt.release}})
		if err != nil {
			t.Fatal(err)
		}
		if in := cfg.RenderInput(nil, nil); in.Namespace != cmp.Or(tt.ns, "default") || in.Release != cmp.Or(tt.release, "openmetadata") {
			t.Errorf("%v: render input namespace %q release %q", tt.targets, in.Namespace, in.Release)
		}
		if a := cfg.Answers(); a.Namespace != tt.wantNS || a.Release != tt.wantR {
			t.Errorf("%v: answers namespace %q release %q, want %q %q", tt.targets, a.Namespace, a.Release, tt.wantNS, tt.wantR)
		}
	}
}

// AppNameGiven is set by --app-name only: a name from an answers file is
// what a previous run recorded, and replaying it renames nothing.
func TestAppNameGiven(t *testing.T) {
	for _, tt := range []struct {
		name   string
		source Source
		value  string
		want   bool
	}{
		{"flag", FromFlags, "New name", true},
		{"answers file", FromFile, "New name", false},
		{"default", FromFlags, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := Layer{Source: tt.source, Path: "answers.yaml"}
			l.Answers.AppName = tt.value
			cfg, _, err := Resolve(l)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Choices.AppNameGiven != tt.want {
				t.Errorf("AppNameGiven = %v, want %v (app name %q)", cfg.Choices.AppNameGiven, tt.want, cfg.Choices.AppName)
			}
		})
	}
}

// The ids answers.yaml records come from the answers file only, are
// checked like client ids before any request, and are written back with
// the ids the run ended with.
func TestRecordedIDs(t *testing.T) {
	base := answers.Answers{Domain: "acme.us.auth0.com", ClientID: "m2m", Admins: []string{"alice"}, PrincipalDomain: "acme.com"}
	withIDs := func(ui, sa, grant string) answers.Answers {
		a := base
		a.UIAppID, a.ServiceAccountID, a.GrantID = ui, sa, grant
		return a
	}
	for _, tt := range []struct {
		name    string
		layer   Layer
		want    steps.Recorded
		wantErr string
	}{
		{"from the file", Layer{Source: FromFile, Path: "a.yaml", Answers: withIDs("ui1", "bot1", "cgr_1")},
			steps.Recorded{UIAppID: "ui1", ServiceAccountID: "bot1", GrantID: "cgr_1"}, ""},
		{"not from flags", Layer{Source: FromFlags, Answers: withIDs("ui1", "bot1", "cgr_1")}, steps.Recorded{}, ""},
		{"a path in an id", Layer{Source: FromFile, Path: "a.yaml", Answers: withIDs("../tenants", "", "")}, steps.Recorded{},
			`ui_app_id in a.yaml: "../tenants" is not an id om-auth0 records: delete the line`},
		{"a bad grant id", Layer{Source: FromFile, Path: "a.yaml", Answers: withIDs("", "", "cgr 1")}, steps.Recorded{},
			`grant_id in a.yaml: "cgr 1" is not an id`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, _, err := Resolve(Layer{Secrets: answers.Secrets{ClientSecret: "s"}}, tt.layer)
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want an input error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Choices.Recorded != tt.want {
				t.Fatalf("Recorded = %+v, want %+v", cfg.Choices.Recorded, tt.want)
			}
		})
	}
}

// RecordIDs writes the ids a run ended with over those it was given; the
// UI application's only when app_id does not name it, the service account's
// only for a separate one.
func TestRecordIDs(t *testing.T) {
	grant := &steps.Grant{ID: "cgr_new"}
	for _, tt := range []struct {
		name  string
		given answers.Answers
		ui    *steps.App
		sa    *steps.ServiceAccount
		want  answers.Answers
	}{
		{"separate", answers.Answers{UIAppID: "old", ServiceAccountID: "oldbot", GrantID: "cgr_old"},
			&steps.App{ClientID: "ui"}, &steps.ServiceAccount{Mode: steps.Separate, App: &steps.App{ClientID: "bot"}, Grant: grant},
			answers.Answers{UIAppID: "ui", ServiceAccountID: "bot", GrantID: "cgr_new"}},
		{"same", answers.Answers{ServiceAccountID: "oldbot"},
			&steps.App{ClientID: "ui"}, &steps.ServiceAccount{Mode: steps.Same, App: &steps.App{ClientID: "ui"}, Grant: grant},
			answers.Answers{UIAppID: "ui", GrantID: "cgr_new"}},
		{"skip", answers.Answers{ServiceAccountID: "oldbot", GrantID: "cgr_old"},
			&steps.App{ClientID: "ui"}, &steps.ServiceAccount{Mode: steps.Skip},
			answers.Answers{UIAppID: "ui"}},
		{"app_id given", answers.Answers{AppID: "picked"},
			&steps.App{ClientID: "picked"}, &steps.ServiceAccount{Mode: steps.Skip},
			answers.Answers{AppID: "picked"}},
		{"planned, not created yet (dry run)", answers.Answers{UIAppID: "old"},
			&steps.App{}, nil,
			answers.Answers{UIAppID: "old"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.given
			RecordIDs(&a, tt.ui, tt.sa)
			if a.UIAppID != tt.want.UIAppID || a.ServiceAccountID != tt.want.ServiceAccountID || a.GrantID != tt.want.GrantID || a.AppID != tt.want.AppID {
				t.Fatalf("got %+v, want %+v", a, tt.want)
			}
		})
	}
}
