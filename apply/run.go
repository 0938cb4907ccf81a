package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/setup"
)

// RunOptions tune Run.
type RunOptions struct {
	// DryRun stops after the validation: nothing is stored.
	DryRun bool
	// Force stores settings OpenMetadata's validation failed, and stores
	// them even when they seem unchanged (the server masks the secret, so
	// a rotated one is not seen).
	Force bool
	// Confirm is asked before anything is stored, with the plan shown: nil
	// to go ahead, an error to stop (returned as is). nil means go ahead
	// without asking (--yes).
	Confirm func(ctx context.Context, p *Plan) error
	// Progress gets one line per step, for a person (stderr); nil discards.
	Progress io.Writer
	// Report gets the plan, the validation and what to do next; nil discards.
	Report io.Writer
	// ASCII avoids Unicode marks (NO_COLOR, or not a terminal).
	ASCII bool
}

// Result is the machine-readable outcome of Run, printed by --json. It
// holds no secret.
type Result struct {
	OMURL     string `json:"om_url"`
	OMVersion string `json:"om_version,omitempty"`
	ClientID  string `json:"client_id,omitempty"` // the Auth0 application's
	DryRun    bool   `json:"dry_run,omitempty"`
	// Changes are the fields om-auth0 owns, and any other it sets, each
	// with its action (create, update, keep).
	Changes    []Field           `json:"changes"`
	Notes      []string          `json:"notes,omitempty"`
	Validation *omapi.Validation `json:"validation"`
	// Applied reports that the settings were stored.
	Applied bool `json:"applied"`
	// Confirmed reports that the settings read back are the planned ones.
	Confirmed bool               `json:"confirmed"`
	ReadBack  string             `json:"read_back,omitempty"`
	NextSteps []string           `json:"next_steps,omitempty"`
	Error     *setup.ErrorResult `json:"error,omitempty"`
}

// ValidationError is a validation OpenMetadata failed: nothing was stored.
type ValidationError struct {
	Problems []string
	Hint     string
}

// Error names each problem, and what to do.
func (e *ValidationError) Error() string {
	return e.summary() + ". Nothing was stored (--force stores them anyway)"
}

func (e *ValidationError) summary() string {
	msg := "OpenMetadata's validation of the settings failed: " + strings.Join(e.Problems, "; ")
	if e.Hint != "" {
		msg += " — " + e.Hint
	}
	return msg
}

// Run prepares, shows the plan, validates, asks, stores and reads back,
// printing each step. The result is returned even on failure, with Error
// set, for --json. A second run with nothing to change stores nothing.
func Run(ctx context.Context, in Inputs, opts RunOptions) (*Result, error) {
	res := &Result{Changes: []Field{}, DryRun: opts.DryRun}
	if in.Config != nil {
		res.OMURL = in.Config.Choices.OMURL
	}
	err := run(ctx, in, opts, res)
	if err != nil {
		res.Error = setup.NewErrorResult(err)
	}
	return res, err
}

func run(ctx context.Context, in Inputs, opts RunOptions, res *Result) error {
	pr := present.NewProgress(opts.Progress, opts.ASCII)
	s, p, err := Prepare(ctx, in)
	if err != nil {
		return err
	}
	res.OMURL, res.OMVersion, res.ClientID, res.Changes, res.Notes = p.OMURL, p.OMVersion, p.App.ClientID, p.Fields, p.Notes
	pr.OK("OpenMetadata %s at %s; Auth0 application %q (client id %s)", p.OMVersion, p.OMURL, omapi.Clean(p.App.Name), p.App.ClientID)
	WritePlan(opts.Report, opts.ASCII, p)
	if !p.Changes() && !opts.Force {
		pr.OK("OpenMetadata already has these settings: nothing to store")
		return nil
	}

	v, err := s.Validate(ctx, p)
	if err != nil {
		return err
	}
	res.Validation = &v
	writeValidation(opts.Report, v)
	if !v.Passed() {
		verr := &ValidationError{Problems: v.Problems(), Hint: validationHint(p, v)}
		if len(verr.Problems) == 0 {
			verr.Problems = []string{fmt.Sprintf("its verdict is %q, not \"success\"", omapi.Clean(v.Status))}
		}
		if !opts.Force {
			return verr
		}
		pr.Warn("%s; storing them anyway (--force)", verr.summary())
	} else {
		pr.OK("OpenMetadata's validation passed")
	}
	if opts.DryRun {
		pr.OK("dry run: nothing was stored")
		return nil
	}
	if opts.Confirm != nil {
		if err := opts.Confirm(ctx, p); err != nil {
			return err
		}
	}
	out, err := s.Apply(ctx, p)
	if out != nil {
		res.Applied = true
		res.Confirmed, res.ReadBack, res.NextSteps = out.Confirmed, out.ReadBack, out.NextSteps
	}
	if err != nil {
		if out != nil {
			writeNextSteps(opts.Report, out.NextSteps)
		}
		return err
	}
	pr.OK("stored the SSO settings in OpenMetadata at %s", p.OMURL)
	if out.ReadBack != "" {
		pr.Warn("%s", out.ReadBack)
	} else {
		pr.OK("read them back: OpenMetadata runs with the planned settings")
	}
	writeNextSteps(opts.Report, out.NextSteps)
	return nil
}

// validationHint says what to do about the failures om-auth0 knows the cause of.
func validationHint(p *Plan, v omapi.Validation) string {
	text := strings.ToLower(strings.Join(v.Problems(), " "))
	if p.confidential && (strings.Contains(text, "credentials") || strings.Contains(text, "access denied") || strings.Contains(text, "client secret")) {
		return fmt.Sprintf("OpenMetadata checks a confidential client by asking Auth0 for a client-credentials token of application %q for the "+
			"Auth0 Management API: give it the Client Credentials grant type and authorize it for the Auth0 Management API "+
			"(Applications > APIs > Auth0 Management API > Machine To Machine Applications), then apply again", omapi.Clean(p.App.Name))
	}
	return ""
}

// ErrDeclined is the operator answering No: nothing was stored.
var ErrDeclined = errors.New("not applied: you answered No, and nothing was stored")
