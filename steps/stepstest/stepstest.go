// Package stepstest provides a test double of steps.Runner that the wizard's
// and the non-interactive setup's tests share: it records the calls made,
// answers like a small tenant would, and lets a test set any answer or make
// any call fail.
package stepstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// Client ids and secrets of the applications Runner creates when a test has
// not set its own.
const (
	UIClientID      = "uiClient9xYtQ2vQa"
	UIClientSecret  = "ui-secret-Zm9vYmFy"
	BotClientID     = "botClient7Hq"
	BotClientSecret = "bot-secret-YmFyYmF6"
)

var _ steps.Runner = (*Runner)(nil)

// Runner is a steps.Runner for tests. Set its fields before the code under
// test runs; the zero value of an answer field means "answer like a small
// tenant would" (plans and results computed from the Choices).
type Runner struct {
	Domain  tenant.Domain
	Name    string   // the tenant's friendly name
	Granted []string // GrantedScopes
	Missing []string // MissingScopes
	Apps    []steps.AppSummary
	Scopes  []steps.Scope // ManagementAPIScopes

	// UIPlan, UI, SAPlan and SA are canned answers of PlanUIApp, ApplyUIApp,
	// PlanServiceAccount and ApplyServiceAccount; nil computes them.
	UIPlan *steps.UIPlan
	UI     *steps.App
	SAPlan *steps.ServiceAccountPlan
	SA     *steps.ServiceAccount
	// Verification is what Verify returns.
	Verification steps.Verification
	// Fail makes the next call of a method (by name, e.g. "ApplyUIApp", or
	// "Connect" through Record) fail with the error, once.
	Fail map[string]error

	// LastChoices are the Choices of the last PlanUIApp or PlanServiceAccount.
	LastChoices steps.Choices
	// PlannedUI is the ui application PlanServiceAccount was given last.
	PlannedUI *steps.App

	mu      sync.Mutex
	calls   []string
	created []string
	choices map[any]steps.Choices // the Choices each computed plan was made for
}

// New is a tenant acme.us.auth0.com ("Acme") whose credentials hold every
// scope the guide needs, with three applications and five Management API
// scopes, whose verification passes.
func New() *Runner {
	return &Runner{
		Domain:  tenant.MustParse("acme.us.auth0.com"),
		Name:    "Acme",
		Granted: []string{"read:clients", "create:clients", "update:clients", "read:client_keys", "read:resource_servers", "read:client_grants", "create:client_grants", "update:client_grants"},
		Apps: []steps.AppSummary{
			{ClientID: "legacyUI0001", Name: "Legacy Portal", AppType: "spa"},
			{ClientID: "reportsWeb02", Name: "Reports", AppType: "regular_web"},
			{ClientID: "etlBot000003", Name: "ETL Bot", AppType: "non_interactive"},
		},
		Scopes: []steps.Scope{
			{Value: "read:users", Description: "Read Users"},
			{Value: "read:roles", Description: "Read Roles"},
			{Value: "read:clients", Description: "Read Clients"},
			{Value: "update:clients", Description: "Update Clients"},
			{Value: "delete:users", Description: "Delete Users"},
		},
		Fail: map[string]error{},
	}
}

// Record notes a call (its method name, then its arguments in parentheses)
// and returns the error Fail holds for the method, once. The Runner's own
// methods call it; a test's Connect function calls Record("Connect").
func (r *Runner) Record(call string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
	name, _, _ := strings.Cut(call, "(")
	if err, ok := r.Fail[name]; ok {
		delete(r.Fail, name)
		return err
	}
	return nil
}

// Calls are the recorded calls that ask Auth0 something, with their
// arguments, in order. MissingScopes is left out: it reads the token the
// session already holds.
func (r *Runner) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.DeleteFunc(slices.Clone(r.calls), func(c string) bool { return c == "MissingScopes" })
}

// Methods are the names of every recorded call, in order, MissingScopes included.
func (r *Runner) Methods() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, len(r.calls))
	for i, c := range r.calls {
		out[i], _, _ = strings.Cut(c, "(")
	}
	return out
}

// Tenant implements steps.Runner.
func (r *Runner) Tenant() (tenant.Domain, string) { return r.Domain, r.Name }

// GrantedScopes implements steps.Runner.
func (r *Runner) GrantedScopes() []string { return r.Granted }

// MissingScopes implements steps.Runner; it returns Missing.
func (r *Runner) MissingScopes(steps.Choices) []string {
	_ = r.Record("MissingScopes")
	return r.Missing
}

// ListApps implements steps.Runner; it returns Apps.
func (r *Runner) ListApps(context.Context) ([]steps.AppSummary, error) {
	return r.Apps, r.Record("ListApps")
}

// PlanUIApp implements steps.Runner: UIPlan, else the creation of c.AppName
// (or the update of c.AppID) with the sign-in URLs of c.OMURL.
func (r *Runner) PlanUIApp(_ context.Context, c steps.Choices) (*steps.UIPlan, error) {
	r.LastChoices = c
	if err := r.Record(fmt.Sprintf("PlanUIApp(%s,%s,%s,%s)", c.AppName, c.AppID, c.ClientType, c.Version)); err != nil {
		return nil, err
	}
	if r.UIPlan != nil {
		return r.UIPlan, nil
	}
	fields := []steps.FieldChange{
		{Field: "callbacks", To: c.OMURL + "/callback"},
		{Field: "web_origins", To: c.OMURL},
		{Field: "allowed_logout_urls", To: c.OMURL},
	}
	if c.AppID != "" {
		return r.remember(steps.NewUIPlan([]steps.Change{{Action: steps.Update, Resource: steps.Application, Name: c.AppName, Fields: fields}}), c), nil
	}
	appType := "spa"
	if c.ClientType == openmetadata.Confidential {
		appType = "regular_web"
	}
	fields = append([]steps.FieldChange{{Field: "app_type", To: appType}}, fields...)
	return r.remember(steps.NewUIPlan([]steps.Change{{Action: steps.Create, Resource: steps.Application, Name: c.AppName, Fields: fields}}), c), nil
}

// ApplyUIApp implements steps.Runner: UI, else the application the plan's
// Choices describe (UIClientID, or their AppID).
func (r *Runner) ApplyUIApp(_ context.Context, p *steps.UIPlan) (*steps.App, error) {
	c := r.choicesOf(p)
	app := r.UI
	if err := r.Record("ApplyUIApp(" + cmpOr(app, c.AppName) + ")"); err != nil {
		return nil, err
	}
	if app == nil {
		app = &steps.App{ClientID: UIClientID, ClientSecret: UIClientSecret, Name: c.AppName, AppType: "spa", Created: c.AppID == ""}
		if c.AppID != "" {
			app.ClientID = c.AppID
		}
	}
	if app.Created {
		r.addCreated(fmt.Sprintf("application %q (client id %s)", app.Name, app.ClientID))
	}
	return app, nil
}

// ManagementAPIScopes implements steps.Runner; it returns Scopes.
func (r *Runner) ManagementAPIScopes(context.Context) ([]steps.Scope, error) {
	return r.Scopes, r.Record("ManagementAPIScopes")
}

// PlanServiceAccount implements steps.Runner: SAPlan, else a new
// application c.BotAppName (or the change of the UI application in "same"
// mode) and a grant of c.Scopes; no change in "skip" mode.
func (r *Runner) PlanServiceAccount(_ context.Context, c steps.Choices, ui *steps.App) (*steps.ServiceAccountPlan, error) {
	r.LastChoices = c
	r.PlannedUI = ui
	if err := r.Record(fmt.Sprintf("PlanServiceAccount(%s,%s,%s)", c.ServiceAccount, c.BotAppName, strings.Join(c.Scopes, " "))); err != nil {
		return nil, err
	}
	if r.SAPlan != nil {
		return r.SAPlan, nil
	}
	if c.ServiceAccount == steps.Skip {
		return r.rememberSA(steps.NewServiceAccountPlan(nil), c), nil
	}
	grant := steps.Change{Action: steps.Create, Resource: steps.ClientGrant, Name: r.Domain.ManagementAudience(),
		Fields: []steps.FieldChange{{Field: "scope", To: strings.Join(c.Scopes, " ")}}}
	if c.ServiceAccount == steps.Same {
		return r.rememberSA(steps.NewServiceAccountPlan([]steps.Change{{
			Action: steps.Update, Resource: steps.Application, Name: c.AppName,
			Fields:      []steps.FieldChange{{Field: "token_endpoint_auth_method", From: "none", To: "client_secret_basic"}},
			Consequence: "a public SPA whose token endpoint method is Basic can no longer complete the browser sign-in",
		}, grant}), c), nil
	}
	return r.rememberSA(steps.NewServiceAccountPlan([]steps.Change{{Action: steps.Create, Resource: steps.Application, Name: c.BotAppName,
		Fields: []steps.FieldChange{{Field: "app_type", To: "non_interactive"}, {Field: "grant_types", To: "client_credentials"}}}, grant}), c), nil
}

// StartServiceAccount implements steps.Runner. It only records the call,
// for a separate service account (for any other plan the Session does
// nothing either): ApplyServiceAccount does the work.
func (r *Runner) StartServiceAccount(_ context.Context, p *steps.ServiceAccountPlan) {
	if c := r.choicesOf(p); c.ServiceAccount == steps.Separate {
		_ = r.Record("StartServiceAccount(separate)")
	}
}

// ApplyServiceAccount implements steps.Runner: SA, else a new application
// BotClientID and its grant, as the plan's Choices describe.
func (r *Runner) ApplyServiceAccount(_ context.Context, p *steps.ServiceAccountPlan) (*steps.ServiceAccount, error) {
	c := r.choicesOf(p)
	call := "ApplyServiceAccount(" + string(c.ServiceAccount) + ")"
	if r.SA != nil {
		call = "ApplyServiceAccount(" + string(r.SA.Mode) + ")"
	}
	if err := r.Record(call); err != nil {
		return nil, err
	}
	if r.SA != nil {
		return r.SA, nil
	}
	if c.ServiceAccount == steps.Skip {
		return &steps.ServiceAccount{Mode: steps.Skip}, nil
	}
	app := &steps.App{ClientID: BotClientID, ClientSecret: BotClientSecret, Name: c.BotAppName, AppType: "non_interactive", Created: true}
	r.addCreated(fmt.Sprintf("application %q (client id %s)", c.BotAppName, app.ClientID), "client grant for the Auth0 Management API")
	return &steps.ServiceAccount{Mode: c.ServiceAccount, App: app,
		Grant: &steps.Grant{ID: "cgr_1", ClientID: app.ClientID, Audience: r.Domain.ManagementAudience(), Scopes: c.Scopes, Created: true}}, nil
}

// Verify implements steps.Runner; it returns Verification.
func (r *Runner) Verify(context.Context, steps.Choices, *steps.App, *steps.ServiceAccount) steps.Verification {
	_ = r.Record("Verify")
	return r.Verification
}

// Created implements steps.Runner: what ApplyUIApp and ApplyServiceAccount
// created so far, and whatever SetCreated set.
func (r *Runner) Created(context.Context) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.created)
}

// SetCreated replaces what Created reports.
func (r *Runner) SetCreated(created ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = slices.Clone(created)
}

func (r *Runner) addCreated(what ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = append(r.created, what...)
}

func (r *Runner) remember(p *steps.UIPlan, c steps.Choices) *steps.UIPlan {
	r.rememberChoices(p, c)
	return p
}

func (r *Runner) rememberSA(p *steps.ServiceAccountPlan, c steps.Choices) *steps.ServiceAccountPlan {
	r.rememberChoices(p, c)
	return p
}

func (r *Runner) rememberChoices(p any, c steps.Choices) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.choices == nil {
		r.choices = map[any]steps.Choices{}
	}
	r.choices[p] = c
}

// choicesOf are the Choices plan p was computed for; LastChoices for a
// canned plan.
func (r *Runner) choicesOf(p any) steps.Choices {
	r.mu.Lock()
	defer r.mu.Unlock()
	if c, ok := r.choices[p]; ok {
		return c
	}
	return r.LastChoices
}

// cmpOr is the canned application's name, else name.
func cmpOr(app *steps.App, name string) string {
	if app != nil {
		return app.Name
	}
	return name
}
