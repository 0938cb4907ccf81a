package sandbox

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"sync"
	"time"
)

// serverCert is the self-signed certificate a TLS tenant serves, valid for
// 127.0.0.1, ::1 and localhost. It is its own CA, as httptest's is, so a
// client trusts it by adding it to its roots (or SSL_CERT_FILE).
type serverCert struct {
	cert tls.Certificate
	pem  []byte
	pool *x509.CertPool
}

// One certificate per process, like the signing key: every test starts its
// own tenant, and all of them listen on loopback.
var (
	certOnce sync.Once
	certVal  *serverCert
	certErr  error
)

func tlsCert() (*serverCert, error) {
	certOnce.Do(func() { certVal, certErr = newServerCert() })
	return certVal, certErr
}

func newServerCert() (*serverCert, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate TLS key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, fmt.Errorf("TLS certificate serial: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "om-auth0 simulated tenant", Organization: []string{"om-auth0 sandbox"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, fmt.Errorf("self-sign TLS certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse TLS certificate: %w", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &serverCert{
		cert: tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv, Leaf: leaf},
		pem:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pool: pool,
	}, nil
}

// CertPEM is the PEM-encoded certificate a TLS tenant serves (a client that
// trusts it, e.g. through SSL_CERT_FILE, reaches the tenant); nil without TLS.
func (s *Server) CertPEM() []byte {
	if s.cert == nil {
		return nil
	}
	return bytes.Clone(s.cert.pem)
}

// HTTPClient is a client for the tenant: with TLS, one that trusts the
// tenant's certificate and nothing else. Every call returns the same client;
// Close drops its idle connections.
func (s *Server) HTTPClient() *http.Client {
	s.clientMu.Lock()
	defer s.clientMu.Unlock()
	if s.client == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if s.cert != nil {
			tr.TLSClientConfig = &tls.Config{RootCAs: s.cert.pool, MinVersion: tls.VersionTLS12}
		}
		s.client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	return s.client
}

// serve runs the HTTP server on ln, over TLS when the tenant has a
// certificate. Like Auth0, a TLS tenant offers HTTP/2.
func (s *Server) serve(ln net.Listener) {
	if s.cert == nil {
		_ = s.srv.Serve(ln)
		return
	}
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{s.cert.cert}, MinVersion: tls.VersionTLS12}
	// A client that does not trust the certificate is a case tests provoke
	// on purpose; its handshake error is not worth a line on stderr.
	s.srv.ErrorLog = log.New(&dropHandshakeErrors{}, "", log.LstdFlags)
	_ = s.srv.ServeTLS(ln, "", "")
}

// dropHandshakeErrors passes the server's log lines to the standard
// logger's output, where net/http writes them by default, except the failed
// TLS handshakes.
type dropHandshakeErrors struct{}

func (dropHandshakeErrors) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("TLS handshake error")) {
		return len(p), nil
	}
	return log.Writer().Write(p)
}
