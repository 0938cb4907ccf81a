package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/wizard"
)

// SandboxOptions are `om-auth0 sandbox`'s dependencies and flags.
type SandboxOptions struct {
	IO            *iostreams.IOStreams
	Out           string
	OMURL         string
	Accessible    bool
	RevealSecrets bool
	// TLS serves the simulated tenant over https, the path real tenants take.
	TLS bool
	// StateFile, when set, receives the simulated tenant's applications and
	// client grants, and the simulated OpenMetadata's stored SSO settings,
	// as JSON when the wizard ends (hidden; for tests and demos).
	StateFile string
}

// newSandboxCmd builds `om-auth0 sandbox`: the wizard against a simulated
// Auth0 tenant started on loopback, with its Management credentials filled in.
func newSandboxCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &SandboxOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "sandbox [flags]",
		Short: "Try the wizard against a simulated Auth0 tenant",
		Long: `Run the setup wizard against a simulated Auth0 tenant on a loopback address.

The simulation starts with a Machine-to-Machine application that holds exactly
the Management API scopes om-auth0 needs, and the wizard is connected to it.
Everything else is as with a real tenant: the same questions, the same Auth0
calls, the same files. Nothing real is created in Auth0; the files are real.`,
		Example: `  om-auth0 sandbox
  om-auth0 sandbox --out /tmp/om-auth0-try --om-url https://openmetadata.acme.internal
  om-auth0 sandbox --tls     # over https, with a certificate only this run trusts
  om-auth0 sandbox serve     # only the simulated tenant, for om-auth0 setup`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("accessible") {
				opts.Accessible = truthy(ios.Getenv("ACCESSIBLE"))
			}
			return sandboxRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", setup.DefaultOut, "output `folder` for the configuration files")
	f.StringVar(&opts.OMURL, "om-url", "", "OpenMetadata base `URL` (the wizard asks, with this as the default; default the simulated OpenMetadata's)")
	f.BoolVar(&opts.Accessible, "accessible", false, "line-by-line prompts for screen readers [$ACCESSIBLE]")
	f.BoolVar(&opts.RevealSecrets, "reveal-secrets", false, "show secrets on screen")
	f.BoolVar(&opts.TLS, "tls", false, "serve the simulated tenant over https (a self-signed certificate trusted by this run only)")
	f.StringVar(&opts.StateFile, "state-file", "", "write the simulated tenant's applications and grants to this JSON `file` at the end")
	_ = f.MarkHidden("state-file")
	cmd.AddCommand(newSandboxServeCmd(ios))
	return cmd
}

// sandboxState is what --state-file holds.
type sandboxState struct {
	Clients      []sandbox.ClientState `json:"clients"`
	ClientGrants []sandbox.GrantState  `json:"client_grants"`
	// OpenMetadata is the simulated OpenMetadata's stored SSO settings.
	OpenMetadata *omsim.SecurityConfig `json:"openmetadata_settings,omitempty"`
}

func sandboxRun(ctx context.Context, opts *SandboxOptions) error {
	ios := opts.IO
	if !opts.Accessible && !ios.CanPrompt() {
		return usageErrorf("om-auth0 sandbox is interactive and needs a terminal; use --accessible for line-by-line prompts")
	}
	srv, err := sandbox.Start(sandbox.Options{TLS: opts.TLS})
	if err != nil {
		return fmt.Errorf("start the simulated tenant: %w", err)
	}
	defer srv.Close()
	om, err := startSandboxOpenMetadata(srv)
	if err != nil {
		return err
	}
	defer om.Close()
	if opts.OMURL == "" {
		opts.OMURL = om.URL()
	}
	id, secret := srv.CreateM2MApp(sandboxAppName, sandbox.WizardScopes)
	fmt.Fprintf(ios.ErrOut, "Simulated Auth0 tenant at %s. Nothing real is created in Auth0.\n", srv.URL())

	cfg := &setup.Config{
		Connect: steps.ConnectRequest{Domain: srv.Domain(), ClientID: id, ClientSecret: secret},
		Choices: steps.Choices{OMURL: opts.OMURL},
		Out:     opts.Out,
	}
	_, err = wizard.Run(ctx, wizard.Options{
		IO:     ios,
		Config: cfg,
		Connect: func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
			// srv.HTTPClient trusts the simulated tenant's certificate with --tls, and is a plain client without.
			s, err := steps.Connect(ctx, req, steps.Options{HTTPClient: srv.HTTPClient()})
			if err != nil {
				return nil, err
			}
			return s, nil
		},
		DetectVersion: func(ctx context.Context, omURL string) (openmetadata.Version, error) {
			return setup.DetectVersion(ctx, nil, omURL)
		},
		Check: func(ctx context.Context, in doctor.Inputs) doctor.Report {
			if in.Config == nil || in.Config.Choices.OMURL != om.URL() {
				// The simulated server's admin token is for it alone.
				in.OMToken = ""
			}
			in.HTTPClient = srv.HTTPClient()
			return doctor.Run(ctx, in)
		},
		Apply: func(ctx context.Context, in apply.Inputs) (*apply.Session, *apply.Plan, error) {
			if in.OMToken == om.AdminToken() && (in.Config == nil || in.Config.Choices.OMURL != om.URL()) {
				in.OMToken = "" // for the simulated server alone, as the check's
			}
			in.HTTPClient = srv.HTTPClient()
			return apply.Prepare(ctx, in)
		},
		OMAdminToken:  om.AdminToken(),
		Accessible:    opts.Accessible,
		RevealSecrets: opts.RevealSecrets,
		Sandbox:       true,
	})
	if opts.StateFile != "" {
		if serr := writeSandboxState(opts.StateFile, srv, om); serr != nil && err == nil {
			err = serr
		}
	}
	if errors.Is(err, context.Canceled) {
		return ErrInterrupted
	}
	return err
}

// sandboxOMVersion is the version of the simulated OpenMetadata beside the
// sandbox tenant: one that keeps its settings in its database, as current
// releases do.
const sandboxOMVersion = "2.0.2"

// startSandboxOpenMetadata starts the simulated OpenMetadata of the
// sandbox commands: a fresh installation, signing in with basic auth. Its
// settings validator reaches the tenant with the tenant's own client,
// which trusts its certificate with --tls.
func startSandboxOpenMetadata(tenant *sandbox.Server) (*omsim.Server, error) {
	om, err := omsim.Start(omsim.Options{Version: sandboxOMVersion, HTTPClient: tenant.HTTPClient()})
	if err != nil {
		return nil, fmt.Errorf("start the simulated OpenMetadata: %w", err)
	}
	return om, nil
}

// writeSandboxState dumps the tenant's applications and grants, and
// OpenMetadata's settings. They hold (simulated) secrets, so the file is private.
func writeSandboxState(path string, srv *sandbox.Server, om *omsim.Server) error {
	settings := om.Settings()
	data, err := json.MarshalIndent(sandboxState{Clients: srv.Clients(), ClientGrants: srv.ClientGrants(), OpenMetadata: &settings}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode the sandbox state: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("write the sandbox state: %w", err)
	}
	return nil
}
