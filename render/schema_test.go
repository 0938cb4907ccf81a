package render

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/om-auth0/om-auth0/internal/testenv"
	"github.com/om-auth0/om-auth0/openmetadata"
)

// validateFile checks one rendered YAML file against OpenMetadata's schemas.
func validateFile(t *testing.T, c *config, f openmetadata.File) {
	t.Helper()
	if !strings.HasSuffix(f.Path, ".yaml") {
		return
	}
	doc := parseYAML(t, f)
	onlyKeys := func(want ...string) {
		if got := slices.Sorted(maps.Keys(doc)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			t.Errorf("%s: top-level keys %v, want %v", f.Path, got, want)
		}
	}
	check := func(s *jsonschema.Schema, what string, v any) {
		if err := s.Validate(jsonValue(t, v)); err != nil {
			t.Errorf("%s: %s does not match the schema:\n%v\n%s", f.Path, what, err, f.Data)
		}
	}
	switch f.Path {
	case BareMetalPath:
		onlyKeys("authenticationConfiguration", "authorizerConfiguration")
		check(authenticationSchema(t), "authenticationConfiguration", doc["authenticationConfiguration"])
		check(authorizerSchema(t), "authorizerConfiguration", doc["authorizerConfiguration"])
	case HelmValuesPath:
		check(helmSchema(t), "the values", doc)
	case HelmSecretPath:
		onlyKeys("apiVersion", "kind", "metadata", "type", "stringData")
		data, _ := doc["stringData"].(map[string]any)
		meta, _ := doc["metadata"].(map[string]any)
		if doc["kind"] != "Secret" || meta["name"] != oidcSecretName ||
			data[oidcSecretClientIDKey] != serverText(c.UI.ClientID) || data[oidcSecretClientKeyKey] != serverText(c.UI.ClientSecret) {
			t.Errorf("%s is not the chart's oidc-secrets Secret:\n%s", f.Path, f.Data)
		}
	case IngestionPath:
		onlyKeys("workflowConfig")
		check(workflowConfigSchema(t, c.legacyIngestion()), "workflowConfig", doc["workflowConfig"])
	default:
		t.Errorf("%s: no schema check for this file", f.Path)
	}
}

// TestSchemas validates every rendered YAML file of every golden case against
// the real OpenMetadata schemas, the Helm chart's values.schema.json, and the
// workflow schema (with Auth0 client credentials for OpenMetadata ≤ 1.0).
func TestSchemas(t *testing.T) {
	testenv.ReferenceDir(t) // one skip for the whole test, not one per case
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			c, err := prepare(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			files, err := Render(tc.in, AllTargets)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				validateFile(t, c, f)
			}
		})
	}
	t.Logf("referenced schemas not in the reference folder, served as accept-anything stubs: %v", stubbedSchemas())
	if slices.Contains(stubbedSchemas(), "oidcClientConfig.json") {
		t.Error("oidcClientConfig.json was not found: the confidential client's oidcConfiguration went unchecked")
	}
}

// TestSchemaCheckCanFail shows the schema checks reject a file that lacks a
// required key or has a key the schema does not know.
func TestSchemaCheckCanFail(t *testing.T) {
	testenv.ReferenceDir(t) // one skip for the whole test, not one per case
	render := func(in Input, path string) map[string]any {
		files, err := Render(in, AllTargets)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if f.Path == path {
				return parseYAML(t, f)
			}
		}
		t.Fatalf("%s not rendered", path)
		return nil
	}
	legacy := fixture("1.0.2", openmetadata.Public)
	legacy.ServiceAccount = &Credentials{ClientID: "bot", ClientSecret: "bot-secret"}
	sub := func(m map[string]any, keys ...string) map[string]any {
		for _, k := range keys {
			m = m[k].(map[string]any)
		}
		return m
	}
	tests := []struct {
		name   string
		in     Input
		path   string
		schema func(t testing.TB) *jsonschema.Schema
		// mutate breaks the document and returns the part to validate.
		mutate func(doc map[string]any) any
		want   string // in the validation error
	}{
		{"authentication without clientId", fixture("2.0.2", openmetadata.Public), BareMetalPath, authenticationSchema,
			func(doc map[string]any) any {
				a := sub(doc, "authenticationConfiguration")
				delete(a, "clientId")
				return a
			}, "clientId"},
		{"authorizer without principalDomain", fixture("1.4.0", openmetadata.Public), BareMetalPath, authorizerSchema,
			func(doc map[string]any) any {
				a := sub(doc, "authorizerConfiguration")
				delete(a, "principalDomain")
				return a
			}, "principalDomain"},
		{"oidcConfiguration without tenant", fixture("2.0.2", openmetadata.Confidential), BareMetalPath, authenticationSchema,
			func(doc map[string]any) any {
				a := sub(doc, "authenticationConfiguration")
				delete(sub(a, "oidcConfiguration"), "tenant")
				return a
			}, "tenant"},
		{"provider not an auth provider", fixture("1.6.4", openmetadata.Public), BareMetalPath, authenticationSchema,
			func(doc map[string]any) any {
				a := sub(doc, "authenticationConfiguration")
				a["provider"] = "Auth0"
				return a
			}, "provider"},
		{"ingestion without jwtToken", fixture("2.0.2", openmetadata.Public), IngestionPath,
			func(t testing.TB) *jsonschema.Schema { return workflowConfigSchema(t, false) },
			func(doc map[string]any) any {
				w := sub(doc, "workflowConfig")
				delete(sub(w, "openMetadataServerConfig", "securityConfig"), "jwtToken")
				return w
			}, "jwtToken"},
		{"ingestion without hostPort", fixture("1.4.0", openmetadata.Public), IngestionPath,
			func(t testing.TB) *jsonschema.Schema { return workflowConfigSchema(t, false) },
			func(doc map[string]any) any {
				w := sub(doc, "workflowConfig")
				delete(sub(w, "openMetadataServerConfig"), "hostPort")
				return w
			}, "hostPort"},
		{"legacy ingestion without domain", legacy, IngestionPath,
			func(t testing.TB) *jsonschema.Schema { return workflowConfigSchema(t, true) },
			func(doc map[string]any) any {
				w := sub(doc, "workflowConfig")
				delete(sub(w, "openMetadataServerConfig", "securityConfig"), "domain")
				return w
			}, "domain"},
		{"legacy ingestion under the current schema", legacy, IngestionPath,
			func(t testing.TB) *jsonschema.Schema { return workflowConfigSchema(t, false) },
			func(doc map[string]any) any { return sub(doc, "workflowConfig") }, "jwtToken"},
		{"helm values with a key the chart does not know", fixture("2.0.2", openmetadata.Confidential), HelmValuesPath, helmSchema,
			func(doc map[string]any) any {
				sub(doc, "openmetadata", "config", "authentication", "oidcConfiguration")["type"] = "auth0"
				return doc
			}, "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(tt.in, tt.path)
			err := tt.schema(t).Validate(jsonValue(t, tt.mutate(doc)))
			if err == nil {
				t.Fatal("the schema accepted the broken document")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not name %q:\n%v", tt.want, err)
			}
		})
	}
}
