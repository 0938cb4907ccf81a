package cmd

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/iostreams"
)

func TestDoctorUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"answers file missing", []string{"doctor", "--answers", filepath.Join(dir, "nope.yaml")}, nil, "cannot read the answers file"},
		{"password missing", []string{"doctor", "--out", dir, "--om-admin-email", "admin@open-metadata.org"}, nil, "OM_ADMIN_PASSWORD"},
		{"two credentials", []string{"doctor", "--out", dir, "--om-admin-email", "a@b.c", "--om-token", "tok"}, map[string]string{"OM_ADMIN_PASSWORD": "x"}, "give one OpenMetadata credential"},
		{"bad URL", []string{"doctor", "--out", dir, "--om-url", "ftp://om"}, nil, "--om-url"},
		{"argument", []string{"doctor", "extra"}, nil, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, stderr := iostreams.Test()
			ios.SetEnv(envOf(tc.env))
			if code := Main(tc.args, ios); code != ExitUsage || !strings.Contains(stderr.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q lacks %q", code, stderr, tc.want)
			}
		})
	}
}

// OpenMetadata not answering is a failed check: exit 1, ASCII marks on a
// pipe, the report on stdout, or as JSON on stdout with --json.
var failedLine = regexp.MustCompile(`(?m)^FAILED:\s+om\.reachable\s`)

func TestDoctorUnreachable(t *testing.T) {
	dir := t.TempDir()
	ios, _, stdout, stderr := iostreams.Test()
	code := Main([]string{"doctor", "--out", dir, "--om-url", "http://127.0.0.1:1"}, ios)
	out := stdout.String()
	if code != ExitFailure || !failedLine.MatchString(out) || !strings.Contains(out, "warning: answers") ||
		!strings.Contains(stderr.String(), "Checking OpenMetadata at http://127.0.0.1:1") || strings.ContainsAny(out, "✓✗") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}

	ios, _, stdout, stderr = iostreams.Test()
	code = Main([]string{"doctor", "--out", dir, "--om-url", "http://127.0.0.1:1", "--json"}, ios)
	var rep doctor.Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil || code != ExitFailure {
		t.Fatalf("exit %d, stdout is not the report: %v\n%s", code, err, stdout)
	}
	if c, _ := rep.Check(doctor.IDOMReachable); c.Status != doctor.Fail || c.Fix == "" || rep.OMURL != "http://127.0.0.1:1" {
		t.Errorf("report %+v", rep)
	}
	if !failedLine.MatchString(stderr.String()) {
		t.Errorf("stderr lacks the lines for a person:\n%s", stderr)
	}
}
