package steps

import (
	"context"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/tenant"
)

// ConnectRequest is what the Connect section asks for: the tenant and the
// Management API credentials (client id + secret of a Machine-to-Machine
// application, or an API token).
type ConnectRequest struct {
	Domain       tenant.Domain
	ClientID     string
	ClientSecret string
	APIToken     string
}

// Options tune how the steps talk to Auth0. The zero value is right for real tenants.
type Options = auth0http.Options

// Runner is everything the wizard and the non-interactive setup ask of a
// connected tenant. *Session implements it; tests use stepstest.Runner.
type Runner interface {
	// Tenant is the connected tenant's domain and, when readable, its friendly name.
	Tenant() (tenant.Domain, string)
	// GrantedScopes are the Management API scopes the credentials hold.
	GrantedScopes() []string
	// MissingScopes names every scope the chosen path needs but the credentials lack.
	MissingScopes(c Choices) []string

	// ListApps lists the tenant's applications (all pages, no global client) for the picker.
	ListApps(ctx context.Context) ([]AppSummary, error)
	// PlanUIApp finds the UI application (marker, then name, or c.AppID) and plans its creation or update.
	PlanUIApp(ctx context.Context, c Choices) (*UIPlan, error)
	// ApplyUIApp performs the plan and returns the application with its client id, secret when known,
	// and the Management API grant the plan set up for it (App.ManagementGrant), if any.
	ApplyUIApp(ctx context.Context, p *UIPlan) (*App, error)

	// ManagementAPIScopes are the scopes the tenant's Auth0 Management API defines.
	ManagementAPIScopes(ctx context.Context) ([]Scope, error)
	// PlanServiceAccount plans the service account per c.ServiceAccount. ui is the
	// UI application (its ClientID is empty when it is still to be created, as in --dry-run).
	PlanServiceAccount(ctx context.Context, c Choices, ui *App) (*ServiceAccountPlan, error)
	// StartServiceAccount starts applying p in the background when it needs
	// nothing of the UI application (a separate service account), so that
	// both applications are created at once; ApplyServiceAccount(p) then
	// returns its outcome. It does nothing for any other plan. When
	// ApplyUIApp fails, it returns after the started apply ends, so that
	// Created names what both created.
	StartServiceAccount(ctx context.Context, p *ServiceAccountPlan)
	// ApplyServiceAccount performs the plan.
	ApplyServiceAccount(ctx context.Context, p *ServiceAccountPlan) (*ServiceAccount, error)

	// Verify runs the named checks on the result; it never fails as a whole.
	Verify(ctx context.Context, c Choices, ui *App, sa *ServiceAccount) Verification

	// Created lists, for a failed or interrupted run, what this session has
	// created in Auth0 so far, as the tenant holds it now (an application
	// whose create answer was lost included). It never fails: when the
	// tenant cannot be read, it says so in the list.
	Created(ctx context.Context) []string
}
