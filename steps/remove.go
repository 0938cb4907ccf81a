package steps

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/auth0/go-auth0/management"
	"golang.org/x/sync/errgroup"

	"github.com/om-auth0/om-auth0/tenant"
)

// removeScopes are what `om-auth0 remove` needs: find the marked
// applications and their grants, then delete them.
var removeScopes = []string{"read:clients", "read:client_grants", "delete:client_grants", "delete:clients"}

// RemoveScopes are the Management API scopes that removing needs, in the order it uses them.
func RemoveScopes() []string { return slices.Clone(removeScopes) }

// Remover is what `om-auth0 remove` asks of a connected tenant. *Session implements it.
type Remover interface {
	// Tenant is the connected tenant's domain and, when readable, its friendly name.
	Tenant() (tenant.Domain, string)
	// MissingRemoveScopes names every scope of RemoveScopes the credentials lack.
	MissingRemoveScopes() []string
	// PlanRemove finds what om-auth0 created for the OpenMetadata URL; nothing is changed.
	PlanRemove(ctx context.Context, omURL string) (*RemovePlan, error)
	// ApplyRemove deletes what the plan lists, in its order, and returns the
	// changes done, also when it fails part way.
	ApplyRemove(ctx context.Context, p *RemovePlan) ([]Change, error)
}

var _ Remover = (*Session)(nil)

// RemovePlan is PlanRemove's plan: a Delete change for every client grant of
// an application marked for the OpenMetadata URL, then for the marked
// service accounts, then for the marked UI applications. Grants go first
// whether or not Auth0 deletes an application's grants with it, so no
// grant is left behind either way.
type RemovePlan struct {
	Plan
	// OMURL is the OpenMetadata URL, as the marker holds it.
	OMURL string
	// Kept names the applications marked for the URL that are left alone, and why.
	Kept []string

	targets []removeTarget // one per change, same order; nil for a plan PlanRemove did not make
}

// removeTarget is what one change deletes: a grant (by id) or an application.
type removeTarget struct {
	grant *Grant
	app   *remoteApp
}

// Empty reports whether the plan deletes nothing.
func (p *RemovePlan) Empty() bool { return p == nil || len(p.Changes) == 0 }

// MissingRemoveScopes implements Remover.
func (s *Session) MissingRemoveScopes() []string {
	if !s.known {
		return nil
	}
	var missing []string
	for _, scope := range removeScopes {
		if !s.has(scope) {
			missing = append(missing, scope)
		}
	}
	return missing
}

// PlanRemove implements Remover. It reads the applications (one listing)
// and the client grants of each marked one, in parallel. The Management
// application this session is connected with is never in the plan, even
// when it carries the marker: no listing of the session holds it, and were
// one to, it would be named in Kept instead (deleting it would lock
// om-auth0 out of the tenant).
func (s *Session) PlanRemove(ctx context.Context, omURL string) (*RemovePlan, error) {
	omURL, err := checkOMURL(omURL)
	if err != nil {
		return nil, err
	}
	apps, err := s.listApps(ctx, false)
	if err != nil {
		return nil, err
	}
	p := &RemovePlan{OMURL: omURL, targets: []removeTarget{}}
	var marked []remoteApp
	// Service accounts before UI applications: the order they are deleted in.
	for _, role := range []string{RoleBot, RoleUI} {
		for _, a := range apps {
			if !a.marked(role, omURL) {
				continue
			}
			if s.clientID != "" && a.ClientID == s.clientID {
				p.Kept = append(p.Kept, fmt.Sprintf("application %q (%s) is the Management API application om-auth0 is connected with: "+
					"om-auth0 never deletes it; delete it in the Auth0 dashboard if you mean to", a.Name, a.ClientID))
				continue
			}
			marked = append(marked, a)
		}
	}

	grants := make([][]*Grant, len(marked))
	g, gctx := errgroup.WithContext(ctx)
	for i, a := range marked {
		g.Go(func() (err error) {
			grants[i], err = s.grantsOfClient(gctx, a)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i, a := range marked {
		for _, gr := range grants[i] {
			scopes := strings.Join(gr.Scopes, " ")
			if scopes == "" {
				scopes = "(none)"
			}
			p.Changes = append(p.Changes, Change{Action: Delete, Resource: ClientGrant, Name: gr.Audience, Fields: []FieldChange{
				{Field: "id", To: gr.ID},
				{Field: "application", To: fmt.Sprintf("%q (%s)", a.Name, a.ClientID)},
				{Field: "scope", To: scopes},
			}})
			p.targets = append(p.targets, removeTarget{grant: gr})
		}
	}
	for i := range marked {
		a := &marked[i]
		p.Changes = append(p.Changes, Change{Action: Delete, Resource: Application, Name: a.Name, Fields: []FieldChange{
			{Field: "client_id", To: a.ClientID},
			{Field: "app_type", To: a.AppType},
			{Field: "client_metadata", To: formatMeta(a.Metadata)},
		}})
		p.targets = append(p.targets, removeTarget{app: a})
	}
	return p, nil
}

// grantsOfClient reads every client grant of the application, whatever the API.
func (s *Session) grantsOfClient(ctx context.Context, a remoteApp) ([]*Grant, error) {
	var out []*Grant
	for page := 0; ; page++ {
		var l *management.ClientGrantList
		err := s.do(ctx, op{Name: "read the authorizations of application " + strconvQuote(a.Name), Scope: "read:client_grants", Read: true},
			func(ctx context.Context) (err error) {
				l, err = s.m.ClientGrant.List(ctx, management.Parameter("client_id", a.ClientID),
					management.Page(page), management.PerPage(perPage), management.IncludeTotals(true))
				return err
			})
		if err != nil {
			return nil, err
		}
		for _, g := range l.ClientGrants {
			// A server that ignores the filter must not widen what is deleted.
			if g.GetClientID() == a.ClientID {
				out = append(out, fromGrant(g, false))
			}
		}
		if len(l.ClientGrants) == 0 || !l.HasNext() {
			return out, nil
		}
	}
}

// ApplyRemove implements Remover. Each change is one DELETE, in the plan's
// order; one that Auth0 answers 404 is already gone, which is what was
// wanted. It stops at the first failure.
func (s *Session) ApplyRemove(ctx context.Context, p *RemovePlan) ([]Change, error) {
	if p == nil || p.targets == nil || len(p.targets) != len(p.Changes) {
		return nil, &Error{Op: "apply the removal plan", Meaning: "the plan was not made by PlanRemove", Hint: "plan again"}
	}
	done := []Change{}
	for i, t := range p.targets {
		var err error
		if t.grant != nil {
			err = s.deleteGrant(ctx, t.grant, removeRerun)
		} else {
			err = s.deleteApp(ctx, *t.app, "application", removeRerun)
		}
		if err != nil {
			return done, err
		}
		done = append(done, p.Changes[i])
	}
	return done, nil
}

// removeRerun is what running remove again does after a failed delete.
const removeRerun = "running om-auth0 remove again finds what is left and deletes it"

// deleteGrant deletes a client grant (rerun is what running the command
// again does; "" for the default). One already gone is no failure.
func (s *Session) deleteGrant(ctx context.Context, g *Grant, rerun string) error {
	o := op{Name: fmt.Sprintf("delete client grant %s (application %s on %s)", g.ID, g.ClientID, g.Audience),
		Scope: "delete:client_grants", Rerun: rerun}
	err := s.do(ctx, o, func(ctx context.Context) error { return s.m.ClientGrant.Delete(ctx, g.ID) })
	if err != nil && !isStatus(err, 404) {
		return err
	}
	s.rememberGrant(g.ClientID, g.Audience, nil)
	return nil
}
