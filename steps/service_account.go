package steps

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"
	"golang.org/x/sync/errgroup"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/termtext"
)

// saState is PlanServiceAccount's private data for ApplyServiceAccount.
type saState struct {
	mode  ServiceAccountMode
	omURL string

	// The service account's application: the separate bot, or the UI application.
	current    *remoteApp // nil: the bot is created
	target     remoteApp
	patch      *management.Client
	needSecret bool

	grant grantPlan // the Management API grant, with the requested scopes

	duplicates []remoteApp // bot applications with the same marker, to delete
	note       string      // why the recorded id was not used, if it was not
}

// ManagementAPIScopes implements Runner. The scopes are read once per session.
func (s *Session) ManagementAPIScopes(ctx context.Context) ([]Scope, error) {
	s.mu.Lock()
	if s.mgmtScopes != nil {
		out := slices.Clone(s.mgmtScopes)
		s.mu.Unlock()
		return out, nil
	}
	s.mu.Unlock()
	aud := s.domain.ManagementAudience()
	var rs *management.ResourceServer
	err := s.do(ctx, op{Name: "read the Auth0 Management API's scopes", Scope: "read:resource_servers",
		NotFound:     "the tenant has no API with identifier " + aud,
		NotFoundHint: "use the tenant's canonical domain (like acme.us.auth0.com), not a custom domain"},
		func(ctx context.Context) (err error) {
			rs, err = s.m.ResourceServer.Read(ctx, aud)
			if err == nil && rs == nil {
				err = auth0http.NoResult(http.MethodGet, "/api/v2/resource-servers/"+aud)
			}
			return err
		})
	if err != nil {
		return nil, err
	}
	scopes := []Scope{}
	if rs.Scopes != nil {
		for _, sc := range *rs.Scopes {
			scopes = append(scopes, Scope{Value: termtext.Clean(sc.GetValue()), Description: termtext.Clean(sc.GetDescription())})
		}
	}
	s.mu.Lock()
	s.mgmtScopes = scopes
	s.mu.Unlock()
	return slices.Clone(scopes), nil
}

// PlanServiceAccount implements Runner. Every read it needs runs in
// parallel; requested scopes the Management API does not define are refused
// here, before anything is written.
func (s *Session) PlanServiceAccount(ctx context.Context, c Choices, ui *App) (*ServiceAccountPlan, error) {
	mode := c.mode()
	if mode == Skip {
		return &ServiceAccountPlan{state: &saState{mode: Skip}}, nil
	}
	if mode != Separate && mode != Same {
		return nil, &Error{Op: "plan the service account", Meaning: "service account mode " + strconvQuote(string(mode)) + " is unknown", Hint: "use separate, same or skip"}
	}
	omURL, err := checkOMURL(c.OMURL)
	if err != nil {
		return nil, err
	}
	st := &saState{mode: mode, omURL: omURL, grant: grantPlan{audience: s.domain.ManagementAudience(), scopes: cleanScopes(c.Scopes)}}
	if mode == Same && c.validatorToken() {
		// The UI application's one grant serves OpenMetadata's validator too.
		st.grant.reason = validatorReason
	}
	s.mu.Lock()
	s.omURL = omURL
	s.mu.Unlock()

	// The Management API's scopes are read only to check requested ones. A
	// re-run from answers.yaml reads the grant first instead: scopes it
	// already holds, Auth0 accepted, so the list is read only for others.
	var defined []Scope
	checkLater := c.Recorded.GrantID != ""
	g, gctx := errgroup.WithContext(ctx)
	if len(st.grant.scopes) > 0 && !checkLater {
		g.Go(crash.Func(func() (err error) {
			defined, err = s.ManagementAPIScopes(gctx)
			return err
		}))
	}
	lookupGrant := func(clientID string) {
		g.Go(crash.Func(func() (err error) {
			st.grant.existing, err = s.grantOf(gctx, clientID, st.grant.audience)
			return err
		}))
	}
	switch mode {
	case Separate:
		name := firstNonEmpty(strings.TrimSpace(c.BotAppName), defaultBotName)
		st.needSecret = true
		g.Go(crash.Func(func() error {
			if id := strings.TrimSpace(c.Recorded.ServiceAccountID); id != "" {
				// The grant is read alongside, before the marker is
				// confirmed: lookupGrant then takes that answer.
				var spec crash.Group
				defer spec.Wait()
				spec.Go(func() { _, _ = s.grantOf(gctx, id, st.grant.audience) })
				found, note, err := s.readRecorded(gctx, "service_account_id", id, RoleBot, omURL, s.has("read:client_keys"))
				if err != nil {
					return err
				}
				if found != nil {
					st.current = found
					st.target = botTarget(omURL, name, found)
					lookupGrant(found.ClientID)
					return nil
				}
				st.note = note
			}
			apps, err := s.listApps(gctx, false)
			if err != nil {
				return err
			}
			found, dups, err := findApp(apps, RoleBot, omURL, name)
			if err == nil {
				err = s.checkCanDelete(found, dups, RoleBot, omURL)
			}
			if err != nil || found == nil {
				st.target = botTarget(omURL, name, nil)
				return err
			}
			st.duplicates = dups
			st.current = found
			st.target = botTarget(omURL, name, found)
			lookupGrant(found.ClientID)
			if s.has("read:client_keys") {
				g.Go(crash.Func(func() (err error) {
					found.ClientSecret, err = s.readSecret(gctx, found.ClientID, found.Name)
					return err
				}))
			}
			return nil
		}))
	case Same:
		if ui == nil {
			return nil, &Error{Op: "plan the service account", Meaning: "the OpenMetadata application is unknown", Hint: "plan the Server Credentials step first"}
		}
		cur := fromApp(ui)
		st.current = &cur
		st.target = sameTarget(cur)
		st.needSecret = true
		if ui.ClientID != "" {
			lookupGrant(ui.ClientID)
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if checkLater && len(st.grant.scopes) > 0 && !st.grant.holds(st.grant.scopes) {
		if defined, err = s.ManagementAPIScopes(ctx); err != nil {
			return nil, err
		}
	}
	if len(st.grant.scopes) > 0 && defined != nil {
		if err := checkScopes(st.grant.scopes, defined); err != nil {
			return nil, err
		}
	}

	var changes []Change
	switch {
	case mode == Separate && st.current == nil:
		changes = append(changes, Change{Action: Create, Resource: Application, Name: st.target.Name, Fields: createFields(st.target), Note: st.note})
	default:
		var d diff
		if mode == Same {
			d = diffSame(*st.current, st.target)
		} else {
			d = diffApp(*st.current, st.target)
		}
		ch := Change{Action: Keep, Resource: Application, Name: st.current.Name, Note: st.note}
		if len(d.fields) > 0 {
			ch.Action, ch.Fields = Update, d.fields
			st.patch = &d.patch
			ch.Consequence = breaking(d)
			if mode == Same {
				ch.Consequence = sameConsequence(*st.current, c.ClientType)
			}
		}
		changes = append(changes, ch)
		changes = append(changes, duplicateChanges(*st.current, st.duplicates, RoleBot, omURL)...)
	}
	changes = append(changes, st.grant.change(st.target))
	return &ServiceAccountPlan{Plan: Plan{Changes: changes}, state: st}, nil
}

// StartServiceAccount implements Runner. A separate service account needs
// nothing of the UI application, so its plan is applied on a goroutine of
// its own while ApplyUIApp runs; ApplyServiceAccount returns its outcome.
func (s *Session) StartServiceAccount(ctx context.Context, p *ServiceAccountPlan) {
	if p == nil || p.state == nil || p.state.mode != Separate {
		return
	}
	st := &startedSA{plan: p}
	s.mu.Lock()
	if s.started != nil {
		s.mu.Unlock()
		return
	}
	s.started = st
	s.mu.Unlock()
	st.run.Go(func() { st.sa, st.err = s.applyServiceAccount(ctx, p) })
}

// startedSA is a service-account plan StartServiceAccount is applying.
type startedSA struct {
	plan *ServiceAccountPlan
	run  crash.Group
	sa   *ServiceAccount
	err  error
}

// takeStarted returns the apply of p that StartServiceAccount started, if
// any, and forgets it: a second ApplyServiceAccount (a retry) applies again.
func (s *Session) takeStarted(p *ServiceAccountPlan) *startedSA {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.started
	if st == nil || st.plan != p {
		return nil
	}
	s.started = nil
	return st
}

// waitStarted waits for a service account StartServiceAccount started to
// be applied, if one is (its outcome stays for ApplyServiceAccount).
func (s *Session) waitStarted() {
	s.mu.Lock()
	st := s.started
	s.mu.Unlock()
	if st != nil {
		st.run.Wait()
	}
}

// ApplyServiceAccount implements Runner.
func (s *Session) ApplyServiceAccount(ctx context.Context, p *ServiceAccountPlan) (*ServiceAccount, error) {
	if st := s.takeStarted(p); st != nil {
		// Its requests use the context it was started with, the run's.
		st.run.Wait()
		return st.sa, st.err
	}
	return s.applyServiceAccount(ctx, p)
}

// applyServiceAccount performs the plan.
func (s *Session) applyServiceAccount(ctx context.Context, p *ServiceAccountPlan) (*ServiceAccount, error) {
	if p == nil || p.state == nil {
		return nil, &Error{Op: "apply the service-account plan", Meaning: "the plan was not made by PlanServiceAccount", Hint: "plan again"}
	}
	st := p.state
	if st.mode == Skip {
		return &ServiceAccount{Mode: Skip}, nil
	}
	var (
		r       remoteApp
		created bool
		grant   *Grant
		err     error
	)
	cur, patch := st.current, st.patch
	if st.mode == Same && cur.ClientID == "" {
		// Planned before the UI application existed (one confirmation for
		// both steps): take the one ApplyUIApp returned.
		s.mu.Lock()
		ui := s.lastUI
		s.mu.Unlock()
		if ui == nil {
			return nil, &Error{Op: "apply the service-account plan", Meaning: "the OpenMetadata application has not been created yet", Hint: "apply the Server Credentials step first"}
		}
		c := fromApp(ui)
		cur, patch = &c, nil
		if d := diffSame(c, sameTarget(c)); len(d.fields) > 0 {
			patch = &d.patch
		}
	}
	switch {
	case cur == nil:
		r, created, grant, err = s.createConverged(ctx, st.target.toCreate(description("OpenMetadata ingestion bot for", st.omURL)), RoleBot, st.omURL, &st.grant)
	case patch != nil:
		r, err = s.updateApp(ctx, *cur, patch)
	default:
		r = *cur
	}
	if err == nil {
		// Before the grant step: a deleted application's grants go with it.
		err = s.deleteDuplicates(ctx, st.duplicates)
	}
	if err == nil && grant == nil {
		grant, err = s.applyGrant(ctx, r, st.grant)
	}
	if err != nil {
		return nil, err
	}
	app := r.app(created)
	if st.needSecret && app.ClientSecret == "" {
		app.SecretUnavailable = s.secretUnavailable()
	}
	return &ServiceAccount{Mode: st.mode, App: app, Grant: grant}, nil
}

// grantPlan is a planned upsert of an application's client grant, found
// by (client_id, audience).
type grantPlan struct {
	audience string
	scopes   []string // the scopes a created grant holds, sorted
	// keepScopes leaves an existing grant's scopes as they are: any scopes
	// do for what the grant is for, and the operator may have picked some.
	keepScopes bool
	existing   *Grant // the grant found; nil: it is created
	reason     string // the plan line's Reason, if any
}

// change is the plan line of the upsert of app's grant.
func (g grantPlan) change(app remoteApp) Change {
	ch := Change{Action: Keep, Resource: ClientGrant, Name: g.audience, Reason: g.reason}
	to := strings.Join(g.scopes, " ")
	switch {
	case g.existing == nil:
		// An application still to be created has no client id yet: the
		// grant names it instead, and says so.
		id := FieldChange{Field: "client_id", To: app.ClientID}
		if id.To == "" {
			id = FieldChange{Field: "application", To: app.Name + " (to be created)"}
		}
		ch.Action, ch.Fields = Create, []FieldChange{id, {Field: "scope", To: to}}
	case g.updatesScopes():
		ch.Action, ch.Fields = Update, []FieldChange{{Field: "scope", From: strings.Join(sortedUnique(g.existing.Scopes), " "), To: to}}
	}
	return ch
}

// holds reports whether the existing grant holds every one of scopes.
func (g grantPlan) holds(scopes []string) bool {
	return g.existing != nil && !slices.ContainsFunc(scopes, func(sc string) bool { return !slices.Contains(g.existing.Scopes, sc) })
}

// updatesScopes reports whether the existing grant's scopes are to be replaced.
func (g grantPlan) updatesScopes() bool {
	return g.existing != nil && !g.keepScopes && !slices.Equal(sortedUnique(g.existing.Scopes), g.scopes)
}

// planned is the grant as the plan leaves it for the application clientID
// (empty while that is to be created): the existing grant's id, empty for
// one to be created. Created is false.
func (g grantPlan) planned(clientID string) *Grant {
	out := &Grant{ClientID: clientID, Audience: g.audience, Scopes: slices.Clone(g.scopes)}
	if g.existing != nil {
		out.ID = g.existing.ID
		if g.keepScopes {
			out.Scopes = slices.Clone(g.existing.Scopes)
		}
	}
	if out.Scopes == nil {
		out.Scopes = []string{}
	}
	return out
}

// applyGrant performs g for app: it creates the grant (also when the
// application the plan found was given up for another run's, which then
// gets it), replaces its scopes, or keeps it.
func (s *Session) applyGrant(ctx context.Context, app remoteApp, g grantPlan) (*Grant, error) {
	switch {
	case g.existing == nil || g.existing.ClientID != app.ClientID:
		return s.createGrant(ctx, app, g.audience, g.scopes, g.keepScopes)
	case g.updatesScopes():
		return s.updateGrant(ctx, app, *g.existing, g.scopes)
	}
	out := ptr(*g.existing)
	out.Scopes = slices.Clone(out.Scopes)
	return out, nil
}

// botTarget is the separate Machine-to-Machine application the guide's
// "Ingestion Bot" becomes: Basic auth and the client_credentials grant.
func botTarget(omURL, name string, cur *remoteApp) remoteApp {
	t := remoteApp{Name: name, AppType: appTypeM2M, AuthMethod: authBasic, GrantTypes: []string{grantClientCreds}, Metadata: marker(RoleBot, omURL)}
	if cur == nil {
		return t
	}
	t.ClientID, t.ClientSecret, t.Name = cur.ClientID, cur.ClientSecret, cur.Name
	t.GrantTypes = ensure(cur.GrantTypes, grantClientCreds)
	t.Metadata = mergedMetadata(cur.Metadata, t.Metadata)
	return t
}

// fromApp is the UI application as the steps returned it.
func fromApp(a *App) remoteApp {
	return remoteApp{ClientID: a.ClientID, ClientSecret: a.ClientSecret, Name: a.Name, AppType: a.AppType,
		AuthMethod: a.TokenEndpointAuthMethod, GrantTypes: slices.Clone(a.GrantTypes), Callbacks: slices.Clone(a.Callbacks),
		WebOrigins: slices.Clone(a.WebOrigins), LogoutURLs: slices.Clone(a.AllowedLogoutURLs)}
}

// sameTarget is the guide's literal change of the UI application: Basic and
// client_credentials added to its grant types.
func sameTarget(cur remoteApp) remoteApp {
	t := cur
	t.AuthMethod = authBasic
	t.GrantTypes = ensure(cur.GrantTypes, grantClientCreds)
	return t
}

// diffSame is the one PATCH of "same" mode; it sends both fields together
// because Auth0 refuses client_credentials while the method is still none.
func diffSame(cur, t remoteApp) diff {
	var d diff
	d.str("token_endpoint_auth_method", cur.AuthMethod, t.AuthMethod, func(c *management.Client, v string) { c.TokenEndpointAuthMethod = &v })
	d.list("grant_types", cur.GrantTypes, t.GrantTypes, func(c *management.Client, v []string) { c.GrantTypes = &v })
	if len(d.fields) > 0 {
		d.patch.TokenEndpointAuthMethod = ptr(t.AuthMethod)
		d.patch.GrantTypes = ptr(slices.Clone(t.GrantTypes))
	}
	return d
}

// sameConsequence is what "same" mode breaks on the UI application.
func sameConsequence(cur remoteApp, ct openmetadata.ClientType) string {
	if cur.AppType == appTypeSPA || cur.AuthMethod == authNone || ct == openmetadata.Public {
		return "browser sign-in to OpenMetadata stops working: the public single-page app exchanges its sign-in code with PKCE and no secret, which Auth0 refuses once the token endpoint auth method is Basic"
	}
	return "OpenMetadata's server exchanges the sign-in code with " + openmetadata.ConfidentialAuthMethod +
		"; once the application's method is Basic, Auth0 refuses that exchange unless OpenMetadata is switched to client_secret_basic"
}

// cleanScopes trims, drops empty entries and sorts the requested scopes.
func cleanScopes(in []string) []string {
	var out []string
	for _, s := range in {
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })...)
	}
	if out == nil {
		return []string{}
	}
	return sortedUnique(out)
}

// checkScopes refuses requested scopes the Management API does not define.
func checkScopes(requested []string, defined []Scope) error {
	known := make(map[string]bool, len(defined))
	for _, d := range defined {
		known[d.Value] = true
	}
	var unknown []string
	for _, r := range requested {
		if !known[r] {
			unknown = append(unknown, r)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	word := "scope"
	if len(unknown) > 1 {
		word = "scopes"
	}
	return &Error{Op: "check the requested scopes", BadInput: true,
		Meaning: fmt.Sprintf("the Auth0 Management API defines no %s %s", word, strings.Join(unknown, ", ")),
		Hint:    "pick scopes from the list the tenant shows (Applications > APIs > Auth0 Management API > Permissions), e.g. read:clients"}
}

// grantOf is the grant of (clientID, audience), if any: read once per
// session, and known without a request for an application this session
// created. A caller that comes while the same read is in flight waits for
// its answer instead of sending another; when that read failed, it reads
// again itself (the failure may be the other caller's cancelled context).
func (s *Session) grantOf(ctx context.Context, clientID, audience string) (*Grant, error) {
	key := clientID + " " + audience
	s.mu.Lock()
	g, known := s.grants[key]
	if !known && s.createdApps[clientID] {
		known = true
	}
	inFlight := s.grantReads[key]
	var mine chan struct{}
	if !known && inFlight == nil {
		mine = make(chan struct{})
		if s.grantReads == nil {
			s.grantReads = map[string]chan struct{}{}
		}
		s.grantReads[key] = mine
	}
	s.mu.Unlock()
	if known {
		if g == nil {
			return nil, nil
		}
		return ptr(*g), nil
	}
	if inFlight != nil {
		select {
		case <-inFlight:
		case <-ctx.Done():
		}
		s.mu.Lock()
		g, known = s.grants[key]
		s.mu.Unlock()
		if known {
			if g == nil {
				return nil, nil
			}
			return ptr(*g), nil
		}
	}
	if mine != nil {
		defer func() {
			s.mu.Lock()
			delete(s.grantReads, key)
			s.mu.Unlock()
			close(mine)
		}()
	}
	g, err := s.findGrant(ctx, clientID, audience)
	if err != nil {
		return nil, err
	}
	s.grantSeen(key, g)
	s.rememberGrant(clientID, audience, g)
	return g, nil
}

func (s *Session) rememberGrant(clientID, audience string, g *Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.grants == nil {
		s.grants = map[string]*Grant{}
	}
	if g != nil {
		g = ptr(*g)
		g.Scopes = slices.Clone(g.Scopes)
	}
	s.grants[clientID+" "+audience] = g
}

// findGrant reads the grant of (clientID, audience), if any.
func (s *Session) findGrant(ctx context.Context, clientID, audience string) (*Grant, error) {
	var l *management.ClientGrantList
	err := s.do(ctx, op{Name: "read the authorizations of application " + clientID, Scope: "read:client_grants"}, func(ctx context.Context) (err error) {
		l, err = s.m.ClientGrant.List(ctx, management.Parameter("client_id", clientID), management.Parameter("audience", audience), management.PerPage(perPage))
		if err == nil && l == nil {
			err = auth0http.NoResult(http.MethodGet, "/api/v2/client-grants")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, g := range l.ClientGrants {
		if g.GetClientID() == clientID && g.GetAudience() == audience {
			return fromGrant(g, false), nil
		}
	}
	return nil, nil
}

func fromGrant(g *management.ClientGrant, created bool) *Grant {
	out := &Grant{ID: termtext.Clean(g.GetID()), ClientID: termtext.Clean(g.GetClientID()), Audience: termtext.Clean(g.GetAudience()), Scopes: []string{}, Created: created}
	if g.Scope != nil {
		out.Scopes = cleanList(*g.Scope)
	}
	return out
}

// createGrant authorizes the application for the audience. A 409 (the grant
// exists, e.g. from a create whose answer was lost) or a lost answer is
// resolved by reading the grant instead of creating another; its scopes are
// then replaced by scopes unless keepScopes.
func (s *Session) createGrant(ctx context.Context, app remoteApp, audience string, scopes []string, keepScopes bool) (*Grant, error) {
	o := op{Name: fmt.Sprintf("authorize application %q for the Auth0 Management API", app.Name), Scope: "create:client_grants",
		NotFound: "the tenant has no API with identifier " + audience, NotFoundHint: "use the tenant's canonical domain (like acme.us.auth0.com)"}
	s.mu.Lock()
	if s.grantsTried == nil {
		s.grantsTried = map[string]bool{}
	}
	s.grantsTried[app.ClientID+" "+audience] = true
	s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		g := &management.ClientGrant{ClientID: ptr(app.ClientID), Audience: ptr(audience), Scope: ptr(slices.Clone(scopes))}
		err := s.do(ctx, o, func(ctx context.Context) error { return s.m.ClientGrant.Create(ctx, g) })
		if err == nil {
			out := fromGrant(g, true)
			s.recordCreated(grantCreated(app, out.ID))
			s.rememberGrant(app.ClientID, audience, out)
			return out, nil
		}
		conflict := isStatus(err, 409)
		if attempt > 0 || !(conflict || answerLost(ctx, err)) {
			return nil, err
		}
		existing, ferr := s.findGrant(ctx, app.ClientID, audience)
		if ferr != nil {
			return nil, fmt.Errorf("%w (and reading the existing grant failed: %v)", err, ferr)
		}
		if existing == nil {
			if conflict {
				return nil, err
			}
			continue // the lost create did not happen: send it again
		}
		if conflict {
			// Another run's, or one this session never read: not this run's creation.
			s.grantSeen(app.ClientID+" "+audience, existing)
		} else {
			existing.Created = true
			s.recordCreated(grantCreated(app, existing.ID))
		}
		s.rememberGrant(app.ClientID, audience, existing)
		if !keepScopes && !slices.Equal(sortedUnique(existing.Scopes), scopes) {
			return s.updateGrant(ctx, app, *existing, scopes)
		}
		return existing, nil
	}
}

func grantCreated(app remoteApp, id string) string {
	return fmt.Sprintf("client grant %s: application %q on the Auth0 Management API", id, app.Name)
}

// updateGrant replaces the grant's scope list in one PATCH.
func (s *Session) updateGrant(ctx context.Context, app remoteApp, g Grant, scopes []string) (*Grant, error) {
	o := op{Name: fmt.Sprintf("change the Management API scopes of application %q", app.Name), Scope: "update:client_grants",
		NotFound: "client grant " + g.ID + " no longer exists", NotFoundHint: "run again to create it"}
	body := &management.ClientGrant{Scope: ptr(slices.Clone(scopes))}
	if err := s.do(ctx, o, func(ctx context.Context) error { return s.m.ClientGrant.Update(ctx, g.ID, body) }); err != nil {
		return nil, err
	}
	out := fromGrant(body, g.Created)
	out.ID = firstNonEmpty(out.ID, g.ID)
	out.ClientID = firstNonEmpty(out.ClientID, g.ClientID)
	out.Audience = firstNonEmpty(out.Audience, g.Audience)
	s.rememberGrant(out.ClientID, out.Audience, out)
	return out, nil
}
