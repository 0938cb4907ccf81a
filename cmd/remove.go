package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/huh/v2"
	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// RemoveOptions are `om-auth0 remove`'s dependencies and flags.
type RemoveOptions struct {
	IO *iostreams.IOStreams
	// Connect connects to the tenant; steps.Connect by default.
	Connect guide.RemoveConnectFunc

	// Flags holds the tenant, the credentials and the OpenMetadata URL given on the command line.
	Flags       setup.Layer
	AnswersPath string

	NoInput    bool
	DryRun     bool
	Yes        bool
	JSON       bool
	Accessible bool
}

const removeExample = `  # See what would be deleted for this OpenMetadata; delete nothing
  om-auth0 remove --om-url https://openmetadata.acme.com --dry-run

  # Delete it, after a confirmation prompt
  export AUTH0_DOMAIN=acme.us.auth0.com AUTH0_CLIENT_ID=uJ0mGn3q… AUTH0_CLIENT_SECRET=…
  om-auth0 remove --om-url https://openmetadata.acme.com

  # In a script: the tenant and URL from a setup's answers file, no prompt, a JSON result
  om-auth0 remove --answers ./openmetadata-auth0/answers.yaml --yes --json > removed.json`

const removeLong = `Delete from Auth0 what om-auth0 created for one OpenMetadata URL: the
Management API authorizations (client grants) of its applications, the
ingestion service account, and the application behind OpenMetadata's
sign-in page, in that order.

Only applications that carry om-auth0's marker for --om-url are deleted (the
marker is in their client_metadata): never an application om-auth0 did not
create or adopt, one set up for another OpenMetadata URL, or the Management
API application om-auth0 is connected with.

The plan is shown first, then confirmed: at a prompt when stdin and stderr
are terminals, with --yes otherwise (without it nothing is deleted and the
exit status is 2). Answering no deletes nothing. --dry-run only shows the plan.

The credentials need the scopes read:clients, read:client_grants,
delete:client_grants and delete:clients; the missing ones are named before
anything is deleted. Files in the output folder are left as they are.

Exit status: 0 done, nothing to remove, or declined; 1 an Auth0 failure (the
message names what was already deleted; running again finishes the job);
2 bad usage or input (nothing was deleted); 130 interrupted.`

// NewCmdRemove builds `om-auth0 remove`. runF replaces the run in tests.
func NewCmdRemove(ios *iostreams.IOStreams, runF func(context.Context, *RemoveOptions) error) *cobra.Command {
	opts := &RemoveOptions{
		IO: ios,
		Connect: func(ctx context.Context, req steps.ConnectRequest) (steps.Remover, error) {
			return steps.Connect(ctx, req, steps.Options{})
		},
		Flags: setup.Layer{Source: setup.FromFlags},
	}
	a, sec := &opts.Flags.Answers, &opts.Flags.Secrets
	cmd := &cobra.Command{
		Use:     "remove [flags]",
		Short:   "Delete what om-auth0 created in Auth0 for one OpenMetadata URL (plan, confirm)",
		Long:    removeLong,
		Example: removeExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("accessible") {
				opts.Accessible = truthy(ios.Getenv("ACCESSIBLE"))
			}
			if err := readSecretFlags(ios, credentialSecrets(sec)...); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return removeRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addDomainFlag(f, a)
	addCredentialFlags(f, a, sec)
	addOMURLFlag(f, a)
	f.StringVar(&opts.AnswersPath, "answers", "", "read the tenant and the OpenMetadata URL from this answers file, like a setup's answers.yaml")
	f.BoolVar(&opts.NoInput, "no-input", false, "never prompt (on when stdin is not a terminal); deleting then needs --yes")
	f.BoolVar(&opts.DryRun, "dry-run", false, "show what would be deleted; delete nothing (never prompts)")
	f.BoolVar(&opts.Yes, "yes", false, "delete without asking for confirmation")
	f.BoolVar(&opts.JSON, "json", false, "write a machine-readable result to stdout")
	f.BoolVar(&opts.Accessible, "accessible", false, "a line-by-line confirmation prompt for screen readers [$ACCESSIBLE]")
	for _, name := range []string{"domain", "client-id", "client-secret", "api-token", "om-url"} {
		completeValues(cmd, name)
	}
	_ = cmd.MarkFlagFilename("answers", "yaml", "yml")
	return cmd
}

// removeRun resolves the tenant, the credentials and the URL like setup,
// then removes.
func removeRun(ctx context.Context, opts *RemoveOptions) error {
	ios := opts.IO
	cfg, _, err := resolveConfig(ios, opts.Flags, opts.AnswersPath)
	if err != nil {
		return err
	}
	if missing := cfg.MissingToConnect(); len(missing) > 0 {
		return usageErrorf("%w\nGive them as flags, environment variables or in an answers file (--answers); see 'om-auth0 remove --help'.", setup.MissingError(missing))
	}
	report := ios.Out
	if opts.JSON {
		report = ios.ErrOut
	}
	ropts := guide.RemoveOptions{
		DryRun:   opts.DryRun,
		Yes:      opts.Yes,
		Progress: ios.ErrOut,
		Report:   report,
		ASCII:    !ios.ColorEnabled(),
	}
	if !opts.NoInput && ios.CanPrompt() {
		ropts.Confirm = confirmRemoval(ios, cfg.Answers().Domain, opts.Accessible || !ios.ColorEnabled())
	}
	res, err := guide.Remove(ctx, cfg, opts.Connect, ropts)
	if opts.JSON {
		if jerr := writeJSON(ios.Out, res); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil && (ctx.Err() != nil || errors.Is(err, ErrInterrupted)) {
		var re *guide.RemoveError
		if errors.As(err, &re) && len(re.Deleted) > 0 {
			fmt.Fprintf(ios.ErrOut, "Already deleted from Auth0 before the interrupt: %s\n", strings.Join(re.Deleted, "; "))
		}
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	return asUsage(err)
}

// confirmRemoval asks on stderr whether to delete what the plan lists; No
// is the default. Without colour, and for screen readers, the question is
// one line ("[y/N]"), so the answer never depends on seeing a highlight.
func confirmRemoval(ios *iostreams.IOStreams, domain string, lineByLine bool) func(context.Context, *steps.RemovePlan) (bool, error) {
	return func(ctx context.Context, p *steps.RemovePlan) (bool, error) {
		yes := false
		confirm := huh.NewConfirm().
			Title(fmt.Sprintf("Delete these %d from tenant %s?", len(p.Changes), domain)).
			Description("This cannot be undone: OpenMetadata at " + p.OMURL + " can then no longer sign users in with Auth0.").
			Affirmative("Delete").Negative("Keep them").
			Value(&yes)
		form := huh.NewForm(huh.NewGroup(confirm)).
			WithInput(ios.In).WithOutput(ios.ErrOut).WithAccessible(lineByLine).WithShowHelp(false)
		// The line-by-line form reads stdin without watching ctx: Ctrl+C
		// must not wait for a line that never comes.
		done := make(chan error, 1)
		go func() { done <- form.RunWithContext(ctx) }()
		var err error
		select {
		case err = <-done:
		case <-ctx.Done():
			return false, ErrInterrupted
		}
		if errors.Is(err, huh.ErrUserAborted) || ctx.Err() != nil {
			return false, ErrInterrupted
		}
		if err != nil {
			return false, fmt.Errorf("ask for confirmation: %w", err)
		}
		return yes, nil
	}
}
