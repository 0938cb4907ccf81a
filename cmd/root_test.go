package cmd

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/iostreams"
)

func TestVersionOverride(t *testing.T) {
	old := Version
	t.Cleanup(func() { Version = old })
	Version = "9.8.7"
	ios, _, out, errOut := iostreams.Test()
	if code := Main([]string{"version"}, ios); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if got := out.String(); got != "om-auth0 9.8.7\n" {
		t.Fatalf("stdout = %q", got)
	}
}

func TestUnknownFlagIsUsageError(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	if code := Main([]string{"version", "--nope"}, ios); code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "unknown flag: --nope") {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitFailure},
		{usageErrorf("bad"), ExitUsage},
		{fmt.Errorf("wrapped: %w", usageErrorf("bad")), ExitUsage},
		{fmt.Errorf("stop: %w", ErrInterrupted), ExitInterrupted},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

// A panic anywhere under Main, or a panic the wizard recovered and returned,
// is exit 1 with one line that says it is a bug and where its stack is: a
// new 0600 file in the temporary directory, not the terminal.
func TestMainReportsAPanicAsABug(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
	}{
		{"panic in a command", func() error { panicInACommand(); return nil }},
		{"crash returned by the wizard", func() error {
			return fmt.Errorf("wizard: %w", func() (e *crash.Error) {
				defer func() { e = crash.Recovered(recover()) }()
				panicInACommand()
				return nil
			}())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			old := newRootCmd
			t.Cleanup(func() { newRootCmd = old })
			newRootCmd = func(ios *iostreams.IOStreams) *cobra.Command {
				root := old(ios)
				root.AddCommand(&cobra.Command{Use: "boom", RunE: func(*cobra.Command, []string) error { return tt.run() }})
				return root
			}
			ios, _, out, errOut := iostreams.Test()
			if code := Main([]string{"boom"}, ios); code != ExitFailure {
				t.Fatalf("exit %d, want %d; stderr %q", code, ExitFailure, errOut)
			}
			reports, _ := filepath.Glob(filepath.Join(tmp, "om-auth0-crash-*.txt"))
			if len(reports) != 1 {
				t.Fatalf("reports %q", reports)
			}
			want := "internal error: nil map at index 3 [2J  — this is a bug in om-auth0; details in " + reports[0] + "\n"
			if errOut.String() != want || out.Len() != 0 {
				t.Fatalf("stderr %q\nwant   %q; stdout %q", errOut, want, out)
			}
			fi, err := os.Stat(reports[0])
			if err != nil || fi.Mode().Perm() != 0o600 {
				t.Fatalf("report mode %v, %v", fi.Mode(), err)
			}
			data, _ := os.ReadFile(reports[0])
			for _, s := range []string{"panic: nil map at index 3\x1b[2J\a", "cmd.panicInACommand", "goroutine "} {
				if !strings.Contains(string(data), s) {
					t.Errorf("the report lacks %q:\n%s", s, data)
				}
			}
		})
	}
}

// panicInACommand stands for a bug; its message carries a control sequence,
// as text from a server might.
func panicInACommand() { panic("nil map at index 3\x1b[2J\a") }
