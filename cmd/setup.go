package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/termtext"
	"github.com/om-auth0/om-auth0/wizard"
)

// SetupOptions are `om-auth0 setup`'s dependencies and flags.
type SetupOptions struct {
	IO *iostreams.IOStreams
	// Connect connects to the tenant; steps.Connect by default.
	Connect setup.ConnectFunc
	// HTTPClient asks OpenMetadata for its version; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Wizard is the interactive path; wizard.Run by default.
	Wizard func(context.Context, wizard.Options) (*setup.Result, error)

	// Flags holds the answers and secrets given on the command line.
	Flags       setup.Layer
	AnswersPath string

	NoInput       bool
	DryRun        bool
	Yes           bool
	Force         bool
	JSON          bool
	RevealSecrets bool
	Accessible    bool

	// The OpenMetadata administrator of --apply.
	OMToken      string
	OMAdminEmail string
}

const setupExample = `  # Interactive: the wizard asks for whatever it is not given
  om-auth0 setup

  # Scripted: the Management API secret comes from the environment, never from argv
  export AUTH0_DOMAIN=acme.us.auth0.com AUTH0_CLIENT_ID=uJ0mGn3q…
  export AUTH0_CLIENT_SECRET=…
  om-auth0 setup --no-input --om-url https://openmetadata.acme.com --om-version 1.6.4 \
      --target docker --admin alice --admin bob --principal-domain acme.com

  # See what would change in Auth0, and which files would be written; change nothing
  om-auth0 setup --no-input --dry-run --answers ./openmetadata-auth0/answers.yaml

  # Replay an earlier run (answers.yaml holds no secret) and keep a machine-readable result
  om-auth0 setup --answers ./openmetadata-auth0/answers.yaml --json > result.json

  # Read the secret from a secret manager through stdin
  vault kv get -field=secret secret/auth0-om | om-auth0 setup --client-secret - --answers answers.yaml`

const setupLong = `Set up Auth0 single sign-on for OpenMetadata: create or update the Auth0
application behind OpenMetadata's sign-in page, optionally the ingestion
service account and its Management API grant, verify them, and write the
configuration for Docker, bare metal or Kubernetes and the ingestion
workflowConfig into the output folder, with answers.yaml for a replay.

Running it again with the same answers changes nothing in Auth0 and rewrites
no file. A file you changed since om-auth0 wrote it is kept, and the new
version is written beside it as <file>.new (--force overwrites it instead).
A re-run into the same --out reads the applications by the ids its
answers.yaml recorded (same tenant and --om-url only), not the whole tenant.

Each value comes from, in this order: a flag, its environment variable, the
answers file (--answers), a prompt, a default. Prompts appear only when stdin
and stderr are terminals and --no-input is not given; otherwise every missing
value is named at once and nothing is done.

Secrets (--client-secret, --api-token, --ingestion-jwt) are best given with
their environment variables or as "-" to read one from stdin: a value on the
command line works, but other users can read it in the process list. Secrets
never go into answers.yaml, --json output or progress lines, unless
--reveal-secrets.

With --json, the result goes to stdout as JSON and everything meant for a
person goes to stderr.

Exit status: 0 done; 1 an Auth0 or I/O failure (the message names what failed
and what was already created); 2 bad usage or input (nothing was changed or
written); 130 interrupted.`

// NewCmdSetup builds `om-auth0 setup`. runF replaces the run in tests.
func NewCmdSetup(ios *iostreams.IOStreams, runF func(context.Context, *SetupOptions) error) *cobra.Command {
	opts := &SetupOptions{
		IO: ios,
		Connect: func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
			return steps.Connect(ctx, req, steps.Options{})
		},
		Wizard: wizard.Run,
		Flags:  setup.Layer{Source: setup.FromFlags},
	}
	a, sec := &opts.Flags.Answers, &opts.Flags.Secrets
	applyFlag := false
	cmd := &cobra.Command{
		Use:     "setup [flags]",
		Short:   "Set up Auth0 SSO for OpenMetadata (the wizard; --no-input for scripts)",
		Long:    setupLong,
		Example: setupExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("accessible") {
				opts.Accessible = truthy(ios.Getenv("ACCESSIBLE"))
			}
			if err := readSecretFlags(ios, append(credentialSecrets(sec),
				secretFlag{"ingestion-jwt", "OM_INGESTION_BOT_JWT", &sec.IngestionJWT},
				secretFlag{"om-token", envOMAdminToken, &opts.OMToken})...); err != nil {
				return err
			}
			if cmd.Flags().Changed("apply") {
				a.Apply = &applyFlag
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return setupRun(cmd.Context(), opts)
		},
	}

	f := cmd.Flags()
	f.SortFlags = false
	addDomainFlag(f, a)
	addCredentialFlags(f, a, sec)
	addServerFlags(f, a, "asked from the server, else "+openmetadata.Newest.String())
	f.StringVar(&a.AppName, "app-name", "", "UI application name (default "+setup.DefaultAppName+"); renames the application om-auth0 set up for this --om-url when it has another name")
	f.StringVar(&a.AppID, "app-id", "", "reuse this existing application (its client id) instead of finding or creating one")
	f.StringVar(&a.ServiceAccount, "service-account", "", "separate, same or skip (default separate for OpenMetadata 1.0 and earlier, else skip)")
	f.StringVar(&a.BotAppName, "bot-app-name", "", "name of the separate service-account application (default "+setup.DefaultBotAppName+")")
	f.StringArrayVar(&a.Scopes, "scopes", nil, "Management API scopes for the service account, comma separated (default none)")
	addOutputFlags(f, a, &sec.IngestionJWT)
	addForceFlag(f, &opts.Force)
	f.StringVar(&opts.AnswersPath, "answers", "", "read answers (YAML, no secrets) from this file, like a previous run's answers.yaml")
	f.BoolVar(&opts.NoInput, "no-input", false, "never prompt; fail naming every missing value (on when stdin is not a terminal)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the planned Auth0 changes and files; change and write nothing (never prompts)")
	f.BoolVar(&opts.Yes, "yes", false, "apply without asking for confirmation, also changes that break something")
	f.BoolVar(&opts.JSON, "json", false, "write a machine-readable result to stdout")
	f.BoolVar(&opts.RevealSecrets, "reveal-secrets", false, "show secrets on screen and in --json")
	f.BoolVar(&opts.Accessible, "accessible", false, "line-by-line prompts for screen readers [$ACCESSIBLE]")
	f.BoolVar(&applyFlag, "apply", false, "then put the settings into the running OpenMetadata (1.10+) over its API, as om-auth0 apply does; needs --yes without a terminal")
	addOMCredentialFlags(f, &opts.OMToken, &opts.OMAdminEmail)

	completeConfigFlags(cmd)
	completeValues(cmd, "service-account", "separate", "same", "skip")
	for _, name := range []string{"client-id", "client-secret", "api-token", "app-name", "app-id", "bot-app-name", "scopes", "om-token", "om-admin-email"} {
		completeValues(cmd, name)
	}
	_ = cmd.MarkFlagFilename("answers", "yaml", "yml")
	return cmd
}

// addSetupCommands registers setup and render, and makes the root command
// itself run setup with the same flags (`om-auth0` = `om-auth0 setup`).
func addSetupCommands(root *cobra.Command, ios *iostreams.IOStreams) {
	setupCmd := NewCmdSetup(ios, nil)
	root.AddCommand(setupCmd, NewCmdRender(ios, nil))
	root.Flags().AddFlagSet(setupCmd.Flags())
	root.Flags().SortFlags = false
	root.Args = noArgs
	root.RunE = setupCmd.RunE
	root.Example = setupExample
	root.ValidArgsFunction = cobra.NoFileCompletions
	// Flag completions are registered per command; the root shares setup's flags.
	setupCmd.Flags().VisitAll(func(f *pflag.Flag) {
		if fn, ok := setupCmd.GetFlagCompletionFunc(f.Name); ok {
			_ = root.RegisterFlagCompletionFunc(f.Name, fn)
		}
	})
}

// truthy reads a boolean environment variable: any value but a false one is true.
func truthy(s string) bool {
	s = strings.TrimSpace(s)
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	return s != ""
}

// resolveConfig resolves the answers from the flags, the environment and
// the answers file (when given), in that order; see setup.Resolve.
func resolveConfig(ios *iostreams.IOStreams, flags setup.Layer, answersPath string) (*setup.Config, []string, error) {
	layers := []setup.Layer{flags, setup.EnvLayer(ios.Getenv)}
	if answersPath != "" {
		file, err := setup.FileLayer(answersPath)
		if err != nil {
			return nil, nil, asUsage(err)
		}
		layers = append(layers, file)
	}
	cfg, missing, err := setup.Resolve(layers...)
	if err != nil {
		return nil, nil, asUsage(err)
	}
	return cfg, missing, nil
}

// previousRun is what answers.yaml in the output folder out recorded, for
// a re-run without --answers to read the applications by id (see
// setup.Config.UsePrevious); nil when there is none. The file is only a
// hint: one that cannot be used is named in a warning and ignored.
func previousRun(ios *iostreams.IOStreams, out string) *setup.PreviousRun {
	path, found := outAnswers(out)
	if !found {
		return nil
	}
	p, err := setup.ReadPreviousRun(path)
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "warning: the ids a previous run recorded are not used (the tenant is listed instead): %s\n", termtext.Clean(err.Error()))
		return nil
	}
	return p
}

// setupRun resolves the answers, then runs the wizard when it may prompt and
// the non-interactive setup otherwise.
func setupRun(ctx context.Context, opts *SetupOptions) error {
	ios := opts.IO
	cfg, missing, err := resolveConfig(ios, opts.Flags, opts.AnswersPath)
	if err != nil {
		return err
	}
	if opts.AnswersPath == "" {
		// The wizard may still change the tenant and the URL: it calls
		// UsePrevious again once they are final.
		cfg.Previous = previousRun(ios, cfg.Out)
		cfg.UsePrevious()
	}
	detect := func(ctx context.Context, omURL string) (openmetadata.Version, error) {
		return setup.DetectVersion(ctx, opts.HTTPClient, omURL)
	}

	if !opts.NoInput && !opts.DryRun && ios.CanPrompt() {
		res, err := opts.Wizard(ctx, wizard.Options{
			IO:            ios,
			Config:        cfg,
			Connect:       opts.Connect,
			DetectVersion: detect,
			Check: func(ctx context.Context, in doctor.Inputs) doctor.Report {
				in.HTTPClient = opts.HTTPClient
				return doctor.Run(ctx, in)
			},
			Apply: func(ctx context.Context, in apply.Inputs) (*apply.Session, *apply.Plan, error) {
				in.HTTPClient = opts.HTTPClient
				return apply.Prepare(ctx, in)
			},
			OMAdminToken:  opts.OMToken,
			Accessible:    opts.Accessible,
			Yes:           opts.Yes,
			Force:         opts.Force,
			RevealSecrets: opts.RevealSecrets,
		})
		if errors.Is(err, context.Canceled) {
			// The wizard has said what was created; Main says "Interrupted.".
			return ErrInterrupted
		}
		if opts.JSON && res != nil {
			if jerr := writeJSON(ios.Out, res); jerr != nil && err == nil {
				err = jerr
			}
		}
		return asUsage(err)
	}

	if len(missing) > 0 {
		return usageErrorf("%w\nGive them as flags, environment variables or in an answers file (--answers); see 'om-auth0 setup --help'.", setup.MissingError(missing))
	}
	applyIn, err := setupApplyInputs(opts, cfg)
	if err != nil {
		return err
	}
	report := ios.Out
	if opts.JSON {
		report = ios.ErrOut
	}
	res, err := guide.Run(ctx, cfg, opts.Connect, guide.Options{
		DryRun:        opts.DryRun,
		Yes:           opts.Yes,
		Force:         opts.Force,
		RevealSecrets: opts.RevealSecrets,
		DetectVersion: detect,
		Progress:      ios.ErrOut,
		Report:        report,
		Width:         iostreams.Width(report),
		ASCII:         !ios.ColorEnabled(),
	})
	var applied *apply.Result
	if err == nil {
		applied, err = setupApply(ctx, opts, cfg, applyIn)
	}
	if opts.JSON {
		if jerr := writeJSON(ios.Out, withApply(res, applied)); jerr != nil && err == nil {
			err = jerr
		}
	}
	if err != nil && ctx.Err() != nil {
		var re *setup.RunError
		if errors.As(err, &re) && len(re.Created) > 0 {
			fmt.Fprint(ios.ErrOut, present.Created(present.Plain(!ios.ColorEnabled()), re.Created))
		}
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	return asUsage(err)
}
