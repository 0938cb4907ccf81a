package steps_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// recordedOf is what answers.yaml records of a run's result (setup.RecordIDs).
func recordedOf(r setupResult) steps.Recorded {
	rec := steps.Recorded{UIAppID: r.ui.ClientID}
	if r.sa.Mode == steps.Separate {
		rec.ServiceAccountID = r.sa.App.ClientID
	}
	if r.sa.Grant != nil {
		rec.GrantID = r.sa.Grant.ID
	}
	return rec
}

// listings are the requests of the log that list the tenant's applications.
func listings(reqs []sandbox.Request) []string {
	var out []string
	for _, r := range reqs {
		if r.Method == http.MethodGet && r.Path == "/api/v2/clients" {
			out = append(out, r.Path+"?"+r.RawQuery)
		}
	}
	return out
}

// newestChoices are choices() on OpenMetadata's newest version, whatever the mode.
func newestChoices(mode steps.ServiceAccountMode) steps.Choices {
	c := choices(openmetadata.Public, mode)
	c.Version = openmetadata.Newest
	return c
}

// A re-run given the ids answers.yaml recorded reads the applications by
// id, whatever the tenant's size: no listing, no write, at most 8 requests
// (token, tenant name, the applications, the grant, and Verify's discovery,
// JWKS and the service account's token).
func TestRerunFromRecordedIDsListsNothing(t *testing.T) {
	for _, tc := range []struct {
		mode         steps.ServiceAccountMode
		maxRequests  int
		wantByIDRead int // GET /api/v2/clients/{id}
	}{
		{steps.Separate, 8, 2},
		{steps.Same, 7, 1},
		{steps.Skip, 5, 1},
	} {
		t.Run(string(tc.mode), func(t *testing.T) {
			tt := largeTenant(t, 5_000)
			c := newestChoices(tc.mode)
			first := runSetup(t, tt.connect(t), c)
			c.Recorded = recordedOf(first)

			tt.ResetRequests()
			again := runSetup(t, tt.connect(t), c)
			reqs := tt.Requests()
			if l := listings(reqs); len(l) > 0 {
				t.Errorf("re-run from answers listed the tenant: %v", l)
			}
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("re-run from answers wrote %v", w)
			}
			if len(reqs) > tc.maxRequests {
				t.Errorf("re-run from answers sent %d requests, want ≤ %d: %v", len(reqs), tc.maxRequests, reqs)
			}
			byID := 0
			for _, r := range reqs {
				if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v2/clients/") {
					byID++
				}
			}
			if byID != tc.wantByIDRead {
				t.Errorf("read %d applications by id, want %d: %v", byID, tc.wantByIDRead, reqs)
			}
			if again.uiPlan.Writes() || again.saPlan.Writes() {
				t.Errorf("re-run plans changes: %+v %+v", again.uiPlan.Changes, again.saPlan.Changes)
			}
			if again.ui.ClientID != first.ui.ClientID {
				t.Errorf("UI application %s, want the recorded %s", again.ui.ClientID, first.ui.ClientID)
			}
			if tc.mode != steps.Skip {
				if again.sa.App.ClientID != first.sa.App.ClientID || again.sa.Grant.ID != first.sa.Grant.ID {
					t.Errorf("service account %s grant %s, want %s %s", again.sa.App.ClientID, again.sa.Grant.ID, first.sa.App.ClientID, first.sa.Grant.ID)
				}
				if again.sa.App.ClientSecret == "" {
					t.Error("the service account's secret was not read with it")
				}
			}
			if !again.verification.OK() {
				t.Errorf("verification: %+v", again.verification.Checks)
			}
		})
	}
}

// A recorded id that is gone, or whose marker was changed, is not used:
// the run says so in the plan and finds or creates the application as
// without answers.yaml, and never changes an application whose marker
// now names another OpenMetadata.
func TestRecordedIDNotUsable(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// spoil changes the tenant after the first run and returns the recorded ids to use.
		spoil      func(t *testing.T, tt *tenantUnderTest, first setupResult) steps.Recorded
		wantUI     steps.Action
		wantSA     steps.Action
		wantNote   string // in the note of the spoiled application's plan line
		noteOnBot  bool
		keepsFirst bool // the run ends with the first run's UI application
	}{
		{
			name: "UI application deleted",
			spoil: func(t *testing.T, tt *tenantUnderTest, first setupResult) steps.Recorded {
				if err := tt.admin(t).Client.Delete(ctx, first.ui.ClientID); err != nil {
					t.Fatal(err)
				}
				return recordedOf(first)
			},
			wantUI: steps.Create, wantSA: steps.Keep, wantNote: "no longer exists",
		},
		{
			name: "recorded id unknown, application found by its marker",
			spoil: func(t *testing.T, tt *tenantUnderTest, first setupResult) steps.Recorded {
				rec := recordedOf(first)
				rec.UIAppID = "gone0123456789abcdefGHIJKLMNOPQR"
				return rec
			},
			wantUI: steps.Keep, wantSA: steps.Keep, wantNote: "no longer exists", keepsFirst: true,
		},
		{
			name: "UI application marked for another OpenMetadata",
			spoil: func(t *testing.T, tt *tenantUnderTest, first setupResult) steps.Recorded {
				meta := map[string]any{steps.MarkerOMURL: "https://staging.example.com"}
				if err := tt.admin(t).Client.Update(ctx, first.ui.ClientID, &management.Client{ClientMetadata: &meta}); err != nil {
					t.Fatal(err)
				}
				return recordedOf(first)
			},
			wantUI: steps.Create, wantSA: steps.Keep, wantNote: "no longer carries om-auth0's marker for " + omURL,
		},
		{
			name: "service account deleted",
			spoil: func(t *testing.T, tt *tenantUnderTest, first setupResult) steps.Recorded {
				if err := tt.admin(t).Client.Delete(ctx, first.sa.App.ClientID); err != nil {
					t.Fatal(err)
				}
				return recordedOf(first)
			},
			wantUI: steps.Keep, wantSA: steps.Create, wantNote: "no longer exists", noteOnBot: true, keepsFirst: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			c := newestChoices(steps.Separate)
			first := runSetup(t, tt.connect(t), c)
			c.Recorded = tc.spoil(t, tt, first)

			tt.ResetRequests()
			again := runSetup(t, tt.connect(t), c)
			if len(listings(tt.Requests())) == 0 {
				t.Error("the run did not fall back to the listing")
			}
			ui, sa := again.uiPlan.Changes[0], again.saPlan.Changes[0]
			if ui.Action != tc.wantUI || sa.Action != tc.wantSA {
				t.Errorf("plan: UI %s, service account %s; want %s, %s", ui.Action, sa.Action, tc.wantUI, tc.wantSA)
			}
			noted, other := ui, sa
			if tc.noteOnBot {
				noted, other = sa, ui
			}
			if !strings.Contains(noted.Note, tc.wantNote) || !strings.Contains(noted.Note, "answers.yaml") {
				t.Errorf("note %q, want it to say the recorded id %s", noted.Note, tc.wantNote)
			}
			rec := again.uiPlan.RecordedNote()
			if tc.noteOnBot {
				rec = again.saPlan.RecordedNote()
			}
			if rec == "" || !strings.Contains(noted.Note, rec) {
				t.Errorf("RecordedNote() = %q, want the recorded id's part of the note %q", rec, noted.Note)
			}
			if other.Note != "" {
				t.Errorf("the other plan line has a note: %q", other.Note)
			}
			for _, w := range tt.writes() {
				if strings.HasSuffix(w, "/api/v2/clients/"+first.ui.ClientID) {
					t.Errorf("the run changed the first run's UI application: %s", w)
				}
			}
			if got := again.ui.ClientID == first.ui.ClientID; got != tc.keepsFirst {
				t.Errorf("UI application %s (first run's: %s), want kept = %v", again.ui.ClientID, first.ui.ClientID, tc.keepsFirst)
			}
			if !again.verification.OK() {
				t.Errorf("verification: %+v", again.verification.Checks)
			}
		})
	}
}
