package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/setup"
)

// Environment variables of OpenMetadata's admin credential.
const (
	envOMAdminToken    = "OM_ADMIN_TOKEN"
	envOMAdminPassword = "OM_ADMIN_PASSWORD"
)

// DoctorOptions are `om-auth0 doctor`'s dependencies and flags.
type DoctorOptions struct {
	IO *iostreams.IOStreams
	// Connect connects to the tenant; nil means steps.Connect.
	Connect setup.ConnectFunc
	// HTTPClient is the base client for OpenMetadata and the tenant; nil means a plain one.
	HTTPClient *http.Client

	// Flags holds the answers and Auth0 secrets given on the command line.
	Flags        setup.Layer
	AnswersPath  string
	OMToken      string
	OMAdminEmail string
	JSON         bool
}

const doctorLong = `Check a running OpenMetadata and the Auth0 tenant against each other, and
against what the output folder of om-auth0 setup says the deployment should
have. Nothing is changed anywhere: doctor only reads, asks Auth0 for tokens,
signs in to OpenMetadata and asks OpenMetadata's own validator.

What the deployment should have comes from the answers file (--answers, else
answers.yaml in --out, default ./openmetadata-auth0), flags and environment
variables, as for setup. Credentials are optional; each unlocks more checks:

  Auth0 Management API credentials (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET,
  or AUTH0_API_TOKEN): the OpenMetadata application om-auth0 manages, its
  callbacks, web origins, logout URLs and type, and the tokens OpenMetadata
  asks for.

  An OpenMetadata administrator (--om-token or OM_ADMIN_TOKEN: a personal
  access token; or --om-admin-email with OM_ADMIN_PASSWORD, while OpenMetadata
  still signs in with basic auth): on 1.10 and later the settings the server
  keeps in its database, its own validation, and on 2.1 where each setting
  comes from.

The output names the checks skipped for want of each credential. Each check
is ok, a warning or a failure with its fix on the line below. The token goes
to the --om-url host only: doctor follows no redirect.

With --json, the report goes to stdout as JSON ({checks:[{id, status,
message, fix}], om_version, ...}) and the lines for a person to stderr.

Exit status: 0 no check failed (warnings allowed); 1 a check failed; 2 bad
usage or input.`

const doctorExample = `  # After om-auth0 setup: check the deployment its output folder describes
  om-auth0 doctor

  # Another output folder, with every check: Auth0 and an OpenMetadata admin token
  export AUTH0_CLIENT_ID=uJ0mGn3q… AUTH0_CLIENT_SECRET=… OM_ADMIN_TOKEN=eyJ…
  om-auth0 doctor --answers ./prod/answers.yaml

  # Only what needs no credential, against another OpenMetadata URL
  om-auth0 doctor --om-url https://openmetadata.acme.com --domain acme.us.auth0.com

  # In a script: the report as JSON, the exit status says whether a check failed
  printenv OM_TOKEN | om-auth0 doctor --om-token - --json > doctor.json`

// NewCmdDoctor builds `om-auth0 doctor`. runF replaces the run in tests.
func NewCmdDoctor(ios *iostreams.IOStreams, runF func(context.Context, *DoctorOptions) error) *cobra.Command {
	opts := &DoctorOptions{IO: ios, Flags: setup.Layer{Source: setup.FromFlags}}
	a, sec := &opts.Flags.Answers, &opts.Flags.Secrets
	cmd := &cobra.Command{
		Use:     "doctor [flags]",
		Short:   "Check a running OpenMetadata and the Auth0 tenant against each other (read-only)",
		Long:    doctorLong,
		Example: doctorExample,
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := readSecretFlags(ios, deploymentSecrets(sec, &opts.OMToken)...); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return doctorRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.SortFlags = false
	addDeploymentFlags(f, a, sec, &opts.AnswersPath, &opts.OMToken, &opts.OMAdminEmail)
	f.BoolVar(&opts.JSON, "json", false, "write the report to stdout as JSON")
	_ = cmd.MarkFlagFilename("answers", "yaml", "yml")
	_ = cmd.MarkFlagDirname("out")
	for _, name := range []string{"om-url", "domain", "client-id", "client-secret", "api-token", "om-token", "om-admin-email"} {
		completeValues(cmd, name)
	}
	return cmd
}

func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	ios := opts.IO
	in := doctor.Inputs{Connect: opts.Connect, HTTPClient: opts.HTTPClient}
	cfg, _, err := resolveDeployment(ios, opts.Flags, opts.AnswersPath, &in.AnswersPath, &in.AnswersMissing)
	if err != nil {
		return err
	}
	in.Config = cfg
	if in.OMToken, in.OMAdminEmail, in.OMAdminPassword, err = omCredential(ios, opts.OMToken, opts.OMAdminEmail); err != nil {
		return err
	}

	fmt.Fprintf(ios.ErrOut, "Checking %s…\n", in.What())
	rep := doctor.Run(ctx, in)
	if ctx.Err() != nil {
		return ErrInterrupted
	}
	report := ios.Out
	if opts.JSON {
		report = ios.ErrOut
	}
	doctor.Write(report, rep, !ios.ColorEnabled())
	if opts.JSON {
		if err := writeJSON(ios.Out, rep); err != nil {
			return err
		}
	}
	if rep.Failed() {
		var failed []string
		for _, c := range rep.Checks {
			if c.Status == doctor.Fail {
				failed = append(failed, c.ID)
			}
		}
		return fmt.Errorf("%d check(s) failed: %s", len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// resolveDeployment resolves what a deployment should have, as doctor and
// apply read it: flags, environment, and the answers file (answersPath,
// else answers.yaml in --out when it exists). read is set to the answers
// file read; missing, when not nil, to the default one looked for and not
// found. The OpenMetadata URL is checked.
func resolveDeployment(ios *iostreams.IOStreams, flags setup.Layer, answersPath string, read, missing *string) (*setup.Config, []string, error) {
	layers := []setup.Layer{flags, setup.EnvLayer(ios.Getenv)}
	path := answersPath
	if path == "" {
		var found bool
		if path, found = outAnswers(flags.Answers.Out); !found {
			if missing != nil {
				*missing = path
			}
			path = ""
		}
	}
	if path != "" {
		file, err := setup.FileLayer(path)
		if err != nil {
			return nil, nil, asUsage(err)
		}
		layers = append(layers, file)
		*read = path
	}
	cfg, missingValues, err := setup.Resolve(layers...)
	if err != nil {
		return nil, nil, asUsage(err)
	}
	if cfg.Choices.OMURL, err = openmetadata.CheckURL(cfg.Choices.OMURL); err != nil {
		return nil, nil, usageErrorf("--om-url: %w", err)
	}
	return cfg, missingValues, nil
}

// outAnswers is the path of answers.yaml in the output folder out (the
// default one when empty), and whether there is something at that path to
// read (what there is, FileLayer checks).
func outAnswers(out string) (path string, found bool) {
	path = filepath.Join(cmp.Or(out, setup.DefaultOut), setup.AnswersFile)
	_, err := os.Stat(path)
	return path, !errors.Is(err, fs.ErrNotExist)
}

// addOMCredentialFlags defines --om-token and --om-admin-email.
func addOMCredentialFlags(f *pflag.FlagSet, token, email *string) {
	f.StringVar(token, "om-token", "", "an OpenMetadata administrator's token, or - to read it from stdin [$"+envOMAdminToken+"]")
	f.StringVar(email, "om-admin-email", "", "an OpenMetadata administrator's email, to sign in with basic auth and the password in $"+envOMAdminPassword)
}

// omCredential is the OpenMetadata administrator credential given: the
// token (--om-token, after readSecretFlags, else OM_ADMIN_TOKEN), or the
// email (--om-admin-email) with the password in OM_ADMIN_PASSWORD. Both, or
// an email without a password, is a usage error; neither is "", "", "".
func omCredential(ios *iostreams.IOStreams, tokenFlag, emailFlag string) (token, email, password string, err error) {
	token = strings.TrimSpace(tokenFlag)
	if token == "" {
		token = strings.TrimSpace(ios.Getenv(envOMAdminToken))
	}
	if email = strings.TrimSpace(emailFlag); email == "" {
		return token, "", "", nil
	}
	if tokenFlag != "" {
		return "", "", "", usageErrorf("both --om-token and --om-admin-email are given: give one OpenMetadata credential")
	}
	if password = ios.Getenv(envOMAdminPassword); password == "" {
		return "", "", "", usageErrorf("--om-admin-email needs the password in %s", envOMAdminPassword)
	}
	return "", email, password, nil
}
