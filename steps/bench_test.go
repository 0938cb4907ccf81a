package steps_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// BenchmarkSetup reports, for a whole run (Connect, both sections, Verify),
// the number of requests and the sequential round trips on the critical
// path. Every request is delayed a little so that requests sent together
// overlap and share a depth (see depthTransport).
func BenchmarkSetup(b *testing.B) {
	for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same, steps.Skip} {
		c := choices(openmetadata.Public, mode)
		b.Run("fresh/"+string(mode), func(b *testing.B) {
			var requests, roundtrips int
			for b.Loop() {
				b.StopTimer()
				tt := newTenant(b, sandbox.WizardScopes)
				d, opts := measured()
				b.StartTimer()
				runMeasured(b, tt, opts, c)
				requests, roundtrips = d.counts()
			}
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(roundtrips), "roundtrips/op")
		})
		b.Run("rerun/"+string(mode), func(b *testing.B) {
			tt := newTenant(b, sandbox.WizardScopes)
			runSetup(b, tt.connect(b), c)
			d, opts := measured()
			var requests, roundtrips int
			for b.Loop() {
				d.reset()
				tt.ResetRequests()
				runMeasured(b, tt, opts, c)
				requests, roundtrips = d.counts()
				for _, r := range tt.Requests() {
					if r.Method != http.MethodGet && r.Path != "/oauth/token" {
						b.Fatalf("re-run wrote: %s %s", r.Method, r.Path)
					}
				}
			}
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(roundtrips), "roundtrips/op")
		})
	}
}

func measured() (*depthTransport, steps.Options) {
	d := &depthTransport{base: http.DefaultTransport, delay: 2 * time.Millisecond}
	opts := testOptions()
	opts.HTTPClient = &http.Client{Transport: d}
	return d, opts
}

func runMeasured(b *testing.B, tt *tenantUnderTest, opts steps.Options, c steps.Choices) {
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		b.Fatal(err)
	}
	if r := runSetup(b, s, c); !r.verification.OK() {
		b.Fatalf("verification: %+v", r.verification.Checks)
	}
}
