package omsim

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// signer is the server's RS256 key, published at /api/v1/system/config/jwks.
type signer struct{ priv *rsa.PrivateKey }

// One key per process: generating RSA keys is slow and every test starts a
// server. Tokens still do not cross servers: each carries its server's
// instance claim.
var (
	keyOnce sync.Once
	keyVal  *signer
	keyErr  error
)

func serverKey() (*signer, error) {
	keyOnce.Do(func() {
		priv, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			keyErr = fmt.Errorf("generate the simulated OpenMetadata signing key: %w", err)
			return
		}
		keyVal = &signer{priv: priv}
	})
	return keyVal, keyErr
}

// jwks is OpenMetadata's JWKSResponse: {"keys":[{kty, kid, n, e, use, alg}]}.
func (k *signer) jwks() map[string]any {
	return map[string]any{"keys": []map[string]string{{
		"kty": "RSA",
		"kid": keyID,
		"n":   base64.RawURLEncoding.EncodeToString(k.priv.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.priv.E)).Bytes()),
		"use": "sig",
		"alg": "RS256",
	}}}
}

// omClaims are the claims of a token OpenMetadata signs.
type omClaims struct {
	jwt.RegisteredClaims
	Email     string `json:"email"`
	IsBot     bool   `json:"isBot"`
	TokenType string `json:"tokenType"`
	// Provider is the provider a login session was opened under; personal
	// access tokens carry none. OpenMetadata ties sessions to it through a
	// session id; the simulation carries it in the token.
	Provider string `json:"sessionProvider,omitempty"`
	// Instance names the simulated server that signed the token.
	Instance string `json:"omsimInstance"`
}

func (k *signer) sign(c omClaims) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	t.Header["kid"] = keyID
	out, err := t.SignedString(k.priv)
	if err != nil {
		return "", fmt.Errorf("sign a simulated OpenMetadata token: %w", err)
	}
	return out, nil
}

// personalToken is a personal access token of user: long-lived, no session.
func (s *Server) personalToken(user string) omClaims {
	now := time.Now()
	return omClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: issuer, Subject: user,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.AddDate(1, 0, 0)),
		},
		Email:     user + "@" + issuer,
		TokenType: "PERSONAL_ACCESS",
		Instance:  s.url,
	}
}

// caller is who made a request.
type caller struct {
	user    string
	admin   bool
	kind    string // for the request log: "none", "token", "session", "invalid"
	problem string // why a presented token was refused
}

// Messages of JwtFilter's refusals (401).
const (
	msgNoToken        = "Not Authorized! Token not present"
	msgInvalidToken   = "Invalid token"
	msgExpiredToken   = "Expired token!"
	msgStaleSession   = "Session was issued by a provider that is no longer configured."
	msgBadLogin       = "You have entered an invalid username or password."
	msgBase64         = "Password needs to be encoded in Base-64."
	msgNotSupported   = "Not Implemented"
	msgSettingsDenied = "Access to authentication and authorizer configurations is not allowed through this endpoint"
)

// identify reads the bearer token, as JwtFilter does: missing or not
// "Bearer …" → no token; a bad signature, another issuer or an unknown kid
// → invalid; past its expiry → expired; a login session opened under
// another provider → ended.
func (s *Server) identify(r *http.Request) caller {
	h := r.Header.Get("Authorization")
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if h == "" || !ok || strings.TrimSpace(raw) == "" {
		return caller{kind: "none", problem: msgNoToken}
	}
	var c omClaims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &c, func(t *jwt.Token) (any, error) {
		if t.Header["kid"] != keyID {
			return nil, errors.New("unknown key id")
		}
		return &s.key.priv.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(issuer))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return caller{kind: "invalid", problem: msgExpiredToken}
	case err != nil:
		return caller{kind: "invalid", problem: msgInvalidToken}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	admin, known := s.admins[c.Subject]
	if !known || c.Instance != s.url {
		return caller{kind: "invalid", problem: msgInvalidToken}
	}
	if c.Provider != "" {
		if typed(s.live()).Authentication.Provider != c.Provider {
			return caller{user: c.Subject, kind: "session", problem: msgStaleSession}
		}
		return caller{user: c.Subject, admin: admin, kind: "session"}
	}
	return caller{user: c.Subject, admin: admin, kind: "token"}
}

// loginRequest is LoginRequest: email and a base64 password.
type loginRequest struct {
	Email    *string `json:"email"`
	Password *string `json:"password"`
}

// jwtResponse is the answer of a successful login.
type jwtResponse struct {
	TokenType      string `json:"tokenType"`
	AccessToken    string `json:"accessToken"`
	RefreshToken   string `json:"refreshToken"`
	ExpiryDuration int64  `json:"expiryDuration"`
}

// handleLogin is POST /api/v1/users/login: basic sign-in, which only the
// basic (and ldap) authenticators implement.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, _ caller) {
	s.mu.Lock()
	provider := typed(s.live()).Authentication.Provider
	s.mu.Unlock()
	if provider != "basic" && provider != "ldap" {
		writeError(w, http.StatusForbidden, msgNotSupported)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req loginRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeError(w, http.StatusBadRequest, "Unable to process JSON")
		return
	}
	if req.Email == nil || req.Password == nil {
		writeError(w, http.StatusBadRequest, beanMessage(req.Email == nil, "email", req.Password == nil, "password"))
		return
	}
	pw, err := base64.StdEncoding.DecodeString(*req.Password)
	if err != nil {
		writeError(w, http.StatusBadRequest, msgBase64)
		return
	}
	if !strings.EqualFold(*req.Email, s.opts.AdminEmail) || string(pw) != s.opts.AdminPassword {
		writeError(w, http.StatusUnauthorized, msgBadLogin)
		return
	}
	now := time.Now()
	exp := now.Add(time.Hour)
	c := s.personalToken(adminName(s.opts.AdminEmail))
	c.ExpiresAt = jwt.NewNumericDate(exp)
	c.TokenType = "OM_USER"
	c.Provider = provider
	tok, err := s.key.sign(c)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	var refresh [16]byte
	_, _ = rand.Read(refresh[:])
	writeJSON(w, http.StatusOK, jwtResponse{
		TokenType: "Bearer", AccessToken: tok,
		RefreshToken:   fmt.Sprintf("%x", refresh[:]),
		ExpiryDuration: exp.UnixMilli(),
	})
}

// beanMessage names the missing required fields the way bean validation does.
func beanMessage(pairs ...any) string {
	var msgs []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if missing, _ := pairs[i].(bool); missing {
			msgs = append(msgs, fmt.Sprintf("%s must not be null", pairs[i+1]))
		}
	}
	return "[" + strings.Join(msgs, ", ") + "]"
}

// maxBody caps request bodies: settings are a few kilobytes.
const maxBody = 1 << 20

// readBody reads a request body up to maxBody; over it, 413.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "HTTP 413 Request Entity Too Large")
			return nil, false
		}
		writeError(w, http.StatusBadRequest, "Unable to process JSON")
		return nil, false
	}
	return b, true
}
