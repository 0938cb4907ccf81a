package steps

import (
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// ServiceAccountMode says where the guide's "Ingestion Bot" service account lives.
type ServiceAccountMode string

const (
	// Separate creates a Machine-to-Machine application (recommended).
	Separate ServiceAccountMode = "separate"
	// Same modifies the UI application exactly as the guide says (Basic + client_credentials).
	Same ServiceAccountMode = "same"
	// Skip creates no service account.
	Skip ServiceAccountMode = "skip"
)

// ParseServiceAccountMode accepts separate, same or skip.
func ParseServiceAccountMode(s string) (ServiceAccountMode, error) {
	switch m := ServiceAccountMode(strings.ToLower(strings.TrimSpace(s))); m {
	case Separate, Same, Skip:
		return m, nil
	}
	return "", &Error{Op: "read --service-account", Meaning: "service account mode " + strconvQuote(s) + " is unknown", Hint: "use separate, same or skip"}
}

// DefaultServiceAccountMode is separate for OpenMetadata ≤ 1.0 (its ingestion needs
// Auth0 client credentials) and skip for later versions (ingestion uses a JWT).
func DefaultServiceAccountMode(v openmetadata.Version) ServiceAccountMode {
	if v.Band() == openmetadata.BandLegacy {
		return Separate
	}
	return Skip
}

// Choices are the operator's answers that the Auth0 steps act on.
type Choices struct {
	OMURL          string // OpenMetadata base URL, no trailing slash
	Version        openmetadata.Version
	ClientType     openmetadata.ClientType
	AppName        string // UI application name (default "OpenMetadata")
	AppID          string // reuse this application instead of finding/creating one
	ServiceAccount ServiceAccountMode
	BotAppName     string   // separate service-account application name
	Scopes         []string // Management API scopes for the service account
	AppNameGiven   bool     // AppName was asked for (--app-name): an application found by its marker under another name is renamed to it
	// Recorded are the ids a previous run wrote to answers.yaml: the
	// applications are read by id instead of listing the tenant, and used
	// only while they carry om-auth0's marker for OMURL.
	Recorded Recorded
}

// Recorded are the ids of what om-auth0 set up, as answers.yaml records
// them (no secret). Empty ids are unknown.
type Recorded struct {
	UIAppID          string // the UI application (ui_app_id)
	ServiceAccountID string // the separate service account (service_account_id)
	GrantID          string // the service account's Management API grant (grant_id)
}

// App is an Auth0 application as the steps know it.
type App struct {
	ClientID                string
	ClientSecret            string // empty when unknown (existing app read without read:client_keys)
	Name                    string
	AppType                 string // spa, regular_web, non_interactive, ...
	TokenEndpointAuthMethod string
	GrantTypes              []string
	Callbacks               []string
	WebOrigins              []string
	AllowedLogoutURLs       []string
	Created                 bool // created by this run
	// ManagementGrant is the application's client grant for the Auth0
	// Management API that the UI step set up because OpenMetadata's
	// validator asks for such a token (a confidential client on 1.10 and
	// later, unless the application is also the service account, whose
	// grant it then is); nil otherwise.
	ManagementGrant *Grant
	// SecretUnavailable says why ClientSecret is empty although the chosen path
	// needs it (e.g. read:client_keys is missing); empty otherwise.
	SecretUnavailable string
}

// AppSummary is one row of the application picker.
type AppSummary struct {
	ClientID string
	Name     string
	AppType  string
}

// Scope is one scope the Auth0 Management API defines.
type Scope struct {
	Value       string
	Description string
}

// Broad reports whether the scope can change or delete tenant data
// (create:, update:, delete: and the like), which the scope picker flags.
func (s Scope) Broad() bool {
	verb, _, _ := strings.Cut(s.Value, ":")
	return verb != "read"
}

// Grant is a client grant: an application's authorization to call an API with scopes.
type Grant struct {
	ID       string
	ClientID string
	Audience string
	Scopes   []string
	Created  bool // created by this run
}

// ServiceAccount is the result of the Create Service Account section.
type ServiceAccount struct {
	Mode  ServiceAccountMode
	App   *App   // nil when skipped
	Grant *Grant // nil when skipped
}

// Action is what a planned change does.
type Action string

const (
	// Create makes a new resource.
	Create Action = "create"
	// Update changes an existing resource.
	Update Action = "update"
	// Keep leaves an existing resource as it is.
	Keep Action = "keep"
	// Delete removes a resource: a duplicate application om-auth0 marked, or
	// what om-auth0 created (om-auth0 remove).
	Delete Action = "delete"
)

// FieldChange is one field a planned change sets.
type FieldChange struct {
	Field string `json:"field"`          // Auth0 field name, e.g. "callbacks"; "application" names a grant's application still to be created
	From  string `json:"from,omitempty"` // empty for a create
	To    string `json:"to"`
}

// ResourceKind is the kind of Auth0 resource a change is about, worded as
// the plan and --json name it.
type ResourceKind string

const (
	// Application is an Auth0 application (a client).
	Application ResourceKind = "application"
	// ClientGrant is an application's authorization to call an API with scopes.
	ClientGrant ResourceKind = "client grant"
)

// Change is one resource a step would create, update or keep.
type Change struct {
	Action   Action        `json:"action"`
	Resource ResourceKind  `json:"resource"`
	Name     string        `json:"name"` // application name, or grant audience
	Fields   []FieldChange `json:"fields,omitempty"`
	// Reason says why the change is planned when sign-in alone would not
	// need it (what OpenMetadata's validator asks of a confidential client).
	Reason string `json:"reason,omitempty"`
	// Consequence names what the change breaks, when it does (e.g. the guide's
	// "same" mode on a public SPA); a plan with one needs explicit confirmation.
	Consequence string `json:"consequence,omitempty"`
	// Note says which application the change is about when its name is not
	// the one asked for: "found by its marker: application "Old" (id)".
	Note string `json:"note,omitempty"`
}

// Plan is what a step would do, computed without changing anything: the
// changes every step's plan lists. It is shown for --dry-run and on the
// wizard's confirmation screens. UIPlan and ServiceAccountPlan carry a Plan
// and what their step needs to apply exactly these changes.
type Plan struct {
	Changes []Change
}

// UIPlan is PlanUIApp's plan for the application behind OpenMetadata's sign-in page.
type UIPlan struct {
	Plan
	state *uiState // nil for a plan that a *Session did not make
}

// NewUIPlan is a plan of changes only, for Runners other than *Session
// (test doubles): its App is nil and a *Session refuses to apply it.
func NewUIPlan(changes []Change) *UIPlan { return &UIPlan{Plan: Plan{Changes: changes}} }

// AsPlan is the plan's changes, nil for a nil plan.
func (p *UIPlan) AsPlan() *Plan {
	if p == nil {
		return nil
	}
	return &p.Plan
}

// App is the application the plan ends with, as far as it is known before
// it is applied: an existing application's client id, name and type as the
// plan leaves them (and its secret when it was read), or a new one's name
// and type with an empty client id. Created is false: nothing is created
// until the plan is applied. It is nil for plans that PlanUIApp of a
// *Session did not make.
func (p *UIPlan) App() *App {
	if p == nil || p.state == nil {
		return nil
	}
	return p.state.target.app(false)
}

// RecordedNote says why the UI application's id that answers.yaml
// recorded was not used (gone, or no longer marked for this OpenMetadata);
// empty when it was used or none was recorded. The plan line's Note says
// it too.
func (p *UIPlan) RecordedNote() string {
	if p == nil || p.state == nil {
		return ""
	}
	return p.state.note
}

// ServiceAccountPlan is PlanServiceAccount's plan for the ingestion bot's
// service account and its Management API grant.
type ServiceAccountPlan struct {
	Plan
	state *saState // nil for a plan that a *Session did not make
}

// NewServiceAccountPlan is a plan of changes only, for Runners other than
// *Session (test doubles): its App and Grant are nil and a *Session refuses
// to apply it.
func NewServiceAccountPlan(changes []Change) *ServiceAccountPlan {
	return &ServiceAccountPlan{Plan: Plan{Changes: changes}}
}

// AsPlan is the plan's changes, nil for a nil plan.
func (p *ServiceAccountPlan) AsPlan() *Plan {
	if p == nil {
		return nil
	}
	return &p.Plan
}

// App is the service-account application the plan ends with, as UIPlan.App
// describes. It is nil when the service account is skipped and for plans
// that PlanServiceAccount of a *Session did not make.
func (p *ServiceAccountPlan) App() *App {
	if p == nil || p.state == nil || p.state.mode == Skip {
		return nil
	}
	app := p.state.target.app(false)
	if app.ClientSecret == "" && p.state.current != nil {
		// The secret of an existing bot is read alongside the plan, after its target was made.
		app.ClientSecret = p.state.current.ClientSecret
	}
	return app
}

// RecordedNote is UIPlan.RecordedNote for the service account's id.
func (p *ServiceAccountPlan) RecordedNote() string {
	if p == nil || p.state == nil {
		return ""
	}
	return p.state.note
}

// Grant is the Management API client grant a service-account plan ends
// with: the existing grant's id (empty for one to be created), its
// application's client id (empty while that is to be created) and the
// scopes it will hold. It is nil when the service account is skipped and
// for plans that PlanServiceAccount of a *Session did not make. Created is
// false, as for App.
func (p *ServiceAccountPlan) Grant() *Grant {
	if p == nil || p.state == nil || p.state.mode == Skip {
		return nil
	}
	return p.state.grant.planned(p.state.target.ClientID)
}

// Writes reports whether applying the plan changes the tenant.
func (p *Plan) Writes() bool {
	for _, c := range p.Changes {
		if c.Action != Keep {
			return true
		}
	}
	return false
}

// NeedsConfirmation reports whether a change carries a consequence that the
// operator must accept explicitly.
func (p *Plan) NeedsConfirmation() bool {
	for _, c := range p.Changes {
		if c.Consequence != "" {
			return true
		}
	}
	return false
}

// Check is one named verification, passed or failed with the reason.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail,omitempty"`
}

// Verification is the list of checks the Verify step ran.
type Verification struct {
	Checks []Check
}

// OK reports whether every check passed.
func (v Verification) OK() bool {
	for _, c := range v.Checks {
		if !c.OK {
			return false
		}
	}
	return true
}

func strconvQuote(s string) string { return "\"" + s + "\"" }

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
