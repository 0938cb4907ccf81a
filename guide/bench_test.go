package guide

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/internal/roundtrip"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// BenchmarkRun reports, for a whole --no-input run (guide.Run: connect,
// both sections, verify, the files) against a simulated tenant and a
// simulated OpenMetadata whose version is detected (not given), the number
// of requests to both and the sequential round trips on the critical path,
// for each service-account mode:
//
//   - fresh: a tenant with only the Management API application;
//   - rerun: the same Config again on the tenant the first run set up.
//
// Every request is delayed a little so that requests sent together overlap
// and share a depth (see roundtrip.Transport). Run it with
//
//	go test ./guide/ -run '^$' -bench '^BenchmarkRun$'
func BenchmarkRun(b *testing.B) {
	for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same, steps.Skip} {
		b.Run("fresh/"+string(mode), func(b *testing.B) {
			d := &roundtrip.Transport{Base: http.DefaultTransport, Delay: 2 * time.Millisecond}
			var requests, roundtrips, auth0 int
			for b.Loop() {
				b.StopTimer()
				it := &roundtrip.Iteration{B: b}
				e := newBenchEnv(it, b.TempDir(), d, mode)
				d.Reset()
				b.StartTimer()
				e.run(b)
				requests, roundtrips = d.Counts()
				auth0 = len(e.tenant.Requests())
				b.StopTimer()
				it.End()
				b.StartTimer()
			}
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(auth0), "auth0-requests/op")
			b.ReportMetric(float64(roundtrips), "roundtrips/op")
		})
		rerun := func(b *testing.B, sameOut bool, apps ...int) {
			d := &roundtrip.Transport{Base: http.DefaultTransport, Delay: 2 * time.Millisecond}
			e := newBenchEnv(b, b.TempDir(), d, mode)
			for _, n := range apps {
				e.tenant.SeedApps(n, "spa")
			}
			e.run(b)
			e.sameOut = sameOut
			var requests, roundtrips, auth0 int
			for b.Loop() {
				d.Reset()
				e.tenant.ResetRequests()
				e.run(b)
				requests, roundtrips = d.Counts()
				auth0 = len(e.tenant.Requests())
				for _, r := range e.tenant.Requests() {
					if r.Method != http.MethodGet && r.Path != "/oauth/token" {
						b.Fatalf("re-run wrote: %s %s", r.Method, r.Path)
					}
					if sameOut && r.Path == "/api/v2/clients" {
						b.Fatalf("re-run into the same --out listed the tenant: %s?%s", r.Path, r.RawQuery)
					}
				}
			}
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(auth0), "auth0-requests/op")
			b.ReportMetric(float64(roundtrips), "roundtrips/op")
		}
		// The same answers again, the previous answers.yaml not read: the
		// applications are found in the tenant's listing.
		b.Run("rerun/"+string(mode), func(b *testing.B) { rerun(b, false) })
		// A re-run into the same --out, as setup does it: the ids the first
		// run recorded in answers.yaml are read, not the listing.
		b.Run("rerun-same-out/"+string(mode), func(b *testing.B) { rerun(b, true) })
		// The same on a tenant of 5,000 applications: nothing grows with it.
		b.Run("rerun-same-out-5000-apps/"+string(mode), func(b *testing.B) { rerun(b, true, 5_000) })
	}
}

// benchEnv is a simulated tenant and OpenMetadata, and the answers of a
// --no-input run against them with every request through one transport.
type benchEnv struct {
	tenant   *sandbox.Server
	om       *omsim.Server
	a        answers.Answers
	secret   string
	client   *http.Client
	steps    steps.Options
	omClient *http.Client
	// sameOut takes the ids the previous run recorded in answers.yaml in
	// the output folder, as setup does without --answers.
	sameOut bool
}

func newBenchEnv(t sandbox.TB, dir string, d *roundtrip.Transport, mode steps.ServiceAccountMode) *benchEnv {
	t.Helper()
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1, TenantName: "Acme"})
	id, secret := ten.CreateM2MApp("om-auth0 bench", sandbox.WizardScopes)
	om := omsim.NewTest(t, omsim.Options{Version: "1.6.4"})
	out, err := os.MkdirTemp(dir, "out")
	if err != nil {
		t.Fatalf("%v", err)
	}
	client := &http.Client{Transport: d}
	return &benchEnv{
		tenant: ten, om: om, secret: secret, client: client,
		steps: steps.Options{HTTPClient: client, MaxBackoff: time.Millisecond, RequestTimeout: 5 * time.Second},
		a: answers.Answers{Domain: ten.URL(), ClientID: id, OMURL: om.URL(), ServiceAccount: string(mode),
			Admins: []string{"alice"}, PrincipalDomain: "example.com", Out: out},
	}
}

// run is one whole run with the answers (the version left to detection).
func (e *benchEnv) run(b *testing.B) {
	b.Helper()
	cfg, missing, err := setup.Resolve(setup.Layer{Source: setup.FromFlags, Answers: e.a, Secrets: answers.Secrets{ClientSecret: e.secret}})
	if err != nil || len(missing) > 0 {
		b.Fatalf("setup.Resolve: %v, missing %v", err, missing)
	}
	if e.sameOut {
		if cfg.Previous, err = setup.ReadPreviousRun(filepath.Join(e.a.Out, setup.AnswersFile)); err != nil {
			b.Fatalf("the previous run's answers: %v", err)
		}
		cfg.UsePrevious()
		if cfg.Choices.Recorded.UIAppID == "" {
			b.Fatalf("no recorded ids in %s", e.a.Out)
		}
	}
	connect := func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
		return steps.Connect(ctx, req, e.steps)
	}
	detect := func(ctx context.Context, omURL string) (openmetadata.Version, error) {
		return setup.DetectVersion(ctx, e.client, omURL)
	}
	// The same application as the service account changes how it signs
	// in, a consequence a script accepts with --yes.
	yes := cfg.Choices.ServiceAccount == steps.Same
	res, err := Run(context.Background(), cfg, connect, Options{DetectVersion: detect, Yes: yes})
	if err != nil {
		b.Fatalf("Run: %v", err)
	}
	if res.TenantName != "Acme" || cfg.Choices.Version.String() != "1.6.4" || res.Verification == nil || !res.Verification.OK {
		b.Fatalf("result = %+v, version %s", res, cfg.Choices.Version)
	}
}
