package steps_test

import (
	"context"
	"errors"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// The steps check the OpenMetadata URL with openmetadata.CheckURL, the check
// the wizard, the command line and the renderers use: a URL any of them
// refuses is refused before the tenant is read, with the same reason.
func TestStepsShareTheOMURLCheck(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	s := tt.connect(t)
	for _, raw := range []string{
		"",
		"om.example.com",
		"https://admin:secret@om.example.com",
		"https://om.example.com/?next=x",
		"https://om.example.com/${OM_PATH}",
		"https://om.example .com",
	} {
		t.Run(raw, func(t *testing.T) {
			_, want := openmetadata.CheckURL(raw)
			if want == nil {
				t.Fatalf("openmetadata.CheckURL accepts %q", raw)
			}
			c := choices(openmetadata.Public, steps.Separate)
			c.OMURL = raw
			tt.ResetRequests()
			_, uiErr := s.PlanUIApp(context.Background(), c)
			_, saErr := s.PlanServiceAccount(context.Background(), c, &steps.App{Name: "OpenMetadata"})
			for step, err := range map[string]error{"PlanUIApp": uiErr, "PlanServiceAccount": saErr} {
				var e *steps.Error
				if !errors.As(err, &e) || e.Op != "check the OpenMetadata URL" || e.Meaning != want.Error() {
					t.Errorf("%s: err = %v, want the meaning %q", step, err, want)
				}
			}
			if n := len(tt.Requests()); n != 0 {
				t.Errorf("%d requests sent for an OpenMetadata URL that is refused", n)
			}
		})
	}
}
