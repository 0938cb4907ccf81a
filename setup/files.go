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
// configuration, the ingestion workflowConfig and answers.yaml.
func (c *Config) Files(ui *steps.App, sa *steps.ServiceAccount) ([]openmetadata.File, error) {
	files, err := render.Render(c.RenderInput(ui, sa), c.Targets)
	if err != nil {
		return nil, fmt.Errorf("render configuration: %w", err)
	}
	ans, err := answers.Marshal(c.Answers())
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
