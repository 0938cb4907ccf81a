// Package simfault arms the faults of the project's simulated servers (the
// Auth0 tenant in sandbox and OpenMetadata in omsim): which request a fault
// fires on, and that it fires once.
package simfault

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// Match says which requests a fault counts.
type Match struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the request path exactly, or as a prefix when it ends
	// in "*" ("/api/v2/clients*"); "" matches any.
	Path string
	// Body, when set, matches only requests whose body contains it
	// (`"app_type":"spa"`): two creates sent at once on the same path are
	// told apart by what they create, not by which arrives first.
	Body string
	// Nth picks the Nth matching request after the fault is armed
	// (1-based; 0 means 1).
	Nth int
}

// maxBody bounds how much of a request's body Body is looked for in.
const maxBody = 1 << 20

// Matches reports whether r is a request m counts.
func (m Match) Matches(r *http.Request) bool {
	if m.Method != "" && !strings.EqualFold(m.Method, r.Method) {
		return false
	}
	switch {
	case m.Path == "":
	case strings.HasSuffix(m.Path, "*"):
		if !strings.HasPrefix(r.URL.Path, strings.TrimSuffix(m.Path, "*")) {
			return false
		}
	case r.URL.Path != m.Path:
		return false
	}
	return m.Body == "" || strings.Contains(string(peekBody(r)), m.Body)
}

// peekBody returns the start of r's body and leaves the body whole for the
// handler that serves r.
func peekBody(r *http.Request) []byte {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		b = nil
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
	return b
}

// Queue holds armed faults of type F. Its zero value is empty and ready;
// it is safe for concurrent use.
type Queue[F any] struct {
	mu      sync.Mutex
	pending []*armed[F]
}

type armed[F any] struct {
	match Match
	fault F
	seen  int
}

// Arm adds fault f, due on the request m picks.
func (q *Queue[F]) Arm(m Match, f F) {
	if m.Nth < 1 {
		m.Nth = 1
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, &armed[F]{match: m, fault: f})
}

// Take counts r against every armed fault it matches and returns the fault
// due now, disarmed. When several are due on the same request, the earliest
// armed fires and the others wait for the next matching request.
func (q *Queue[F]) Take(r *http.Request) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	due := -1
	for i, a := range q.pending {
		if a.match.Matches(r) {
			a.seen++
			if due < 0 && a.seen >= a.match.Nth {
				due = i
			}
		}
	}
	if due < 0 {
		var zero F
		return zero, false
	}
	f := q.pending[due].fault
	q.pending = slices.Delete(q.pending, due, due+1)
	return f, true
}
