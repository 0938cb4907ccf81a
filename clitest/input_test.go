package clitest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile or wrong input ends the run at once with exit 2, naming the field
// (or file) and the reason, before any request reaches the tenant and
// without writing anything; control characters in it never reach the
// terminal raw.
func TestHostileInputIsRefusedBeforeAnyRequest(t *testing.T) {
	tn := newTenant(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "answers.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"answers from /dev/zero", "", []string{"--answers", "/dev/zero"}, "/dev/zero: cannot read the answers file: it is a device"},
		{"answers from a named pipe without a writer", "", []string{"--answers", fifo}, fifo + ": cannot read the answers file: it is a named pipe"},
		{"answers file is a directory", "", []string{"--answers", dir}, "cannot read the answers file: it is a directory"},
		{"secret over 64 KiB from stdin", strings.Repeat("s", 70_000), []string{"--client-secret", "-"},
			"--client-secret -: stdin holds more than 64 KiB"},
		{"OpenMetadata URL with port 99999", "", []string{"--om-url", "http://om.acme.com:99999"},
			`--om-url: OpenMetadata URL "http://om.acme.com:99999" has an invalid port: a port is a number from 1 to 65535`},
		{"scope with a newline", "", []string{"--service-account", "separate", "--scopes", "read:users\nevil"},
			`--scopes: "read:users\nevil" is not a Management API scope`},
		{"empty scope", "", []string{"--service-account", "separate", "--scopes", "read:users,,read:clients"}, "--scopes: an empty scope"},
		{"service account named like the UI app", "", []string{"--service-account", "separate", "--app-name", "OM prod", "--bot-app-name", "OM prod"},
			`--bot-app-name: "OM prod" is also the UI application's name`},
		{"app name with an escape sequence", "", []string{"--app-name", "OM\x1b]0;pwned\a\x1b[2J"},
			`--app-name: application name "OM\x1b]0;pwned\a\x1b[2J" contains a control character`},
		{"app name over 128 characters", "", []string{"--app-name", strings.Repeat("OM", 65)}, "--app-name: the application name is 130 characters long"},
		{"admin with a control character", "", []string{"--admin", "alice\x1b[2J"}, `--admin: admin "alice\x1b[2J" contains a control character`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(tn.Requests())
			args := append([]string{"setup", "--no-input", "--om-version", "1.6.4", "--admin", "alice",
				"--principal-domain", "acme.com", "--out", "out"}, tt.args...)
			start := time.Now()
			res := run(t, dir, tn.env(), tt.stdin, args...)
			if res.code != 2 || !strings.Contains(res.stderr, tt.want) {
				t.Fatalf("want exit 2 and %q on stderr, got %s", tt.want, res)
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("took %s", took)
			}
			if strings.ContainsAny(res.stderr, "\x1b\a") {
				t.Errorf("a control character reached the terminal: %q", res.stderr)
			}
			if n := len(tn.Requests()); n != before {
				t.Errorf("%d requests reached the tenant: %+v", n-before, tn.Requests()[before:])
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
				t.Errorf("the output folder was created (%v)", err)
			}
		})
	}
}
