package wizard

import (
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// The form builders are shared by both drivers: the TUI embeds the form in
// its frame, the accessible driver runs it with form.Run in accessible mode.
// Every field is bound to the pointer-held draft, so answers survive going
// back, and each builder records its validators for the TUI's live check.

// form builds the form of step s; height is the rows it may use (0: any).
func (f *flow) form(s guide.ID, height int) *huh.Form {
	f.validators = map[string]func(string) error{}
	f.secrets = map[string]*huh.Input{}
	f.choices = map[string][]string{}
	d := f.d
	var fields []huh.Field
	switch s {
	case guide.StepConnectForm:
		fields = append(fields,
			f.input("domain", "Auth0 tenant domain", "From the Auth0 dashboard, like acme.us.auth0.com.", &d.domain, validDomain),
			f.choose("method", "Management API credentials", "", &d.method,
				huh.NewOption("Client ID and secret of a Machine-to-Machine application (recommended)", methodClient),
				huh.NewOption("A Management API token (from the API Explorer; it expires)", methodToken)))
	case guide.StepConnectCreds:
		if d.method == methodToken {
			fields = append(fields, f.secret("apiToken", "Management API token", "", &d.apiToken, nonEmpty("the token")))
			break
		}
		const where = "The application authorized for the Auth0 Management API (APIs > Auth0 Management API)."
		fields = append(fields,
			f.input("clientID", "Client ID", where, &d.clientID, validClientID),
			f.secret("clientSecret", "Client Secret", "", &d.clientSecret, nonEmpty("the client secret")))
	case guide.StepOMURL:
		in := f.input("omURL", "OpenMetadata URL", "", &d.omURL, validOMURL)
		if !f.accessible {
			in.DescriptionFunc(func() string {
				om, err := openmetadata.CheckURL(d.omURL)
				if err != nil {
					return "The address your users open OpenMetadata at."
				}
				return om + "/callback will be an allowed callback."
			}, &d.omURL)
		}
		fields = append(fields, in)
	case guide.StepServerForm:
		// The accessible driver says the detect note on its own line just
		// before this prompt; the TUI shows it in the description below.
		ver := f.input("version", "OpenMetadata version", versionHelp(""), &d.version, validVersion)
		if !f.accessible {
			ver.DescriptionFunc(func() string {
				if note := f.detectNote(); note != "" {
					return note + "\n" + versionHelp(d.version)
				}
				return versionHelp(d.version)
			}, &d.version)
		}
		ct := f.choose("clientType", "Client type", "Confidential (1.5+) adds the client secret to OpenMetadata's config; public keeps none.", &d.clientType,
			huh.NewOption("Public — single-page app; sign-in happens in the browser (recommended)", string(openmetadata.Public)),
			huh.NewOption("Confidential — regular web app; the server holds a client secret (1.5+)", string(openmetadata.Confidential)))
		f.validators["clientType"] = func(v string) error {
			ver, err := openmetadata.ParseVersion(d.version)
			if err != nil {
				return nil
			}
			return clientTypeFits(openmetadata.ClientType(v), ver)
		}
		ct.Validate(f.validators["clientType"])
		fields = append(fields, ver, ct,
			f.choose("appChoice", "Application", "", &d.appChoice,
				huh.NewOption("Create it, or reuse the one om-auth0 made before", appCreate),
				huh.NewOption("Use an existing application…", appExisting)),
			f.input("appName", "Application name", "The name to create it with, and to find it by on the next run.", &d.appName, setup.CheckAppName))
	case guide.StepServiceForm:
		fields = append(fields, f.choose("saMode", "Service account", serviceAccountHelp(f.Cfg.Choices.Version), &d.saMode,
			huh.NewOption("Separate — a Machine-to-Machine application (recommended)", string(steps.Separate)),
			huh.NewOption("Same — the UI application itself, as the guide does it", string(steps.Same)),
			huh.NewOption("Skip — no service account", string(steps.Skip))))
	case guide.StepBotName:
		fields = append(fields, f.input("botName", "Service account application name",
			"A Machine-to-Machine application, found again by this name on the next run.", &d.botName, f.validBotName))
	case guide.StepScopes:
		fields = append(fields, f.scopePicker(height))
	case guide.StepDeployForm:
		fields = append(fields, f.choose("target", "Where does OpenMetadata run?", "", &d.target, targetOptions(d.target)...))
		if f.askPrincipals {
			dom := f.input("principalDomain", "Principal domain", "Your users' email domain, like acme.com; left empty, the domain of the admins' emails.",
				&d.principalDomain, validPrincipalDomainFor(&d.admins))
			if !f.accessible {
				dom.PlaceholderFunc(func() string { return emailDomain(d.admins) }, &d.admins)
			}
			fields = append(fields,
				f.input("admins", "Admin principals", "OpenMetadata's admins, comma separated: emails like john.doe@acme.com, or the part before @.", &d.admins, validPrincipals),
				dom)
		}
	case guide.StepApplyForm:
		fields = append(fields, f.choose("applyChoice", "Apply the settings to OpenMetadata at "+f.Cfg.Choices.OMURL+" now?",
			"om-auth0 shows the plan and OpenMetadata's validation of it, and asks before it stores anything.", &d.applyChoice,
			huh.NewOption("Apply now", applyNow),
			huh.NewOption("Not now — show me the manual steps", applyNotNow)))
	case guide.StepApplyCredKind:
		fields = append(fields, f.choose("omCred", "OpenMetadata administrator", "The credential goes to "+f.Cfg.Choices.OMURL+" only; it is never written.", &d.omCred,
			huh.NewOption("A personal access token of an administrator (recommended)", omCredToken),
			huh.NewOption("Basic sign-in: an administrator's email and password (while the provider is basic)", omCredBasic)))
	case guide.StepApplyCreds:
		if d.omCred == omCredToken {
			fields = append(fields, f.secret("omToken", "Administrator's token", "In OpenMetadata: Settings > Users > your profile > Access Token.", &d.omToken, nonEmpty("the token")))
			break
		}
		fields = append(fields,
			f.input("omEmail", "Administrator's email", "", &d.omEmail, nonEmpty("the email")),
			f.secret("omPassword", "Password", "", &d.omPassword, nonEmpty("the password")))
	case guide.StepApplyConfirm:
		fields = append(fields, f.confirmApply())
	case guide.StepIngestForm:
		fields = append(fields, f.secret("jwt", "Ingestion-bot JWT (optional)",
			"In OpenMetadata: Settings > Bots > ingestion-bot > copy the token. Leave empty to write a placeholder.", &d.jwt, validJWT))
	case guide.StepConfirm:
		fields = append(fields, f.confirm(&steps.Plan{Changes: f.Plan()}))
	default:
		return nil
	}
	return huh.NewForm(huh.NewGroup(fields...))
}

// input is a text field with its validator; in accessible mode the prompt
// carries the explanation and the default, and an empty answer keeps it.
func (f *flow) input(key, title, desc string, v *string, validate func(string) error) *huh.Input {
	in := huh.NewInput().Key(key).Value(v)
	f.validators[key] = validate
	if f.accessible {
		in.Title(accessibleTitle(title, desc, "[enter: "+*v+"]", *v != ""))
		in.Validate(keepDefault(*v, validate))
		return in
	}
	return in.Title(title).Description(desc).Validate(validate)
}

// secret is an input with password echo; the TUI reveals it on ctrl+r.
func (f *flow) secret(key, title, desc string, v *string, validate func(string) error) *huh.Input {
	in := f.input(key, title, desc, v, validate).EchoMode(huh.EchoModePassword)
	if _, seen := f.revealed[key]; !seen && f.opts.RevealSecrets {
		f.revealed[key] = true
	}
	if f.revealed[key] {
		in.EchoMode(huh.EchoModeNormal)
	}
	if f.accessible {
		in.Title(accessibleTitle(title, desc, "[enter keeps the value given]", *v != ""))
	}
	f.secrets[key] = in
	return in
}

// choose is a select over options; v holds the default.
func (f *flow) choose(key, title, desc string, v *string, opts ...huh.Option[string]) *huh.Select[string] {
	sel := huh.NewSelect[string]().Key(key).Options(opts...).Value(v)
	for _, o := range opts {
		f.choices[key] = append(f.choices[key], o.Value)
	}
	if f.accessible {
		def := ""
		for _, o := range opts {
			if o.Value == *v {
				def, _, _ = strings.Cut(o.Key, " — ")
			}
		}
		return sel.Title(accessibleTitle(title, desc, "[enter: "+def+"]", def != ""))
	}
	return sel.Title(title).Description(desc)
}

func accessibleTitle(title, desc, def string, hasDef bool) string {
	if desc != "" && strings.HasSuffix(title, "?") {
		title += " " + desc
	} else if desc != "" {
		title += ". " + desc
	}
	if hasDef {
		title += " " + def
	}
	return title
}

// keepDefault accepts an empty answer when there is a default: accessible
// prompts then keep the default, as they say.
func keepDefault(def string, validate func(string) error) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" && def != "" {
			return nil
		}
		return validate(s)
	}
}

// confirm asks before a plan is applied. A plan with a consequence (the
// guide's "same" mode on a public SPA) needs an explicit yes: No is the default.
func (f *flow) confirm(p *steps.Plan) *huh.Confirm {
	c := huh.NewConfirm().Key("confirm").Value(&f.d.confirmed)
	if p != nil && p.NeedsConfirmation() {
		f.d.confirmed = false
		return c.Title("Apply this change anyway?").Affirmative("Yes, apply it").Negative("No, go back")
	}
	f.d.confirmed = true
	verb := "Apply"
	if p != nil {
		for _, ch := range p.Changes {
			if ch.Action == steps.Create {
				verb = "Create"
				break
			}
			if ch.Action == steps.Update {
				verb = "Update"
			}
		}
	}
	return c.Title(verb + " in Auth0?").Affirmative(verb).Negative("Back")
}

// scopeRowWidth is the most a scope's row may take: an 80-column terminal
// less the margins and the field's "┃ > [ ] ". A wider option wraps onto a
// row of its own, which the list does not count, and its end is lost.
const scopeRowWidth = 80 - 2 - 8

// confirmApply asks before the settings are stored in OpenMetadata: No is
// the default, as storing them ends the sessions of the old provider.
func (f *flow) confirmApply() *huh.Confirm {
	f.d.confirmed = false
	c := huh.NewConfirm().Key("confirm").Value(&f.d.confirmed)
	if f.ApplyValidationErr() != nil {
		return c.Title("OpenMetadata's validation failed. Store the settings anyway?").Affirmative("Store anyway").Negative("No")
	}
	return c.Title("Store these settings in OpenMetadata?").Affirmative("Store").Negative("No")
}

// scopePicker is the filterable MultiSelect over the Management API's
// scopes. Nothing is selected unless the operator asked for scopes.
func (f *flow) scopePicker(height int) *huh.MultiSelect[string] {
	name := f.Cfg.Choices.BotAppName
	if f.Cfg.Choices.ServiceAccount == steps.Same {
		name = f.Cfg.Choices.AppName
	}
	opts := make([]huh.Option[string], len(f.Scopes))
	for i, s := range f.Scopes {
		flag := ""
		if s.Broad() {
			flag = "broad"
		}
		opts[i] = huh.NewOption(truncate(fmt.Sprintf("%-30s %-5s  %s", s.Value, flag, s.Description), scopeRowWidth), s.Value)
	}
	title := fmt.Sprintf("Authorize the Auth0 Management API for %q", name)
	ms := huh.NewMultiSelect[string]().Key("scopes").Options(opts...).Value(&f.d.scopes).Filterable(true)
	if f.accessible {
		return ms.Title(title + ". " + scopesWhy + " Broad scopes can change or delete tenant data.")
	}
	ms.Title(title).Description(scopesWhy)
	if height > 0 {
		ms.Height(min(height, len(opts)+3))
	}
	return ms
}

// targetOptions are the deployment choices; a combination given on the
// command line (docker,kubernetes) is offered as it is.
func targetOptions(current string) []huh.Option[string] {
	var opts []huh.Option[string]
	for _, t := range render.Targets {
		opts = append(opts, huh.NewOption(t.Title+" — "+t.Summary, string(t.Name)))
	}
	opts = append(opts, huh.NewOption("All of them", targetAll))
	if strings.Contains(current, ",") {
		opts = append(opts, huh.NewOption(strings.ReplaceAll(current, ",", " + "), current))
	}
	return opts
}
