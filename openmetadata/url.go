package openmetadata

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/om-auth0/om-auth0/tenant"
)

// CheckURL is the one check of an OpenMetadata base URL, used by the
// wizard, the command line, the renderers and the steps that change the
// tenant. It accepts an http(s) URL with a host and no query, fragment,
// credentials, spaces or control characters, which every output file can
// hold as it is, and returns it trimmed and without a trailing slash.
func CheckURL(raw string) (string, error) {
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

func spaceOrControl(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
