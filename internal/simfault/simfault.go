// Package simfault arms the faults of the project's simulated servers (the
// Auth0 tenant in sandbox and OpenMetadata in omsim): which request a fault
// fires on, and that it fires once.
package simfault

import (
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
	// Nth picks the Nth matching request after the fault is armed
	// (1-based; 0 means 1).
	Nth int
}

// Matches reports whether r is a request m counts.
func (m Match) Matches(r *http.Request) bool {
	if m.Method != "" && !strings.EqualFold(m.Method, r.Method) {
		return false
	}
	switch {
	case m.Path == "":
		return true
	case strings.HasSuffix(m.Path, "*"):
		return strings.HasPrefix(r.URL.Path, strings.TrimSuffix(m.Path, "*"))
	default:
		return r.URL.Path == m.Path
	}
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
