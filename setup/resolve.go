package setup

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// Defaults of the values that have one (the README's setup flags table). The OpenMetadata version
// and the service-account mode have none here: they depend on the server (see Complete).
const (
	DefaultOMURL      = "http://localhost:8585"
	DefaultAppName    = "OpenMetadata"
	DefaultBotAppName = "OpenMetadata Ingestion Bot"
	DefaultOut        = "./openmetadata-auth0"
)

// Source is where a Layer's values come from.
type Source int

const (
	// FromFlags is the command line.
	FromFlags Source = iota
	// FromEnv is the environment.
	FromEnv
	// FromFile is an answers file (--answers).
	FromFile
)

// Layer is what one source gives. Empty values mean "not given".
type Layer struct {
	Source  Source
	Path    string // the answers file, for FromFile
	Answers answers.Answers
	Secrets answers.Secrets
}

// settings name each setup value, by flag (without the dashes), in the
// other sources: its environment variable ("" when none sets it) and its
// answers.yaml key ("" for secrets).
var settings = map[string]struct{ env, key string }{
	"domain":           {"AUTH0_DOMAIN", "domain"},
	"client-id":        {"AUTH0_CLIENT_ID", "client_id"},
	"client-secret":    {"AUTH0_CLIENT_SECRET", ""},
	"api-token":        {"AUTH0_API_TOKEN", ""},
	"om-url":           {"OM_URL", "om_url"},
	"om-version":       {"OM_VERSION", "om_version"},
	"client-type":      {"", "client_type"},
	"app-name":         {"", "app_name"},
	"app-id":           {"", "app_id"},
	"service-account":  {"", "service_account"},
	"bot-app-name":     {"", "bot_app_name"},
	"scopes":           {"", "scopes"},
	"target":           {"", "targets"},
	"namespace":        {"", "namespace"},
	"release":          {"", "release"},
	"admin":            {"", "admins"},
	"principal-domain": {"", "principal_domain"},
	"ingestion-jwt":    {"OM_INGESTION_BOT_JWT", ""},
	"out":              {"", "out"},
	"apply":            {"", "apply"},
}

// FlagHint names a flag with its environment variable, as in "--domain (or AUTH0_DOMAIN)".
func FlagHint(flag string) string {
	if env := settings[flag].env; env != "" {
		return "--" + flag + " (or " + env + ")"
	}
	return "--" + flag
}

// EnvLayer reads the environment variables of the README's setup flags table through getenv.
func EnvLayer(getenv func(string) string) Layer {
	get := func(flag string) string { return strings.TrimSpace(getenv(settings[flag].env)) }
	return Layer{
		Source: FromEnv,
		Answers: answers.Answers{
			Domain:    get("domain"),
			ClientID:  get("client-id"),
			OMURL:     get("om-url"),
			OMVersion: get("om-version"),
		},
		Secrets: answers.Secrets{
			ClientSecret: get("client-secret"),
			APIToken:     get("api-token"),
			IngestionJWT: get("ingestion-jwt"),
		},
	}
}

// FileLayer reads an answers file strictly (see answers.Load).
func FileLayer(path string) (Layer, error) {
	a, err := answers.Load(path)
	if err != nil {
		return Layer{}, &InputError{Err: err}
	}
	return Layer{Source: FromFile, Path: path, Answers: a}, nil
}

// origin names where a layer's value for flag came from, for error messages.
func (l *Layer) origin(flag string) string {
	switch l.Source {
	case FromEnv:
		return settings[flag].env
	case FromFile:
		return fmt.Sprintf("%s in %s", settings[flag].key, l.Path)
	default:
		return "--" + flag
	}
}

// InputError is bad usage or input: the run stops before anything changes.
type InputError struct{ Err error }

// Error implements error.
func (e *InputError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(format string, a ...any) error {
	return &InputError{Err: fmt.Errorf(format, a...)}
}

// MissingError reports every required value nobody gave, at once.
func MissingError(missing []string) error {
	return inputErrorf("missing: %s", strings.Join(missing, ", "))
}

// resolver picks each value from the first layer that gives it.
type resolver struct{ layers []Layer }

func (r resolver) str(flag string, get func(*Layer) string) (value, origin string) {
	for i := range r.layers {
		if v := strings.TrimSpace(get(&r.layers[i])); v != "" {
			return v, r.layers[i].origin(flag)
		}
	}
	return "", ""
}

// list is str for repeatable values; comma-separated items are split.
// empty reports an empty item (",,", a trailing comma) in the layer that gave
// them, which is skipped.
func (r resolver) list(flag string, get func(*Layer) []string) (values []string, origin string, empty bool) {
	for i := range r.layers {
		var out []string
		empty = false
		for _, v := range get(&r.layers[i]) {
			for part := range strings.SplitSeq(v, ",") {
				p := strings.TrimSpace(part)
				empty = empty || p == ""
				if p != "" && !slices.Contains(out, p) {
					out = append(out, p)
				}
			}
		}
		if len(out) > 0 {
			return out, r.layers[i].origin(flag), empty
		}
	}
	return nil, "", false
}

// Resolve merges the layers, highest precedence first (flags, environment,
// answers file), into a Config, and names the required values that none of
// them gave (see Missing). Values with a static default get it; the
// OpenMetadata version and the service-account mode stay unset when not
// given, for the caller to detect and then Complete. A value that does not
// parse or fails the input checks (check.go: control characters, a bad host
// or port, an empty scope, a name Auth0 would refuse) is an *InputError
// naming where it came from, before any request is made.
func Resolve(layers ...Layer) (*Config, []string, error) {
	r := resolver{layers}
	cfg := &Config{}
	var err error

	if v, from := r.str("domain", func(l *Layer) string { return l.Answers.Domain }); v != "" {
		d, err := tenant.Parse(v)
		if err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Connect.Domain = d
	}
	id, from := r.str("client-id", func(l *Layer) string { return l.Answers.ClientID })
	if err := CheckClientID(id); id != "" && err != nil {
		return nil, nil, inputErrorf("%s: %w", from, err)
	}
	cfg.Connect.ClientID = id
	secret, secretFrom := r.str("client-secret", func(l *Layer) string { return l.Secrets.ClientSecret })
	token, tokenFrom := r.str("api-token", func(l *Layer) string { return l.Secrets.APIToken })
	if secret != "" && token != "" {
		return nil, nil, inputErrorf("both a Management API token (%s) and a client secret (%s) are given: give one of them", tokenFrom, secretFrom)
	}
	jwt, jwtFrom := r.str("ingestion-jwt", func(l *Layer) string { return l.Secrets.IngestionJWT })
	for _, s := range []struct{ v, from string }{{secret, secretFrom}, {token, tokenFrom}, {jwt, jwtFrom}} {
		if err := checkSecret(s.v); err != nil {
			return nil, nil, inputErrorf("%s: %w", s.from, err)
		}
	}
	cfg.Connect.ClientSecret, cfg.Connect.APIToken = secret, token

	// Checked now, before the version probe asks the server.
	omURL, from := r.str("om-url", func(l *Layer) string { return l.Answers.OMURL })
	if omURL == "" {
		omURL = DefaultOMURL
	} else if omURL, err = openmetadata.CheckURL(omURL); err != nil {
		return nil, nil, inputErrorf("%s: %w", from, err)
	}
	cfg.Choices.OMURL = omURL

	if v, from := r.str("om-version", func(l *Layer) string { return l.Answers.OMVersion }); v != "" {
		ver, err := openmetadata.ParseVersion(v)
		if err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Choices.Version = ver
	}

	cfg.Choices.ClientType = openmetadata.Public
	if v, from := r.str("client-type", func(l *Layer) string { return l.Answers.ClientType }); v != "" {
		ct, err := openmetadata.ParseClientType(v)
		if err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Choices.ClientType = ct
	}

	cfg.Choices.AppName = DefaultAppName
	if v, from := r.str("app-name", func(l *Layer) string { return l.Answers.AppName }); v != "" {
		if err := CheckAppName(v); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Choices.AppName = v
		cfg.Choices.AppNameGiven = from == "--app-name"
	}
	appID, from := r.str("app-id", func(l *Layer) string { return l.Answers.AppID })
	if err := CheckClientID(appID); appID != "" && err != nil {
		return nil, nil, inputErrorf("%s: %w", from, err)
	}
	cfg.Choices.AppID = appID

	if v, from := r.str("service-account", func(l *Layer) string { return l.Answers.ServiceAccount }); v != "" {
		mode, err := steps.ParseServiceAccountMode(v)
		if err != nil {
			return nil, nil, inputErrorf("%s: %q is not a service-account mode: use separate, same or skip", from, v)
		}
		cfg.Choices.ServiceAccount = mode
	}
	cfg.Choices.BotAppName = DefaultBotAppName
	botName, botFrom := r.str("bot-app-name", func(l *Layer) string { return l.Answers.BotAppName })
	if botName != "" {
		if err := CheckAppName(botName); err != nil {
			return nil, nil, inputErrorf("%s: %w", botFrom, err)
		}
		cfg.Choices.BotAppName = botName
	}
	// The mode may still default to separate (Complete checks again); a
	// bot name given for it is checked now.
	if mode := cfg.Choices.ServiceAccount; mode == steps.Separate || mode == "" && botName != "" {
		if err := cfg.checkBotName(); err != nil {
			return nil, nil, inputErrorf("%s: %w", cmp.Or(botFrom, FlagHint("bot-app-name")), err)
		}
	}
	scopes, from, empty := r.list("scopes", func(l *Layer) []string { return l.Answers.Scopes })
	if empty {
		return nil, nil, inputErrorf("%s: an empty scope (two commas in a row, or one at the end): give scopes like read:clients,read:users", from)
	}
	for _, s := range scopes {
		if err := CheckScope(s); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
	}
	cfg.Choices.Scopes = scopes

	targets, from, _ := r.list("target", func(l *Layer) []string { return l.Answers.Targets })
	if len(targets) == 0 {
		targets = []string{"all"}
	}
	ts, err := render.ParseTargets(targets)
	if err != nil {
		return nil, nil, inputErrorf("%s: %w", from, err)
	}
	cfg.Targets = ts

	cfg.Namespace = render.DefaultNamespace
	if v, from := r.str("namespace", func(l *Layer) string { return l.Answers.Namespace }); v != "" {
		if err := render.CheckKubernetesName("namespace", v); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Namespace = v
	}
	cfg.Release = render.DefaultRelease
	if v, from := r.str("release", func(l *Layer) string { return l.Answers.Release }); v != "" {
		if err := render.CheckKubernetesName("release", v); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
		cfg.Release = v
	}

	if v, from := r.str("principal-domain", func(l *Layer) string { return l.Answers.PrincipalDomain }); v != "" {
		if cfg.PrincipalDomain, err = CheckPrincipalDomain(v); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
	}
	// alice@acme.com is principal alice in principal domain acme.com; none
	// given is named by Missing.
	if admins, from, _ := r.list("admin", func(l *Layer) []string { return l.Answers.Admins }); len(admins) > 0 {
		if cfg.Admins, cfg.PrincipalDomain, err = Principals(admins, cfg.PrincipalDomain); err != nil {
			return nil, nil, inputErrorf("%s: %w", from, err)
		}
	}

	cfg.IngestionJWT = jwt
	out, from := r.str("out", func(l *Layer) string { return l.Answers.Out })
	if err := checkText("the output folder", out); err != nil {
		return nil, nil, inputErrorf("%s: %w", from, err)
	}
	cfg.Out = cmp.Or(out, DefaultOut)
	for _, l := range layers {
		if l.Answers.Apply != nil {
			cfg.Apply = *l.Answers.Apply
			break
		}
	}
	if cfg.Choices.Recorded, err = recorded(layers); err != nil {
		return nil, nil, err
	}
	return cfg, cfg.Missing(), nil
}

// recorded are the ids the answers file recorded (no flag sets them). Each
// goes into a Management API path, so it is checked like a client id.
func recorded(layers []Layer) (steps.Recorded, error) {
	for _, l := range layers {
		if l.Source != FromFile {
			continue
		}
		rec := steps.Recorded{UIAppID: l.Answers.UIAppID, ServiceAccountID: l.Answers.ServiceAccountID, GrantID: l.Answers.GrantID}
		for _, id := range []struct{ key, v string }{{"ui_app_id", rec.UIAppID}, {"service_account_id", rec.ServiceAccountID}, {"grant_id", rec.GrantID}} {
			if id.v != "" && CheckClientID(id.v) != nil {
				return steps.Recorded{}, inputErrorf("%s in %s: %q is not an id om-auth0 records: delete the line, and om-auth0 finds the application by its marker", id.key, l.Path, id.v)
			}
		}
		return rec, nil
	}
	return steps.Recorded{}, nil
}

// PreviousRun is what answers.yaml in the output folder says about the run
// that wrote it, for a re-run into the same folder without --answers: the
// ids it recorded, and the tenant and OpenMetadata they are for. Nothing
// else of the file is taken: the re-run's answers are its own.
type PreviousRun struct {
	Domain   tenant.Domain
	OMURL    string // as openmetadata.CheckURL returns it
	Recorded steps.Recorded
}

// ReadPreviousRun reads the answers file at path (as strictly as
// --answers) for its recorded ids; nil when it records none. An error says
// why the file is of no use: it cannot be read, does not parse, or holds
// an id, a domain or an OpenMetadata URL that does not pass the checks.
func ReadPreviousRun(path string) (*PreviousRun, error) {
	l, err := FileLayer(path)
	if err != nil {
		return nil, err
	}
	rec, err := recorded([]Layer{l})
	if err != nil || rec == (steps.Recorded{}) {
		return nil, err
	}
	p := &PreviousRun{Recorded: rec}
	// setup always writes both; a file without one matches no run.
	if v := l.Answers.Domain; v != "" {
		if p.Domain, err = tenant.Parse(v); err != nil {
			return nil, inputErrorf("%s: %w", l.origin("domain"), err)
		}
	}
	if v := l.Answers.OMURL; v != "" {
		if p.OMURL, err = openmetadata.CheckURL(v); err != nil {
			return nil, inputErrorf("%s: %w", l.origin("om-url"), err)
		}
	}
	return p, nil
}

// UsePrevious sets the recorded ids to Previous's when it is for this
// run's tenant and OpenMetadata URL, and clears them when it is not;
// without Previous (an answers file was given, or none is in the output
// folder) it changes nothing. The URLs are compared as the marker compares
// them, so an id used is one the steps can confirm by its marker. Call it
// once the tenant and the OpenMetadata URL are final, before PlanUIApp.
func (c *Config) UsePrevious() {
	p := c.Previous
	if p == nil {
		return
	}
	c.Choices.Recorded = steps.Recorded{}
	if p.Domain.IsZero() || p.Domain != c.Connect.Domain || p.OMURL == "" {
		return
	}
	if om, err := openmetadata.CheckURL(c.Choices.OMURL); err == nil && om == p.OMURL {
		c.Choices.Recorded = p.Recorded
	}
}

// checkBotName checks the separate service account's name against the UI
// application's.
func (c *Config) checkBotName() error {
	return CheckBotName(c.Choices.BotAppName, c.Choices.AppName)
}

// Complete fills the version-dependent defaults and checks the choices that
// depend on the version. detected is the version to use when none was given
// (what the server reported, else openmetadata.Newest).
func (c *Config) Complete(detected openmetadata.Version) error {
	if c.Choices.Version == (openmetadata.Version{}) {
		c.Choices.Version = detected
	}
	v := c.Choices.Version
	defaulted := c.Choices.ServiceAccount == ""
	if defaulted {
		c.Choices.ServiceAccount = steps.DefaultServiceAccountMode(v)
	}
	if c.Choices.ServiceAccount == steps.Separate {
		if err := c.checkBotName(); err != nil {
			return inputErrorf("%s: %w", FlagHint("bot-app-name"), err)
		}
	}
	if c.Choices.ClientType == openmetadata.Confidential && v.Band() != openmetadata.BandOIDC {
		return inputErrorf("--client-type confidential needs OpenMetadata 1.5 or later, and this is OpenMetadata %s: use --client-type public (or give --om-version)", v)
	}
	if len(c.Choices.Scopes) > 0 && c.Choices.ServiceAccount == steps.Skip {
		why := ""
		if defaulted {
			why = fmt.Sprintf(" (the default for OpenMetadata %s, whose ingestion signs in with the ingestion-bot's JWT)", v)
		}
		return inputErrorf("--scopes are the service account's Management API scopes, but the service account is skipped%s: add --service-account separate, or drop --scopes", why)
	}
	return nil
}

// Missing names, as flags with their environment variables, every value that
// setup needs and nobody gave: the tenant, the Management API credentials,
// the admins and the principal domain.
func (c *Config) Missing() []string {
	return append(c.MissingToConnect(), c.missingPrincipals()...)
}

// MissingToConnect names what connecting to the tenant needs and nobody
// gave: the tenant and the Management API credentials.
func (c *Config) MissingToConnect() []string {
	var missing []string
	if c.Connect.Domain.IsZero() {
		missing = append(missing, FlagHint("domain"))
	}
	if c.Connect.APIToken == "" {
		switch id, secret := c.Connect.ClientID != "", c.Connect.ClientSecret != ""; {
		case !id && !secret:
			missing = append(missing, "the Management API credentials: --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET), or "+FlagHint("api-token"))
		case !id:
			missing = append(missing, FlagHint("client-id"))
		case !secret:
			missing = append(missing, FlagHint("client-secret"))
		}
	}
	return missing
}

// MissingToRender is Missing without the Management API credentials: what
// rendering needs besides the applications' own credentials.
func (c *Config) MissingToRender() []string {
	var missing []string
	if c.Connect.Domain.IsZero() {
		missing = append(missing, FlagHint("domain"))
	}
	return append(missing, c.missingPrincipals()...)
}

func (c *Config) missingPrincipals() []string {
	var missing []string
	if len(c.Admins) == 0 {
		missing = append(missing, FlagHint("admin"))
	}
	if c.PrincipalDomain == "" {
		missing = append(missing, FlagHint("principal-domain"))
	}
	return missing
}
