package setup

import (
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/steps"
)

// Result is the machine-readable outcome of a run, printed by --json.
// No secret appears in it unless secrets are revealed.
type Result struct {
	Tenant         string              `json:"tenant"`
	TenantName     string              `json:"tenant_name,omitempty"`
	DryRun         bool                `json:"dry_run,omitempty"`
	UIApp          AppResult           `json:"ui_app"`
	ServiceAccount *AppResult          `json:"service_account"`
	Grant          *GrantResult        `json:"grant"`
	Verification   *Verification       `json:"verification"`
	Plan           []steps.Change      `json:"plan,omitempty"`
	Files          []string            `json:"files"`        // the paths of the files, as the command line contract has it
	FileResults    []output.FileResult `json:"file_results"` // what was done with each file: written, unchanged or kept
	Error          *ErrorResult        `json:"error,omitempty"`
}

// ErrorResult is why a run failed, with Auth0's own answer when there was one.
type ErrorResult struct {
	Message      string   `json:"message"`
	Status       int      `json:"status,omitempty"`
	Code         string   `json:"code,omitempty"`
	Auth0Message string   `json:"auth0_message,omitempty"`
	Created      []string `json:"created,omitempty"` // what the run had created in Auth0 before it failed
}

// AppResult is an Auth0 application in the result.
type AppResult struct {
	ClientID     string `json:"client_id"`
	Name         string `json:"name"`
	AppType      string `json:"app_type"`
	Created      bool   `json:"created"`
	ClientSecret string `json:"client_secret,omitempty"`
}

// GrantResult is the service account's Management API grant in the result.
type GrantResult struct {
	ID       string   `json:"id"`
	Audience string   `json:"audience"`
	Scopes   []string `json:"scopes"`
	Created  bool     `json:"created"`
}

// Verification is the verify step's checks in the result.
type Verification struct {
	OK     bool          `json:"ok"`
	Checks []steps.Check `json:"checks"`
}

// NewResult builds the result of a finished run. Secrets are included only when reveal is set.
func NewResult(tenant, tenantName string, ui *steps.App, sa *steps.ServiceAccount, v *steps.Verification, files []output.FileResult, reveal bool) *Result {
	r := &Result{Tenant: tenant, TenantName: tenantName, Files: output.Paths(files), FileResults: files}
	if files == nil {
		r.FileResults = []output.FileResult{}
	}
	if ui != nil {
		r.UIApp = appResult(ui, reveal)
	}
	if sa != nil && sa.App != nil {
		a := appResult(sa.App, reveal)
		r.ServiceAccount = &a
	}
	if sa != nil && sa.Grant != nil {
		r.Grant = &GrantResult{ID: sa.Grant.ID, Audience: sa.Grant.Audience, Scopes: sa.Grant.Scopes, Created: sa.Grant.Created}
		if r.Grant.Scopes == nil {
			r.Grant.Scopes = []string{}
		}
	}
	if v != nil {
		r.Verification = &Verification{OK: v.OK(), Checks: v.Checks}
	}
	return r
}

func appResult(a *steps.App, reveal bool) AppResult {
	r := AppResult{ClientID: a.ClientID, Name: a.Name, AppType: a.AppType, Created: a.Created}
	if reveal {
		r.ClientSecret = a.ClientSecret
	}
	return r
}
