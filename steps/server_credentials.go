package steps

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/termtext"
)

// uiState is PlanUIApp's private data for ApplyUIApp.
type uiState struct {
	choices    Choices
	current    *remoteApp // nil: the application is created
	target     remoteApp  // what the application looks like once applied
	patch      *management.Client
	needSecret bool
	duplicates []remoteApp // applications with the same marker, to delete
	grant      *grantPlan  // the Management API grant OpenMetadata's validator needs; nil: none
	note       string      // why the recorded id was not used, if it was not
}

// PlanUIApp implements Runner. It finds the application by c.AppID, else by
// its marker, else by name, and plans its creation or only the changes of
// the fields sign-in needs. Nothing is changed.
func (s *Session) PlanUIApp(ctx context.Context, c Choices) (*UIPlan, error) {
	omURL, err := checkOMURL(c.OMURL)
	if err != nil {
		return nil, err
	}
	name := firstNonEmpty(strings.TrimSpace(c.AppName), defaultAppName)
	st := &uiState{choices: c, needSecret: c.ClientType == openmetadata.Confidential || c.mode() == Same}
	readSecret := st.needSecret && s.has("read:client_keys")

	if c.validatorGrant() {
		// Created with no scopes; an existing grant's are the operator's.
		st.grant = &grantPlan{audience: s.domain.ManagementAudience(), scopes: []string{}, keepScopes: true, reason: validatorReason}
	}

	// Reads the service-account step will need run alongside this step's
	// own, instead of one round trip later; their failures are reported there.
	var bg crash.Group
	defer bg.Wait()
	if c.mode() != Skip && len(cleanScopes(c.Scopes)) > 0 && c.Recorded.GrantID == "" {
		bg.Go(func() { _, _ = s.ManagementAPIScopes(ctx) })
	}
	if id := strings.TrimSpace(c.Recorded.ServiceAccountID); c.mode() == Separate && id != "" {
		// The recorded service account and its grant, for PlanServiceAccount.
		bg.Go(s.prefetchRecorded(ctx, "service_account_id", id, RoleBot, omURL, s.has("read:client_keys")))
		bg.Go(func() { _, _ = s.grantOf(ctx, id, s.domain.ManagementAudience()) })
	}
	// The validator's grant is read alongside the application's secret.
	var (
		grantRead crash.Group
		grantErr  error
	)
	readGrant := func(clientID string) {
		switch {
		case st.grant != nil && s.known && !s.has("read:client_grants"):
			// Planned as a create: the preflight names the missing scope,
			// and doctor, which only reads, does not need the grant's id.
		case st.grant != nil:
			grantRead.Go(func() { st.grant.existing, grantErr = s.grantOf(ctx, clientID, st.grant.audience) })
		case c.mode() == Same:
			bg.Go(func() { _, _ = s.grantOf(ctx, clientID, s.domain.ManagementAudience()) })
		}
	}

	s.mu.Lock()
	s.omURL = omURL
	s.mu.Unlock()
	if c.AppID != "" && s.isSelf(strings.TrimSpace(c.AppID)) {
		return nil, s.refuseSelf("use application "+c.AppID, c.AppID)
	}
	err = s.findUIApp(ctx, st, name, omURL, readSecret, readGrant)
	grantRead.Wait()
	if err == nil {
		err = grantErr
	}
	if err != nil {
		return nil, err
	}

	st.target = uiTarget(c, omURL, name, st.current)
	var grant []Change
	if st.grant != nil {
		grant = []Change{st.grant.change(st.target)}
	}
	if st.current == nil {
		ch := Change{Action: Create, Resource: Application, Name: name, Fields: createFields(st.target), Reason: st.grantTypeReason(), Note: st.note}
		return uiPlan(st, append([]Change{ch}, grant...)...), nil
	}
	note := st.note
	if cur := st.current; c.AppID == "" && cur.Name != name {
		// Found by its marker (by name, it has this name): the one
		// om-auth0 set up for this URL before, renamed since or created
		// under another name. A name the operator gave renames it.
		note = joinNotes(note, fmt.Sprintf("found by its marker: application %q (%s)", cur.Name, termtext.Clean(cur.ClientID)))
		if c.AppNameGiven {
			st.target.Name = name
		}
	}
	d := diffApp(*st.current, st.target)
	dups := duplicateChanges(*st.current, st.duplicates, RoleUI, omURL)
	ch := Change{Action: Keep, Resource: Application, Name: st.current.Name, Note: note}
	if len(d.fields) > 0 {
		st.patch = &d.patch
		ch = Change{Action: Update, Resource: Application, Name: st.current.Name, Fields: d.fields, Reason: st.grantTypeReason(), Consequence: breaking(d), Note: note}
	}
	return uiPlan(st, append(append([]Change{ch}, dups...), grant...)...), nil
}

// grantTypeReason is the Reason of the application's change when it adds
// the client_credentials grant type for OpenMetadata's validator.
func (st *uiState) grantTypeReason() string {
	if st.grant == nil || (st.current != nil && slices.Contains(st.current.GrantTypes, grantClientCreds)) {
		return ""
	}
	return "grant type " + grantClientCreds + ": " + validatorReason
}

// findUIApp sets st.current to the application c.AppID names, else to the
// one answers.yaml recorded while it carries the marker, else to the one
// found by marker or name (nil: it is created), with its secret when
// readSecret; readGrant starts the read of its grant as soon as its client
// id is known.
func (s *Session) findUIApp(ctx context.Context, st *uiState, name, omURL string, readSecret bool, readGrant func(clientID string)) error {
	c := st.choices
	if id := strings.TrimSpace(c.Recorded.UIAppID); c.AppID == "" && id != "" {
		// The grant is read alongside, before the marker is confirmed:
		// readGrant then takes that answer instead of asking again.
		var spec crash.Group
		if st.grant != nil && (!s.known || s.has("read:client_grants")) || c.mode() == Same {
			spec.Go(func() { _, _ = s.grantOf(ctx, id, s.domain.ManagementAudience()) })
		}
		found, note, err := s.readRecorded(ctx, "ui_app_id", id, RoleUI, omURL, readSecret)
		if err != nil {
			spec.Wait()
			return err
		}
		if found != nil {
			readGrant(found.ClientID)
			spec.Wait()
			st.current = found
			return nil
		}
		spec.Wait()
		st.note = note
	}
	if c.AppID != "" {
		readGrant(c.AppID)
		fields := listFields
		if readSecret {
			fields = append(fields[:len(fields):len(fields)], "client_secret")
		}
		var mc *management.Client
		err := s.do(ctx, op{Name: "read application " + c.AppID, Scope: "read:clients",
			NotFound:     "application " + strconvQuote(c.AppID) + " does not exist in tenant " + s.domain.Host,
			NotFoundHint: "check --app-id (Applications > Applications > Settings shows the Client ID), or leave it empty to create one"},
			func(ctx context.Context) (err error) {
				mc, err = s.m.Client.Read(ctx, c.AppID, management.IncludeFields(fields...))
				if err == nil && mc == nil {
					err = auth0http.NoResult(http.MethodGet, "/api/v2/clients/"+c.AppID)
				}
				return err
			})
		if err != nil {
			return err
		}
		r := fromManagement(mc)
		st.current = &r
		return nil
	}
	apps, err := s.listApps(ctx, false)
	if err != nil {
		return err
	}
	found, dups, err := findApp(apps, RoleUI, omURL, name)
	if err != nil {
		return err
	}
	if err := s.checkCanDelete(found, dups, RoleUI, omURL); err != nil {
		return err
	}
	st.duplicates = dups
	if found != nil {
		readGrant(found.ClientID)
		if readSecret {
			if found.ClientSecret, err = s.readSecret(ctx, found.ClientID, found.Name); err != nil {
				return err
			}
		}
	}
	st.current = found
	return nil
}

// ApplyUIApp implements Runner.
func (s *Session) ApplyUIApp(ctx context.Context, p *UIPlan) (*App, error) {
	if p == nil || p.state == nil {
		return nil, &Error{Op: "apply the application plan", Meaning: "the plan was not made by PlanUIApp", Hint: "plan again"}
	}
	st := p.state
	// Only a run that applies goes on to Verify (doctor and --dry-run
	// plan, and check the tenant's keys their own way).
	s.startPublicReads(ctx)
	var (
		r       remoteApp
		created bool
		grant   *Grant
		err     error
	)
	switch {
	case st.current == nil:
		omURL := st.target.Metadata[MarkerOMURL]
		r, created, grant, err = s.createConverged(ctx, st.target.toCreate(description("Sign-in for OpenMetadata at", omURL)), RoleUI, omURL, st.grant)
	case st.patch != nil:
		r, err = s.updateApp(ctx, *st.current, st.patch)
	default:
		r = *st.current
	}
	if err == nil {
		err = s.deleteDuplicates(ctx, st.duplicates)
	}
	if err == nil && st.grant != nil && grant == nil {
		grant, err = s.applyGrant(ctx, r, *st.grant)
	}
	if err != nil {
		// A service account started alongside may be creating an
		// application still: what the run leaves behind is known only
		// once it is done.
		s.waitStarted()
		return nil, err
	}
	app := r.app(created)
	if st.needSecret && app.ClientSecret == "" {
		app.SecretUnavailable = s.secretUnavailable()
	}
	app.ManagementGrant = grant
	s.mu.Lock()
	keep := *app
	s.lastUI = &keep
	s.mu.Unlock()
	return app, nil
}

// uiTarget is the application sign-in needs: created whole, or the existing
// one with our values ensured and the operator's extra URLs kept.
func uiTarget(c Choices, omURL, name string, cur *remoteApp) remoteApp {
	t := remoteApp{
		Name:           name,
		AppType:        appTypeSPA,
		AuthMethod:     authNone,
		GrantTypes:     []string{grantAuthCode, grantRefresh},
		Callbacks:      []string{omURL + "/callback"},
		WebOrigins:     []string{omURL},
		LogoutURLs:     []string{omURL},
		OIDCConformant: true,
		Metadata:       marker(RoleUI, omURL),
	}
	if c.ClientType == openmetadata.Confidential {
		t.AppType, t.AuthMethod = appTypeRegular, openmetadata.ConfidentialAuthMethod
	}
	if c.validatorGrant() {
		t.GrantTypes = append(t.GrantTypes, grantClientCreds)
	}
	if cur == nil {
		return t
	}
	t.ClientID, t.ClientSecret, t.Name = cur.ClientID, cur.ClientSecret, cur.Name
	if c.mode() == Same && cur.AuthMethod == authBasic {
		// The service-account step owns the auth method in "same" mode.
		t.AuthMethod = authBasic
	}
	t.GrantTypes = ensure(cur.GrantTypes, t.GrantTypes...)
	if t.AuthMethod == authNone {
		// Auth0 refuses client_credentials on a client without a secret.
		t.GrantTypes = without(t.GrantTypes, grantClientCreds)
	}
	t.Callbacks = ensure(cur.Callbacks, t.Callbacks...)
	t.WebOrigins = ensure(cur.WebOrigins, t.WebOrigins...)
	t.LogoutURLs = ensure(cur.LogoutURLs, t.LogoutURLs...)
	t.Metadata = mergedMetadata(cur.Metadata, t.Metadata)
	return t
}

// mergedMetadata keeps the operator's client_metadata keys and sets om-auth0's
// marker over them (Auth0 merges client_metadata on PATCH the same way).
func mergedMetadata(cur, ours map[string]string) map[string]string {
	meta := make(map[string]string, len(cur)+len(ours))
	maps.Copy(meta, cur)
	maps.Copy(meta, ours)
	return meta
}

// diffApp is the PATCH that turns cur into t: only the fields that differ.
func diffApp(cur, t remoteApp) diff {
	var d diff
	if cur.Name != t.Name {
		// Quoted: a name is free text, and the plan shows where it ends.
		d.fields = append(d.fields, FieldChange{Field: "name", From: fmt.Sprintf("%q", cur.Name), To: fmt.Sprintf("%q", t.Name)})
		name := t.Name
		d.patch.Name = &name
	}
	d.str("app_type", cur.AppType, t.AppType, func(c *management.Client, v string) { c.AppType = &v })
	d.str("token_endpoint_auth_method", cur.AuthMethod, t.AuthMethod, func(c *management.Client, v string) { c.TokenEndpointAuthMethod = &v })
	d.list("grant_types", cur.GrantTypes, t.GrantTypes, func(c *management.Client, v []string) { c.GrantTypes = &v })
	if len(t.Callbacks) > 0 {
		d.list("callbacks", cur.Callbacks, t.Callbacks, func(c *management.Client, v []string) { c.Callbacks = &v })
		d.list("web_origins", cur.WebOrigins, t.WebOrigins, func(c *management.Client, v []string) { c.WebOrigins = &v })
		d.list("allowed_logout_urls", cur.LogoutURLs, t.LogoutURLs, func(c *management.Client, v []string) { c.AllowedLogoutURLs = &v })
		d.boolean("oidc_conformant", cur.OIDCConformant, t.OIDCConformant, func(c *management.Client, v bool) { c.OIDCConformant = &v })
	}
	d.metadata(cur.Metadata, t.Metadata)
	return d
}

// checkOMURL is openmetadata.CheckURL, the one OpenMetadata URL check, failing
// with an *Error like every step.
func checkOMURL(raw string) (string, error) {
	omURL, err := openmetadata.CheckURL(raw)
	if err != nil {
		return "", &Error{Op: "check the OpenMetadata URL", Meaning: err.Error(), Err: err,
			Hint: "give OpenMetadata's base URL, the address its users open, like https://openmetadata.example.com"}
	}
	return omURL, nil
}

// description is an application's Auth0 description (at most 140 characters).
func description(what, omURL string) string {
	d := []rune(what + " " + omURL + " (managed by om-auth0)")
	if len(d) > 140 {
		d = append(d[:139], '…')
	}
	return string(d)
}

// secretUnavailable explains an unknown secret of an existing application.
func (s *Session) secretUnavailable() string {
	if !s.has("read:client_keys") {
		m, h := s.lacks("read:client_keys")
		return m + ": " + ScopeReason("read:client_keys") + " — " + h
	}
	return "Auth0 did not return the client secret"
}

func uiPlan(st *uiState, c ...Change) *UIPlan {
	return &UIPlan{Plan: Plan{Changes: c}, state: st}
}
