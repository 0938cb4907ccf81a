package auth0http

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are the claims of an Auth0 access token that om-auth0 reads
// without verifying the signature (the token came straight from the tenant
// over TLS, or from the operator).
type Claims struct {
	Issuer      string   `json:"iss"`
	Subject     string   `json:"sub"`
	Audience    Audience `json:"aud"`
	AuthParty   string   `json:"azp"`
	GrantType   string   `json:"gty"`
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	Expiry      int64    `json:"exp"`
}

// Audience is the aud claim: a string or an array of strings.
type Audience []string

// UnmarshalJSON accepts a string or an array of strings.
func (a *Audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = Audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("aud is neither a string nor a list of strings")
	}
	*a = many
	return nil
}

// Scopes are the granted scopes, sorted and unique: the scope claim, else the permissions claim.
func (c Claims) Scopes() []string {
	s := strings.Fields(c.Scope)
	if len(s) == 0 {
		s = append(s, c.Permissions...)
	}
	return sortedUnique(s)
}

// DecodeClaims reads the payload of a JWT without verifying it.
func DecodeClaims(token string) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, errors.New("the token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return Claims{}, fmt.Errorf("the token's payload is not base64url: %w", err)
	}
	var c Claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return Claims{}, fmt.Errorf("the token's payload is not JSON: %w", err)
	}
	return c, nil
}

// JWKS is a JSON Web Key Set as Auth0 publishes it.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// JWK is one key of a JWKS.
type JWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// RSAKeys returns the set's RSA signing keys by kid.
func (s JWKS) RSAKeys() (map[string]*rsa.PublicKey, error) {
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

// CheckSignature verifies the token's RS256 signature with keys, by the
// token's kid (a token without one matches a set of one key).
func CheckSignature(token string, keys map[string]*rsa.PublicKey) error {
	_, err := jwt.Parse(token, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if k, ok := keys[kid]; ok {
			return k, nil
		}
		if kid == "" && len(keys) == 1 {
			for _, k := range keys {
				return k, nil
			}
		}
		return nil, fmt.Errorf("the JWKS has no key %q", kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return fmt.Errorf("the signature does not verify: %w", err)
	}
	return nil
}
