package answers

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		wantLine int
		wantKey  string
		wantMsg  string
	}{
		{"unknown key", "domain: acme.us.auth0.com\nom_url: http://om:8585\nfavourite_colour: blue\n", 3, "favourite_colour", "unknown key"},
		{"misspelled key suggests", "domain: a.auth0.com\nadmin: [alice]\n", 2, "admin", `did you mean "admins"?`},
		{"dash instead of underscore", "om-url: http://om\n", 1, "om-url", `did you mean "om_url"?`},
		{"list where a value belongs", "domain:\n  - a\n  - b\n", 2, "domain", "must be a single value, not a list"},
		{"mapping where a value belongs", "om_url:\n  host: om\n", 2, "om_url", "must be a single value, not a mapping"},
		{"value where a list belongs", "domain: a.auth0.com\nadmins: alice\n", 2, "admins", "must be a list, like [alice, bob], not a single value"},
		{"targets example", "targets: docker\n", 1, "targets", "like [docker, kubernetes]"},
		{"list item not a value", "admins:\n  - alice\n  - {name: bob}\n", 3, "admins", "every item must be a single value, not a mapping"},
		{"empty list item", "scopes:\n  - read:clients\n  -\n", 3, "scopes", "every item must be a single value, not an empty value"},
		{"secret is refused", "domain: a.auth0.com\nclient_secret: hunter2\n", 2, "client_secret", "AUTH0_CLIENT_SECRET"},
		{"api token is refused", "api_token: x\n", 1, "api_token", "AUTH0_API_TOKEN"},
		{"jwt is refused", "ingestion_jwt: x\n", 1, "ingestion_jwt", "OM_INGESTION_BOT_JWT"},
		{"key given twice", "domain: a.auth0.com\nout: x\ndomain: b.auth0.com\n", 3, "domain", "given twice (first on line 1)"},
		{"not a mapping", "- domain\n", 1, "", "an answers file is a mapping"},
		{"invalid YAML", "domain: [unclosed\n", 0, "", "not valid YAML"},
		{"apply is a boolean", "domain: a.auth0.com\napply: yes please\n", 2, "apply", `must be true or false, not "yes please"`},
		{"apply is not a list", "apply: [true]\n", 1, "apply", "must be true or false, not a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error = %v, want *Error", err)
			}
			if tt.wantLine != 0 && e.Line != tt.wantLine {
				t.Errorf("line = %d, want %d (%v)", e.Line, tt.wantLine, err)
			}
			if e.Key != tt.wantKey {
				t.Errorf("key = %q, want %q (%v)", e.Key, tt.wantKey, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
		})
	}
}

func TestLoadNamesFileLineAndKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "answers.yaml")
	if err := os.WriteFile(path, []byte("domain: a.auth0.com\n\nshoe_size: 44\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	want := path + `:3: key "shoe_size": unknown key (known keys: domain, client_id,`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Load error = %v, want prefix %q", err, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	var e *Error
	if !errors.As(err, &e) || e.File != path || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("Load error = %v", err)
	}
}

func TestParseValues(t *testing.T) {
	got, err := Parse([]byte(`
domain: acme.us.auth0.com
om_version: 1.10        # a YAML float, kept as typed
client_type: confidential
scopes: [read:clients, read:users]
targets:
  - docker
admins: [Alice, bob]
principal_domain:       # empty: not given
out: ./x
ui_app_id: ui-id
service_account_id: bot-id
grant_id: cgr_1
`))
	if err != nil {
		t.Fatal(err)
	}
	want := Answers{Domain: "acme.us.auth0.com", OMVersion: "1.10", ClientType: "confidential",
		Scopes: []string{"read:clients", "read:users"}, Targets: []string{"docker"}, Admins: []string{"Alice", "bob"}, Out: "./x",
		UIAppID: "ui-id", ServiceAccountID: "bot-id", GrantID: "cgr_1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse = %+v\nwant    %+v", got, want)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", "# only a comment\n", "~\n"} {
		if got, err := Parse([]byte(in)); err != nil || !reflect.DeepEqual(got, Answers{}) {
			t.Errorf("Parse(%q) = %+v, %v", in, got, err)
		}
	}
}

// Every answer Marshal writes, Load reads back as it was.
func TestMarshalParseRoundTrip(t *testing.T) {
	a := Answers{
		Domain: "http://127.0.0.1:4000", ClientID: "m2m-id", OMURL: "https://om.acme.com", OMVersion: "1.10.0",
		ClientType: "public", AppName: "OpenMetadata: prod", AppID: "abc", ServiceAccount: "separate",
		BotAppName: "OpenMetadata Ingestion Bot", Scopes: []string{"read:clients"}, Targets: []string{"docker", "kubernetes"},
		Admins: []string{"alice", "bob"}, PrincipalDomain: "acme.com", Out: "./openmetadata-auth0", Apply: new(true),
		UIAppID: "ui-id", ServiceAccountID: "bot-id", GrantID: "cgr_1",
	}
	data, err := Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal(a)): %v\n%s", err, data)
	}
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("round trip = %+v\nwant        %+v", got, a)
	}
	if len(Keys()) != reflect.TypeFor[Answers]().NumField() {
		t.Fatalf("Keys() = %v", Keys())
	}
}

// An answers file is a regular file of at most MaxFileSize bytes; anything
// else is refused at once, naming the file and the reason, without reading
// past the limit (a named pipe without a writer, /dev/zero).
func TestLoadRefusesWhatIsNotAnAnswersFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		path := filepath.Join(dir, name)
		data := []byte("domain: a.auth0.com\n" + strings.Repeat("#", max(size-20, 0)))
		if err := os.WriteFile(path, data[:size], 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"directory", dir, "it is a directory"},
		{"named pipe without a writer", fifo, "it is a named pipe"},
		{"endless device", "/dev/zero", "it is a device"},
		{"one byte over the limit", write("big.yaml", MaxFileSize+1), "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := Load(tt.path); done <- err }()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Second):
				t.Fatal("Load did not return within a second")
			}
			var e *Error
			if !errors.As(err, &e) || e.File != tt.path || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load(%s) error = %v, want *Error naming the file and %q", tt.path, err, tt.want)
			}
		})
	}
	t.Run("exactly at the limit", func(t *testing.T) {
		if _, err := Load(write("limit.yaml", MaxFileSize)); err != nil {
			t.Fatalf("Load of a %d-byte file: %v", MaxFileSize, err)
		}
	})
}
