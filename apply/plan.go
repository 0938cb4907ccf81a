package apply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// Field is one setting of the plan: what the server has and what the apply
// writes. Secrets are masked in From and To.
type Field struct {
	// Name is the setting's path, like "authenticationConfiguration.clientId".
	Name string `json:"field"`
	// Action is steps.Create (the server has no value), steps.Update or steps.Keep.
	Action steps.Action `json:"action"`
	From   string       `json:"from,omitempty"` // for an update only
	To     string       `json:"to"`
	// Note says why a field is kept that may differ (a secret the server masks).
	Note string `json:"note,omitempty"`
}

// Mark is the field's sign in a plan, as setup's plans show changes: + set
// where the server has nothing, ~ changed, = kept.
func (f Field) Mark() string { return present.Mark(steps.Change{Action: f.Action}) }

// Section and field names of OpenMetadata's SecurityConfiguration.
const (
	authn       = "authenticationConfiguration"
	authz       = "authorizerConfiguration"
	oidc        = authn + ".oidcConfiguration"
	secretField = oidc + ".secret"
)

// ownedFields are the settings om-auth0 owns, listed in every plan in this
// order whether they change or not; oidcFields only for a confidential
// client. Other fields appear only when the apply sets them (a default
// the server lacks, like jwtPrincipalClaims).
var (
	ownedFields = []string{authn + ".provider", authn + ".providerName", authn + ".clientType", authn + ".responseType",
		authn + ".clientId", authn + ".authority", authn + ".callbackUrl", authn + ".publicKeyUrls"}
	oidcFields = []string{oidc + ".type", oidc + ".id", secretField, oidc + ".discoveryUri", oidc + ".callbackUrl",
		oidc + ".serverUrl", oidc + ".clientAuthenticationMethod"}
	authorizerFields = []string{authz + ".adminPrincipals", authz + ".principalDomain"}
)

// planFields compares the server's settings (current) with the settings
// to write (next), field by field.
func planFields(current, next []byte, confidential bool) ([]Field, error) {
	cur, err := flatten(current)
	if err != nil {
		return nil, fmt.Errorf("read OpenMetadata's current SSO settings: %w", err)
	}
	nxt, err := flatten(next)
	if err != nil {
		return nil, fmt.Errorf("read the planned SSO settings: %w", err)
	}
	owned := slices.Clone(ownedFields)
	if confidential {
		owned = append(owned, oidcFields...)
	}
	owned = append(owned, authorizerFields...)
	var extra []string
	for name, v := range nxt {
		if !slices.Contains(owned, name) && !sameJSON(cur[name], v) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	// Each section's fields together: its owned ones, then the others it sets.
	var names []string
	for _, section := range []string{authn + ".", authz + "."} {
		for _, list := range [][]string{owned, extra} {
			for _, name := range list {
				if strings.HasPrefix(name, section) {
					names = append(names, name)
				}
			}
		}
	}

	fields := make([]Field, 0, len(names))
	for _, name := range names {
		from, had := cur[name]
		to := nxt[name]
		f := Field{Name: name, To: show(name, to, true)}
		switch {
		case name == secretField && from == omapi.Mask && to != "" && to != nil:
			f.Action = steps.Keep
			f.Note = "OpenMetadata shows only its mask, so om-auth0 cannot compare it; --force writes the application's secret again"
		case sameJSON(from, to):
			f.Action = steps.Keep
		case !had || empty(from):
			f.Action = steps.Create
		default:
			f.Action, f.From = steps.Update, show(name, from, had)
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// flatten is a JSON document's leaves by dotted path: objects are walked,
// arrays and scalars are leaves.
func flatten(doc []byte) (map[string]any, error) {
	out := map[string]any{}
	if len(bytes.TrimSpace(doc)) == 0 {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		m, ok := v.(map[string]any)
		if !ok {
			if prefix != "" {
				out[prefix] = v
			}
			return
		}
		for k, sub := range m {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, sub)
		}
	}
	walk("", v)
	return out, nil
}

func sameJSON(a, b any) bool {
	x, errX := json.Marshal(a)
	y, errY := json.Marshal(b)
	return errX == nil && errY == nil && bytes.Equal(x, y)
}

// empty reports whether a value is no value: null, "", [] or {}.
func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// secretName reports whether a field holds a secret, shown masked.
func secretName(name string) bool {
	last := strings.ToLower(name[strings.LastIndex(name, ".")+1:])
	return last == "secret" || strings.Contains(last, "password") || strings.Contains(last, "privatekey")
}

// show is a value for a person: cleaned, lists in brackets, secrets masked.
func show(name string, v any, present bool) string {
	switch {
	case !present || v == nil:
		return "(none)"
	case secretName(name):
		if empty(v) {
			return `""`
		}
		return omapi.Mask
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return `""`
		}
		return omapi.Clean(x)
	case []any:
		items := make([]string, len(x))
		for i, item := range x {
			items[i] = show(name, item, true)
		}
		return "[" + strings.Join(items, ", ") + "]"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return "?"
		}
		return omapi.Clean(string(b))
	}
}

// settingsFor are the settings the files give OpenMetadata for the
// application found, adjusted for a running server: OpenMetadata's own
// JWKS is left out of publicKeyUrls when the validator would refuse its
// host. note says so when it is.
func settingsFor(in render.Input) (want render.Settings, note string, err error) {
	want, err = render.SecuritySettings(in)
	if err != nil {
		return want, "", err
	}
	own := strings.TrimRight(in.OMURL, "/") + omapi.PathJWKS
	if in.Version.SettingsInDatabase() && omapi.DotlessHost(own) && slices.Contains(want.PublicKeyURLs, own) {
		want.PublicKeyURLs = slices.DeleteFunc(slices.Clone(want.PublicKeyURLs), func(u string) bool { return u == own })
		note = "publicKeyUrls leave out OpenMetadata's own JWKS (" + own + "): OpenMetadata's Auth0 validator refuses a host without a dot, " +
			"and OpenMetadata 1.10 and later check the tokens they issue against their own key first"
	}
	return want, note, nil
}
