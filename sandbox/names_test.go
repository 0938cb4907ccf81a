package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/auth0/go-auth0/management"
)

// TestClientNameRules: Auth0's rules on a client's name, on create and on
// update, with its exact error body.
func TestClientNameRules(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients", "update:clients")
	existing := createClient(t, s, tok, map[string]any{"name": "to rename"})["client_id"].(string)
	tests := []struct {
		name    string
		value   string
		message string // "" when Auth0 accepts the name
	}{
		{"plain", "OpenMetadata Ingestion Bot", ""},
		{"punctuation and unicode", `OM (prod) & co — "ü" 'x' /\ #1`, ""},
		{"140 characters", strings.Repeat("n", 140), ""},
		{"140 runes, more bytes", strings.Repeat("é", 140), ""},
		{"control sequences", HostileText, ""},
		{"line break", "two\nlines", ""},
		{"empty", "", "Payload validation error: 'String is too short (0 chars), minimum 1' on property name."},
		{"141 characters (UNVERIFIED limit)", strings.Repeat("n", 141), "Payload validation error: 'String is too long (141 chars), maximum 140' on property name."},
		{"less-than", "a<b", "Payload validation error: 'String does not match pattern ^[^<>]+$: a<b' on property name."},
		{"greater-than", ">", "Payload validation error: 'String does not match pattern ^[^<>]+$: >' on property name."},
		{"markup", "<script>x</script>", "Payload validation error: 'String does not match pattern ^[^<>]+$: <script>x</script>' on property name."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			create := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, map[string]any{"name": tt.value})
			patch := call(t, http.MethodPatch, s.URL()+"/api/v2/clients/"+existing, tok, map[string]any{"name": tt.value})
			if tt.message != "" {
				wantAPIError(t, create, http.StatusBadRequest, tt.message, "invalid_body")
				wantAPIError(t, patch, http.StatusBadRequest, tt.message, "invalid_body")
				return
			}
			if create.status != http.StatusCreated || create.json(t)["name"] != tt.value {
				t.Fatalf("create: %d %s", create.status, create.body)
			}
			if patch.status != http.StatusOK || patch.json(t)["name"] != tt.value {
				t.Fatalf("patch: %d %s", patch.status, patch.body)
			}
		})
	}
}

// TestHostileNamesAreListedRaw: names and descriptions with control
// sequences come back from GET /api/v2/clients as stored.
func TestHostileNamesAreListedRaw(t *testing.T) {
	s := unlimited(t)
	id, err := s.SeedApp(HostileText, "desc "+HostileText, "spa")
	if err != nil {
		t.Fatal(err)
	}
	list, err := wizard(t, s).Client.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found *management.Client
	for _, c := range list.Clients {
		if c.GetClientID() == id {
			found = c
		}
	}
	if found == nil || found.GetName() != HostileText || found.GetDescription() != "desc "+HostileText || found.GetAppType() != "spa" {
		t.Fatalf("listed %+v", found)
	}

	for _, bad := range []struct{ name, description, want string }{
		{"a<b", "", "400 Payload validation error: 'String does not match pattern ^[^<>]+$: a<b' on property name."},
		{"", "", "String is too short"},
		{"ok", strings.Repeat("d", 141), "on property description"},
	} {
		if _, err := s.SeedApp(bad.name, bad.description, "spa"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("SeedApp(%q, %d-char description) = %v, want an error with %q", bad.name, len(bad.description), err, bad.want)
		}
	}
}

// TestConcurrentCreatesMakeDuplicates: Auth0 enforces no uniqueness on a
// client's name or metadata (a real tenant lists two applications named
// "fedcm-F1-repro" [REC TestAccDataClients]), so simultaneous creates with
// the same marker all succeed, as two runs racing would. Auth0 returns no
// creation time on clients (none in the raw listing [REC TestAccDataClients],
// and go-auth0's Client has no such field), so neither does the sandbox.
func TestConcurrentCreatesMakeDuplicates(t *testing.T) {
	const n = 20
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients", "read:clients")
	body := map[string]any{"name": "OpenMetadata", "app_type": "spa", "client_metadata": map[string]any{"om_auth0_role": "ui"}}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ids  []string
		errs []error
	)
	for range n {
		wg.Go(func() {
			r, err := tryCall(http.MethodPost, s.URL()+"/api/v2/clients", tok, body)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				errs = append(errs, err)
			case r.status != http.StatusCreated:
				errs = append(errs, fmt.Errorf("%d %s", r.status, r.body))
			default:
				var c struct {
					ClientID string `json:"client_id"`
				}
				if err := json.Unmarshal(r.body, &c); err != nil {
					errs = append(errs, err)
				}
				ids = append(ids, c.ClientID)
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d creates failed: %v", len(errs), n, errs)
	}
	slices.Sort(ids)
	if len(slices.Compact(slices.Clone(ids))) != n {
		t.Fatalf("client ids not distinct: %v", ids)
	}

	var listed []map[string]any
	mustUnmarshal(t, call(t, http.MethodGet, s.URL()+"/api/v2/clients?app_type=spa", tok, nil).body, &listed)
	var marked []string
	for _, c := range listed {
		if md, _ := c["client_metadata"].(map[string]any); md["om_auth0_role"] == "ui" && c["name"] == "OpenMetadata" {
			marked = append(marked, c["client_id"].(string))
		}
		if _, ok := c["created_at"]; ok {
			t.Errorf("client %v has created_at, which Auth0 does not return", c["client_id"])
		}
	}
	slices.Sort(marked)
	if !slices.Equal(marked, ids) {
		t.Fatalf("listed with the marker %v, want every created %v", marked, ids)
	}
}
