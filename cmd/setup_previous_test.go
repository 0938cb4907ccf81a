package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/wizard"
)

// Without --answers, setup hands the wizard what answers.yaml in --out
// recorded, with the ids set when it is for the same tenant and URL; an
// --answers file wins, and an answers.yaml in --out that cannot be used is
// a warning on stderr, never a failure.
func TestSetupReadsThePreviousRunInOut(t *testing.T) {
	const previous = "domain: acme.us.auth0.com\nom_url: https://om.acme.com\napp_name: Not taken\nui_app_id: ui1\ngrant_id: cgr_1\n"
	rec := steps.Recorded{UIAppID: "ui1", GrantID: "cgr_1"}
	for _, tt := range []struct {
		name         string
		inOut        string // answers.yaml in --out; "" for none
		answers      string // an --answers file; "" for none
		omURL        string
		wantPrevious bool
		want         steps.Recorded
		wantWarn     string
	}{
		{"same tenant and URL", previous, "", "https://om.acme.com/", true, rec, ""},
		{"another URL", previous, "", "https://staging.acme.com", true, steps.Recorded{}, ""},
		{"none in --out", "", "", "https://om.acme.com", false, steps.Recorded{}, ""},
		{"--answers wins", previous, "ui_app_id: given\n", "https://om.acme.com", false, steps.Recorded{UIAppID: "given"}, ""},
		{"corrupt", "ui_app_id: [ui1\n", "", "https://om.acme.com", false, steps.Recorded{},
			"warning: the ids a previous run recorded are not used (the tenant is listed instead): "},
		{"escape sequences", "ui_app_id: \"\\e[2Jx\"\n", "", "https://om.acme.com", false, steps.Recorded{}, "is not an id om-auth0 records"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.inOut != "" {
				if err := os.WriteFile(filepath.Join(out, setup.AnswersFile), []byte(tt.inOut), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"--out", out, "--om-url", tt.omURL}
			if tt.answers != "" {
				path := filepath.Join(dir, "given.yaml")
				if err := os.WriteFile(path, []byte(tt.answers), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--answers", path)
			}
			ios, _, _, stderr := iostreams.Test()
			ios.SetTTY(true)
			ios.SetEnv(envOf(map[string]string{"AUTH0_DOMAIN": "acme.us.auth0.com", "ACCESSIBLE": "1"}))
			opts, err := parseSetup(t, ios, args...)
			if err != nil {
				t.Fatal(err)
			}
			var got *setup.Config
			opts.Wizard = func(_ context.Context, o wizard.Options) (*setup.Result, error) {
				got = o.Config
				return &setup.Result{}, nil
			}
			if err := setupRun(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("the wizard did not run")
			}
			if (got.Previous != nil) != tt.wantPrevious || got.Choices.Recorded != tt.want {
				t.Errorf("previous run %+v, recorded ids %+v; want previous %v, ids %+v", got.Previous, got.Choices.Recorded, tt.wantPrevious, tt.want)
			}
			if got.Choices.AppName == "Not taken" {
				t.Errorf("an answer other than the ids was taken from answers.yaml in --out")
			}
			if w := stderr.String(); tt.wantWarn == "" && w != "" || !strings.Contains(w, tt.wantWarn) {
				t.Errorf("stderr %q, want %q", w, tt.wantWarn)
			}
			if strings.Contains(stderr.String(), "\x1b") {
				t.Errorf("the warning passes an escape sequence to the terminal: %q", stderr)
			}
		})
	}
}
