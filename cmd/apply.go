package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"

	"charm.land/huh/v2"
	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/setup"
)

// ApplyOptions are `om-auth0 apply`'s dependencies and flags.
type ApplyOptions struct {
	IO *iostreams.IOStreams
	// Connect connects to the tenant; nil means steps.Connect.
	Connect setup.ConnectFunc
	// HTTPClient is the base client for OpenMetadata and the tenant; nil means a plain one.
	HTTPClient *http.Client
	// Confirm asks whether to store the plan; nil means a huh prompt on stderr.
	Confirm func(ctx context.Context, p *apply.Plan) (bool, error)

	// Flags holds the answers and Auth0 secrets given on the command line.
	Flags        setup.Layer
	AnswersPath  string
	OMToken      string
	OMAdminEmail string
	NoInput      bool
	DryRun       bool
	Yes          bool
	Force        bool
	JSON         bool
}

const applyLong = `Put the SSO settings of om-auth0 setup into a running OpenMetadata 1.10 or
later over its API, without a restart. Since 1.10 OpenMetadata keeps these
settings in its database and ignores new files after its first start; this
is what Settings > SSO does in its UI.

apply takes the same answers as setup (--answers, else answers.yaml in --out,
default ./openmetadata-auth0; flags and environment variables) and reads the
Auth0 application setup made (it never creates or changes one: run setup
first). Then it:

  1. reads OpenMetadata's current settings and shows the plan field by field,
     current -> new, secrets masked; only the fields om-auth0 owns change,
     every other one is kept as the server has it;
  2. asks OpenMetadata's own validator, and shows each result; a failed
     validation stops here (--force stores anyway);
  3. after confirmation (--yes in scripts) stores the settings with the real
     client secret, reads them back and confirms them;
  4. says what still needs a restart (new administrators are made at start)
     and that browser sessions signed in with the old provider end.

It needs Auth0 Management API credentials (AUTH0_CLIENT_ID and
AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN) and an OpenMetadata administrator:
--om-token or OM_ADMIN_TOKEN (a personal access token; - reads stdin), or
--om-admin-email with OM_ADMIN_PASSWORD while OpenMetadata still signs in with
basic auth. The token goes to the --om-url host only: apply follows no
redirect.

OpenMetadata before 1.10 reads its files: put them into the deployment and
restart it. A 2.1 deployment that owns the settings (SECURITY_CONFIG_SOURCE=ENV)
refuses API writes: the same, or switch it to AUTO.

With --json, the result goes to stdout as JSON and the lines for a person to
stderr.

Exit status: 0 stored and confirmed, or nothing to change; 1 an OpenMetadata,
Auth0 or I/O failure, a failed validation, or a server whose deployment owns
the settings; 2 bad usage or input, OpenMetadata before 1.10, or no
confirmation possible without --yes; 130 interrupted or declined.`

const applyExample = `  # After om-auth0 setup: see the plan and OpenMetadata's validation, store nothing
  export AUTH0_CLIENT_SECRET=… OM_ADMIN_TOKEN=…
  om-auth0 apply --dry-run

  # Apply, asking first
  om-auth0 apply --answers ./prod/answers.yaml

  # In a script: no prompt, the result as JSON
  printenv OM_TOKEN | om-auth0 apply --om-token - --yes --json > apply.json

  # A fresh OpenMetadata that still signs in with basic auth
  OM_ADMIN_PASSWORD=… om-auth0 apply --om-admin-email admin@open-metadata.org`

// NewCmdApply builds `om-auth0 apply`. runF replaces the run in tests.
func NewCmdApply(ios *iostreams.IOStreams, runF func(context.Context, *ApplyOptions) error) *cobra.Command {
	opts := &ApplyOptions{IO: ios, Flags: setup.Layer{Source: setup.FromFlags}}
	a, sec := &opts.Flags.Answers, &opts.Flags.Secrets
	cmd := &cobra.Command{
		Use:     "apply [flags]",
		Short:   "Put the SSO settings into a running OpenMetadata 1.10+ over its API",
		Long:    applyLong,
		Example: applyExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := readSecretFlags(ios, deploymentSecrets(sec, &opts.OMToken)...); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return applyRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addDeploymentFlags(f, a, sec, &opts.AnswersPath, &opts.OMToken, &opts.OMAdminEmail)
	f.BoolVar(&opts.NoInput, "no-input", false, "never prompt (then --yes is needed to store); on when stdin is not a terminal")
	f.BoolVar(&opts.DryRun, "dry-run", false, "show the plan and OpenMetadata's validation; store nothing")
	f.BoolVar(&opts.Yes, "yes", false, "store without asking for confirmation")
	f.BoolVar(&opts.Force, "force", false, "store even when OpenMetadata's validation fails, or when nothing seems to change (the server masks the secret)")
	f.BoolVar(&opts.JSON, "json", false, "write the result to stdout as JSON")
	_ = cmd.MarkFlagFilename("answers", "yaml", "yml")
	_ = cmd.MarkFlagDirname("out")
	for _, name := range []string{"om-url", "domain", "client-id", "client-secret", "api-token", "om-token", "om-admin-email"} {
		completeValues(cmd, name)
	}
	return cmd
}

func applyRun(ctx context.Context, opts *ApplyOptions) error {
	ios := opts.IO
	in := apply.Inputs{Connect: opts.Connect, HTTPClient: opts.HTTPClient}
	cfg, missing, err := resolveDeployment(ios, opts.Flags, opts.AnswersPath, &in.AnswersPath, nil)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return usageErrorf("%w\nGive them as flags, environment variables or in the answers file of the setup run (--answers); see 'om-auth0 apply --help'.",
			setup.MissingError(missing))
	}
	in.Config = cfg
	if in.OMToken, in.OMAdminEmail, in.OMAdminPassword, err = omCredential(ios, opts.OMToken, opts.OMAdminEmail); err != nil {
		return err
	}
	if err := requireOMCredential("apply", in.OMToken, in.OMAdminEmail); err != nil {
		return err
	}
	res, err := runApply(ctx, ios, in, applyChoices{DryRun: opts.DryRun, Yes: opts.Yes, Force: opts.Force, JSON: opts.JSON,
		Prompt: !opts.NoInput && ios.CanPrompt(), Confirm: opts.Confirm})
	if opts.JSON {
		if jerr := writeJSON(ios.Out, res); jerr != nil && err == nil {
			err = jerr
		}
	}
	return err
}

// applyChoices are how an apply runs, from `apply` or `setup --apply`.
type applyChoices struct {
	DryRun, Yes, Force, JSON bool
	// Prompt reports whether the confirmation may be asked on the terminal.
	Prompt  bool
	Confirm func(ctx context.Context, p *apply.Plan) (bool, error) // nil: huh on stderr
}

// runApply runs apply.Run with the command's streams and confirmation,
// and maps its outcome to the exit codes; the caller writes the --json result.
func runApply(ctx context.Context, ios *iostreams.IOStreams, in apply.Inputs, c applyChoices) (*apply.Result, error) {
	report := ios.Out
	if c.JSON {
		report = ios.ErrOut
	}
	opts := apply.RunOptions{DryRun: c.DryRun, Force: c.Force, Progress: ios.ErrOut, Report: report, ASCII: !ios.ColorEnabled()}
	if !c.Yes {
		opts.Confirm = confirmApply(ios, c)
	}
	res, err := apply.Run(ctx, in, opts)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, apply.ErrDeclined):
		fmt.Fprintln(ios.ErrOut, "Nothing was stored: you answered No.")
		return res, fmt.Errorf("%w: %w", ErrInterrupted, err)
	case ctx.Err() != nil:
		return res, fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	return res, asUsage(err)
}

// confirmApply asks before anything is stored: a huh Confirm on stderr,
// default No, when a prompt is possible; else a usage error naming --yes.
func confirmApply(ios *iostreams.IOStreams, c applyChoices) func(context.Context, *apply.Plan) error {
	return func(ctx context.Context, p *apply.Plan) error {
		if !c.Prompt {
			return usageErrorf("storing OpenMetadata's SSO settings needs a confirmation, and there is no terminal to ask on: " +
				"pass --yes to store them (nothing was stored; --dry-run shows the plan)")
		}
		ask := c.Confirm
		if ask == nil {
			ask = func(ctx context.Context, p *apply.Plan) (bool, error) {
				ok := false
				title := fmt.Sprintf("Store these SSO settings in OpenMetadata at %s?", p.OMURL)
				form := huh.NewForm(huh.NewGroup(huh.NewConfirm().Title(title).
					Description("Users sign in with Auth0 application " + p.App.ClientID + " from now on.").
					Affirmative("Store").Negative("No").Value(&ok))).
					WithInput(ios.In).WithOutput(ios.ErrOut).WithAccessible(truthy(ios.Getenv("ACCESSIBLE")))
				err := form.RunWithContext(ctx)
				if errors.Is(err, huh.ErrUserAborted) {
					return false, nil
				}
				return ok, err
			}
		}
		ok, err := ask(ctx, p)
		switch {
		case err != nil:
			return fmt.Errorf("ask for confirmation: %w", err)
		case !ok:
			return apply.ErrDeclined
		}
		return nil
	}
}

// requireOMCredential refuses, before anything is done, a command that
// applies without an OpenMetadata administrator credential.
func requireOMCredential(command, token, email string) error {
	if token == "" && email == "" {
		return usageErrorf("%s needs an OpenMetadata administrator: give --om-token (or %s), or --om-admin-email with the password in %s",
			command, envOMAdminToken, envOMAdminPassword)
	}
	return nil
}

// setupApplyInputs are the inputs of a non-interactive setup --apply (nil
// without it), checked before setup changes anything: an OpenMetadata
// administrator credential, and --yes, as nothing is asked. A dry run
// applies nothing.
func setupApplyInputs(opts *SetupOptions, cfg *setup.Config) (*apply.Inputs, error) {
	if !cfg.Apply {
		return nil, nil
	}
	if opts.DryRun {
		fmt.Fprintln(opts.IO.ErrOut, "--apply: a dry run stores nothing in OpenMetadata; once setup has run, om-auth0 apply --dry-run shows OpenMetadata's plan")
		return nil, nil
	}
	in := &apply.Inputs{Connect: opts.Connect, HTTPClient: opts.HTTPClient}
	var err error
	if in.OMToken, in.OMAdminEmail, in.OMAdminPassword, err = omCredential(opts.IO, opts.OMToken, opts.OMAdminEmail); err != nil {
		return nil, err
	}
	if err := requireOMCredential("--apply", in.OMToken, in.OMAdminEmail); err != nil {
		return nil, err
	}
	if !opts.Yes {
		return nil, usageErrorf("--apply stores OpenMetadata's SSO settings, which needs a confirmation, and a non-interactive setup asks nothing: " +
			"pass --yes with --apply (nothing was changed)")
	}
	return in, nil
}

// setupApply is the apply after a successful setup --apply, on the
// configuration setup ended with; nothing for OpenMetadata before 1.10,
// whose files the next steps apply.
func setupApply(ctx context.Context, opts *SetupOptions, cfg *setup.Config, in *apply.Inputs) (*apply.Result, error) {
	if in == nil {
		return nil, nil
	}
	ios := opts.IO
	if v := cfg.Choices.Version; v != (openmetadata.Version{}) && !v.SettingsInDatabase() {
		fmt.Fprintf(ios.ErrOut, "--apply: OpenMetadata %s reads its SSO settings from its files, not its database: apply the files as the next steps say\n", v)
		return nil, nil
	}
	in.Config = cfg
	in.AnswersPath = filepath.Join(cfg.Out, setup.AnswersFile)
	fmt.Fprintf(ios.ErrOut, "\nApplying the settings to OpenMetadata at %s (--apply)…\n", cfg.Choices.OMURL)
	return runApply(ctx, ios, *in, applyChoices{Yes: true, JSON: opts.JSON})
}

// withApply is setup's --json result with apply's beside it, under "apply".
func withApply(res *setup.Result, applied *apply.Result) any {
	if applied == nil {
		return res
	}
	return struct {
		*setup.Result
		Apply *apply.Result `json:"apply"`
	}{res, applied}
}
