package setup

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// ReadPreviousRun takes only the recorded ids, with the tenant and the
// OpenMetadata URL they are for, normalised; a file that does not pass the
// checks of --answers is an error saying why.
func TestReadPreviousRun(t *testing.T) {
	ids := "ui_app_id: ui1\nservice_account_id: bot1\ngrant_id: cgr_1\n"
	rec := steps.Recorded{UIAppID: "ui1", ServiceAccountID: "bot1", GrantID: "cgr_1"}
	for _, tt := range []struct {
		name    string
		yaml    string
		want    *PreviousRun
		wantErr string
	}{
		{"a previous run", "domain: acme.us.auth0.com\nom_url: https://om.acme.com\napp_name: Not taken\n" + ids,
			&PreviousRun{Domain: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://om.acme.com", Recorded: rec}, ""},
		{"normalised", "domain: HTTPS://Acme.US.auth0.com:443/\nom_url: ' https://om.acme.com/ '\nui_app_id: ui1\n",
			&PreviousRun{Domain: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://om.acme.com", Recorded: steps.Recorded{UIAppID: "ui1"}}, ""},
		{"no ids", "domain: acme.us.auth0.com\nom_url: https://om.acme.com\n", nil, ""},
		{"empty", "", nil, ""},
		{"no domain nor URL", ids, &PreviousRun{Recorded: rec}, ""},
		{"not YAML", "ui_app_id: [ui1\n", nil, "answers.yaml: not valid YAML"},
		{"unknown key", "ui_app: ui1\n", nil, `answers.yaml:1: key "ui_app": unknown key`},
		{"a secret", "client_secret: hunter2\n" + ids, nil, `key "client_secret": is a secret`},
		{"a path in an id", "grant_id: ../tenant\n", nil, `grant_id in `},
		{"a bad domain", "domain: acme.us.auth0.com/x\n" + ids, nil, "domain in "},
		{"a bad URL", "om_url: ftp://om.acme.com\n" + ids, nil, "om_url in "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), AnswersFile)
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadPreviousRun(path)
			if tt.wantErr != "" {
				var ie *InputError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.wantErr) || got != nil {
					t.Fatalf("got %+v, %v; want an input error with %q", got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("the error shows the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// What is not a regular file is refused without reading it, as --answers
// refuses it.
func TestReadPreviousRunNotAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadPreviousRun(dir); err == nil || !strings.Contains(err.Error(), "it is a directory") {
		t.Fatalf("err = %v, want it to say it is a directory", err)
	}
	if _, err := ReadPreviousRun(filepath.Join(dir, "absent.yaml")); err == nil {
		t.Fatal("no error for a file that does not exist")
	}
}

// UsePrevious gives the run the recorded ids only when they are for its
// tenant and OpenMetadata URL as the marker compares them, takes them away
// when the run moved to another, and without a previous run keeps those of
// an answers file.
func TestUsePrevious(t *testing.T) {
	rec := steps.Recorded{UIAppID: "ui1", ServiceAccountID: "bot1", GrantID: "cgr_1"}
	fromFile := steps.Recorded{UIAppID: "given"}
	prev := &PreviousRun{Domain: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://om.acme.com", Recorded: rec}
	for _, tt := range []struct {
		name     string
		previous *PreviousRun
		domain   string
		omURL    string
		want     steps.Recorded
	}{
		{"same tenant and URL", prev, "acme.us.auth0.com", "https://om.acme.com", rec},
		{"the URL with a slash", prev, "acme.us.auth0.com", "https://om.acme.com/", rec},
		{"another URL", prev, "acme.us.auth0.com", "https://staging.acme.com", steps.Recorded{}},
		{"another path", prev, "acme.us.auth0.com", "https://om.acme.com/om", steps.Recorded{}},
		{"another scheme", prev, "acme.us.auth0.com", "http://om.acme.com", steps.Recorded{}},
		{"another tenant", prev, "acme.eu.auth0.com", "https://om.acme.com", steps.Recorded{}},
		{"no tenant yet", prev, "", "https://om.acme.com", steps.Recorded{}},
		{"a previous run for no tenant", &PreviousRun{OMURL: "https://om.acme.com", Recorded: rec}, "acme.us.auth0.com", "https://om.acme.com", steps.Recorded{}},
		{"a previous run for no URL", &PreviousRun{Domain: prev.Domain, Recorded: rec}, "acme.us.auth0.com", "https://om.acme.com", steps.Recorded{}},
		{"no previous run: the answers file's ids stay", nil, "acme.eu.auth0.com", "https://staging.acme.com", fromFile},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{Previous: tt.previous}
			if tt.domain != "" {
				cfg.Connect.Domain = tenant.MustParse(tt.domain)
			}
			cfg.Choices.OMURL = tt.omURL
			cfg.Choices.Recorded = fromFile
			if tt.previous != nil {
				cfg.Choices.Recorded = steps.Recorded{}
			}
			cfg.UsePrevious()
			if cfg.Choices.Recorded != tt.want {
				t.Fatalf("Recorded = %+v, want %+v", cfg.Choices.Recorded, tt.want)
			}
		})
	}
	// The wizard calls it again after the URL changed: the ids go.
	cfg := &Config{Previous: prev}
	cfg.Connect.Domain, cfg.Choices.OMURL = prev.Domain, prev.OMURL
	cfg.UsePrevious()
	cfg.Choices.OMURL = "https://staging.acme.com"
	cfg.UsePrevious()
	if cfg.Choices.Recorded != (steps.Recorded{}) {
		t.Fatalf("after the URL changed, Recorded = %+v, want none", cfg.Choices.Recorded)
	}
}
