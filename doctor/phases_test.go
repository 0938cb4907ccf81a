package doctor

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/steps"
)

// timedTransport delays every request by a fixed latency, so that a
// request sent after another's answer is told apart from one sent with it,
// and records when each was sent and answered.
type timedTransport struct {
	base    http.RoundTripper
	latency time.Duration
	mu      sync.Mutex
	log     []timed
}

type timed struct {
	method, path string
	start, end   time.Time
}

func (t *timedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	time.Sleep(t.latency)
	resp, err := t.base.RoundTrip(r)
	t.mu.Lock()
	t.log = append(t.log, timed{r.Method, r.URL.Path, start, time.Now()})
	t.mu.Unlock()
	return resp, err
}

// roundTrips is the length of the longest chain of requests in which each
// was sent after the previous one was answered: the round trips on the
// critical path.
func roundTrips(log []timed) int {
	slices.SortFunc(log, func(a, b timed) int { return a.start.Compare(b.start) })
	depth := make([]int, len(log))
	most := 0
	for i, r := range log {
		depth[i] = 1
		for j := range i {
			if !log[j].end.After(r.start) {
				depth[i] = max(depth[i], depth[j]+1)
			}
		}
		most = max(most, depth[i])
	}
	return most
}

// Doctor takes one round trip more than its slowest check: the reads of
// phase 1 run side by side (the longest chain is the Auth0 token, then the
// application with its secret, read by the id answers.yaml recorded, beside
// its grant and the tenant's name),
// and phase 2 (OpenMetadata's validation and the client-credentials token)
// adds one. Counted from when each request was sent and answered, not from
// how long the run took.
func TestOneRoundTripMoreThanTheSlowestCheck(t *testing.T) {
	d := deploy(t, "2.0.2", "confidential")
	tr := &timedTransport{base: d.ten.HTTPClient().Transport, latency: 20 * time.Millisecond}
	if tr.base == nil {
		tr.base = http.DefaultTransport
	}
	client := &http.Client{Transport: tr}
	in := d.inputs(t, true, false)
	in.OMAdminEmail, in.OMAdminPassword = "", ""
	in.OMToken = d.om.AdminToken()
	in.HTTPClient = client
	in.Connect = func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
		return steps.Connect(ctx, req, steps.Options{HTTPClient: client})
	}
	rep := Run(context.Background(), in)
	if rep.Failed() {
		t.Fatalf("%s", dump(rep))
	}
	// Phase 2's requests: the validation, and every token request after Connect's.
	log := slices.Clone(tr.log)
	slices.SortFunc(log, func(a, b timed) int { return a.start.Compare(b.start) })
	var phase1 []timed
	tokens := 0
	for _, r := range log {
		if r.path == "/oauth/token" {
			tokens++
		}
		if r.path != "/api/v1/system/security/validate" && !(r.path == "/oauth/token" && tokens > 1) {
			phase1 = append(phase1, r)
		}
	}
	if tokens != 2 || len(phase1) != len(log)-2 {
		t.Fatalf("want Connect's token, the client-credentials token and one validation: %+v", log)
	}
	all, first := roundTrips(log), roundTrips(phase1)
	if first != 2 || all != first+1 {
		for _, r := range tr.log {
			t.Logf("%s %s %v–%v", r.method, r.path, r.start.Sub(tr.log[0].start), r.end.Sub(tr.log[0].start))
		}
		t.Fatalf("round trips: %d in all, %d in phase 1; want 3 and 2", all, first)
	}
}
