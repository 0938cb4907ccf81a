package setup

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Principals reads OpenMetadata's admin principals as an operator gives
// them, on the command line or in the wizard: email addresses or their local
// parts, several to an entry when comma separated. It returns the local
// parts, lowercased as OpenMetadata lowercases them and without duplicates,
// and the principal domain: domain when given (lowercased, without a leading
// @), else the domain of the emails. Blank entries are skipped; an entry with
// a space or without a part before or after its @, an email outside the
// principal domain, or no admin at all is an error that says what to type.
func Principals(given []string, domain string) (admins []string, principalDomain string, err error) {
	if strings.TrimSpace(domain) != "" {
		if principalDomain, err = CheckPrincipalDomain(domain); err != nil {
			return nil, "", err
		}
	}
	from := "" // the email that gave the principal domain, when none was given
	for _, entry := range given {
		for p := range strings.SplitSeq(entry, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if strings.ContainsFunc(p, unicode.IsSpace) {
				return nil, "", fmt.Errorf("%q has a space: separate principals with commas", p)
			}
			if err := checkText("admin", p); err != nil {
				return nil, "", fmt.Errorf("%w: give an email address like john.doe@acme.com, or the part before @", err)
			}
			local, dom, isEmail := strings.Cut(p, "@")
			if isEmail {
				dom = strings.ToLower(dom)
				switch {
				case local == "":
					return nil, "", fmt.Errorf("%q has nothing before @: give an email address like john.doe@acme.com, or the part before @", p)
				case dom == "" || strings.Contains(dom, "@"):
					return nil, "", fmt.Errorf("%q is not an email address: give it like john.doe@acme.com, or the part before @", p)
				case principalDomain == "":
					if _, err := CheckPrincipalDomain(dom); err != nil {
						return nil, "", fmt.Errorf("%q is not an email address: give it like john.doe@acme.com, or the part before @", p)
					}
					principalDomain, from = dom, p
				case dom != principalDomain && from != "":
					return nil, "", fmt.Errorf("%q is not in the principal domain %q (of %q): admins share one email domain", p, principalDomain, from)
				case dom != principalDomain:
					return nil, "", fmt.Errorf("%q is not in the principal domain %q", p, principalDomain)
				}
			}
			if local = strings.ToLower(local); !slices.Contains(admins, local) {
				admins = append(admins, local)
			}
		}
	}
	if len(admins) == 0 {
		return nil, "", errors.New("give at least one admin: an email address like john.doe@acme.com, or the part before @")
	}
	return admins, principalDomain, nil
}
