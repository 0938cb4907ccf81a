package cmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
)

// The flags setup and render share, in three groups so that each command
// can list its flags in the order of the guide.

// addDomainFlag defines --domain.
func addDomainFlag(f *pflag.FlagSet, a *answers.Answers) {
	f.StringVar(&a.Domain, "domain", "", "Auth0 tenant domain, like acme.us.auth0.com [$AUTH0_DOMAIN]")
}

// addCredentialFlags defines the Management API credentials.
func addCredentialFlags(f *pflag.FlagSet, a *answers.Answers, sec *answers.Secrets) {
	f.StringVar(&a.ClientID, "client-id", "", "Management API application's client id [$AUTH0_CLIENT_ID]")
	f.StringVar(&sec.ClientSecret, "client-secret", "", "Management API application's client secret, or - to read it from stdin [$AUTH0_CLIENT_SECRET]")
	f.StringVar(&sec.APIToken, "api-token", "", "Management API token, instead of client credentials; - reads stdin [$AUTH0_API_TOKEN]")
}

// addDeploymentFlags defines the flags of the commands that act on what a
// setup run made (doctor, apply): where OpenMetadata runs, the setup run's
// answers and output folder, the tenant and its credentials, and an
// OpenMetadata admin credential.
func addDeploymentFlags(f *pflag.FlagSet, a *answers.Answers, sec *answers.Secrets, answersPath, omToken, omAdminEmail *string) {
	f.StringVar(&a.OMURL, "om-url", "", "OpenMetadata base URL (default: the answers', else "+setup.DefaultOMURL+") [$OM_URL]")
	f.StringVar(answersPath, "answers", "", "the answers file of the setup run (default answers.yaml in --out)")
	f.StringVar(&a.Out, "out", "", "the output folder of the setup run (default "+setup.DefaultOut+")")
	addDomainFlag(f, a)
	addCredentialFlags(f, a, sec)
	addOMCredentialFlags(f, omToken, omAdminEmail)
}

// credentialSecrets are the Management API credential flags that "-" reads
// from stdin (readSecretFlags), with their environment variables.
func credentialSecrets(sec *answers.Secrets) []secretFlag {
	return []secretFlag{
		{"client-secret", "AUTH0_CLIENT_SECRET", &sec.ClientSecret},
		{"api-token", "AUTH0_API_TOKEN", &sec.APIToken},
	}
}

// deploymentSecrets are the secrets doctor and apply read from a flag, its
// environment variable or stdin: the Management API credential and
// OpenMetadata's admin token.
func deploymentSecrets(sec *answers.Secrets, omToken *string) []secretFlag {
	return append(credentialSecrets(sec), secretFlag{"om-token", envOMAdminToken, omToken})
}

// addOMURLFlag defines --om-url.
func addOMURLFlag(f *pflag.FlagSet, a *answers.Answers) {
	f.StringVar(&a.OMURL, "om-url", "", "OpenMetadata base URL (default "+setup.DefaultOMURL+") [$OM_URL]")
}

// addServerFlags defines where OpenMetadata runs and how it signs users in.
func addServerFlags(f *pflag.FlagSet, a *answers.Answers, versionDefault string) {
	addOMURLFlag(f, a)
	f.StringVar(&a.OMVersion, "om-version", "", "OpenMetadata version, like 1.6.4 (default "+versionDefault+") [$OM_VERSION]")
	f.StringVar(&a.ClientType, "client-type", "", "public (Single Page App) or confidential (Regular Web App, OpenMetadata 1.5+) (default public)")
}

// addOutputFlags defines who administers OpenMetadata and what to write.
func addOutputFlags(f *pflag.FlagSet, a *answers.Answers, ingestionJWT *string) {
	f.StringArrayVar(&a.Targets, "target", nil, render.TargetNames("all")+"; repeatable (default all)")
	f.StringVar(&a.Namespace, "namespace", "", "Kubernetes namespace of OpenMetadata's Helm release, for the Secret and the printed commands (default "+render.DefaultNamespace+")")
	f.StringVar(&a.Release, "release", "", "name of OpenMetadata's Helm release, for the printed commands (default "+render.DefaultRelease+")")
	f.StringArrayVar(&a.Admins, "admin", nil, "admin: an email address (its domain is then the principal domain) or its local part; repeatable")
	f.StringVar(&a.PrincipalDomain, "principal-domain", "", "principal domain, the domain of the admins' email addresses")
	f.StringVar(ingestionJWT, "ingestion-jwt", "", "ingestion-bot JWT for OpenMetadata 1.1+ ingestion, or - to read it from stdin [$OM_INGESTION_BOT_JWT]")
	f.StringVar(&a.Out, "out", "", "output folder (default "+setup.DefaultOut+")")
}

// addForceFlag defines --force.
func addForceFlag(f *pflag.FlagSet, force *bool) {
	f.BoolVar(force, "force", false, "overwrite output files changed since om-auth0 wrote them (by default they are kept and the new version goes beside them as .new)")
}

// completeValues offers fixed values for a flag's shell completion.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// completeConfigFlags registers the completions of the shared flags.
func completeConfigFlags(cmd *cobra.Command) {
	completeValues(cmd, "client-type", "public", "confidential")
	targets := []string{"all"}
	for _, t := range render.AllTargets {
		targets = append(targets, string(t))
	}
	completeValues(cmd, "target", targets...)
	completeValues(cmd, "om-version", "2.0.0", "1.10.0", "1.6.4", "1.3.0", "1.0.2")
	_ = cmd.MarkFlagDirname("out")
	for _, f := range []string{"domain", "om-url", "namespace", "release", "admin", "principal-domain", "ingestion-jwt"} {
		completeValues(cmd, f)
	}
}

// secretFlag is a flag that holds a secret.
type secretFlag struct {
	name  string  // flag name, without dashes
	env   string  // the environment variable that is the better way to give it
	value *string // the flag's value
}

// maxStdinSecret bounds a secret read from stdin: client secrets are 64
// characters and JWTs a few KiB, so more is the wrong input (a file, an
// endless stream), refused rather than cut.
const maxStdinSecret = 64 << 10

// readSecretFlags resolves secrets given on the command line: "-" reads the
// secret from stdin (one secret at most), and a literal secret is accepted
// with a warning, as other users of the machine can see it in the process list.
func readSecretFlags(ios *iostreams.IOStreams, flags ...secretFlag) error {
	stdinBy := ""
	for _, f := range flags {
		switch *f.value {
		case "":
		case "-":
			if stdinBy != "" {
				return usageErrorf("--%s - and --%s - both read stdin: read one secret from stdin, give the other with its environment variable", stdinBy, f.name)
			}
			stdinBy = f.name
			data, err := io.ReadAll(io.LimitReader(ios.In, maxStdinSecret+1))
			if err != nil {
				return fmt.Errorf("read --%s from stdin: %w", f.name, err)
			}
			if len(data) > maxStdinSecret {
				return usageErrorf("--%s -: stdin holds more than %d KiB, and a secret is far shorter: pipe in only the secret, like `printenv %s | om-auth0 … --%s -`",
					f.name, maxStdinSecret>>10, f.env, f.name)
			}
			*f.value = strings.TrimSpace(string(data))
			if *f.value == "" {
				return usageErrorf("--%s -: stdin was empty: pipe the secret in, like `printenv %s | om-auth0 … --%s -`", f.name, f.env, f.name)
			}
		default:
			fmt.Fprintf(ios.ErrOut, "warning: --%s on the command line is visible to other users in the process list; "+
				"prefer %s, or --%s - to read it from stdin\n", f.name, f.env, f.name)
		}
	}
	return nil
}

// asUsage turns the setup package's input errors into usage errors (exit 2).
func asUsage(err error) error {
	var ie *setup.InputError
	var ue *UsageError
	if err != nil && errors.As(err, &ie) && !errors.As(err, &ue) {
		return &UsageError{Err: err}
	}
	return err
}

// writeJSON writes v to w as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write the JSON result: %w", err)
	}
	return nil
}

// noArgs is cobra.NoArgs as a usage error.
func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return &UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, cmd.CommandPath())}
	}
	return nil
}
