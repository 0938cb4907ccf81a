package setup

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/tenant"
)

// The checks of the free-text values an operator gives, shared by the
// command line (Resolve) and the wizard's forms, so that a value Auth0 or a
// written file would garble or refuse is refused before any request.

// MaxAppNameLength bounds an Auth0 application name, in characters. Auth0's
// Management API schema (POST /api/v2/clients) asks for at least one
// character without < or > and states no maximum; 128 is a strict guess, far
// above any real name, so that a runaway value fails here, before any change,
// rather than on Auth0's answer between two creations.
const MaxAppNameLength = 128

// maxIDLength bounds a client id; Auth0's are 32 characters.
const maxIDLength = 128

// CheckAppName checks the name of an Auth0 application (--app-name,
// --bot-app-name): text of at most MaxAppNameLength characters, without
// control characters or the < and > Auth0 refuses.
func CheckAppName(name string) error {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return errors.New("the application name is required")
	case !utf8.ValidString(n):
		return errors.New("the application name is not valid UTF-8 text")
	case strings.ContainsFunc(n, control):
		return fmt.Errorf("application name %q contains a control character: give plain text, like %q", n, DefaultAppName)
	case strings.ContainsAny(n, "<>"):
		return fmt.Errorf("application name %q contains < or >, which Auth0 does not allow in names", n)
	case utf8.RuneCountInString(n) > MaxAppNameLength:
		return fmt.Errorf("the application name is %d characters long: give one of at most %d", utf8.RuneCountInString(n), MaxAppNameLength)
	}
	return nil
}

// CheckBotName checks the separate service account's name: an application name, and
// not the UI application's, as two applications of one name cannot be told
// apart in Auth0's dashboard.
func CheckBotName(bot, ui string) error {
	if err := CheckAppName(bot); err != nil {
		return err
	}
	if strings.EqualFold(strings.TrimSpace(bot), strings.TrimSpace(ui)) {
		return fmt.Errorf("%q is also the UI application's name: give the service account a name of its own, like %q", strings.TrimSpace(bot), DefaultBotAppName)
	}
	return nil
}

// CheckScope checks one Management API scope as given: verb:resource, like
// read:clients, without spaces or control characters. Whether the tenant's
// Management API defines it is checked once connected.
func CheckScope(s string) error {
	verb, res, ok := strings.Cut(s, ":")
	if !ok || verb == "" || res == "" || strings.ContainsFunc(s, spaceOrControl) || !utf8.ValidString(s) {
		return fmt.Errorf("%q is not a Management API scope: give scopes like read:clients,read:users", s)
	}
	return nil
}

// CheckPrincipalDomain checks a principal domain, the domain of the admins'
// email addresses, and returns it lowercased and without a leading @.
func CheckPrincipalDomain(s string) (string, error) {
	d := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@"))
	if _, dom, isEmail := strings.Cut(d, "@"); isEmail {
		return "", fmt.Errorf("give the domain only (%q)", dom)
	}
	if d == "" || !utf8.ValidString(d) || !tenant.ValidHostname(d) {
		return "", fmt.Errorf("%q is not a domain name: give it like acme.com", s)
	}
	return d, nil
}

// CheckClientID checks an Auth0 client id (--client-id, --app-id): letters,
// digits, hyphens and underscores, which is all Auth0's ids hold; the id
// goes into a Management API path (/api/v2/clients/{id}).
func CheckClientID(id string) error {
	if len(id) > maxIDLength || strings.ContainsFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) {
		return fmt.Errorf("%q is not an Auth0 client id: copy it from the application's Settings tab, like uJ0mGn3qE8pY4tQ2vXa7sLk9bR1cW5dZ", id)
	}
	return nil
}

// checkText refuses control characters and text that is not UTF-8 in a
// value (named by what) that ends up in a file or in Auth0.
func checkText(what, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s is not valid UTF-8 text", what)
	}
	if strings.ContainsFunc(v, control) {
		return fmt.Errorf("%s %q contains a control character", what, v)
	}
	return nil
}

// checkSecret is checkText for a secret, which the message never shows: a
// line break inside means more than the secret was given.
func checkSecret(v string) error {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, control) {
		return errors.New("the secret contains a line break or another control character: give only the secret")
	}
	return nil
}

// control reports a character that is not text: a control character, or an
// invisible format character (a bidirectional override, a zero-width space)
// that makes a value read differently from what it is.
func control(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || control(r) }
