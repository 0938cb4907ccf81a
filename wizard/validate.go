package wizard

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/tenant"
)

// The validators run on every keystroke in the TUI (shown under the form)
// and on every answer in accessible mode. Messages say what to type.

func validDomain(s string) error {
	_, err := tenant.Parse(s)
	return err
}

func validOMURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("give OpenMetadata's base URL, like https://openmetadata.acme.internal")
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("give a URL with http:// or https:// and a host, like https://openmetadata.acme.internal")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return errors.New("give the base URL only: no query, fragment or user")
	}
	return nil
}

func validVersion(s string) error {
	_, err := render.ParseVersion(s)
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

// validPrincipals accepts comma-separated email local parts.
func validPrincipals(s string) error {
	n := 0
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
			continue
		case strings.ContainsAny(p, " \t"):
			return fmt.Errorf("%q has a space: separate principals with commas", p)
		case strings.Contains(p, "@"):
			local, _, _ := strings.Cut(p, "@")
			return fmt.Errorf("give the part before @ (%q), not the whole email", local)
		}
		n++
	}
	if n == 0 {
		return errors.New("give at least one admin: the part before @ of their email, like john.doe")
	}
	return nil
}

// validPrincipalDomain accepts an email domain such as acme.com.
func validPrincipalDomain(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("give your users' email domain, like acme.com")
	}
	if strings.Contains(s, "@") {
		_, dom, _ := strings.Cut(s, "@")
		return fmt.Errorf("give the domain only (%q)", dom)
	}
	for _, label := range strings.Split(strings.ToLower(s), ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") ||
			strings.IndexFunc(label, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) >= 0 {
			return fmt.Errorf("%q is not a domain name: give it like acme.com", s)
		}
	}
	return nil
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
func clientTypeFits(ct render.ClientType, v render.Version) error {
	if ct == render.Confidential && v.Band() != render.BandOIDC {
		return fmt.Errorf("a confidential client needs OpenMetadata 1.5 or later (this is %s): choose public", v)
	}
	return nil
}
