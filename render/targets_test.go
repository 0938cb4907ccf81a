package render

import (
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
)

func TestParseTargets(t *testing.T) {
	tests := []struct {
		name    string
		in      []string
		want    []openmetadata.Target
		wantErr string
	}{
		{"all", []string{"all"}, []openmetadata.Target{Docker, BareMetal, Kubernetes}, ""},
		{"aliases, any case, display order", []string{" K8S ", "bare_metal,docker"}, []openmetadata.Target{Docker, BareMetal, Kubernetes}, ""},
		{"repeats kept once", []string{"docker", "docker"}, []openmetadata.Target{Docker}, ""},
		{"none", nil, nil, ""},
		{"unknown", []string{"docker,nomad"}, nil, `target "nomad": use docker, bare-metal, kubernetes or all`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTargets(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("ParseTargets(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestTargetsDescribeTheirFiles: each target renders only into its folder,
// every file of a rendering belongs to one target or is the ingestion
// config, and each target has its texts and next steps.
func TestTargetsDescribeTheirFiles(t *testing.T) {
	for _, ct := range []openmetadata.ClientType{openmetadata.Public, openmetadata.Confidential} {
		in := fixture("1.10.0", ct)
		for _, spec := range Targets {
			if spec.Title == "" || spec.Phrase == "" || spec.Summary == "" || spec.Folder == "" {
				t.Errorf("%s: a text is missing: %+v", spec.Name, spec)
			}
			if got, ok := Lookup(spec.Name); !ok || got.Name != spec.Name {
				t.Errorf("Lookup(%s) = %v, %v", spec.Name, got.Name, ok)
			}
			files, err := Render(in, []openmetadata.Target{spec.Name})
			if err != nil {
				t.Fatalf("%s: %v", spec.Name, err)
			}
			for _, f := range files[:len(files)-1] {
				if !strings.HasPrefix(f.Path, spec.Folder+"/") {
					t.Errorf("%s renders %s outside its folder %s", spec.Name, f.Path, spec.Folder)
				}
			}
			if files[len(files)-1].Path != IngestionPath {
				t.Errorf("%s: last file %s, want the ingestion config", spec.Name, files[len(files)-1].Path)
			}
			if NextSteps(in, spec.Name) == "" {
				t.Errorf("%s has no next steps", spec.Name)
			}
		}
	}
	if _, ok := Lookup("nomad"); ok {
		t.Error("Lookup found an unknown target")
	}
	if got := TargetNames(); got != "docker, bare-metal or kubernetes" {
		t.Errorf("TargetNames() = %q", got)
	}
}
