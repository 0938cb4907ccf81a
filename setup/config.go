// Package setup holds the resolved configuration of one setup run and turns
// its results into the renderers' input and the answers file. The interactive
// wizard and the non-interactive `setup --no-input` both go through it.
package setup

import (
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// Config is a setup run's answers, parsed and typed.
type Config struct {
	Connect         steps.ConnectRequest
	Choices         steps.Choices
	Targets         []openmetadata.Target
	Namespace       string // Kubernetes namespace of OpenMetadata's Helm release
	Release         string // name of OpenMetadata's Helm release
	Admins          []string
	PrincipalDomain string
	IngestionJWT    string
	Out             string
	// Apply puts the settings into the running OpenMetadata (1.10+) after
	// a non-interactive setup: setup --apply, or apply: true in answers.yaml.
	Apply bool
	// Previous is what answers.yaml in Out recorded, when no answers file
	// was given: its ids are hints for a re-run with the same answers (see
	// UsePrevious). nil otherwise.
	Previous *PreviousRun
}

// Domain is the tenant domain.
func (c *Config) Domain() tenant.Domain { return c.Connect.Domain }

// RenderInput is the renderers' input for the applications the run ended with.
// sa may be nil (skipped); ui must be set.
func (c *Config) RenderInput(ui *steps.App, sa *steps.ServiceAccount) render.Input {
	in := render.Input{
		Tenant:          c.Connect.Domain,
		OMURL:           strings.TrimRight(c.Choices.OMURL, "/"),
		Version:         c.Choices.Version,
		ClientType:      c.Choices.ClientType,
		AdminPrincipals: c.Admins,
		PrincipalDomain: c.PrincipalDomain,
		IngestionJWT:    c.IngestionJWT,
		Namespace:       c.Namespace,
		Release:         c.Release,
	}
	if ui != nil {
		in.UI = render.Credentials{ClientID: ui.ClientID, ClientSecret: ui.ClientSecret}
	}
	if sa != nil && sa.App != nil {
		in.ServiceAccount = &render.Credentials{ClientID: sa.App.ClientID, ClientSecret: sa.App.ClientSecret}
	}
	in.ClientAuthMethod = clientAuthMethod(ui, sa)
	return in
}

// clientAuthMethod is the token endpoint auth method the UI application ended
// with, which OpenMetadata's confidential client must use too: Basic when the
// application is also the service account (the steps switch it to Basic, as
// the guide does), else the application's own method when OpenMetadata
// supports it, else "" (openmetadata.ConfidentialAuthMethod).
func clientAuthMethod(ui *steps.App, sa *steps.ServiceAccount) string {
	if sa != nil && sa.Mode == steps.Same {
		return openmetadata.BasicAuthMethod
	}
	if ui != nil {
		switch ui.TokenEndpointAuthMethod {
		case openmetadata.ConfidentialAuthMethod, openmetadata.BasicAuthMethod:
			return ui.TokenEndpointAuthMethod
		}
	}
	return ""
}

// Answers is the replayable, secret-free form of the configuration, with
// the ids it was given (see RecordIDs for those a run ended with).
func (c *Config) Answers() answers.Answers {
	targets := make([]string, len(c.Targets))
	for i, t := range c.Targets {
		targets[i] = string(t)
	}
	domain := c.Connect.Domain.Host
	if c.Connect.Domain.Scheme != "https" {
		domain = c.Connect.Domain.String()
	}
	a := answers.Answers{
		Domain:          domain,
		ClientID:        c.Connect.ClientID,
		OMURL:           c.Choices.OMURL,
		OMVersion:       c.Choices.Version.String(),
		ClientType:      string(c.Choices.ClientType),
		AppName:         c.Choices.AppName,
		AppID:           c.Choices.AppID,
		ServiceAccount:  string(c.Choices.ServiceAccount),
		BotAppName:      c.Choices.BotAppName,
		Scopes:          c.Choices.Scopes,
		Targets:         targets,
		Admins:          c.Admins,
		PrincipalDomain: c.PrincipalDomain,
		Out:             c.Out,
		Apply:           applyAnswer(c.Apply),

		UIAppID:          c.Choices.Recorded.UIAppID,
		ServiceAccountID: c.Choices.Recorded.ServiceAccountID,
		GrantID:          c.Choices.Recorded.GrantID,
	}
	// Only the Kubernetes files and commands use them.
	if slices.Contains(c.Targets, render.Kubernetes) {
		a.Namespace, a.Release = c.Namespace, c.Release
	}
	return a
}

// RecordIDs sets, in a, the ids of the applications and grant the run
// ended with, for a re-run to read them by id. The UI application's id is
// not recorded when app_id names it already; a service account in "same"
// mode is the UI application.
func RecordIDs(a *answers.Answers, ui *steps.App, sa *steps.ServiceAccount) {
	if ui != nil && ui.ClientID != "" && a.AppID == "" {
		a.UIAppID = ui.ClientID
	}
	if sa == nil {
		return
	}
	a.ServiceAccountID = ""
	if sa.Mode == steps.Separate && sa.App != nil && sa.App.ClientID != "" {
		a.ServiceAccountID = sa.App.ClientID
	}
	a.GrantID = ""
	if sa.Grant != nil {
		a.GrantID = sa.Grant.ID
	}
}

// applyAnswer records --apply only when chosen: a replay without it then
// behaves as the run that wrote the file.
func applyAnswer(apply bool) *bool {
	if !apply {
		return nil
	}
	return new(true)
}
