package steps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/termtext"
)

// Marker keys in client_metadata: an application om-auth0 manages carries its
// role and the OpenMetadata URL it serves, so staging and production sharing
// one tenant never pick each other's applications.
const (
	MarkerRole  = "om_auth0_role"
	MarkerOMURL = "om_auth0_om_url"
	// RoleUI marks the application behind OpenMetadata's sign-in page.
	RoleUI = "ui"
	// RoleBot marks the separate ingestion-bot service account.
	RoleBot = "ingestion-bot"
)

const (
	perPage          = 100
	listParallelism  = 4
	defaultAppName   = "OpenMetadata"
	defaultBotName   = "OpenMetadata Ingestion Bot"
	appTypeSPA       = "spa"
	appTypeRegular   = "regular_web"
	appTypeM2M       = "non_interactive"
	authNone         = "none"
	authBasic        = "client_secret_basic"
	grantAuthCode    = "authorization_code"
	grantRefresh     = "refresh_token"
	grantClientCreds = "client_credentials"
)

// listFields are what the listing fetches of every application: enough to
// find ours by marker or name and to diff it without a second read.
var listFields = []string{"client_id", "name", "app_type", "client_metadata", "token_endpoint_auth_method",
	"grant_types", "callbacks", "web_origins", "allowed_logout_urls", "oidc_conformant"}

// remoteApp is an application as the tenant holds it, reduced to what the steps own.
type remoteApp struct {
	ClientID       string
	ClientSecret   string
	Name           string
	AppType        string
	AuthMethod     string
	GrantTypes     []string
	Callbacks      []string
	WebOrigins     []string
	LogoutURLs     []string
	OIDCConformant bool
	Metadata       map[string]string
}

// fromManagement takes what the steps own of an application Auth0 answered,
// its printed text cleaned of control sequences (client_metadata is not:
// the operator's values are written back as they were; formatMeta cleans
// what it prints).
func fromManagement(c *management.Client) remoteApp {
	r := remoteApp{
		ClientID:       termtext.Clean(c.GetClientID()),
		ClientSecret:   c.GetClientSecret(),
		Name:           termtext.Clean(c.GetName()),
		AppType:        termtext.Clean(c.GetAppType()),
		AuthMethod:     termtext.Clean(c.GetTokenEndpointAuthMethod()),
		OIDCConformant: c.GetOIDCConformant(),
	}
	if c.GrantTypes != nil {
		r.GrantTypes = cleanList(*c.GrantTypes)
	}
	if c.Callbacks != nil {
		r.Callbacks = cleanList(*c.Callbacks)
	}
	if c.WebOrigins != nil {
		r.WebOrigins = cleanList(*c.WebOrigins)
	}
	if c.AllowedLogoutURLs != nil {
		r.LogoutURLs = cleanList(*c.AllowedLogoutURLs)
	}
	if c.ClientMetadata != nil {
		r.Metadata = map[string]string{}
		for k, v := range *c.ClientMetadata {
			if s, ok := v.(string); ok {
				r.Metadata[k] = s
			} else {
				r.Metadata[k] = fmt.Sprint(v)
			}
		}
	}
	return r
}

// clone is r with slices and metadata of its own.
func (r remoteApp) clone() remoteApp {
	r.GrantTypes = slices.Clone(r.GrantTypes)
	r.Callbacks = slices.Clone(r.Callbacks)
	r.WebOrigins = slices.Clone(r.WebOrigins)
	r.LogoutURLs = slices.Clone(r.LogoutURLs)
	r.Metadata = maps.Clone(r.Metadata)
	return r
}

// merge applies what a PATCH or create answered on top of what was known.
func (r remoteApp) merge(c *management.Client) remoteApp {
	n := fromManagement(c)
	out := r
	out.ClientID = firstNonEmpty(n.ClientID, r.ClientID)
	out.ClientSecret = firstNonEmpty(n.ClientSecret, r.ClientSecret)
	out.Name = firstNonEmpty(n.Name, r.Name)
	out.AppType = firstNonEmpty(n.AppType, r.AppType)
	out.AuthMethod = firstNonEmpty(n.AuthMethod, r.AuthMethod)
	if c.OIDCConformant != nil {
		out.OIDCConformant = n.OIDCConformant
	}
	if c.GrantTypes != nil {
		out.GrantTypes = n.GrantTypes
	}
	if c.Callbacks != nil {
		out.Callbacks = n.Callbacks
	}
	if c.WebOrigins != nil {
		out.WebOrigins = n.WebOrigins
	}
	if c.AllowedLogoutURLs != nil {
		out.LogoutURLs = n.LogoutURLs
	}
	if c.ClientMetadata != nil {
		out.Metadata = n.Metadata
	}
	return out
}

func (r remoteApp) app(created bool) *App {
	return &App{
		ClientID:                r.ClientID,
		ClientSecret:            r.ClientSecret,
		Name:                    r.Name,
		AppType:                 r.AppType,
		TokenEndpointAuthMethod: r.AuthMethod,
		GrantTypes:              slices.Clone(r.GrantTypes),
		Callbacks:               slices.Clone(r.Callbacks),
		WebOrigins:              slices.Clone(r.WebOrigins),
		AllowedLogoutURLs:       slices.Clone(r.LogoutURLs),
		Created:                 created,
	}
}

// marked reports whether the application carries the marker of role for omURL.
func (r remoteApp) marked(role, omURL string) bool {
	return r.Metadata[MarkerRole] == role && normalizeURL(r.Metadata[MarkerOMURL]) == normalizeURL(omURL)
}

// foreign reports whether the application is marked for another role or OpenMetadata.
func (r remoteApp) foreign(role, omURL string) bool {
	return r.Metadata[MarkerRole] != "" && !r.marked(role, omURL)
}

func marker(role, omURL string) map[string]string {
	return map[string]string{MarkerRole: role, MarkerOMURL: normalizeURL(omURL)}
}

func normalizeURL(u string) string { return strings.TrimRight(strings.TrimSpace(u), "/") }

// ListApps implements Runner. The applications are read 100 at a time; see
// readApps for how. The listing is kept for the steps that find
// applications by marker or name.
func (s *Session) ListApps(ctx context.Context) ([]AppSummary, error) {
	apps, err := s.listApps(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make([]AppSummary, len(apps))
	for i, a := range apps {
		out[i] = AppSummary{ClientID: a.ClientID, Name: a.Name, AppType: a.AppType}
	}
	return out, nil
}

// listApps returns the non-global applications, from the session's listing
// unless fresh is set (after a create whose answer was lost). The listing is
// shared, not copied: callers must not change it, nor the slices and maps
// of its applications (findApp hands out copies for that). The session
// replaces it instead of changing it (see updateApp).
func (s *Session) listApps(ctx context.Context, fresh bool) ([]remoteApp, error) {
	s.mu.Lock()
	if s.apps != nil && !fresh {
		apps := slices.Clip(s.apps)
		s.mu.Unlock()
		return apps, nil
	}
	s.mu.Unlock()

	apps, err := s.readApps(ctx, "")
	if err != nil {
		// A failed listing keeps nothing: the next run reads every page again.
		return nil, err
	}
	// The Management API application om-auth0 is connected with is never
	// offered, found or changed: turning it into the sign-in application
	// would cut om-auth0 off from the tenant.
	apps = slices.DeleteFunc(apps, func(a remoteApp) bool { return s.isSelf(a.ClientID) })
	s.mu.Lock()
	s.apps = apps
	s.mu.Unlock()
	return apps, nil
}

// listOp is the listing's calls, page-based or by checkpoint.
var listOp = op{Name: "list applications", Scope: "read:clients", Read: true,
	Rerun: "running it again lists the applications again from the first page"}

// listFilter is what every listing request asks for besides its paging:
// the applications of the given types (comma separated; "" for all).
func listFilter(types string) []management.RequestOption {
	opts := []management.RequestOption{management.Parameter("is_global", "false"), management.IncludeFields(listFields...)}
	if types != "" {
		opts = append(opts, management.Parameter("app_type", types))
	}
	return opts
}

// readApps reads every non-global application of types ("" for all). The first page is read
// alone: it tells the total and the tenant's rate limit; the other pages are
// then read concurrently. Beyond auth0http.PageLimit records the last page
// is asked for first, alone, because Auth0 may refuse pages past that limit; a page
// refused that way (here or later) turns the listing into a checkpoint one,
// once, read one page after the other.
func (s *Session) readApps(ctx context.Context, types string) ([]remoteApp, error) {
	page := func(ctx context.Context, n int) (l *management.ClientList, budget auth0http.RateBudget, err error) {
		err = s.do(ctx, listOp, func(ctx context.Context) (err error) {
			opts := append(listFilter(types), management.Page(n), management.PerPage(perPage), management.IncludeTotals(true))
			l, err = s.m.Client.List(ctx, opts...)
			budget = auth0http.CallFrom(ctx).RateBudget()
			if err == nil && l == nil {
				err = auth0http.NoResult(http.MethodGet, "/api/v2/clients")
			}
			return err
		})
		return l, budget, err
	}
	first, budget, err := page(ctx, 0)
	if beyondPageLimit(err) {
		return s.readAppsByCheckpoint(ctx, types, 0)
	}
	if err != nil {
		return nil, err
	}
	total := max(first.Total, len(first.Clients))
	pages := [][]*management.Client{first.Clients}
	if n := (first.Total + perPage - 1) / perPage; n > 1 && len(first.Clients) > 0 {
		pages = append(pages, make([][]*management.Client, n-1)...)
		rest := n - 1
		if total > auth0http.PageLimit {
			// Whether Auth0 limits /clients to PageLimit records by page is
			// unverified, and so is checkpoint paging there without `q`
			// (go-auth0 v1 says "only supported with the q parameter").
			// So ask for the last page alone: Auth0 either serves it, and
			// the pages stay the way, or refuses it, and the listing starts
			// over by checkpoint — which Auth0 itself then asked for.
			// Checkpoints start over rather than continue: Auth0 does not
			// say that they list in the pages' order, and mixing two orders
			// can skip applications.
			last, _, err := page(ctx, rest)
			if beyondPageLimit(err) {
				return s.readAppsByCheckpoint(ctx, types, total)
			}
			if err != nil {
				return nil, err
			}
			pages[rest] = last.Clients
			rest--
		}
		// The first error is the one that stopped the other readers.
		err := auth0http.ReadPages(ctx, 1, rest, listConcurrency(budget), func(ctx context.Context, i int) error {
			l, _, err := page(ctx, i)
			if err != nil {
				return err
			}
			pages[i] = l.Clients
			return nil
		})
		if beyondPageLimit(err) {
			return s.readAppsByCheckpoint(ctx, types, total)
		}
		if err != nil {
			return nil, err
		}
	}
	return collectApps(pages, total), nil
}

// readAppsByCheckpoint reads every non-global application with checkpoint
// pagination: no limit, but each page names the next, so they are read one
// after the other. total is a hint for sizing the listing (0 if unknown).
func (s *Session) readAppsByCheckpoint(ctx context.Context, types string, total int) ([]remoteApp, error) {
	pages := make([][]*management.Client, 0, (total+perPage-1)/perPage)
	err := auth0http.ReadCheckpoints(func(from string) (string, error) {
		var l *management.ClientList
		err := s.do(ctx, listOp, func(ctx context.Context) (err error) {
			opts := append(listFilter(types), management.Take(perPage))
			if from != "" {
				opts = append(opts, management.From(from))
			}
			l, err = s.m.Client.ListWithCheckpointPagination(ctx, opts...)
			if err == nil && l == nil {
				err = auth0http.NoResult(http.MethodGet, "/api/v2/clients")
			}
			return err
		})
		if err != nil {
			return "", err
		}
		pages = append(pages, l.Clients)
		return l.Next, nil
	})
	var repeated *auth0http.RepeatedCheckpointError
	if errors.As(err, &repeated) {
		return nil, &Error{Op: listOp.Name, Meaning: repeated.Error(), Hint: listOp.Rerun}
	}
	if err != nil {
		return nil, err
	}
	return collectApps(pages, total), nil
}

// beyondPageLimit reports whether err is Auth0 refusing a page past
// auth0http.PageLimit: 400 "Requesting page 10 exceeds the allowed maximum
// of 1000 records. To fetch results beyond 1000, use the checkpoint pagination
// method." [ISSUE auth0-python#277]. Its errorCode is unknown, so the
// message decides.
func beyondPageLimit(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusBadRequest &&
		strings.Contains(e.Auth0Message, "checkpoint pagination")
}

// collectApps flattens the pages into the listing, dropping repeats: a
// create between two page reads shifts the pages. total sizes it.
func collectApps(pages [][]*management.Client, total int) []remoteApp {
	seen := make(map[string]struct{}, total)
	apps := make([]remoteApp, 0, total)
	for _, p := range pages {
		for _, c := range p {
			id := c.GetClientID()
			if _, dup := seen[id]; !dup {
				seen[id] = struct{}{}
				apps = append(apps, fromManagement(c))
			}
		}
	}
	return slices.Clip(apps)
}

// listConcurrency is how many pages are read at once after the first:
// listParallelism, or fewer when the first page announced a small rate
// limit, leaving room for the reads that overlap the listing (PlanUIApp's
// scopes).
func listConcurrency(b auth0http.RateBudget) int { return b.Readers(listParallelism) }

// rememberCreated notes an application the session created and adds it to the listing.
func (s *Session) rememberCreated(r remoteApp) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.createdApps == nil {
		s.createdApps = map[string]bool{}
	}
	s.createdApps[r.ClientID] = true
	if s.apps == nil {
		return
	}
	r.ClientSecret = ""
	for _, a := range s.apps {
		if a.ClientID == r.ClientID {
			return
		}
	}
	// The listing handed out is clipped, so this never writes into what a caller holds.
	s.apps = append(s.apps, r)
}

// findApp picks, from the listing, the application with the marker of role
// for omURL, else the one named name that no other OpenMetadata has marked.
// When several carry the marker (two runs created one at the same time),
// it picks the survivor every run picks and returns the others, which
// om-auth0 marked, as duplicates to delete.
func findApp(apps []remoteApp, role, omURL, name string) (found *remoteApp, duplicates []remoteApp, err error) {
	var byMarker, byName []remoteApp
	for _, a := range apps {
		switch {
		case a.marked(role, omURL):
			byMarker = append(byMarker, a)
		case a.Name == name && !a.foreign(role, omURL):
			byName = append(byName, a)
		}
	}
	switch {
	case len(byMarker) > 0:
		keep := survivor(byMarker)
		for _, a := range byMarker {
			if a.ClientID != keep.ClientID {
				duplicates = append(duplicates, a)
			}
		}
		return &keep, duplicates, nil
	case len(byName) == 1:
		return &byName[0], nil, nil
	case len(byName) == 0:
		return nil, nil, nil
	}
	// Applications om-auth0 did not mark are the operator's: which one is
	// meant, and whether the others may go, is theirs to say.
	ids := make([]string, len(byName))
	for j, a := range byName {
		ids[j] = a.ClientID
	}
	hint := "pick one with --app-id, or delete or rename the others under Applications > Applications"
	if role == RoleBot {
		hint = "delete or rename the others under Applications > Applications, or choose another --bot-app-name"
	}
	return nil, nil, &Error{Op: "find application " + strconvQuote(name),
		Meaning: fmt.Sprintf("%d applications are named %s: %s", len(byName), strconvQuote(name), strings.Join(ids, ", ")),
		Hint:    hint}
}

// readSecret reads an application's client secret; it needs read:client_keys.
func (s *Session) readSecret(ctx context.Context, clientID, name string) (string, error) {
	var c *management.Client
	err := s.do(ctx, op{Name: "read the secret of application " + strconvQuote(name), Scope: "read:client_keys"}, func(ctx context.Context) (err error) {
		c, err = s.m.Client.Read(ctx, clientID, management.IncludeFields("client_id", "client_secret"))
		return err
	})
	if err != nil {
		return "", err
	}
	return c.GetClientSecret(), nil
}

// createApp creates an application in one request, marked with this
// session's run id. When the answer is lost after Auth0
// may have committed it, the tenant is read again and the application
// carrying this run's id is taken instead of creating a duplicate.
// createConverged is its caller: it settles a race with another run.
func (s *Session) createApp(ctx context.Context, body *management.Client, role, omURL string) (r remoteApp, err error) {
	name := body.GetName()
	o := op{Name: "create application " + strconvQuote(name), Scope: "create:clients"}
	meta := map[string]any{markerRun: s.run}
	if body.ClientMetadata != nil {
		maps.Copy(meta, *body.ClientMetadata)
	}
	s.mu.Lock()
	s.triedCreate = true
	s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		c := *body
		c.ClientMetadata = ptr(maps.Clone(meta))
		err := s.do(ctx, o, func(ctx context.Context) error { return s.m.Client.Create(ctx, &c) })
		if err == nil {
			r = fromManagement(&c)
			s.recordCreated(fmt.Sprintf("application %q (%s)", r.Name, r.ClientID))
			s.rememberCreated(r)
			break
		}
		if attempt > 0 || !answerLost(ctx, err) {
			return remoteApp{}, err
		}
		apps, lerr := s.listApps(ctx, true)
		if lerr != nil {
			return remoteApp{}, fmt.Errorf("%w (and finding out whether it was created failed: %v)", err, lerr)
		}
		i := slices.IndexFunc(apps, func(a remoteApp) bool { return a.Metadata[markerRun] == s.run && a.marked(role, omURL) })
		if i < 0 {
			continue // the lost create did not happen: send it again
		}
		r = apps[i]
		s.recordCreated(fmt.Sprintf("application %q (%s)", r.Name, r.ClientID))
		s.rememberCreated(r)
		if s.has("read:client_keys") {
			if secret, serr := s.readSecret(ctx, r.ClientID, r.Name); serr == nil {
				r.ClientSecret = secret
			}
		}
		break
	}
	return r, nil
}

// updateApp sends one PATCH with only the fields that differ.
func (s *Session) updateApp(ctx context.Context, current remoteApp, patch *management.Client) (remoteApp, error) {
	if s.isSelf(current.ClientID) {
		return remoteApp{}, s.refuseSelf("update application "+strconvQuote(current.Name), current.ClientID)
	}
	o := op{Name: "update application " + strconvQuote(current.Name), Scope: "update:clients",
		NotFound: "application " + current.ClientID + " no longer exists", NotFoundHint: "run again to find or create it"}
	c := *patch
	if err := s.do(ctx, o, func(ctx context.Context) error { return s.m.Client.Update(ctx, current.ClientID, &c) }); err != nil {
		return remoteApp{}, err
	}
	s.mu.Lock()
	if i := slices.IndexFunc(s.apps, func(a remoteApp) bool { return a.ClientID == current.ClientID }); i >= 0 {
		// A new listing: callers may be reading the one they were given.
		apps := slices.Clone(s.apps)
		apps[i] = apps[i].merge(&c)
		apps[i].ClientSecret = ""
		s.apps = apps
	}
	s.mu.Unlock()
	return current.merge(&c), nil
}

// ensure returns list with every one of want appended that it lacks; extra
// entries the operator added are kept.
func ensure(list []string, want ...string) []string {
	out := slices.Clone(list)
	for _, w := range want {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}

// diff collects the field changes of a PATCH in the order they are listed.
type diff struct {
	fields []FieldChange
	patch  management.Client
}

func (d *diff) str(field, from, to string, set func(*management.Client, string)) {
	if from != to {
		d.fields = append(d.fields, FieldChange{Field: field, From: from, To: to})
		set(&d.patch, to)
	}
}

func (d *diff) list(field string, from, to []string, set func(*management.Client, []string)) {
	if !slices.Equal(from, to) {
		d.fields = append(d.fields, FieldChange{Field: field, From: strings.Join(from, ", "), To: strings.Join(to, ", ")})
		v := slices.Clone(to)
		set(&d.patch, v)
	}
}

func (d *diff) boolean(field string, from, to bool, set func(*management.Client, bool)) {
	if from != to {
		d.fields = append(d.fields, FieldChange{Field: field, From: strconv.FormatBool(from), To: strconv.FormatBool(to)})
		set(&d.patch, to)
	}
}

// metadata ensures the marker, keeping the application's other metadata
// (whether Auth0 merges or replaces client_metadata, the full map is right).
func (d *diff) metadata(from, want map[string]string) {
	changed := false
	merged := map[string]any{}
	for k, v := range from {
		merged[k] = v
	}
	for k, v := range want {
		if from[k] != v {
			changed = true
		}
		merged[k] = v
	}
	if changed {
		d.fields = append(d.fields, FieldChange{Field: "client_metadata", From: formatMeta(from), To: formatMeta(want)})
		d.patch.ClientMetadata = &merged
	}
}

func formatMeta(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		if strings.HasPrefix(k, "om_auth0_") && k != markerRun {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = termtext.Clean(k + "=" + m[k])
	}
	return strings.Join(parts, ", ")
}

func metaAny(m map[string]string) *map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return &out
}

func ptr[T any](v T) *T { return &v }

func createFields(r remoteApp) []FieldChange {
	f := []FieldChange{{Field: "app_type", To: r.AppType}}
	if r.AuthMethod != "" {
		f = append(f, FieldChange{Field: "token_endpoint_auth_method", To: r.AuthMethod})
	}
	f = append(f, FieldChange{Field: "grant_types", To: strings.Join(r.GrantTypes, ", ")})
	if len(r.Callbacks) > 0 {
		f = append(f,
			FieldChange{Field: "callbacks", To: strings.Join(r.Callbacks, ", ")},
			FieldChange{Field: "web_origins", To: strings.Join(r.WebOrigins, ", ")},
			FieldChange{Field: "allowed_logout_urls", To: strings.Join(r.LogoutURLs, ", ")},
			FieldChange{Field: "oidc_conformant", To: strconv.FormatBool(r.OIDCConformant)})
	}
	return append(f, FieldChange{Field: "client_metadata", To: formatMeta(r.Metadata)})
}

func (r remoteApp) toCreate(description string) *management.Client {
	c := &management.Client{
		Name:           ptr(r.Name),
		Description:    ptr(description),
		AppType:        ptr(r.AppType),
		GrantTypes:     ptr(slices.Clone(r.GrantTypes)),
		ClientMetadata: metaAny(r.Metadata),
	}
	if r.AuthMethod != "" {
		c.TokenEndpointAuthMethod = ptr(r.AuthMethod)
	}
	if len(r.Callbacks) > 0 {
		c.Callbacks = ptr(slices.Clone(r.Callbacks))
		c.WebOrigins = ptr(slices.Clone(r.WebOrigins))
		c.AllowedLogoutURLs = ptr(slices.Clone(r.LogoutURLs))
		c.OIDCConformant = ptr(r.OIDCConformant)
	}
	return c
}
