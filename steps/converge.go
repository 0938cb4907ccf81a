package steps

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/crash"
)

// markerRun is the client_metadata key, besides the marker, of an
// application om-auth0 creates: the run that created it.
const markerRun = "om_auth0_run"

// createdTimeout bounds the reading of the tenant for Created, which also
// runs after an interrupt, when the run's own context is done.
const createdTimeout = 10 * time.Second

func newRunID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// isSelf reports whether clientID is the Management API application the
// session is connected with.
func (s *Session) isSelf(clientID string) bool { return s.clientID != "" && clientID == s.clientID }

// refuseSelf is the refusal to use the Management API application as
// OpenMetadata's sign-in application or service account.
func (s *Session) refuseSelf(what, clientID string) error {
	return &Error{Op: what, BadInput: true,
		Meaning: fmt.Sprintf("application %s is the Management API application om-auth0 is connected with; changing it for OpenMetadata would cut om-auth0 off from the tenant", clientID),
		Hint:    "give --app-id another application, or leave it empty to create one (nothing was changed)"}
}

// survivor is the one application every run keeps of several that carry
// the same marker, given in the tenant's listing order: the first.
// Auth0 returns no creation time for applications; it lists them in
// creation order (UNVERIFIED for Auth0; the simulated tenant does), so the
// first is the oldest, and a run whose create landed later gives way, even
// when the other run looked again before that create. Were Auth0's order
// another, every run reading the same listing still picks the same one,
// and the rare duplicate left by runs that looked again at different
// moments is shown by the next run's plan, with its deletion to confirm.
func survivor(apps []remoteApp) remoteApp { return apps[0] }

// createConverged creates the application body describes (createApp) and
// settles a race with another run that created one with the same marker at
// the same time: it looks at the tenant again, and every run keeps the same
// survivor (lookAgain); a run whose create lost deletes its own (never
// anyone else's) and takes the survivor (giveWay). created is false then.
//
// g, when set, is the grant the new application needs: it is created while
// the tenant is looked at again, not after, since one run of two at most
// gives way. A run that gives way deletes its grant before its application
// (whether Auth0 deletes an application's grants with it is unverified;
// see docs/auth0.md) and sees to the survivor's grant instead (a 409 there
// is the other run's, read and kept).
func (s *Session) createConverged(ctx context.Context, body *management.Client, role, omURL string, g *grantPlan) (r remoteApp, created bool, grant *Grant, err error) {
	own, err := s.createApp(ctx, body, role, omURL)
	if err != nil {
		return remoteApp{}, false, nil, err
	}
	var (
		wg                crash.Group
		keep              remoteApp
		lookErr, grantErr error
	)
	wg.Go(func() { keep, lookErr = s.lookAgain(ctx, own, role, omURL) })
	if g != nil {
		wg.Go(func() { grant, grantErr = s.createGrant(ctx, own, g.audience, g.scopes, g.keepScopes) })
	}
	wg.Wait()
	switch {
	case lookErr != nil:
		return remoteApp{}, false, nil, lookErr
	case keep.ClientID == own.ClientID && grantErr != nil:
		return remoteApp{}, false, nil, grantErr
	case keep.ClientID == own.ClientID:
		return own, true, grant, nil
	}
	if grant != nil && grant.ID != "" && (!s.known || s.has("delete:client_grants")) {
		err := s.deleteGrant(ctx, grant, "")
		if err != nil && !isStatus(err, http.StatusForbidden) {
			return remoteApp{}, false, nil, err
		}
		// Without delete:client_grants the grant goes with the application,
		// as far as Auth0 deletes grants with it.
	}
	if r, err = s.giveWay(ctx, own, keep, role, omURL); err != nil {
		return remoteApp{}, false, nil, err
	}
	if g != nil {
		if grant, err = s.applyGrant(ctx, r, *g); err != nil {
			return remoteApp{}, false, nil, err
		}
	}
	return r, false, grant, nil
}

// lookAgain lists the tenant's applications of own's types again after
// this session created own, and returns the survivor of those carrying
// own's marker: own, unless another run's create landed first.
func (s *Session) lookAgain(ctx context.Context, own remoteApp, role, omURL string) (remoteApp, error) {
	// Only the types om-auth0 creates for the role: the applications
	// another run created at the same time, in fewer pages than the whole
	// listing. (Marked applications of other types were found by the plan.)
	types := appTypeSPA + "," + appTypeRegular
	if role == RoleBot {
		types = appTypeM2M
	}
	apps, err := s.readApps(ctx, types)
	if err != nil {
		return remoteApp{}, err
	}
	var marked []remoteApp
	for _, a := range apps {
		if a.marked(role, omURL) && !s.isSelf(a.ClientID) {
			marked = append(marked, a)
		}
	}
	if !slices.ContainsFunc(marked, func(a remoteApp) bool { return a.ClientID == own.ClientID }) {
		marked = append(marked, own) // not listed yet: the newest
	}
	return survivor(marked), nil
}

// giveWay deletes own, the duplicate this session created of keep, and
// returns keep with its secret, when the credentials may read it.
func (s *Session) giveWay(ctx context.Context, own, keep remoteApp, role, omURL string) (remoteApp, error) {
	if s.known && !s.has("delete:clients") {
		m, h := s.lacks("delete:clients")
		return remoteApp{}, &Error{Op: "create application " + strconvQuote(own.Name),
			Meaning: fmt.Sprintf("another run created application %s (%s) at the same time, and this run's duplicate %s cannot be deleted: %s",
				strconvQuote(keep.Name), keep.ClientID, own.ClientID, m),
			Hint: fmt.Sprintf("delete application %s under Applications > Applications and run again, or %s", own.ClientID, h)}
	}
	if err := s.deleteApp(ctx, own, "the duplicate application", ""); err != nil {
		return remoteApp{}, err
	}
	// The other run had the same marker, and most likely the same answers;
	// if not, the survivor is not what this run was asked for, and changing
	// it is for a plan to show.
	want := own
	want.Metadata = marker(role, omURL)
	if d := diffApp(keep, want); len(d.fields) > 0 {
		fields := make([]string, len(d.fields))
		for i, f := range d.fields {
			fields[i] = f.Field
		}
		return remoteApp{}, &Error{Op: "create application " + strconvQuote(own.Name),
			Meaning: fmt.Sprintf("another run created application %s (%s) for %s at the same time, with other settings (%s); this run deleted its own duplicate",
				strconvQuote(keep.Name), keep.ClientID, omURL, strings.Join(fields, ", ")),
			Hint: "run again: its plan shows the changes to that application, to confirm"}
	}
	s.mu.Lock()
	if s.apps != nil && !slices.ContainsFunc(s.apps, func(a remoteApp) bool { return a.ClientID == keep.ClientID }) {
		// A plan made again in this session (the wizard's Esc) finds it.
		s.apps = append(slices.Clip(s.apps), keep)
	}
	s.mu.Unlock()
	if s.has("read:client_keys") {
		var err error
		if keep.ClientSecret, err = s.readSecret(ctx, keep.ClientID, keep.Name); err != nil {
			return remoteApp{}, err
		}
	}
	return keep, nil
}

// deleteApp deletes an application om-auth0 marked: a duplicate, or what
// om-auth0 remove deletes (what is the operation's name, rerun what running
// it again does; "" for the default). The connected Management application
// is never deleted; one already gone is no failure.
func (s *Session) deleteApp(ctx context.Context, r remoteApp, what, rerun string) error {
	if s.isSelf(r.ClientID) {
		return s.refuseSelf("delete application "+r.ClientID, r.ClientID)
	}
	o := op{Name: fmt.Sprintf("delete %s %s (%s)", what, strconvQuote(r.Name), r.ClientID), Scope: "delete:clients", Rerun: rerun}
	err := s.do(ctx, o, func(ctx context.Context) error { return s.m.Client.Delete(ctx, r.ClientID) })
	if err != nil && !isStatus(err, http.StatusNotFound) {
		return err
	}
	s.mu.Lock()
	// A new listing: callers may be reading the one they were given.
	s.apps = slices.DeleteFunc(slices.Clone(s.apps), func(a remoteApp) bool { return a.ClientID == r.ClientID })
	delete(s.createdApps, r.ClientID)
	s.created = slices.DeleteFunc(s.created, func(c string) bool { return strings.Contains(c, "("+r.ClientID+")") })
	s.mu.Unlock()
	return nil
}

// duplicateChanges are the deletions of the duplicates of keep, each with
// what it breaks, so that they need confirmation.
func duplicateChanges(keep remoteApp, duplicates []remoteApp, role, omURL string) []Change {
	var out []Change
	for _, d := range duplicates {
		out = append(out, Change{Action: Delete, Resource: Application, Name: d.Name + " (" + d.ClientID + ")",
			Fields: []FieldChange{{Field: "client_id", From: d.ClientID, To: "(deleted)"}},
			Consequence: fmt.Sprintf("%d applications are marked as %s for %s (two runs at the same time created one each): %s (%s) is kept, and whatever signs in with %s today stops working",
				len(duplicates)+1, role, omURL, strconvQuote(keep.Name), keep.ClientID, d.ClientID)})
	}
	return out
}

// checkCanDelete refuses, before any change, a plan that deletes
// duplicates when the credentials may not delete applications.
func (s *Session) checkCanDelete(keep *remoteApp, duplicates []remoteApp, role, omURL string) error {
	if len(duplicates) == 0 || !s.known || s.has("delete:clients") {
		return nil
	}
	ids := make([]string, len(duplicates))
	for i, d := range duplicates {
		ids[i] = d.ClientID
	}
	m, h := s.lacks("delete:clients")
	return &Error{Op: "find application " + strconvQuote(keep.Name),
		Meaning: fmt.Sprintf("%d applications are marked as %s for %s: om-auth0 keeps %s, the oldest, and would delete %s, but %s",
			len(duplicates)+1, role, omURL, keep.ClientID, strings.Join(ids, ", "), m),
		Hint: "delete " + strings.Join(ids, ", ") + " under Applications > Applications and run again, or " + h}
}

// deleteDuplicates deletes the duplicates a plan listed.
func (s *Session) deleteDuplicates(ctx context.Context, duplicates []remoteApp) error {
	for _, d := range duplicates {
		if err := s.deleteApp(ctx, d, "the duplicate application", ""); err != nil {
			return err
		}
	}
	return nil
}

// breaking is the consequence of changing how an existing application
// signs in (its type, token endpoint auth method or grant types); empty
// when d changes none of them.
func breaking(d diff) string {
	var parts []string
	for _, f := range d.fields {
		switch f.Field {
		case "app_type", "token_endpoint_auth_method", "grant_types":
			parts = append(parts, fmt.Sprintf("%s from %s to %s", f.Field, cmp.Or(f.From, "(not set)"), cmp.Or(f.To, "(none)")))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "whatever signs in with this application today may stop working: " + strings.Join(parts, "; ")
}

// Created implements Runner: it reads the tenant, so that an application
// whose create answer was lost is named too. When the tenant cannot be
// read, it names what the session knows and says the list is unconfirmed.
func (s *Session) Created(ctx context.Context) []string {
	s.waitStarted()
	s.mu.Lock()
	tried, memory := s.triedCreate || len(s.grantsTried) > 0, slices.Clone(s.created)
	s.mu.Unlock()
	if !tried {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), createdTimeout)
	defer cancel()
	found, err := s.createdInTenant(ctx)
	if err != nil {
		return append(memory, "(the tenant could not be read to confirm this list: "+err.Error()+")")
	}
	return found
}

// createdInTenant lists what the tenant now holds that this session
// created: applications carrying its run id, and the grants it sent a
// create for that the tenant holds under another id than before.
func (s *Session) createdInTenant(ctx context.Context) ([]string, error) {
	var out []string
	s.mu.Lock()
	triedApps, apps := s.triedCreate, s.apps
	s.mu.Unlock()
	if triedApps {
		var err error
		if apps, err = s.listApps(ctx, true); err != nil {
			return nil, err
		}
		var mine []remoteApp
		for _, a := range apps {
			if a.Metadata[markerRun] == s.run {
				mine = append(mine, a)
			}
		}
		// The guide's order, whichever create landed first: both are sent at once.
		bot := func(a remoteApp) int {
			if a.Metadata[MarkerRole] == RoleBot {
				return 1
			}
			return 0
		}
		slices.SortStableFunc(mine, func(a, b remoteApp) int { return cmp.Compare(bot(a), bot(b)) })
		for _, a := range mine {
			out = append(out, fmt.Sprintf("application %q (%s)", a.Name, a.ClientID))
		}
	}
	s.mu.Lock()
	keys := make([]string, 0, len(s.grantsTried))
	for k := range s.grantsTried {
		keys = append(keys, k)
	}
	seen := s.grantsSeen
	s.mu.Unlock()
	slices.Sort(keys)
	for _, k := range keys {
		clientID, audience, _ := strings.Cut(k, " ")
		g, err := s.findGrant(ctx, clientID, audience)
		if err != nil {
			return nil, err
		}
		if before, known := seen[k]; g != nil && (!known || before != g.ID) {
			app := remoteApp{Name: clientID}
			if i := slices.IndexFunc(apps, func(a remoteApp) bool { return a.ClientID == clientID }); i >= 0 {
				app = apps[i]
			}
			out = append(out, grantCreated(app, g.ID))
		}
	}
	return out, nil
}

// grantSeen notes the grant the tenant held for key before this session
// wrote one ("" for none); the first answer stands.
func (s *Session) grantSeen(key string, g *Grant) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.grantsSeen[key]; ok {
		return
	}
	if s.grantsSeen == nil {
		s.grantsSeen = map[string]string{}
	}
	id := ""
	if g != nil {
		id = g.ID
	}
	s.grantsSeen[key] = id
}
