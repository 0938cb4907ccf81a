package steps_test

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Only a confidential client on OpenMetadata 1.10 and later gets the
// client_credentials grant type and a Management API grant for
// OpenMetadata's validator: every other setup plans, sends and verifies
// exactly what it did before that was added. The golden files were
// written by the code before the change; a fresh run and a re-run are
// recorded (the requests of each sorted, as independent ones run in
// parallel), with the ids and the tenant's address replaced by names.
func TestSetupsWithoutTheValidatorAreUnchanged(t *testing.T) {
	t.Parallel()
	v := func(major, minor, patch int) openmetadata.Version {
		return openmetadata.Version{Major: major, Minor: minor, Patch: patch}
	}
	for _, tc := range []struct {
		name    string
		ct      openmetadata.ClientType
		version openmetadata.Version
		mode    steps.ServiceAccountMode
	}{
		{"public-2.0.2-skip", openmetadata.Public, v(2, 0, 2), steps.Skip},
		{"public-2.0.2-separate", openmetadata.Public, v(2, 0, 2), steps.Separate},
		{"public-1.0.2-separate", openmetadata.Public, v(1, 0, 2), steps.Separate},
		{"confidential-1.9.9-skip", openmetadata.Confidential, v(1, 9, 9), steps.Skip},
		{"confidential-1.6.4-separate", openmetadata.Confidential, v(1, 6, 4), steps.Separate},
		{"confidential-1.6.4-same", openmetadata.Confidential, v(1, 6, 4), steps.Same},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tt := newTenant(t, sandbox.WizardScopes)
			c := choices(tc.ct, tc.mode)
			c.Version = tc.version
			var log strings.Builder
			tt.ResetRequests()
			first := runSetup(t, tt.connect(t), c)
			names := idNames(tt, first)
			writeRun(&log, "fresh run", tt, first, names)
			tt.ResetRequests()
			again := runSetup(t, tt.connect(t), c)
			writeRun(&log, "re-run", tt, again, names)
			if !first.verification.OK() || !again.verification.OK() {
				t.Errorf("verification failed: %+v / %+v", first.verification.Checks, again.verification.Checks)
			}
			golden(t, filepath.Join("testdata", "unchanged", tc.name+".txt"), log.String())
		})
	}
}

// writeRun records a run's plans, its requests to the tenant (sorted) and
// its verification, with names for the ids.
func writeRun(out *strings.Builder, title string, tt *tenantUnderTest, r setupResult, names *strings.Replacer) {
	var w strings.Builder
	defer func() { out.WriteString(names.Replace(w.String())) }()
	fmt.Fprintf(&w, "== %s\nplan:\n", title)
	changes := slices.Concat(r.uiPlan.Changes, r.saPlan.Changes)
	for _, c := range changes {
		fmt.Fprintf(&w, "  %s %s %s %q\n", present.Mark(c), c.Action, c.Resource, c.Name)
		for _, f := range c.Fields {
			fmt.Fprintf(&w, "      %s: %s\n", f.Field, present.FieldValue(f, "->"))
		}
		if c.Consequence != "" {
			fmt.Fprintf(&w, "      ! %s\n", c.Consequence)
		}
	}
	var reqs []string
	for _, q := range tt.Requests() {
		line := q.Method + " " + q.Path
		if q.RawQuery != "" {
			line += "?" + q.RawQuery
		}
		reqs = append(reqs, names.Replace(fmt.Sprintf("%s -> %d", line, q.Status)))
	}
	slices.Sort(reqs)
	fmt.Fprintf(&w, "requests:\n")
	for _, q := range reqs {
		fmt.Fprintf(&w, "  %s\n", q)
	}
	fmt.Fprintf(&w, "verification:\n")
	for _, c := range r.verification.Checks {
		fmt.Fprintf(&w, "  %v %s %s\n", c.OK, c.Name, c.Detail)
	}
}

// idNames replaces what differs from one run to the next: the tenant's
// address, and the ids of the applications and grants of the run r.
func idNames(tt *tenantUnderTest, r setupResult) *strings.Replacer {
	pairs := []string{tt.URL(), "<tenant>", url.QueryEscape(tt.URL()), "<tenant>", tt.Domain().Host, "<tenant-host>", tt.req.ClientID, "<admin-id>"}
	if r.ui != nil {
		pairs = append(pairs, r.ui.ClientID, "<ui-id>")
	}
	if r.sa != nil && r.sa.App != nil && r.sa.App.ClientID != r.ui.ClientID {
		pairs = append(pairs, r.sa.App.ClientID, "<bot-id>")
	}
	if r.sa != nil && r.sa.Grant != nil {
		pairs = append(pairs, r.sa.Grant.ID, "<grant-id>")
	}
	for _, g := range tt.ClientGrants() {
		if g.ClientID == tt.req.ClientID {
			pairs = append(pairs, g.ID, "<admin-grant-id>")
		}
	}
	return strings.NewReplacer(pairs...)
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./steps -run %s -update to write it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
