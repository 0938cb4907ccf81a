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
)

// FieldChange is one field a planned change sets.
type FieldChange struct {
	Field string `json:"field"`          // Auth0 field name, e.g. "callbacks"; "application" names a grant's application still to be created
	From  string `json:"from,omitempty"` // empty for a create
	To    string `json:"to"`
}

// Value is the field's change as text: "from <arrow> to" for an update, the
// new value for a create.
func (f FieldChange) Value(arrow string) string {
	if f.From != "" {
		return f.From + " " + arrow + " " + f.To
	}
	return f.To
}

// Change is one resource a step would create, update or keep.
type Change struct {
	Action   Action        `json:"action"`
	Resource string        `json:"resource"` // "application", "client grant"
	Name     string        `json:"name"`     // application name, or grant audience
	Fields   []FieldChange `json:"fields,omitempty"`
	// Consequence names what the change breaks, when it does (e.g. the guide's
	// "same" mode on a public SPA); a plan with one needs explicit confirmation.
	Consequence string `json:"consequence,omitempty"`
}

// Mark is the change's one-character sign in a plan: + create, ~ update, = keep.
func (c Change) Mark() string {
	return map[Action]string{Create: "+", Update: "~", Keep: "="}[c.Action]
}

// Plan is what a step would do, computed without changing anything.
// It is shown for --dry-run and on the wizard's confirmation screens, and
// applying it performs exactly these changes.
type Plan struct {
	Changes []Change
	state   any // the step's own data for Apply
}

// NewPlan builds a plan; state is the step's private data for applying it.
func NewPlan(changes []Change, state any) *Plan { return &Plan{Changes: changes, state: state} }

// State returns the step's private data.
func (p *Plan) State() any { return p.state }

// App is the application the plan ends with, as far as it is known before
// it is applied: an existing application's client id, name and type as the
// plan leaves them (and its secret when it was read), or a new one's name
// and type with an empty client id. Created is false: nothing is created
// until the plan is applied. It is nil for a plan without an application
// (the service account skipped) and for plans that PlanUIApp or
// PlanServiceAccount of a *Session did not make.
func (p *Plan) App() *App {
	if st, ok := planState[*uiState](p); ok {
		return st.target.app(false)
	}
	if st, ok := planState[*saState](p); ok && st.mode != Skip {
		return st.target.app(false)
	}
	return nil
}

// Grant is the Management API client grant a service-account plan ends
// with: the existing grant's id (empty for one to be created), its
// application's client id (empty while that is to be created) and the
// scopes it will hold. It is nil for other plans and when the service
// account is skipped. Created is false, as for App.
func (p *Plan) Grant() *Grant {
	st, ok := planState[*saState](p)
	if !ok || st.mode == Skip {
		return nil
	}
	g := &Grant{ClientID: st.target.ClientID, Audience: st.audience, Scopes: slices.Clone(st.scopes)}
	if g.Scopes == nil {
		g.Scopes = []string{}
	}
	if st.grant != nil {
		g.ID = st.grant.ID
	}
	return g
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
