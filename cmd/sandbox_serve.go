package cmd

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/sandbox"
)

// sandboxAppName is the pre-made Management API application of `sandbox serve`.
const sandboxAppName = "om-auth0 (sandbox)"

// newSandboxServeCmd builds `om-auth0 sandbox serve`: only the simulated
// tenant, for running `om-auth0 setup` (or anything else) against it.
func newSandboxServeCmd(ios *iostreams.IOStreams) *cobra.Command {
	var (
		addr      string
		rateLimit int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run only the simulated Auth0 tenant and OpenMetadata",
		Long: `Run the simulated Auth0 tenant on a loopback address until Ctrl+C.

It prints the tenant's domain and the client id and secret of a Machine-to-Machine
application, "` + sandboxAppName + `", that holds exactly the Management API scopes
om-auth0 needs, with the command line to point om-auth0 setup at it.
Beside it runs a simulated OpenMetadata ` + sandboxOMVersion + ` (a fresh installation signing in
with basic auth); its URL and an administrator's token (for OM_ADMIN_TOKEN) are printed too.
This is a simulation: nothing real is created.`,
		Example: `  om-auth0 sandbox serve
  om-auth0 sandbox serve --addr 127.0.0.1:4000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := sandbox.CheckAddr(addr); err != nil {
				return usageErrorf("--addr: %w", err)
			}
			srv, err := sandbox.Start(sandbox.Options{Addr: addr, RateLimit: rateLimit})
			if err != nil {
				return fmt.Errorf("start the simulated tenant: %w", err)
			}
			defer srv.Close()
			om, err := startSandboxOpenMetadata(srv)
			if err != nil {
				return err
			}
			defer om.Close()
			// `om-auth0 remove` works against it too.
			id, secret := srv.CreateM2MApp(sandboxAppName, append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...))

			if _, err := fmt.Fprintln(ios.ErrOut, "This is a simulation; nothing real is created. Press Ctrl+C to stop."); err != nil {
				return err
			}
			if _, err := fmt.Fprintf(ios.Out, "Domain:        %s\nClient ID:     %s\nClient Secret: %s\nOpenMetadata:  %s (simulated %s)\nOM token:      %s\n\nAUTH0_DOMAIN=%s AUTH0_CLIENT_ID=%s AUTH0_CLIENT_SECRET=%s %s\n",
				srv.URL(), id, secret, om.URL(), om.Version(), om.AdminToken(), srv.URL(), id, secret, present.Invocation("setup")); err != nil {
				return err
			}
			<-cmd.Context().Done()
			// Ctrl+C is how this command ends: a clean exit, not an interruption.
			if err := om.Close(); err != nil {
				return err
			}
			return srv.Close()
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "loopback `host:port` to listen on (port 0 picks a free port)")
	cmd.Flags().IntVar(&rateLimit, "rate-limit", 0, "Management API budget in `requests/s` (0: like Auth0, 15/s with bursts of 50; negative: unlimited)")
	return cmd
}
