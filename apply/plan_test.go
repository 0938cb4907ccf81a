package apply

import (
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/steps"
)

// planFields lists the owned fields with their action, masks secrets,
// cleans what the server sent, and tells a masked secret from a change.
func TestPlanFields(t *testing.T) {
	tests := []struct {
		name         string
		current      string
		next         string
		confidential bool
		want         map[string]Field // by name; fields not named are not checked
		absent       []string
	}{
		{name: "from nothing",
			current: `null`,
			next:    `{"authenticationConfiguration":{"provider":"auth0","clientId":"c","publicKeyUrls":["a","b"]},"authorizerConfiguration":{"adminPrincipals":["alice"]}}`,
			want: map[string]Field{
				"authenticationConfiguration.provider":      {Action: steps.Create, To: "auth0"},
				"authenticationConfiguration.publicKeyUrls": {Action: steps.Create, To: "[a, b]"},
				"authenticationConfiguration.authority":     {Action: steps.Keep, To: "(none)"},
				"authorizerConfiguration.adminPrincipals":   {Action: steps.Create, To: "[alice]"},
			},
			absent: []string{"authenticationConfiguration.oidcConfiguration.secret"}},
		{name: "changes and kept fields",
			current: `{"authenticationConfiguration":{"provider":"basic","clientId":"c","enableSelfSignup":true},"authorizerConfiguration":{"principalDomain":"a.com"}}`,
			next:    `{"authenticationConfiguration":{"provider":"auth0","clientId":"c","enableSelfSignup":true},"authorizerConfiguration":{"principalDomain":"b.com"}}`,
			want: map[string]Field{
				"authenticationConfiguration.provider":    {Action: steps.Update, From: "basic", To: "auth0"},
				"authenticationConfiguration.clientId":    {Action: steps.Keep, To: "c"},
				"authorizerConfiguration.principalDomain": {Action: steps.Update, From: "a.com", To: "b.com"},
			},
			absent: []string{"authenticationConfiguration.enableSelfSignup"}},
		{name: "a masked secret is not a change; a missing one is", confidential: true,
			current: `{"authenticationConfiguration":{"oidcConfiguration":{"secret":"*********","id":"x"}}}`,
			next:    `{"authenticationConfiguration":{"oidcConfiguration":{"secret":"s3cret","id":"y","tenant":""}}}`,
			want: map[string]Field{
				"authenticationConfiguration.oidcConfiguration.secret": {Action: steps.Keep, To: "*********"},
				"authenticationConfiguration.oidcConfiguration.id":     {Action: steps.Update, From: "x", To: "y"},
				"authenticationConfiguration.oidcConfiguration.tenant": {Action: steps.Create, To: `""`},
			}},
		{name: "an empty secret is set", confidential: true,
			current: `{"authenticationConfiguration":{"oidcConfiguration":{"secret":""}}}`,
			next:    `{"authenticationConfiguration":{"oidcConfiguration":{"secret":"s3cret"}}}`,
			want: map[string]Field{
				"authenticationConfiguration.oidcConfiguration.secret": {Action: steps.Create, To: "*********"},
			}},
		{name: "server text is cleaned",
			current: `{"authenticationConfiguration":{"clientId":"\u001b[2Jevil\u0007","publicKeyUrls":["\u001b]0;x\u0007k"]}}`,
			next:    `{"authenticationConfiguration":{"clientId":"c","publicKeyUrls":["k"]}}`,
			want: map[string]Field{
				"authenticationConfiguration.clientId":      {Action: steps.Update, From: "evil", To: "c"},
				"authenticationConfiguration.publicKeyUrls": {Action: steps.Update, From: "[k]", To: "[k]"},
			}},
		{name: "a section that is not an object",
			current: `{"authenticationConfiguration":"x"}`,
			next:    `{"authenticationConfiguration":{"clientId":"c"}}`,
			want: map[string]Field{
				"authenticationConfiguration.clientId": {Action: steps.Create, To: "c"},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fields, err := planFields([]byte(tc.current), []byte(tc.next), tc.confidential)
			if err != nil {
				t.Fatal(err)
			}
			byName := map[string]Field{}
			for _, f := range fields {
				byName[f.Name] = f
				if strings.ContainsAny(f.From+f.To, "\x1b\x07") || strings.Contains(f.From+f.To, "s3cret") {
					t.Errorf("field %+v shows control characters or the secret", f)
				}
			}
			for name, w := range tc.want {
				g, ok := byName[name]
				if !ok || g.Action != w.Action || g.From != w.From || g.To != w.To {
					t.Errorf("%s = %+v, want %+v", name, g, w)
				}
			}
			for _, name := range tc.absent {
				if _, ok := byName[name]; ok {
					t.Errorf("%s is listed", name)
				}
			}
		})
	}
	if _, err := planFields([]byte(`{`), []byte(`{}`), false); err == nil {
		t.Error("a current body that is not JSON was accepted")
	}
}
