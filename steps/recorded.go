package steps

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/termtext"
)

// readRecorded reads the application answers.yaml recorded under key for
// role by its id, with the listing's fields (and its secret when
// withSecret): one request instead of listing the tenant. It returns nil
// and a note saying why when the id is of no use — gone from the tenant, or
// no longer carrying om-auth0's marker of role for omURL — and the caller
// then finds or creates the application as if nothing was recorded.
// A read prefetchRecorded started is taken instead of sending another.
func (s *Session) readRecorded(ctx context.Context, key, id, role, omURL string, withSecret bool) (*remoteApp, string, error) {
	id = strings.TrimSpace(id)
	s.mu.Lock()
	early := s.recordedReads[key+" "+id]
	delete(s.recordedReads, key+" "+id) // taken once: a later plan reads the tenant again
	s.mu.Unlock()
	if early != nil {
		select {
		case <-early.done:
			if early.err == nil {
				if early.app == nil {
					return nil, early.note, nil
				}
				return ptr(early.app.clone()), "", nil
			}
		case <-ctx.Done():
		}
		// Failed (perhaps for its own context) or not done: read again.
	}
	return s.fetchRecorded(ctx, key, id, role, omURL, withSecret)
}

// recordedRead is a read of a recorded application that a step started
// for the next one (PlanUIApp for PlanServiceAccount's service account).
type recordedRead struct {
	done chan struct{}
	app  *remoteApp
	note string
	err  error
}

// prefetchRecorded registers a read of the recorded application now, for
// readRecorded to take, and returns the function that performs it.
func (s *Session) prefetchRecorded(ctx context.Context, key, id, role, omURL string, withSecret bool) func() {
	id = strings.TrimSpace(id)
	r := &recordedRead{done: make(chan struct{})}
	s.mu.Lock()
	if s.recordedReads == nil {
		s.recordedReads = map[string]*recordedRead{}
	}
	s.recordedReads[key+" "+id] = r
	s.mu.Unlock()
	return func() {
		defer close(r.done)
		r.app, r.note, r.err = s.fetchRecorded(ctx, key, id, role, omURL, withSecret)
	}
}

// fetchRecorded is readRecorded's request.
func (s *Session) fetchRecorded(ctx context.Context, key, id, role, omURL string, withSecret bool) (*remoteApp, string, error) {
	if s.isSelf(id) {
		return nil, recordedNote(key, id, "is the Management API application om-auth0 is connected with"), nil
	}
	fields := listFields
	if withSecret {
		fields = append(fields[:len(fields):len(fields)], "client_secret")
	}
	var mc *management.Client
	err := s.do(ctx, op{Name: "read application " + id + " (" + key + " in answers.yaml)", Scope: "read:clients", Read: true},
		func(ctx context.Context) (err error) {
			mc, err = s.m.Client.Read(ctx, id, management.IncludeFields(fields...))
			if err == nil && mc == nil {
				err = auth0http.NoResult(http.MethodGet, "/api/v2/clients/"+id)
			}
			return err
		})
	switch {
	case isStatus(err, http.StatusNotFound):
		return nil, recordedNote(key, id, "no longer exists"), nil
	case err != nil:
		return nil, "", err
	}
	r := fromManagement(mc)
	if !r.marked(role, omURL) {
		return nil, recordedNote(key, id, "no longer carries om-auth0's marker for "+omURL+", so it is not used"), nil
	}
	return &r, "", nil
}

// recordedNote is the plan's note on a recorded id that was not used.
func recordedNote(key, id, why string) string {
	return fmt.Sprintf("application %s (%s in answers.yaml) %s: looked for by marker and name instead", termtext.Clean(id), key, why)
}

// joinNotes joins the notes of one plan line that are not empty.
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}
