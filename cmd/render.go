package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// RenderOptions are `om-auth0 render`'s dependencies and flags.
type RenderOptions struct {
	IO *iostreams.IOStreams

	// Flags holds the shared configuration flags (domain, om-url, ...).
	Flags setup.Layer
	// UI is the OpenMetadata application; Bot the ≤ 1.0 ingestion service account.
	UI, Bot render.Credentials
	// ClientAuthMethod is the confidential client's token endpoint auth method.
	ClientAuthMethod string
	Force            bool
	JSON             bool
}

// Environment variables of the render-only secrets.
const (
	envUIClientSecret  = "OM_UI_CLIENT_SECRET"
	envBotClientSecret = "OM_BOT_CLIENT_SECRET"
)

const renderExample = `  # Docker configuration for an existing public (SPA) application, OpenMetadata 1.6
  om-auth0 render --domain acme.us.auth0.com --ui-client-id uJ0mGn3q… \
      --om-url https://openmetadata.acme.com --om-version 1.6.4 \
      --admin alice --principal-domain acme.com --target docker

  # A confidential client on Kubernetes; the secret comes from the environment
  export OM_UI_CLIENT_SECRET=…
  om-auth0 render --domain acme.us.auth0.com --ui-client-id uJ0mGn3q… --client-type confidential \
      --om-url https://openmetadata.acme.com --admin alice --principal-domain acme.com --target kubernetes

  # OpenMetadata 1.0: the ingestion signs in with the service account's client credentials
  printenv BOT_SECRET | om-auth0 render --domain acme.us.auth0.com --ui-client-id uJ0mGn3q… \
      --om-version 1.0.2 --bot-client-id 7hQp… --bot-client-secret - --admin alice --principal-domain acme.com`

// NewCmdRender builds `om-auth0 render`. runF replaces the run in tests.
func NewCmdRender(ios *iostreams.IOStreams, runF func(context.Context, *RenderOptions) error) *cobra.Command {
	opts := &RenderOptions{IO: ios, Flags: setup.Layer{Source: setup.FromFlags}}
	a, sec := &opts.Flags.Answers, &opts.Flags.Secrets
	cmd := &cobra.Command{
		Use:   "render [flags]",
		Short: "Write the configuration from known values, offline (no Auth0 calls)",
		Long: `Render the configuration files of OpenMetadata's Auth0 SSO from values you
already have (the Auth0 application's client id, and its secret for a
confidential client), without calling Auth0: the same files setup writes
into the output folder, except answers.yaml, then how to apply them.

Files holding a secret are written with mode 0600. A file you changed since
om-auth0 wrote it is kept, and the new version is written beside it as
<file>.new (--force overwrites it instead). Secrets are best given with
their environment variables, or "-" to read one from stdin.`,
		Example: renderExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := readSecretFlags(ios,
				secretFlag{"ui-client-secret", envUIClientSecret, &opts.UI.ClientSecret},
				secretFlag{"bot-client-secret", envBotClientSecret, &opts.Bot.ClientSecret},
				secretFlag{"ingestion-jwt", "OM_INGESTION_BOT_JWT", &sec.IngestionJWT},
			); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return renderRun(opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addDomainFlag(f, a)
	addServerFlags(f, a, openmetadata.Newest.String())
	f.StringVar(&opts.UI.ClientID, "ui-client-id", "", "client id of the Auth0 application OpenMetadata signs in with")
	f.StringVar(&opts.UI.ClientSecret, "ui-client-secret", "", "its client secret (confidential client only), or - to read it from stdin [$"+envUIClientSecret+"]")
	f.StringVar(&opts.ClientAuthMethod, "client-auth-method", openmetadata.ConfidentialAuthMethod,
		"confidential client: "+openmetadata.ConfidentialAuthMethod+" or "+openmetadata.BasicAuthMethod+
			", matching the application's Token Endpoint Authentication Method in Auth0")
	f.StringVar(&opts.Bot.ClientID, "bot-client-id", "", "OpenMetadata 1.0 and earlier: the ingestion service account's client id")
	f.StringVar(&opts.Bot.ClientSecret, "bot-client-secret", "", "OpenMetadata 1.0 and earlier: its client secret, or - to read it from stdin [$"+envBotClientSecret+"]")
	addOutputFlags(f, a, &sec.IngestionJWT)
	addForceFlag(f, &opts.Force)
	f.BoolVar(&opts.JSON, "json", false, "write a machine-readable result to stdout")
	completeConfigFlags(cmd)
	completeValues(cmd, "client-auth-method", openmetadata.ConfidentialAuthMethod, openmetadata.BasicAuthMethod)
	for _, name := range []string{"ui-client-id", "ui-client-secret", "bot-client-id", "bot-client-secret"} {
		completeValues(cmd, name)
	}
	return cmd
}

// renderResult is render's --json output. It never holds a secret.
type renderResult struct {
	Tenant      string              `json:"tenant"`
	OMURL       string              `json:"om_url"`
	OMVersion   string              `json:"om_version"`
	ClientType  string              `json:"client_type"`
	Targets     []string            `json:"targets"`
	Files       []string            `json:"files"`        // the paths of the files
	FileResults []output.FileResult `json:"file_results"` // what was done with each file: written, unchanged or kept
}

func renderRun(opts *RenderOptions) error {
	ios := opts.IO
	env := setup.EnvLayer(ios.Getenv)
	// render never talks to Auth0: Management API credentials in the environment are not its business.
	env.Answers.ClientID, env.Secrets.ClientSecret, env.Secrets.APIToken = "", "", ""
	cfg, _, err := setup.Resolve(opts.Flags, env)
	if err != nil {
		return asUsage(err)
	}
	if err := cfg.Complete(openmetadata.Newest); err != nil {
		return asUsage(err)
	}

	ui, bot := opts.UI, opts.Bot
	ui.ClientID, bot.ClientID = strings.TrimSpace(ui.ClientID), strings.TrimSpace(bot.ClientID)
	ui.ClientSecret = cmp.Or(ui.ClientSecret, strings.TrimSpace(ios.Getenv(envUIClientSecret)))
	bot.ClientSecret = cmp.Or(bot.ClientSecret, strings.TrimSpace(ios.Getenv(envBotClientSecret)))
	legacy := cfg.Choices.Version.Band() == openmetadata.BandLegacy

	missing := cfg.MissingToRender()
	if ui.ClientID == "" {
		missing = append(missing, "--ui-client-id")
	}
	if cfg.Choices.ClientType == openmetadata.Confidential && ui.ClientSecret == "" {
		missing = append(missing, "--ui-client-secret (or "+envUIClientSecret+")")
	}
	if legacy && bot.ClientID != "" && bot.ClientSecret == "" {
		missing = append(missing, "--bot-client-secret (or "+envBotClientSecret+")")
	}
	if legacy && bot.ClientID == "" && opts.Bot.ClientSecret != "" {
		missing = append(missing, "--bot-client-id")
	}
	if len(missing) > 0 {
		return usageErrorf("%w\nGive them as flags or environment variables; see 'om-auth0 render --help'.", setup.MissingError(missing))
	}
	if d := cfg.Connect.Domain; legacy && d.IsCustom() {
		fmt.Fprintf(ios.ErrOut, "warning: %s looks like a custom domain: sign-in works with it, but OpenMetadata %s's legacy ingestion "+
			"(the Auth0 service account) builds the Management API audience from the domain, which Auth0 knows only by the tenant's own "+
			"domain: give --domain like acme.us.auth0.com (Settings > General in the Auth0 dashboard shows it)\n", d.Host, cfg.Choices.Version)
	}
	if !legacy && bot.ClientID != "" {
		fmt.Fprintf(ios.ErrOut, "warning: --bot-client-id is not used: OpenMetadata %s ingestion signs in with the ingestion-bot's JWT (--ingestion-jwt)\n", cfg.Choices.Version)
	}

	uiApp := &steps.App{ClientID: ui.ClientID, ClientSecret: ui.ClientSecret}
	var sa *steps.ServiceAccount
	if legacy && bot.ClientID != "" {
		sa = &steps.ServiceAccount{Mode: steps.Separate, App: &steps.App{ClientID: bot.ClientID, ClientSecret: bot.ClientSecret}}
	}
	in := cfg.RenderInput(uiApp, sa)
	in.ClientAuthMethod = opts.ClientAuthMethod
	files, err := render.Render(in, cfg.Targets)
	var invalid *render.InvalidInputError
	if errors.As(err, &invalid) {
		return &UsageError{Err: err}
	}
	if err != nil {
		return fmt.Errorf("render the configuration: %w", err)
	}
	written, err := output.Write(cfg.Out, files, output.Options{Force: opts.Force})
	if err != nil {
		return fmt.Errorf("write the configuration into %s: %w", cfg.Out, err)
	}

	report := ios.Out
	if opts.JSON {
		report = ios.ErrOut
	}
	fmt.Fprintf(report, "Wrote the Auth0 SSO configuration for OpenMetadata %s (%s client, tenant %s).\n",
		cfg.Choices.Version, cfg.Choices.ClientType, cfg.Answers().Domain)
	setup.WriteNextSteps(report, iostreams.Width(report), cfg.Out, written, in, cfg.Targets)
	if !opts.JSON {
		return nil
	}
	res := renderResult{
		Tenant:      cfg.Answers().Domain,
		OMURL:       cfg.Choices.OMURL,
		OMVersion:   cfg.Choices.Version.String(),
		ClientType:  string(cfg.Choices.ClientType),
		Files:       output.Paths(written),
		FileResults: written,
	}
	for _, t := range cfg.Targets {
		res.Targets = append(res.Targets, string(t))
	}
	return writeJSON(ios.Out, res)
}
