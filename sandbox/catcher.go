package sandbox

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Catcher stands for a host other than the tenant's: the target of a
// Redirect fault. It listens on another loopback address (127.0.0.2, or
// another port of 127.0.0.1 where 127.0.0.2 is not routed), answers every
// request 200 with an empty JSON object, and records everything it gets,
// so that a test can show that no credential ever reached it.
type Catcher struct {
	srv *http.Server
	url string

	mu  sync.Mutex
	log []CaughtRequest

	closeOnce sync.Once
	closeErr  error
}

// CaughtRequest is one request the catcher received.
type CaughtRequest struct {
	Method   string
	Host     string
	Path     string
	RawQuery string
	Header   http.Header // Authorization included
	Body     []byte      // at most the first MiB
}

// maxCaughtBody caps what the catcher keeps of a request body.
const maxCaughtBody = 1 << 20

// StartCatcher starts a catcher on 127.0.0.2, or on 127.0.0.1 when that
// address is not available.
func StartCatcher() (*Catcher, error) {
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		var err2 error
		if ln, err2 = net.Listen("tcp", "127.0.0.1:0"); err2 != nil {
			return nil, fmt.Errorf("listen on 127.0.0.2 (%v) or 127.0.0.1 for the redirect catcher: %w", err, err2)
		}
	}
	c := &Catcher{url: "http://" + ln.Addr().String()}
	c.srv = &http.Server{Handler: http.HandlerFunc(c.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = c.srv.Serve(ln) }()
	return c, nil
}

// NewTestCatcher starts a catcher for a test and closes it when the test ends.
func NewTestCatcher(t TB) *Catcher {
	t.Helper()
	c, err := StartCatcher()
	if err != nil {
		t.Fatalf("start redirect catcher: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// URL is the catcher's base URL, e.g. "http://127.0.0.2:PORT": a fault's RedirectTo.
func (c *Catcher) URL() string { return c.url }

// Requests returns what the catcher received, oldest first.
func (c *Catcher) Requests() []CaughtRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CaughtRequest, len(c.log))
	for i, r := range c.log {
		r.Header = r.Header.Clone()
		r.Body = slices.Clone(r.Body)
		out[i] = r
	}
	return out
}

// Saw reports whether s appears anywhere in what the catcher received: a
// path, a query, a header value (Basic credentials decoded) or a body
// (form-decoded too). Pass each secret and token.
func (c *Catcher) Saw(s string) bool {
	if s == "" {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.log {
		for _, text := range r.texts() {
			if strings.Contains(text, s) {
				return true
			}
		}
	}
	return false
}

// texts are the places of r where a credential can travel, as sent and decoded.
func (r CaughtRequest) texts() []string {
	out := []string{r.Path, r.RawQuery, string(r.Body)}
	for _, raw := range []string{r.RawQuery, string(r.Body)} {
		if u, err := url.QueryUnescape(raw); err == nil {
			out = append(out, u)
		}
	}
	for _, values := range r.Header {
		out = append(out, values...)
	}
	if basic, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Basic "); ok {
		if dec, err := base64.StdEncoding.DecodeString(basic); err == nil {
			out = append(out, string(dec))
			if u, err := url.QueryUnescape(string(dec)); err == nil {
				out = append(out, u)
			}
		}
	}
	return out
}

// Close stops the catcher. Closing twice is harmless.
func (c *Catcher) Close() error {
	c.closeOnce.Do(func() {
		if err := c.srv.Close(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			c.closeErr = fmt.Errorf("close redirect catcher: %w", err)
		}
	})
	return c.closeErr
}

func (c *Catcher) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxCaughtBody))
	c.mu.Lock()
	c.log = append(c.log, CaughtRequest{
		Method: r.Method, Host: r.Host, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	})
	c.mu.Unlock()
	writeRaw(w, http.StatusOK, []byte("{}"))
}
