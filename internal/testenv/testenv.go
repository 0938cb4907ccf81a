// Package testenv decides what a test does when something outside the
// repository is missing: the reference folder (OpenMetadata's schemas,
// docker-compose.yml and Helm chart, Auth0's Management API scope list),
// kept in shared/reference beside the repository rather than in it, or a
// tool such as tmux. Such a test is skipped with a named reason, so
// `go test ./...` passes on a clone with nothing beside it; CI sets
// RequireEnv=1 and the same absence is a failure, so CI never skips them.
//
// Product code never imports this package: it is for tests only.
package testenv

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// RequireEnv is the environment variable that, set to 1, turns every skip
// of this package into a failure. .ci/run sets it.
const RequireEnv = "OM_AUTH0_REQUIRE_REFERENCE"

// Required reports whether RequireEnv is set to 1.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Missing ends the test because something outside the repository is
// absent: a skip naming what, or a failure when RequireEnv is 1.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	reason := fmt.Sprintf(format, args...)
	if Required() {
		t.Fatalf("%s (%s=1: required here)", reason, RequireEnv)
	}
	t.Skipf("%s (set %s=1 to make this a failure)", reason, RequireEnv)
}

// ReferenceDir returns shared/reference from the nearest folder above the
// repository that has one. Without one, the test is skipped (or fails, see
// RequireEnv).
func ReferenceDir(t testing.TB) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("finding the repository root: %v", err)
	}
	for dir := filepath.Dir(root); ; {
		ref := filepath.Join(dir, "shared", "reference")
		if fi, err := os.Stat(ref); err == nil && fi.IsDir() {
			return ref
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	Missing(t, "needs shared/reference (OpenMetadata schemas, docker-compose.yml, Helm chart; Auth0 scope list) beside the repository, in a folder above %s; absent", root)
	return ""
}

// moduleRoot is the nearest folder at or above the working directory (the
// test's package folder) that holds go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for start := dir; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod at or above %s: run the tests from inside the repository", start)
		}
		dir = parent
	}
}

// UnsignedJWT is a JWT with the given claims and a signature that checks
// out against nothing, for code that reads claims without verifying them.
func UnsignedJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims) + ".c2ln"
}
