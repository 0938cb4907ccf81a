package setup

import (
	"fmt"
	"path/filepath"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// AnswersFile is the path of the answers file inside the output folder.
const AnswersFile = "answers.yaml"

// Files renders every output file of the run: the chosen targets'
// configuration, the ingestion workflowConfig, on OpenMetadata 1.1+ the
// separate service account's credentials (no other file holds them there),
// and answers.yaml.
func (c *Config) Files(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error) {
	in := c.RenderInput(ui, sa)
	files, err := render.Render(in, c.Targets)
	if err != nil {
		return nil, fmt.Errorf("render configuration: %w", err)
	}
	// An existing application read without read:client_keys has no secret
	// known to this run: there is nothing to keep then.
	if sa != nil && sa.Mode == steps.Separate && sa.App != nil && sa.App.ClientSecret != "" &&
		c.Choices.Version.Band() != openmetadata.BandLegacy {
		var scopes []string
		if sa.Grant != nil {
			scopes = sa.Grant.Scopes
		}
		f, err := render.ServiceAccountFile(in, sa.App.Name, scopes)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	a := c.Answers()
	RecordIDs(&a, ui, sa)
	ans, err := answers.Marshal(a)
	if err != nil {
		return nil, err
	}
	return append(files, openmetadata.File{Path: AnswersFile, Data: ans}), nil
}

// WriteFiles renders and writes every output file into c.Out, atomically,
// keeping the files changed outside om-auth0 unless opts.Force.
func (c *Config) WriteFiles(ui *steps.App, sa *steps.ServiceAccount, opts output.Options) ([]output.FileResult, error) {
	files, err := c.Files(ui, sa)
	if err != nil {
		return nil, err
	}
	return output.Write(c.Out, files, opts)
}

// AbsDir is dir made absolute, so that the commands naming files in it
// (render.NextStepsIn) work from any folder; dir as it is when the working
// folder cannot be read.
func AbsDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}
