package auth0http

import (
	"slices"
	"testing"

	"github.com/om-auth0/om-auth0/internal/testenv"
)

// fakeJWT is an unsigned JWT with the given claims.
func fakeJWT(t *testing.T, claims map[string]any) string { return testenv.UnsignedJWT(t, claims) }

func TestDecodeClaims(t *testing.T) {
	tok := fakeJWT(t, map[string]any{"aud": []string{"x", "y"}, "permissions": []string{"b", "a"}, "sub": "s"})
	c, err := DecodeClaims(tok)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Audience, []string{"x", "y"}) || !slices.Equal(c.Scopes(), []string{"a", "b"}) {
		t.Errorf("claims = %+v, scopes %v", c, c.Scopes())
	}
	c, err = DecodeClaims(fakeJWT(t, map[string]any{"aud": "x", "scope": "b a b"}))
	if err != nil || !slices.Equal(c.Audience, []string{"x"}) || !slices.Equal(c.Scopes(), []string{"a", "b"}) {
		t.Errorf("claims = %+v, %v", c, err)
	}
	if _, err := DecodeClaims("opaque"); err == nil {
		t.Error("an opaque token decoded")
	}
}
