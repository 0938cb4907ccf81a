package sandbox

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as the SHA-1 thumbprint (RFC 7517 §4.8)
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"sync"
	"time"
)

// signingKey is the tenant's RS256 signing key with its self-signed
// certificate, published in the JWKS the way Auth0 publishes its keys
// (kty, use, n, e, kid, x5t, x5c, alg).
type signingKey struct {
	priv    *rsa.PrivateKey
	kid     string
	certDER []byte
	certPEM string
}

// One key per process: generating RSA keys is slow, and every test starts
// its own tenant. Tokens still do not cross tenants: the issuer differs.
var (
	keyOnce sync.Once
	keyVal  *signingKey
	keyErr  error
)

func tenantKey() (*signingKey, error) {
	keyOnce.Do(func() { keyVal, keyErr = newSigningKey() })
	return keyVal, keyErr
}

func newSigningKey() (*signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("generate tenant signing key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "om-auth0-sandbox"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().AddDate(10, 0, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, fmt.Errorf("self-sign tenant certificate: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("encode tenant public key: %w", err)
	}
	sum := sha256.Sum256(pub)
	return &signingKey{
		priv:    priv,
		kid:     base64.RawURLEncoding.EncodeToString(sum[:])[:32],
		certDER: der,
		certPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
	}, nil
}

// jwk is one key of /.well-known/jwks.json.
type jwk struct {
	Kty string   `json:"kty"`
	Use string   `json:"use"`
	N   string   `json:"n"`
	E   string   `json:"e"`
	Kid string   `json:"kid"`
	X5t string   `json:"x5t"`
	X5c []string `json:"x5c"`
	Alg string   `json:"alg"`
}

func (k *signingKey) jwk() jwk {
	thumb := sha1.Sum(k.certDER) //nolint:gosec // see import
	return jwk{
		Kty: "RSA",
		Use: "sig",
		N:   base64.RawURLEncoding.EncodeToString(k.priv.N.Bytes()),
		E:   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.priv.E)).Bytes()),
		Kid: k.kid,
		X5t: base64.RawURLEncoding.EncodeToString(thumb[:]),
		X5c: []string{base64.StdEncoding.EncodeToString(k.certDER)},
		Alg: "RS256",
	}
}

// signingKeys is a client's `signing_keys` field: the tenant certificate
// [REC TestClient_Create: "signing_keys":[{"cert":...}]].
func (k *signingKey) signingKeys() []map[string]string {
	return []map[string]string{{"cert": k.certPEM, "subject": "/CN=om-auth0-sandbox"}}
}
