// Package openmetadata holds OpenMetadata's own concepts that every part of
// om-auth0 shares: its versions and the configuration bands they fall in, the
// sign-in client types, deployment target names, the check of an
// OpenMetadata base URL, and the descriptor of a configuration file to write.
// It has no dependencies inside om-auth0 and does no I/O.
package openmetadata

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// ClientType is how OpenMetadata's UI signs users in.
type ClientType string

const (
	// Public is an Auth0 Single Page Application: the browser signs in with PKCE and holds no secret.
	Public ClientType = "public"
	// Confidential is an Auth0 Regular Web Application: the server exchanges the code with a client secret (OpenMetadata ≥ 1.5).
	Confidential ClientType = "confidential"
)

// ParseClientType accepts "public" or "confidential".
func ParseClientType(s string) (ClientType, error) {
	switch ClientType(strings.ToLower(strings.TrimSpace(s))) {
	case Public:
		return Public, nil
	case Confidential:
		return Confidential, nil
	}
	return "", fmt.Errorf("client type %q: use public or confidential", s)
}

// Token endpoint auth methods of a confidential client: how OpenMetadata's
// server authenticates to Auth0 when it exchanges the sign-in code. The Auth0
// application's "Token Endpoint Authentication Method" must be the same, or
// Auth0 refuses the exchange.
const (
	// ConfidentialAuthMethod is the default: OpenMetadata's default
	// OIDC_CLIENT_AUTH_METHOD, and the method om-auth0 creates the Auth0
	// application with.
	ConfidentialAuthMethod = "client_secret_post"
	// BasicAuthMethod is the guide's "Basic", which the application gets when
	// it is also the service account (--service-account same).
	BasicAuthMethod = "client_secret_basic"
)

// Target names a deployment target whose configuration is rendered, as the
// --target flag and the answers file spell it (docker, bare-metal, ...). The
// renderers own the list of known targets.
type Target string

// Version is an OpenMetadata server version.
type Version struct{ Major, Minor, Patch int }

// Newest is the newest OpenMetadata version om-auth0 knows, the default when none is detected.
var Newest = Version{2, 0, 0}

// ParseVersion accepts "1.6.4", "v2.0", "1.12.6-release" and the like.
func ParseVersion(s string) (Version, error) {
	raw := strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(raw, "-+ "); i >= 0 {
		raw = raw[:i]
	}
	parts := strings.Split(raw, ".")
	if raw == "" || len(parts) > 3 {
		return Version{}, fmt.Errorf("OpenMetadata version %q: give it like 1.6.4 or 2.0", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("OpenMetadata version %q: give it like 1.6.4 or 2.0", s)
		}
		n[i] = v
	}
	v := Version{n[0], n[1], n[2]}
	if v.Less(Version{0, 13, 0}) {
		return Version{}, fmt.Errorf("OpenMetadata %s is not supported: om-auth0 configures 0.13 and later", v)
	}
	return v, nil
}

// String is major.minor.patch.
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Less orders versions.
func (v Version) Less(o Version) bool {
	if v.Major != o.Major {
		return v.Major < o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor < o.Minor
	}
	return v.Patch < o.Patch
}

// AtLeast reports v ≥ major.minor.
func (v Version) AtLeast(major, minor int) bool { return !v.Less(Version{major, minor, 0}) }

// Band is a range of OpenMetadata versions that share one configuration shape.
type Band int

const (
	// BandLegacy is ≤ 1.0: ingestion authenticates to Auth0 with client credentials.
	BandLegacy Band = iota
	// BandJWT is 1.1–1.4: ingestion uses the ingestion-bot's OpenMetadata JWT; public client only.
	BandJWT
	// BandOIDC is ≥ 1.5: public or confidential client (oidcConfiguration / OIDC_*).
	BandOIDC
)

// Band is the configuration band v falls in.
func (v Version) Band() Band {
	switch {
	case !v.AtLeast(1, 1):
		return BandLegacy
	case !v.AtLeast(1, 5):
		return BandJWT
	default:
		return BandOIDC
	}
}

// String names the band as the docs and golden files do.
func (b Band) String() string {
	return [...]string{"legacy-1.0", "jwt-1.1", "oidc-1.5"}[b]
}

// SettingsInDatabase reports whether the server keeps authentication settings
// in its database after the first boot (1.10 and later), so env/YAML edits of
// an existing deployment need an extra apply step.
func (v Version) SettingsInDatabase() bool { return v.AtLeast(1, 10) }

// File is one rendered output file.
type File struct {
	Path   string // slash-separated, relative to the output folder, e.g. "docker/openmetadata_auth0.env"
	Data   []byte
	Secret bool // holds a secret: written with mode 0600
}

// Mode is the file mode the file must be written with.
func (f File) Mode() fs.FileMode {
	if f.Secret {
		return 0o600
	}
	return 0o644
}
