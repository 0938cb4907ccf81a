package steps

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// tokenClaims are the claims of an Auth0 access token that the steps read
// without verifying the signature (the token came straight from the tenant
// over TLS, or from the operator).
type tokenClaims struct {
	Issuer      string   `json:"iss"`
	Subject     string   `json:"sub"`
	Audience    audience `json:"aud"`
	AuthParty   string   `json:"azp"`
	GrantType   string   `json:"gty"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	Expiry      int64    `json:"exp"`
}

// audience is the aud claim: a string or an array of strings.
type audience []string

func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("aud is neither a string nor a list of strings")
	}
	*a = many
	return nil
}

// scopes are the granted scopes: the scope claim, else the permissions claim.
func (c tokenClaims) scopes() []string {
	s := strings.Fields(c.Scope)
	if len(s) == 0 {
		s = append(s, c.Permissions...)
	}
	return sortedUnique(s)
}

// decodeClaims reads the payload of a JWT without verifying it.
func decodeClaims(token string) (tokenClaims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return tokenClaims{}, errors.New("the token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return tokenClaims{}, fmt.Errorf("the token's payload is not base64url: %w", err)
	}
	var c tokenClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return tokenClaims{}, fmt.Errorf("the token's payload is not JSON: %w", err)
	}
	return c, nil
}

// jwks is a JSON Web Key Set as Auth0 publishes it.
type jwks struct {
	Keys []jwk `json:"keys"`
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// rsaKeys returns the set's RSA signing keys by kid.
func (s jwks) rsaKeys() (map[string]*rsa.PublicKey, error) {
	keys := map[string]*rsa.PublicKey{}
	for _, k := range s.Keys {
		if k.Kty != "RSA" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.N, "="))
		if err != nil || len(n) == 0 {
			return nil, fmt.Errorf("key %q: modulus n is not base64url", k.Kid)
		}
		e, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(k.E, "="))
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, fmt.Errorf("key %q: exponent e is not base64url", k.Kid)
		}
		exp := new(big.Int).SetBytes(e)
		keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	}
	if len(keys) == 0 {
		return nil, errors.New("it holds no RSA signing key")
	}
	return keys, nil
}

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
