package render

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/tenant"
)

// Problem is one thing wrong with an Input. Field names the setting to fix,
// spelled like its command-line flag (client-id, om-url, admin, ...).
type Problem struct {
	Field   string
	Message string
}

// String is "field: message".
func (p Problem) String() string { return p.Field + ": " + p.Message }

// InvalidInputError lists everything wrong with an Input at once, so the
// operator can fix it in one go.
type InvalidInputError struct {
	Problems []Problem
}

// Error names every problem.
func (e *InvalidInputError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Validate reports what is wrong with in, as an *InvalidInputError, or nil.
// Render runs the same checks; call Validate to fail before anything else
// happens (for example before changing the tenant).
func Validate(in Input) error {
	_, err := prepare(in)
	return err
}

// prepare validates in and normalises its values.
func prepare(in Input) (*config, error) {
	c := &config{Input: in}
	var problems []Problem
	add := func(field, format string, args ...any) {
		problems = append(problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	// text rejects what no file can hold faithfully: text that is not UTF-8,
	// and "${", which OpenMetadata would expand as one of its variables.
	text := func(field, what, v string) bool {
		switch {
		case !utf8.ValidString(v):
			add(field, "%s is not valid UTF-8 text", what)
		case strings.Contains(v, "${"):
			add(field, "%s contains ${, which OpenMetadata would read as a variable", what)
		default:
			return true
		}
		return false
	}
	// token is text for identifiers, which never hold spaces or control characters.
	token := func(field, what, v string) bool {
		if !text(field, what, v) {
			return false
		}
		if strings.IndexFunc(v, spaceOrControl) >= 0 {
			add(field, "%s %q contains a space or control character", what, v)
			return false
		}
		return true
	}

	if in.Tenant.IsZero() {
		add("domain", "the Auth0 tenant domain is missing")
	} else if _, err := tenant.Parse(in.Tenant.String()); err != nil {
		add("domain", "%v", err)
	}

	om, err := CheckOMURL(in.OMURL)
	if err != nil {
		add("om-url", "%v", err)
	}
	c.om = om

	if in.Version.Less(Version{0, 13, 0}) {
		add("om-version", "the OpenMetadata version is missing or older than 0.13 (give it like 1.6.4)")
	}

	switch in.ClientType {
	case "", Public:
		c.clientType = Public
	case Confidential:
		c.clientType = Confidential
	default:
		add("client-type", "client type %q: use public or confidential", string(in.ClientType))
	}

	c.UI.ClientID = strings.TrimSpace(in.UI.ClientID)
	if c.UI.ClientID == "" {
		add("client-id", "the client id of the OpenMetadata application is missing")
	} else {
		token("client-id", "the client id", c.UI.ClientID)
	}

	if c.confidential() {
		if in.Version.Band() != BandOIDC {
			add("client-type", "confidential clients need OpenMetadata 1.5 or later (this is %s): use a public client", in.Version)
		}
		if in.UI.ClientSecret == "" {
			add("client-secret", "a confidential client needs the application's client secret")
		} else {
			text("client-secret", "the client secret", in.UI.ClientSecret)
		}
	}

	switch m := strings.ToLower(strings.TrimSpace(in.ClientAuthMethod)); m {
	case "", ConfidentialAuthMethod:
		c.authMethod = ConfidentialAuthMethod
	case BasicAuthMethod:
		c.authMethod = BasicAuthMethod
	default:
		add("client-auth-method", "client auth method %q: use %s or %s (the Auth0 application's token endpoint auth method)",
			in.ClientAuthMethod, ConfidentialAuthMethod, BasicAuthMethod)
	}

	valid := true
	for _, a := range in.AdminPrincipals {
		valid = text("admin", "admin principal", a) && valid
	}
	if valid {
		c.admins = adminPrincipals(in.AdminPrincipals)
		if len(c.admins) == 0 {
			add("admin", "no admin principal: give at least one admin's email address or the part before @")
		}
		for _, a := range c.admins {
			token("admin", "admin principal", a)
		}
	}

	if text("principal-domain", "the principal domain", in.PrincipalDomain) {
		c.principalDomain = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(in.PrincipalDomain), "@"))
		switch {
		case c.principalDomain == "":
			add("principal-domain", "the principal domain is missing: give your users' email domain, like example.com")
		case strings.ContainsAny(c.principalDomain, "@/"):
			add("principal-domain", "principal domain %q: give only the email domain, like example.com", in.PrincipalDomain)
		default:
			token("principal-domain", "the principal domain", c.principalDomain)
		}
	}

	// The service account matters only where ingestion signs in to Auth0 with it.
	if sa := in.ServiceAccount; sa != nil && in.Version.Band() == BandLegacy {
		cred := Credentials{ClientID: strings.TrimSpace(sa.ClientID), ClientSecret: sa.ClientSecret}
		if cred.ClientID == "" || cred.ClientSecret == "" {
			add("service-account", "the service account needs both its client id and its client secret")
		} else if token("service-account", "the service account's client id", cred.ClientID) {
			text("service-account", "the service account's client secret", cred.ClientSecret)
		}
		c.ServiceAccount = &cred
	}

	c.jwt = strings.TrimSpace(in.IngestionJWT)
	text("ingestion-jwt", "the ingestion-bot JWT", c.jwt)

	if len(problems) > 0 {
		return nil, &InvalidInputError{Problems: problems}
	}
	return c, nil
}

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

// CheckOMURL is the one check of an OpenMetadata base URL, used by the
// wizard, the command line, the renderers and the steps that change the
// tenant. It accepts an http(s) URL with a valid host name or IP address, a
// port from 1 to 65535 if any, and no query, fragment, credentials, spaces or
// control characters, which every output file can
// hold as it is, and returns it trimmed and without a trailing slash.
func CheckOMURL(raw string) (string, error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	switch {
	case s == "":
		return "", errors.New("the OpenMetadata URL is missing (give it like https://openmetadata.example.com)")
	case !utf8.ValidString(s):
		return "", errors.New("the OpenMetadata URL is not valid UTF-8 text")
	case strings.Contains(s, "${"):
		return "", errors.New("the OpenMetadata URL contains ${, which OpenMetadata would read as a variable")
	case strings.IndexFunc(s, spaceOrControl) >= 0:
		return "", fmt.Errorf("OpenMetadata URL %q contains a space or control character", raw)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("OpenMetadata URL %q is not a URL: give it like https://openmetadata.example.com", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("OpenMetadata URL %q must start with http:// or https://", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("OpenMetadata URL %q has no host", raw)
	}
	// Underscores are not DNS letters, but Docker service names have them
	// and browsers resolve them. Brackets hold an IPv6 address and nothing else.
	host := strings.ToLower(u.Hostname())
	if !tenant.ValidHostname(strings.ReplaceAll(host, "_", "x")) || strings.HasPrefix(u.Host, "[") != strings.Contains(host, ":") {
		return "", fmt.Errorf("OpenMetadata URL %q has an invalid host %q: give it like https://openmetadata.example.com", raw, u.Hostname())
	}
	if p := u.Port(); p != "" && !tenant.ValidPort(p) || strings.HasSuffix(u.Host, ":") {
		return "", fmt.Errorf("OpenMetadata URL %q has an invalid port: a port is a number from 1 to 65535", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(s, "?#") {
		return "", fmt.Errorf("OpenMetadata URL %q must be the base URL only, without credentials, query or fragment", raw)
	}
	return s, nil
}

// adminPrincipals turns what an operator typed into OpenMetadata principals:
// the email local part, lowercased as the server lowercases it, without
// duplicates (the schema wants unique items).
func adminPrincipals(raw []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range raw {
		local, _, _ := strings.Cut(strings.TrimSpace(a), "@")
		local = strings.ToLower(strings.TrimSpace(local))
		if local == "" || seen[local] {
			continue
		}
		seen[local] = true
		out = append(out, local)
	}
	return out
}
