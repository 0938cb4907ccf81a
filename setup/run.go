package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// ConnectFunc connects to a tenant with Management API credentials.
// steps.Connect is the real one; tests pass fakes.
type ConnectFunc func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error)

// RunError is a run that failed after connecting: what failed, and what the
// run had already created in Auth0.
type RunError struct {
	Err     error
	Created []string
}

// Error renders the failure and what was already created.
func (e *RunError) Error() string {
	return e.Err.Error() + "\n" + strings.TrimRight(present.Created(present.Plain(true), e.Created), "\n")
}

// Unwrap returns the failure.
func (e *RunError) Unwrap() error { return e.Err }

// NewErrorResult describes err for the result, with Auth0's own answer when err carries one.
func NewErrorResult(err error) *ErrorResult {
	e := &ErrorResult{Message: err.Error()}
	var re *RunError
	if errors.As(err, &re) {
		e.Message, e.Created = re.Err.Error(), re.Created
	}
	var se *steps.Error
	if errors.As(err, &se) {
		e.Status, e.Code, e.Auth0Message = se.Status, se.Code, se.Auth0Message
	}
	return e
}

// AppType is the Auth0 application type of a client type: spa or regular_web.
func AppType(ct openmetadata.ClientType) string {
	if ct == openmetadata.Confidential {
		return "regular_web"
	}
	return "spa"
}

// WriteNextSteps lists the files in out and what was done with each (with
// what to do about the kept ones), how to apply each target's
// (render.NextStepsIn, naming the files by their absolute path so the
// commands work as pasted from any folder), then, once, how to use the
// ingestion config (render.IngestionNextSteps), fitted to width cells
// (present.Steps; 0 for no limit).
func WriteNextSteps(w io.Writer, width int, out string, files []output.FileResult, in render.Input, targets []openmetadata.Target) {
	fmt.Fprintf(w, "\nFiles in %s (files holding a secret are readable by you only, mode 0600):\n", out)
	for _, line := range output.Lines(out, files) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	if advice := output.KeptAdvice(files); advice != "" {
		fmt.Fprintf(w, "\n%s\n", indent(advice, "  "))
	}
	fmt.Fprint(w, present.NextSteps(present.Plain(true), width, NextSteps(in, out, targets)))
}

// NextSteps are how to apply each target's files (render.NextStepsIn,
// naming the files by their absolute path so the commands work as pasted
// from any folder), then, once, how to use the ingestion config
// (render.IngestionNextSteps).
func NextSteps(in render.Input, out string, targets []openmetadata.Target) []present.NextStep {
	dir := AbsDir(out)
	var next []present.NextStep
	for _, t := range targets {
		next = append(next, present.NextStep{What: targetPhrase(t), Text: render.NextStepsIn(in, t, dir)})
	}
	return append(next, present.NextStep{What: "ingestion", Text: render.IngestionNextSteps(in)})
}

// targetPhrase names target t in a sentence: "bare metal".
func targetPhrase(t openmetadata.Target) string {
	if spec, ok := render.Lookup(t); ok {
		return spec.Phrase
	}
	return string(t)
}

func indent(text, prefix string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
