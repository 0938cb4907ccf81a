package steps_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/internal/roundtrip"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// The large-tenant benchmarks back the targets in docs/performance.md. Run
// them with
//
//	go test ./steps/ -run '^$' -bench '^BenchmarkLargeTenant$' -benchmem
//	go test ./steps/ -run '^$' -bench '^BenchmarkLargeTenantAuth0RateLimit$' -benchmem -benchtime 1x

// tenantSizes are the numbers of applications a tenant holds before om-auth0 runs.
var tenantSizes = []int{100, 1_000, 5_000}

// largeTenant is an unlimited simulated tenant holding n applications: the
// Management API application and n-1 seeded ones.
func largeTenant(t sandbox.TB, n int) *tenantUnderTest {
	t.Helper()
	tt := newTenantWith(t, sandbox.Options{RateLimit: -1, TenantName: "Acme"}, sandbox.WizardScopes)
	seedApps(tt, n-1)
	return tt
}

// seedApps adds n applications in the mix of a busy tenant.
func seedApps(tt *tenantUnderTest, n int) {
	mix := []struct {
		appType string
		percent int
	}{{"spa", 40}, {"regular_web", 30}, {"non_interactive", 25}, {"native", 5}}
	left := n
	for i, m := range mix {
		k := n * m.percent / 100
		if i == len(mix)-1 {
			k = left
		}
		tt.SeedApps(k, m.appType)
		left -= k
	}
}

// BenchmarkLargeTenant measures, on tenants of 100, 1,000 and 5,000
// applications without rate limit, the listing the application picker
// shows, an idempotent re-run and a fresh setup (Connect, both sections in
// separate mode, the heaviest, and Verify). Requests and sequential round
// trips are counted as in BenchmarkSetup; peak-MB and live-MB come from
// one extra, untimed run (see heapUse).
func BenchmarkLargeTenant(b *testing.B) {
	ctx := context.Background()
	c := choices(openmetadata.Public, steps.Separate)
	for _, n := range tenantSizes {
		b.Run(fmt.Sprintf("list/apps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			tt := largeTenant(b, n)
			d, opts := measured()
			list := func(s *steps.Session) []steps.AppSummary {
				apps, err := s.ListApps(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if len(apps) != n-1 { // all but the Management API application
					b.Fatalf("listed %d applications, want %d", len(apps), n-1)
				}
				return apps
			}
			var requests, roundtrips int
			for b.Loop() {
				b.StopTimer()
				s := connectWith(b, tt, opts) // a new session: the listing is kept per session
				d.Reset()
				b.StartTimer()
				list(s)
				requests, roundtrips = d.Counts()
			}
			s := connectWith(b, tt, opts)
			peak, live := heapUse(func() any { return []any{s, list(s)} })
			reportRun(b, requests, roundtrips, peak)
			b.ReportMetric(float64(live)/1e6, "live-MB")
		})
		b.Run(fmt.Sprintf("rerun/apps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			tt := largeTenant(b, n)
			runSetup(b, tt.connect(b), c)
			d, opts := measured()
			rerun := func() {
				tt.ResetRequests()
				runMeasured(b, tt, opts, c)
				if w := tt.writes(); len(w) > 0 {
					b.Fatalf("re-run wrote %v", w)
				}
			}
			var requests, roundtrips int
			for b.Loop() {
				d.Reset()
				rerun()
				requests, roundtrips = d.Counts()
			}
			peak, _ := heapUse(func() any { rerun(); return nil })
			reportRun(b, requests, roundtrips, peak)
		})
		b.Run(fmt.Sprintf("fresh/apps=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			d, opts := measured()
			fresh := func(tt *tenantUnderTest) {
				runMeasured(b, tt, opts, c)
				// Two applications and the bot's grant, nothing else.
				if w := tt.writes(); len(w) != 3 {
					b.Fatalf("fresh setup wrote %v", w)
				}
			}
			it := &roundtrip.Iteration{B: b}
			var requests, roundtrips int
			for b.Loop() {
				b.StopTimer()
				tt := largeTenant(it, n)
				d.Reset()
				b.StartTimer()
				fresh(tt)
				requests, roundtrips = d.Counts()
				b.StopTimer()
				it.End()
				b.StartTimer()
			}
			tt := largeTenant(it, n)
			peak, _ := heapUse(func() any { fresh(tt); return nil })
			it.End()
			reportRun(b, requests, roundtrips, peak)
		})
	}
}

// Auth0's Management API budgets as the sandbox simulates them: a paid
// tenant, the sandbox's default, bursts 50 and refills 15 requests per
// second; a free one allows 2 per second with bursts of 2. The refill waits
// are how long an empty budget takes to fill again, rounded up.
const (
	paidRateLimit = 0 // sandbox.Options.RateLimit: the default
	paidRefill    = 4 * time.Second
	freeRateLimit = 2
	freeRefill    = time.Second
)

// BenchmarkLargeTenantAuth0RateLimit runs under Auth0's rate limits, with
// the steps' real retry waits (X-RateLimit-Reset, each at most 10 s, at most
// a minute per request): an
// idempotent re-run on a paid 5,000-application tenant, and the listing of
// a free 1,000-application one. Each run starts with a full budget, as an
// operator's next run does; the refill wait is not timed. retries/op counts
// the 429 answers the tenant gave, failed/op whether the listing gave up.
// One run takes seconds: use -benchtime 1x.
func BenchmarkLargeTenantAuth0RateLimit(b *testing.B) {
	ctx := context.Background()
	c := choices(openmetadata.Public, steps.Separate)
	b.Run("rerun/paid/apps=5000", func(b *testing.B) {
		b.ReportAllocs()
		tt, d, opts := limitedTenant(b, paidRateLimit, 5_000)
		runSetup(b, connectWith(b, tt, opts), c)
		var requests, roundtrips, refused int
		for b.Loop() {
			b.StopTimer()
			time.Sleep(paidRefill)
			d.Reset()
			tt.ResetRequests()
			b.StartTimer()
			runMeasured(b, tt, opts, c)
			requests, roundtrips = d.Counts()
			refused = tooManyRequests(tt)
			if w := tt.writes(); len(w) > 0 {
				b.Fatalf("re-run wrote %v", w)
			}
		}
		b.ReportMetric(float64(requests), "requests/op")
		b.ReportMetric(float64(roundtrips), "roundtrips/op")
		b.ReportMetric(float64(refused), "retries/op")
	})
	b.Run("list/free/apps=1000", func(b *testing.B) {
		b.ReportAllocs()
		tt, d, opts := limitedTenant(b, freeRateLimit, 1_000)
		var requests, roundtrips, refused, failed int
		for b.Loop() {
			b.StopTimer()
			s := connectWith(b, tt, opts)
			time.Sleep(freeRefill)
			d.Reset()
			tt.ResetRequests()
			b.StartTimer()
			_, err := s.ListApps(ctx)
			requests, roundtrips = d.Counts()
			refused = tooManyRequests(tt)
			failed = 0
			if err != nil {
				// Measured, not fatal: failed/op is what T8 in docs/performance.md reports.
				failed = 1
				b.Logf("ListApps: %v", err)
			}
		}
		b.ReportMetric(float64(requests), "requests/op")
		b.ReportMetric(float64(roundtrips), "roundtrips/op")
		b.ReportMetric(float64(refused), "retries/op")
		b.ReportMetric(float64(failed), "failed/op")
	})
}

// limitedTenant is a tenant of n applications under rateLimit
// (sandbox.Options.RateLimit), with measured options that wait for the
// rate limit as the steps do by default.
func limitedTenant(b *testing.B, rateLimit, n int) (*tenantUnderTest, *roundtrip.Transport, steps.Options) {
	b.Helper()
	tt := newTenantWith(b, sandbox.Options{RateLimit: rateLimit, TenantName: "Acme"}, sandbox.WizardScopes)
	seedApps(tt, n-1)
	d, opts := measured()
	opts.MaxBackoff = 0 // the steps' default: wait as long as Auth0 says, up to 10 s a wait and a minute a request
	return tt, d, opts
}

// tooManyRequests counts the 429 answers in the tenant's request log.
func tooManyRequests(tt *tenantUnderTest) int {
	n := 0
	for _, r := range tt.Requests() {
		if r.Status == http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

func connectWith(b *testing.B, tt *tenantUnderTest, opts steps.Options) *steps.Session {
	b.Helper()
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		b.Fatalf("Connect: %v", err)
	}
	return s
}

func reportRun(b *testing.B, requests, roundtrips int, peak uint64) {
	b.ReportMetric(float64(requests), "requests/op")
	b.ReportMetric(float64(roundtrips), "roundtrips/op")
	b.ReportMetric(float64(peak)/1e6, "peak-MB")
}

// heapUse runs fn once and returns, above the heap live before it, the
// most memory live at once while it ran and what is still live after it,
// with what fn returned kept. The collector runs almost continuously
// meanwhile (GOGC=1), so the heap, sampled every 100 µs, is close to what
// is live; with the default GOGC=100 a process's heap grows to about twice
// that before a collection. The simulated tenant runs in the same process:
// the peak includes its answers being built (so it bounds om-auth0's own
// from above), while its stored applications are part of the baseline.
func heapUse(fn func() any) (peak, live uint64) {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	// Twice: the first collection only moves sync.Pool contents aside.
	runtime.GC()
	runtime.GC()
	base := heapBytes()
	stop, high := make(chan struct{}), make(chan uint64)
	go func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		var h uint64
		for {
			h = max(h, heapBytes())
			select {
			case <-stop:
				high <- max(h, heapBytes())
				return
			case <-t.C:
			}
		}
	}()
	kept := fn()
	close(stop)
	top := <-high
	runtime.GC()
	after := heapBytes()
	runtime.KeepAlive(kept)
	return sub(top, base), sub(after, base)
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}
