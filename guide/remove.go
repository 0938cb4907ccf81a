package guide

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/termtext"
)

// RemoveConnectFunc connects to a tenant for `om-auth0 remove`; steps.Connect is the real one.
type RemoveConnectFunc func(ctx context.Context, req steps.ConnectRequest) (steps.Remover, error)

// RemoveOptions tune a removal.
type RemoveOptions struct {
	// DryRun plans only: nothing is deleted.
	DryRun bool
	// Yes deletes without asking.
	Yes bool
	// Confirm asks the operator whether to delete what the plan lists (the
	// plan was already shown). Nil means nobody can be asked: without Yes
	// the removal then stops before deleting anything.
	Confirm func(ctx context.Context, p *steps.RemovePlan) (bool, error)
	// Progress gets one line per step, for a person (stderr). Nil discards.
	Progress io.Writer
	// Report gets the plan and the outcome. Nil discards.
	Report io.Writer
	// ASCII avoids Unicode marks (NO_COLOR, or stderr is not a terminal).
	ASCII bool
}

// RemoveResult is the machine-readable result of `om-auth0 remove --json`.
type RemoveResult struct {
	Tenant     string         `json:"tenant"`
	TenantName string         `json:"tenant_name,omitempty"`
	OMURL      string         `json:"om_url"`
	DryRun     bool           `json:"dry_run,omitempty"`
	Plan       []steps.Change `json:"plan"`    // what was found to delete, in order
	Deleted    []steps.Change `json:"deleted"` // what was deleted, also when the run failed part way
	// Kept names the applications marked for the URL that were left alone, and why.
	Kept []string `json:"kept,omitempty"`
	// Declined says the operator answered no: nothing was deleted.
	Declined bool               `json:"declined,omitempty"`
	Error    *setup.ErrorResult `json:"error,omitempty"`
}

// RemoveError is a removal that failed after connecting, with what it had already deleted.
type RemoveError struct {
	Err     error
	Deleted []string
}

// Error renders the failure and what was already deleted.
func (e *RemoveError) Error() string {
	if len(e.Deleted) == 0 {
		return e.Err.Error() + "\nNothing was deleted."
	}
	return e.Err.Error() + "\nAlready deleted from Auth0: " + strings.Join(e.Deleted, "; ")
}

// Unwrap returns the failure.
func (e *RemoveError) Unwrap() error { return e.Err }

// Remove deletes, after the plan was shown and accepted, what om-auth0
// created in Auth0 for cfg's OpenMetadata URL: the client grants of the
// applications it marked, then the service accounts, then the UI
// applications. It checks the credentials' scopes before anything changes.
// The result is returned also on failure, for --json; the error is then an
// *InputError (nothing deleted), a *RemoveError or the connection's error.
func Remove(ctx context.Context, cfg *setup.Config, connect RemoveConnectFunc, opts RemoveOptions) (*RemoveResult, error) {
	res := &RemoveResult{Tenant: cfg.Answers().Domain, OMURL: cfg.Choices.OMURL, DryRun: opts.DryRun,
		Plan: []steps.Change{}, Deleted: []steps.Change{}}
	err := remove(ctx, cfg, connect, opts, res)
	if err != nil {
		var re *RemoveError
		if errors.As(err, &re) {
			res.Error = setup.NewErrorResult(re.Err)
		} else {
			res.Error = setup.NewErrorResult(err)
		}
	}
	return res, err
}

func remove(ctx context.Context, cfg *setup.Config, connect RemoveConnectFunc, opts RemoveOptions, res *RemoveResult) error {
	p := present.NewProgress(opts.Progress, opts.ASCII)
	omURL, err := openmetadata.CheckURL(cfg.Choices.OMURL)
	if err != nil {
		return &setup.InputError{Err: fmt.Errorf("--om-url: %w", err)}
	}
	res.OMURL = omURL
	r, err := connect(ctx, cfg.Connect)
	if err != nil {
		return err
	}
	label := res.Tenant
	if _, res.TenantName = r.Tenant(); res.TenantName != "" {
		label += " (" + res.TenantName + ")"
	}
	p.OK("connected to tenant %s", label)
	if missing := r.MissingRemoveScopes(); len(missing) > 0 {
		// The same explanation as setup's, naming where to grant them.
		return missingScopes(cfg.Connect, missing)
	}

	plan, err := r.PlanRemove(ctx, omURL)
	if err != nil {
		return err
	}
	res.Plan, res.Kept = plan.Changes, plan.Kept
	if res.Plan == nil {
		res.Plan = []steps.Change{}
	}
	for _, k := range plan.Kept {
		p.Warn("%s", k)
	}
	w := opts.Report
	if w == nil {
		w = io.Discard
	}
	if plan.Empty() {
		fmt.Fprintf(w, "Nothing to remove: no application in tenant %s carries om-auth0's marker for %s.\n", res.Tenant, omURL)
		return nil
	}
	writeRemovePlan(w, res.Tenant, omURL, plan.Changes, opts.DryRun)
	if opts.DryRun {
		p.OK("planned %d deletion(s); this is a dry run, so nothing was deleted", len(plan.Changes))
		return nil
	}
	if !opts.Yes {
		if opts.Confirm == nil {
			return &setup.InputError{Err: fmt.Errorf("removing deletes %d resource(s) from tenant %s and asks first, but cannot ask here (no terminal, or --no-input): "+
				"pass --yes to delete them, or --dry-run to only list them (nothing was deleted)", len(plan.Changes), res.Tenant)}
		}
		ok, err := opts.Confirm(ctx, plan)
		if err != nil {
			return err
		}
		if !ok {
			res.Declined = true
			fmt.Fprintln(w, "Nothing was deleted.")
			return nil
		}
	}

	done, err := r.ApplyRemove(ctx, plan)
	res.Deleted = append(res.Deleted, done...)
	var deleted []string
	for _, c := range done {
		what := removedText(c)
		deleted = append(deleted, what)
		p.OK("deleted %s", what)
	}
	if err != nil {
		return &RemoveError{Err: err, Deleted: deleted}
	}
	fmt.Fprintf(w, "Removed from tenant %s what om-auth0 had created for %s: %d deletion(s).\n"+
		"OpenMetadata at %s can no longer sign users in with Auth0; 'om-auth0 setup' sets it up again.\n",
		res.Tenant, omURL, len(done), omURL)
	return nil
}

// removedText names a deleted resource for a progress line.
func removedText(c steps.Change) string {
	id := ""
	for _, f := range c.Fields {
		if f.Field == "id" || f.Field == "client_id" {
			id = " (" + termtext.Clean(f.To) + ")"
		}
	}
	return fmt.Sprintf("%s %q%s", c.Resource, c.Name, id)
}

// writeRemovePlan lists the deletions, each with the fields that identify it.
func writeRemovePlan(w io.Writer, domain, omURL string, changes []steps.Change, dryRun bool) {
	note := ""
	if dryRun {
		note = " (dry run: nothing is deleted)"
	}
	fmt.Fprintf(w, "Plan for tenant %s: delete what om-auth0 created for %s%s\n", domain, omURL, note)
	for _, c := range changes {
		fmt.Fprintf(w, "  %s %s %s %q\n", present.Mark(c), c.Action, c.Resource, c.Name)
		width := 0
		for _, f := range c.Fields {
			width = max(width, len(f.Field))
		}
		for _, f := range c.Fields {
			fmt.Fprintf(w, "      %-*s  %s\n", width, f.Field, termtext.Clean(f.To))
		}
	}
}
