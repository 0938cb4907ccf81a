package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/wizard"
)

// parseSetup runs `setup args` up to the run and returns its options.
func parseSetup(t *testing.T, ios *iostreams.IOStreams, args ...string) (*SetupOptions, error) {
	t.Helper()
	var got *SetupOptions
	cmd := NewCmdSetup(ios, func(_ context.Context, o *SetupOptions) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	err := cmd.Execute()
	return got, err
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// With a terminal and without --no-input, setup runs the wizard with the
// config resolved from flags, environment and answers file.
func TestSetupRunsTheWizardWhenItCanPrompt(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	ios.SetTTY(true)
	ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": "acme.us.auth0.com", "ACCESSIBLE": "1", "OM_VERSION": "1.6.4"}))
	dir := t.TempDir()
	answersPath := filepath.Join(dir, "answers.yaml")
	if err := os.WriteFile(answersPath, []byte("app_name: From the file\nom_version: 1.0.2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, err := parseSetup(t, ios, "--answers", answersPath, "--admin", "alice", "--yes", "--force", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got wizard.Options
	opts.Wizard = func(_ context.Context, o wizard.Options) (*setup.Result, error) {
		got = o
		return &setup.Result{Tenant: "acme.us.auth0.com", Files: []string{}}, nil
	}
	opts.Connect = func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
		return nil, errors.New("not in this test")
	}
	if err := setupRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	c := got.Config
	if c == nil || c.Connect.Domain.Host != "acme.us.auth0.com" || c.Choices.AppName != "From the file" ||
		c.Choices.Version.String() != "1.6.4" || len(c.Admins) != 1 || !got.Yes || !got.Force || !got.Accessible || got.DetectVersion == nil || got.Connect == nil || got.Check == nil {
		t.Fatalf("wizard options = %+v, config %+v", got, c)
	}
	if c.Choices.ServiceAccount != "" {
		t.Errorf("the service-account default depends on the version the wizard settles on; got %q", c.Choices.ServiceAccount)
	}
	var res setup.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || res.Tenant != "acme.us.auth0.com" {
		t.Fatalf("--json stdout %q: %v", stdout, err)
	}
}

// --no-input, --dry-run or a missing terminal: never the wizard; missing values are a usage error.
func TestSetupNeverPromptsWithoutATerminal(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		args []string
	}{
		{"no terminal", false, nil},
		{"--no-input", true, []string{"--no-input"}},
		{"--dry-run", true, []string{"--dry-run"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, stdout, _ := iostreams.Test()
			ios.SetTTY(tt.tty)
			opts, err := parseSetup(t, ios, append(tt.args, "--domain", "acme.us.auth0.com")...)
			if err != nil {
				t.Fatal(err)
			}
			opts.Wizard = func(context.Context, wizard.Options) (*setup.Result, error) {
				t.Fatal("the wizard ran")
				return nil, nil
			}
			err = setupRun(context.Background(), opts)
			want := "missing: the Management API credentials: --client-id and --client-secret (or AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET), or --api-token (or AUTH0_API_TOKEN), --admin, --principal-domain"
			if ExitCode(err) != ExitUsage || !strings.HasPrefix(err.Error(), want) || stdout.Len() > 0 {
				t.Fatalf("error = %v (exit %d)", err, ExitCode(err))
			}
		})
	}
}

func TestSecretFlags(t *testing.T) {
	t.Run("from stdin", func(t *testing.T) {
		ios, stdin, _, stderr := iostreams.Test()
		stdin.WriteString("  s3cret\n")
		opts, err := parseSetup(t, ios, "--client-secret", "-")
		if err != nil || opts.Flags.Secrets.ClientSecret != "s3cret" || stderr.Len() > 0 {
			t.Fatalf("secret %q, err %v, stderr %q", opts.Flags.Secrets.ClientSecret, err, stderr)
		}
	})
	t.Run("literal warns without repeating it", func(t *testing.T) {
		ios, _, _, stderr := iostreams.Test()
		opts, err := parseSetup(t, ios, "--api-token", "tok-VALUE", "--ingestion-jwt", "jwt-VALUE")
		if err != nil || opts.Flags.Secrets.APIToken != "tok-VALUE" || opts.Flags.Secrets.IngestionJWT != "jwt-VALUE" {
			t.Fatalf("opts %+v, err %v", opts.Flags.Secrets, err)
		}
		want := "warning: --api-token on the command line is visible to other users in the process list; prefer AUTH0_API_TOKEN, or --api-token - to read it from stdin\n" +
			"warning: --ingestion-jwt on the command line is visible to other users in the process list; prefer OM_INGESTION_BOT_JWT, or --ingestion-jwt - to read it from stdin\n"
		if stderr.String() != want {
			t.Fatalf("stderr:\n%s", stderr)
		}
	})
	t.Run("empty stdin", func(t *testing.T) {
		ios, _, _, _ := iostreams.Test()
		_, err := parseSetup(t, ios, "--client-secret", "-")
		if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "stdin was empty") {
			t.Fatalf("error = %v", err)
		}
	})
	for _, tt := range []struct {
		name  string
		stdin io.Reader
	}{
		{"one byte over 64 KiB", strings.NewReader(strings.Repeat("s", maxStdinSecret+1))},
		{"endless stdin", endless{}},
	} {
		t.Run(tt.name+" is refused, not cut", func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.In = tt.stdin
			_, err := parseSetup(t, ios, "--ingestion-jwt", "-")
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--ingestion-jwt -: stdin holds more than 64 KiB") {
				t.Fatalf("error = %v", err)
			}
		})
	}
	t.Run("64 KiB with its newline is read whole", func(t *testing.T) {
		ios, _, _, _ := iostreams.Test()
		ios.In = strings.NewReader(strings.Repeat("s", maxStdinSecret-1) + "\n")
		opts, err := parseSetup(t, ios, "--api-token", "-")
		if err != nil {
			t.Fatal(err)
		}
		if n := len(opts.Flags.Secrets.APIToken); n != maxStdinSecret-1 {
			t.Fatalf("token of %d bytes", n)
		}
	})
	t.Run("two from stdin", func(t *testing.T) {
		ios, stdin, _, _ := iostreams.Test()
		stdin.WriteString("x")
		_, err := parseSetup(t, ios, "--client-secret", "-", "--ingestion-jwt", "-")
		if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), "--client-secret - and --ingestion-jwt - both read stdin") {
			t.Fatalf("error = %v", err)
		}
	})
}

// A full non-interactive run in process, against the simulated tenant.
func TestSetupNoInputAgainstSandbox(t *testing.T) {
	tn := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret := tn.CreateM2MApp("ci", sandbox.WizardScopes)
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": tn.URL(), "AUTH0_CLIENT_ID": id, "AUTH0_CLIENT_SECRET": secret}))
	out := filepath.Join(t.TempDir(), "out")
	code := Main([]string{"setup", "--om-version", "1.6.4", "--target", "docker", "--admin", "alice", "--principal-domain", "example.com",
		"--out", out, "--json"}, ios)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var res setup.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if !res.UIApp.Created || len(res.Files) != 3 || strings.Contains(stdout.String()+stderr.String(), secret) {
		t.Fatalf("result %+v\nstderr %s", res, stderr)
	}
}

func TestSetupExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		connect setup.ConnectFunc
		cancel  bool
		want    int
	}{
		{"Auth0 failure", func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
			return nil, &steps.Error{Op: "get a Management API token", Meaning: "the client secret is wrong"}
		}, false, ExitFailure},
		{"interrupted", func(ctx context.Context, _ steps.ConnectRequest) (steps.Runner, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, true, ExitInterrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": "acme.us.auth0.com", "AUTH0_API_TOKEN": "t"}))
			opts, err := parseSetup(t, ios, "--om-version", "1.6.4", "--admin", "a", "--principal-domain", "example.com", "--out", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			opts.Connect = tt.connect
			ctx, cancel := context.WithCancel(context.Background())
			if tt.cancel {
				cancel()
			}
			defer cancel()
			if got := ExitCode(setupRun(ctx, opts)); got != tt.want {
				t.Fatalf("exit %d, want %d", got, tt.want)
			}
		})
	}
}

// Quitting the wizard is an interrupt like Ctrl+C during --no-input: exit
// 130, what was created, then "Interrupted.", not an error message.
func TestSetupWizardAbortIsInterrupted(t *testing.T) {
	ios, _, stdout, stderr := iostreams.Test()
	ios.SetTTY(true) // the wizard runs; its input ends at the first question, which stops it
	code := Main([]string{"setup", "--accessible"}, ios)
	got := stderr.String()
	if code != ExitInterrupted || !strings.Contains(got, "Nothing was created in Auth0.") || !strings.HasSuffix(got, "Interrupted.\n") ||
		strings.Contains(got, "Error:") || stdout.Len() > 0 {
		t.Fatalf("exit %d\nstderr:\n%s", code, got)
	}

	// setupRun maps the wizard's abort (Ctrl+C in the full-screen UI too) to ErrInterrupted.
	opts, err := parseSetup(t, ios)
	if err != nil {
		t.Fatal(err)
	}
	opts.Wizard = func(context.Context, wizard.Options) (*setup.Result, error) { return nil, wizard.ErrAborted }
	if err := setupRun(context.Background(), opts); !errors.Is(err, ErrInterrupted) || ExitCode(err) != ExitInterrupted {
		t.Fatalf("setupRun = %v, want ErrInterrupted", err)
	}
}

// `om-auth0` alone is `om-auth0 setup`, with the same flags.
func TestRootRunsSetup(t *testing.T) {
	ios, _, stdout, stderr := iostreams.Test()
	code := Main([]string{"--no-input", "--domain", "acme.us.auth0.com", "--api-token", "t", "--admin", "alice"}, ios)
	if code != ExitUsage || !strings.Contains(stderr.String(), "missing: --principal-domain\n") || stdout.Len() > 0 {
		t.Fatalf("exit %d\nstderr %s", code, stderr)
	}
}

func TestHelpTeachesWithExamples(t *testing.T) {
	for _, args := range [][]string{{"setup", "--help"}, {"render", "--help"}, {"--help"}} {
		ios, _, stdout, _ := iostreams.Test()
		if code := Main(args, ios); code != ExitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		for _, want := range []string{"Examples:", "--domain", "[$AUTH0_DOMAIN]", "--principal-domain"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("%v help lacks %q:\n%s", args, want, stdout)
			}
		}
	}
}

func TestShellCompletion(t *testing.T) {
	ios, _, stdout, _ := iostreams.Test()
	if code := Main([]string{"completion", "bash"}, ios); code != ExitOK || !strings.Contains(stdout.String(), "__start_om-auth0") {
		t.Fatalf("completion bash: exit %d\n%.200s", code, stdout)
	}
	for _, args := range [][]string{{"__complete", "setup", "--target", ""}, {"__complete", "--target", ""}} {
		ios, _, stdout, _ = iostreams.Test()
		if code := Main(args, ios); code != ExitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		if got := stdout.String(); got != "all\ndocker\nbare-metal\nkubernetes\n:4\n" {
			t.Errorf("%v completes %q", args, got)
		}
	}
}

// endless is a stdin that never ends, like /dev/zero.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
