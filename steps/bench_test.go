package steps_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/internal/roundtrip"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// BenchmarkSetup reports, for a whole run (Connect, both sections, Verify),
// the number of requests and the sequential round trips on the critical
// path, for each service-account mode on a tenant holding only the
// Management API application (apps=0) and one holding 5,000 applications:
//
//   - fresh: nothing of om-auth0's in the tenant yet;
//   - rerun: the same answers again, without the ids answers.yaml records
//     (the applications are found in the listing);
//   - rerun-answers: the same answers with the recorded ids, as a re-run
//     from answers.yaml does (read by id, no listing).
//
// Every request is delayed a little so that requests sent together
// overlap and share a depth (see roundtrip.Transport).
func BenchmarkSetup(b *testing.B) {
	for _, n := range []int{0, 5_000} {
		for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same, steps.Skip} {
			c := choices(openmetadata.Public, mode)
			name := fmt.Sprintf("%s/apps=%d", mode, n)
			tenant := func(tb sandbox.TB) *tenantUnderTest {
				if n == 0 {
					return newTenantWith(tb, sandbox.Options{RateLimit: -1, TenantName: "Acme"}, sandbox.WizardScopes)
				}
				return largeTenant(tb, n)
			}
			b.Run("fresh/"+name, func(b *testing.B) {
				d, opts := measured()
				it := &roundtrip.Iteration{B: b}
				var requests, roundtrips int
				for b.Loop() {
					b.StopTimer()
					tt := tenant(it)
					d.Reset()
					b.StartTimer()
					runMeasured(b, tt, opts, c)
					requests, roundtrips = d.Counts()
					b.StopTimer()
					it.End()
					b.StartTimer()
				}
				b.ReportMetric(float64(requests), "requests/op")
				b.ReportMetric(float64(roundtrips), "roundtrips/op")
			})
			rerun := func(b *testing.B, fromAnswers bool) {
				tt := tenant(b)
				first := runSetup(b, tt.connect(b), c)
				c := c
				if fromAnswers {
					c.Recorded = recordedOf(first)
				}
				d, opts := measured()
				var requests, roundtrips int
				for b.Loop() {
					d.Reset()
					tt.ResetRequests()
					runMeasured(b, tt, opts, c)
					requests, roundtrips = d.Counts()
					for _, r := range tt.Requests() {
						if r.Method != http.MethodGet && r.Path != "/oauth/token" {
							b.Fatalf("re-run wrote: %s %s", r.Method, r.Path)
						}
					}
					if l := listings(tt.Requests()); fromAnswers && len(l) > 0 {
						b.Fatalf("re-run from answers listed the tenant: %v", l)
					}
				}
				b.ReportMetric(float64(requests), "requests/op")
				b.ReportMetric(float64(roundtrips), "roundtrips/op")
			}
			b.Run("rerun/"+name, func(b *testing.B) { rerun(b, false) })
			b.Run("rerun-answers/"+name, func(b *testing.B) { rerun(b, true) })
		}
	}
}

func measured() (*roundtrip.Transport, steps.Options) {
	d := &roundtrip.Transport{Base: http.DefaultTransport, Delay: 2 * time.Millisecond}
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
