package cmd

import (
	"errors"
	"fmt"
	"strings"
	"testing"

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
