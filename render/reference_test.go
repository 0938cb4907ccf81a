package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/om-auth0/om-auth0/internal/testenv"
	"github.com/om-auth0/om-auth0/openmetadata"
)

// schemaLoader serves OpenMetadata's schemas from local copies. The schemas'
// $ids and relative $refs disagree on folders (OpenMetadata's generator
// resolves references by file), so files are found by base name. A file
// missing everywhere is served as a stub that accepts anything at every JSON
// pointer the other files refer to, and is recorded in stubbed.
type schemaLoader struct {
	dirs     []string          // searched in order
	override map[string]string // base name -> base name to serve instead
	stubbed  map[string]bool
	pointers map[string][]string // base name -> JSON pointers referred to in it
}

// collectRefs records, per referenced file, the JSON pointers of every $ref in
// the schema files of l.dirs.
func (l *schemaLoader) collectRefs() error {
	l.pointers = map[string][]string{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				file, ptr, _ := strings.Cut(ref, "#")
				if file != "" && ptr != "" {
					name := path.Base(file)
					l.pointers[name] = append(l.pointers[name], ptr)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, d := range l.dirs {
		names, err := filepath.Glob(filepath.Join(d, "*.json"))
		if err != nil {
			return err
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				return err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
			walk(doc)
		}
	}
	return nil
}

// stub is a schema that accepts anything, with an accept-anything schema at
// each of pointers.
func stub(pointers []string) map[string]any {
	root := map[string]any{}
	for _, p := range pointers {
		m := root
		for _, tok := range strings.Split(strings.Trim(p, "/"), "/") {
			next, ok := m[tok].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[tok] = next
			}
			m = next
		}
	}
	return root
}

func (l *schemaLoader) Load(rawURL string) (any, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	name := path.Base(u.Path)
	if o, ok := l.override[name]; ok {
		name = o
	}
	for _, d := range l.dirs {
		data, err := os.ReadFile(filepath.Join(d, name))
		if err != nil {
			continue
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		// Resolve this file's $refs against the URL it was loaded from.
		if m, ok := doc.(map[string]any); ok {
			delete(m, "$id")
		}
		return doc, nil
	}
	l.stubbed[name] = true
	return stub(l.pointers[name]), nil
}

// schemaSet compiles schemas once per loader configuration.
type schemaSet struct {
	mu      sync.Mutex
	schemas map[string]*jsonschema.Schema
	stubbed map[string]bool
}

var schemas = &schemaSet{schemas: map[string]*jsonschema.Schema{}, stubbed: map[string]bool{}}

// schemaBase is a made-up absolute base; the loader only looks at file names.
const schemaBase = "https://open-metadata.org/schema/"

// compileSchema compiles file (plus an optional "#/json/pointer") from the
// reference folder, with override swapping one referenced file for another.
func compileSchema(t testing.TB, file, pointer string, override map[string]string) *jsonschema.Schema {
	t.Helper()
	key := fmt.Sprint(file, pointer, override)
	schemas.mu.Lock()
	defer schemas.mu.Unlock()
	if s, ok := schemas.schemas[key]; ok {
		return s
	}
	ref := testenv.ReferenceDir(t)
	loader := &schemaLoader{
		dirs: []string{
			filepath.Join(ref, "openmetadata"),
			filepath.Join(ref, "openmetadata", "helm"),
			filepath.Join("testdata", "schema"),
		},
		override: override,
		stubbed:  schemas.stubbed,
	}
	if err := loader.collectRefs(); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(loader)
	loc := schemaBase + file
	if pointer != "" {
		loc += "#" + pointer
	}
	s, err := c.Compile(loc)
	if err != nil {
		t.Fatalf("compile %s: %v", loc, err)
	}
	schemas.schemas[key] = s
	return s
}

// Schemas the rendered files are checked against.
func authenticationSchema(t testing.TB) *jsonschema.Schema {
	return compileSchema(t, "authenticationConfiguration.json", "", nil)
}

func authorizerSchema(t testing.TB) *jsonschema.Schema {
	return compileSchema(t, "authorizerConfiguration.json", "", nil)
}

func helmSchema(t testing.TB) *jsonschema.Schema {
	return compileSchema(t, "values.schema.json", "", nil)
}

// workflowConfigSchema is workflow.json's workflowConfig; legacy swaps the
// JWT securityConfig for Auth0 client credentials, as OpenMetadata ≤ 1.0 had it.
func workflowConfigSchema(t testing.TB, legacy bool) *jsonschema.Schema {
	var override map[string]string
	if legacy {
		override = map[string]string{"openMetadataJWTClientConfig.json": "auth0SSOClientConfig.json"}
	}
	return compileSchema(t, "workflow.json", "/definitions/workflowConfig", override)
}

// stubbedSchemas lists the referenced files served as the empty schema so far.
func stubbedSchemas() []string {
	schemas.mu.Lock()
	defer schemas.mu.Unlock()
	var out []string
	for n := range schemas.stubbed {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// jsonValue turns YAML into the JSON data model the validator expects.
func jsonValue(t testing.TB, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("YAML value is not JSON-compatible: %v", err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// parseYAML decodes a rendered YAML file into a map.
func parseYAML(t testing.TB, f openmetadata.File) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal(f.Data, &m); err != nil {
		t.Fatalf("%s is not valid YAML: %v\n%s", f.Path, err, f.Data)
	}
	return m
}

// composeServerEnv lists the variables docker-compose.yml passes to the
// openmetadata-server service.
func composeServerEnv(t testing.TB) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testenv.ReferenceDir(t), "openmetadata", "docker", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Environment any `yaml:"environment"` // a map, or a list of KEY=value
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	keys := map[string]bool{}
	switch env := compose.Services["openmetadata-server"].Environment.(type) {
	case map[string]any:
		for k := range env {
			keys[k] = true
		}
	case []any:
		for _, kv := range env {
			k, _, _ := strings.Cut(fmt.Sprint(kv), "=")
			keys[k] = true
		}
	}
	if len(keys) == 0 {
		t.Fatal("docker-compose.yml has no openmetadata-server service with an environment")
	}
	return keys
}
