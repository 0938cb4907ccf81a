// Package answers holds every answer the setup asks for except secrets: the
// value that flags, environment, an answers file and the wizard's prompts fill
// in, and that answers.yaml replays.
package answers

// Answers is every setup answer except secrets. Zero values mean "not given".
type Answers struct {
	Domain          string   `yaml:"domain,omitempty"`
	ClientID        string   `yaml:"client_id,omitempty"` // Management API application (not a secret)
	OMURL           string   `yaml:"om_url,omitempty"`
	OMVersion       string   `yaml:"om_version,omitempty"`
	ClientType      string   `yaml:"client_type,omitempty"`
	AppName         string   `yaml:"app_name,omitempty"`
	AppID           string   `yaml:"app_id,omitempty"`
	ServiceAccount  string   `yaml:"service_account,omitempty"`
	BotAppName      string   `yaml:"bot_app_name,omitempty"`
	Scopes          []string `yaml:"scopes,omitempty"`
	Targets         []string `yaml:"targets,omitempty"`
	Namespace       string   `yaml:"namespace,omitempty"` // Kubernetes namespace of OpenMetadata's Helm release
	Release         string   `yaml:"release,omitempty"`   // name of OpenMetadata's Helm release
	Admins          []string `yaml:"admins,omitempty"`
	PrincipalDomain string   `yaml:"principal_domain,omitempty"`
	Out             string   `yaml:"out,omitempty"`
	// Apply is whether setup puts the settings into a running OpenMetadata
	// 1.10+ (setup --apply); nil means not given. The OpenMetadata
	// credential it needs is never stored.
	Apply *bool `yaml:"apply,omitempty"`
	// The ids of what the run set up, so that a re-run reads them by id
	// instead of listing the tenant; each is used only while it carries
	// om-auth0's marker for om_url.
	UIAppID          string `yaml:"ui_app_id,omitempty"`          // the UI application (when app_id is not given)
	ServiceAccountID string `yaml:"service_account_id,omitempty"` // the separate service account
	GrantID          string `yaml:"grant_id,omitempty"`           // the service account's Management API grant
}

// Secrets are the answers never written to answers.yaml.
type Secrets struct {
	ClientSecret string // Management API application secret
	APIToken     string // Management API token (instead of client credentials)
	IngestionJWT string // ingestion-bot JWT for OpenMetadata ≥ 1.1
}
