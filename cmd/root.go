// Package cmd holds om-auth0's cobra commands. Each command has an options
// struct with its dependencies (streams, HTTP client) injected, gh-style, and
// maps its outcome to the exit codes of the spec: 0 done, 1 Auth0 or I/O
// failure, 2 bad usage or input, 130 interrupted.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/iostreams"
)

// Exit codes of the command line contract.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitInterrupted = 130
)

// UsageError is bad usage or input: nothing was changed or written.
type UsageError struct{ Err error }

// Error implements error.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *UsageError) Unwrap() error { return e.Err }

// usageErrorf builds a UsageError.
func usageErrorf(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// ErrInterrupted means the operator stopped the run (Ctrl+C).
var ErrInterrupted = errors.New("interrupted")

// newRootCmd builds the command tree Main runs; tests replace it.
var newRootCmd = NewRootCmd

// Main runs om-auth0 with args and returns the process exit code. A panic,
// or a *crash.Error returned by the wizard, is a bug: it is reported in one
// line with its stack in a file (reportCrash), and the exit code is 1.
func Main(args []string, ios *iostreams.IOStreams) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = reportCrash(ios, crash.Recovered(r))
		}
	}()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	root := newRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ce *crash.Error
	if errors.As(err, &ce) {
		return reportCrash(ios, ce)
	}
	code = ExitCode(err)
	if err != nil && !errors.Is(err, ErrInterrupted) {
		fmt.Fprintln(ios.ErrOut, "Error:", err)
	}
	if errors.Is(err, ErrInterrupted) || ctx.Err() != nil && err != nil {
		fmt.Fprintln(ios.ErrOut, "Interrupted.")
	}
	return code
}

// reportCrash says on one line that om-auth0 hit a bug, and where the
// report with the stack is; the stack goes to the terminal only when the
// report cannot be written.
func reportCrash(ios *iostreams.IOStreams, e *crash.Error) int {
	path, err := e.WriteReport(versionString())
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "%s — this is a bug in om-auth0; the details could not be saved (%v), here they are:\n%s", e, err, e.Stack)
		return ExitFailure
	}
	fmt.Fprintf(ios.ErrOut, "%s — this is a bug in om-auth0; details in %s\n", e, path)
	return ExitFailure
}

// ExitCode maps an error to the exit code of the command line contract.
func ExitCode(err error) int {
	var usage *UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrInterrupted), errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &usage):
		return ExitUsage
	default:
		return ExitFailure
	}
}

// NewRootCmd builds the `om-auth0` command tree.
func NewRootCmd(ios *iostreams.IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "om-auth0",
		Short: "Set up Auth0 single sign-on for OpenMetadata",
		Long: `om-auth0 does the Auth0 part of OpenMetadata's "Auth0 SSO" guide through the
Auth0 Management API (the UI application, the ingestion service account, its
Management API grant), verifies the result, and writes the configuration for
Docker, bare metal or Kubernetes plus the ingestion workflowConfig.

New here? 'om-auth0 sandbox' runs the whole wizard against a simulated Auth0
tenant on this machine: nothing real is created, and the files are real.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(ios.In)
	// Help and shell completion (`completion bash`, the hidden __complete) print
	// to the command's Out, and completion only works on stdout.
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	root.AddCommand(newVersionCmd(ios))
	addSetupCommands(root, ios)
	root.AddCommand(NewCmdDoctor(ios, nil), NewCmdApply(ios, nil), NewCmdRemove(ios, nil))
	root.AddCommand(newSandboxCmd(ios))
	return root
}
