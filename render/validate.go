package render

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/openmetadata"
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

	om, err := openmetadata.CheckURL(in.OMURL)
	if err != nil {
		add("om-url", "%v", err)
	}
	c.om = om

	if in.Version.Less(openmetadata.Version{Major: 0, Minor: 13}) {
		add("om-version", "the OpenMetadata version is missing or older than 0.13 (give it like 1.6.4)")
	}

	switch in.ClientType {
	case "", openmetadata.Public:
		c.clientType = openmetadata.Public
	case openmetadata.Confidential:
		c.clientType = openmetadata.Confidential
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
		if in.Version.Band() != openmetadata.BandOIDC {
			add("client-type", "confidential clients need OpenMetadata 1.5 or later (this is %s): use a public client", in.Version)
		}
		if in.UI.ClientSecret == "" {
			add("client-secret", "a confidential client needs the application's client secret")
		} else {
			text("client-secret", "the client secret", in.UI.ClientSecret)
		}
	}

	switch m := strings.ToLower(strings.TrimSpace(in.ClientAuthMethod)); m {
	case "", openmetadata.ConfidentialAuthMethod:
		c.authMethod = openmetadata.ConfidentialAuthMethod
	case openmetadata.BasicAuthMethod:
		c.authMethod = openmetadata.BasicAuthMethod
	default:
		add("client-auth-method", "client auth method %q: use %s or %s (the Auth0 application's token endpoint auth method)",
			in.ClientAuthMethod, openmetadata.ConfidentialAuthMethod, openmetadata.BasicAuthMethod)
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
	if sa := in.ServiceAccount; sa != nil && in.Version.Band() == openmetadata.BandLegacy {
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

	c.kube = kubeOf(in)
	if err := CheckKubernetesName("namespace", c.kube.ns); err != nil {
		add("namespace", "%v", err)
	}
	if err := CheckKubernetesName("release", c.kube.release); err != nil {
		add("release", "%v", err)
	}

	if len(problems) > 0 {
		return nil, &InvalidInputError{Problems: problems}
	}
	return c, nil
}

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }

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
