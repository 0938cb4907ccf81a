package wizard

import (
	"errors"
	"fmt"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/tenant"
)

// The validators run on every keystroke in the TUI (shown under the form)
// and on every answer in accessible mode. Messages say what to type.

func validDomain(s string) error {
	_, err := tenant.Parse(s)
	return err
}

// validOMURL is openmetadata.CheckURL, the check every part of om-auth0 shares.
func validOMURL(s string) error {
	_, err := openmetadata.CheckURL(s)
	return err
}

func validVersion(s string) error {
	_, err := openmetadata.ParseVersion(s)
	return err
}

func nonEmpty(what string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s is required", what)
		}
		return nil
	}
}

// validClientID is setup.CheckClientID, and the ID is required.
func validClientID(s string) error {
	if err := nonEmpty("the client ID")(s); err != nil {
		return err
	}
	return setup.CheckClientID(strings.TrimSpace(s))
}

// validPrincipals accepts comma-separated emails or their local parts, as
// the command line does (setup.Principals).
func validPrincipals(s string) error {
	_, _, err := setup.Principals([]string{s}, "")
	return err
}

// emailDomain is the principal domain the admins' emails give, "" when they
// are local parts (or invalid).
func emailDomain(admins string) string {
	_, dom, err := setup.Principals([]string{admins}, "")
	if err != nil {
		return ""
	}
	return dom
}

// validPrincipalDomainFor checks the principal domain against the admins
// typed so far: left empty, it is their emails' domain; given, their emails
// must be in it.
func validPrincipalDomainFor(admins *string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" && emailDomain(*admins) != "" {
			return nil
		}
		if err := validPrincipalDomain(s); err != nil {
			return err
		}
		if _, _, err := setup.Principals([]string{*admins}, s); err != nil && validPrincipals(*admins) == nil {
			return err
		}
		return nil
	}
}

// validPrincipalDomain accepts an email domain such as acme.com (setup.CheckPrincipalDomain).
func validPrincipalDomain(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("give your users' email domain, like acme.com (or give the admins as emails)")
	}
	_, err := setup.CheckPrincipalDomain(s)
	return err
}

// validBotName: the service account's name is an application name other
// than the UI application's (setup.CheckBotName).
func (f *flow) validBotName(s string) error {
	return setup.CheckBotName(s, f.Cfg.Choices.AppName)
}

// validJWT accepts nothing (a placeholder is written) or a JWT's three parts.
func validJWT(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || strings.ContainsAny(s, " \t") {
		return errors.New("a JWT is three parts separated by dots (eyJ….eyJ….…); leave it empty to fill in later")
	}
	return nil
}

// clientTypeFits: a confidential client needs OpenMetadata 1.5 or later.
func clientTypeFits(ct openmetadata.ClientType, v openmetadata.Version) error {
	if ct == openmetadata.Confidential && v.Band() != openmetadata.BandOIDC {
		return fmt.Errorf("a confidential client needs OpenMetadata 1.5 or later (this is %s): choose public", v)
	}
	return nil
}
