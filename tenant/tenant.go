// Package tenant parses an Auth0 tenant domain and derives every URL that
// OpenMetadata and the Management API need from it.
//
// Real tenants are always https. Plain http is accepted only for loopback
// hosts, which is how tests and `om-auth0 sandbox` reach the simulated tenant.
package tenant

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Domain is a parsed tenant domain: a scheme and a host (with port, if any).
type Domain struct {
	Scheme string
	Host   string
}

// Parse accepts `acme.us.auth0.com`, `https://acme.us.auth0.com` or, for a
// loopback host only, `http://127.0.0.1:8080`. A trailing slash is ignored.
func Parse(s string) (Domain, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return Domain{}, fmt.Errorf("tenant domain is empty: give it like acme.us.auth0.com")
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Domain{}, fmt.Errorf("tenant domain %q is not a host name: give it like acme.us.auth0.com", s)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Domain{}, fmt.Errorf("tenant domain %q must be a host only, without a path: give it like acme.us.auth0.com", s)
	}
	host := strings.ToLower(u.Host)
	hostname := strings.ToLower(u.Hostname())
	if hostname == "" || !ValidHostname(hostname) {
		return Domain{}, fmt.Errorf("tenant domain %q is not a host name: give it like acme.us.auth0.com", s)
	}
	if p := u.Port(); p != "" && !ValidPort(p) || strings.HasSuffix(u.Host, ":") {
		return Domain{}, fmt.Errorf("tenant domain %q has an invalid port: a port is a number from 1 to 65535", s)
	}
	d := Domain{Scheme: strings.ToLower(u.Scheme), Host: host}
	// Auth0 names its identifiers without the default port (the Management
	// audience is https://acme.us.auth0.com/api/v2/), so ":443" must not leak into them.
	if p := u.Port(); d.Scheme == "https" && p == "443" || d.Scheme == "http" && p == "80" {
		d.Host = strings.TrimSuffix(host, ":"+p)
	}
	switch d.Scheme {
	case "https":
	case "http":
		if !d.IsLoopback() {
			return Domain{}, fmt.Errorf("tenant domain %q uses http: Auth0 tenants are https only (http is accepted for loopback hosts, such as the simulated tenant)", s)
		}
	default:
		return Domain{}, fmt.Errorf("tenant domain %q has scheme %q: use https", s, u.Scheme)
	}
	return d, nil
}

// MustParse is Parse for constants in tests; it panics on error.
func MustParse(s string) Domain {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d was never set.
func (d Domain) IsZero() bool { return d.Host == "" }

// Hostname is the host without its port.
func (d Domain) Hostname() string {
	if h, _, err := net.SplitHostPort(d.Host); err == nil {
		return strings.Trim(h, "[]")
	}
	return strings.Trim(d.Host, "[]")
}

// IsLoopback reports whether the host is localhost or a loopback address.
func (d Domain) IsLoopback() bool {
	h := d.Hostname()
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// IsCustom reports whether the domain looks like a custom domain: neither
// a tenant's own Auth0 domain (like acme.us.auth0.com) nor a loopback host
// (a simulated tenant). A custom domain serves sign-in, but Auth0 knows the
// Management API only by the tenant's own domain.
func (d Domain) IsCustom() bool {
	return !d.IsZero() && !strings.HasSuffix(d.Hostname(), ".auth0.com") && !d.IsLoopback()
}

// String is the authority: scheme://host, without a trailing slash.
func (d Domain) String() string { return d.Scheme + "://" + d.Host }

// Authority is OpenMetadata's `authority` value: scheme://host.
func (d Domain) Authority() string { return d.String() }

// Issuer is the `iss` of tokens the tenant signs: scheme://host/.
func (d Domain) Issuer() string { return d.String() + "/" }

// JWKSURL is where the tenant publishes its signing keys.
func (d Domain) JWKSURL() string { return d.String() + "/.well-known/jwks.json" }

// DiscoveryURL is the tenant's OpenID Connect discovery document.
func (d Domain) DiscoveryURL() string { return d.String() + "/.well-known/openid-configuration" }

// TokenURL is the tenant's OAuth token endpoint.
func (d Domain) TokenURL() string { return d.String() + "/oauth/token" }

// ManagementAudience is the identifier of the Auth0 Management API: {issuer}api/v2/.
func (d Domain) ManagementAudience() string { return d.String() + "/api/v2/" }

// ValidHostname reports whether h (lowercase, without a port) is an IP
// address or a DNS host name: dot-separated labels of 1 to 63 letters,
// digits and inner hyphens, 253 characters at most.
func ValidHostname(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// ValidPort reports whether p is a TCP port number, 1 to 65535.
func ValidPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	n, _ := strconv.Atoi(p)
	return n >= 1 && n <= 65535
}
