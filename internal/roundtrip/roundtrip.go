// Package roundtrip measures, for the benchmarks, how many requests a run
// sends and how many of them it waits for one after the other: the round
// trips on its critical path, which decide its wall time on a real network.
package roundtrip

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// Transport measures the critical path of a run: a request's depth is one
// more than the deepest request that had finished before it started, so
// requests sent together share a depth and the deepest is the number of
// sequential round trips. Delay, added to every request, makes concurrent
// requests overlap.
type Transport struct {
	Base  http.RoundTripper
	Delay time.Duration

	mu       sync.Mutex
	requests int
	finished []int // depths of finished requests
	maxDepth int
}

// RoundTrip implements http.RoundTripper.
func (d *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	depth := 1
	for _, f := range d.finished {
		depth = max(depth, f+1)
	}
	d.requests++
	d.mu.Unlock()
	time.Sleep(d.Delay)
	resp, err := d.Base.RoundTrip(r)
	d.mu.Lock()
	d.finished = append(d.finished, depth)
	d.maxDepth = max(d.maxDepth, depth)
	d.mu.Unlock()
	return resp, err
}

// Reset starts counting again.
func (d *Transport) Reset() {
	d.mu.Lock()
	d.requests, d.finished, d.maxDepth = 0, nil, 0
	d.mu.Unlock()
}

// Counts are the requests sent and the round trips since the last Reset.
func (d *Transport) Counts() (requests, roundtrips int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.requests, d.maxDepth
}

// Iteration is a benchmark's testing.TB for one iteration: its cleanups run
// at End, so that the servers of past iterations are closed.
type Iteration struct {
	*testing.B
	cleanups []func()
}

// Cleanup registers f for End.
func (it *Iteration) Cleanup(f func()) { it.cleanups = append(it.cleanups, f) }

// End runs the cleanups, the last registered first.
func (it *Iteration) End() {
	for i := len(it.cleanups) - 1; i >= 0; i-- {
		it.cleanups[i]()
	}
	it.cleanups = nil
}
