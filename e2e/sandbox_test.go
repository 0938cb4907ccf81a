package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the saved screens in testdata/screens/ (review them with git diff)")

var (
	binDir   string
	buildOne sync.Once
	bin      string
	buildErr error
)

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "om-auth0-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinary builds om-auth0 from this module, once for all the tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOne.Do(func() {
		bin = filepath.Join(binDir, "om-auth0")
		cmd := exec.Command("go", "build", "-o", bin, ".")
		cmd.Dir = ".." // the module root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		out, err := exec.Command(bin, "sandbox", "--help").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "om-auth0 sandbox [flags]") {
			buildErr = fmt.Errorf("om-auth0 has no sandbox command (is newSandboxCmd registered in cmd/root.go?): %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return bin
}

// fakeOpenMetadata answers GET /api/v1/system/version like an OpenMetadata 1.6.4 server.
func fakeOpenMetadata(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/system/version" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"version":"1.6.4","revision":"c56f2aae3e","timestamp":1730000000000}`)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String()
}

// sandboxState is what `om-auth0 sandbox --state-file` writes.
type sandboxState struct {
	Clients []struct {
		ClientID, Name, AppType, TokenEndpointAuthMethod     string
		GrantTypes, Callbacks, WebOrigins, AllowedLogoutURLs []string
		ClientSecret                                         string
		Global                                               bool // Auth0's "All Applications"
	}
	ClientGrants []struct {
		ClientID, Audience string
		Scope              []string
	} `json:"client_grants"`
}

// TestSandboxWizard is an operator's whole session with `om-auth0 sandbox`
// in a 100×30 terminal without colour: every prompt answered with keys, one
// invalid value corrected after its message, one Esc back a section.
func TestSandboxWizard(t *testing.T) {
	needTmux(t)
	dir := fixedTempDir(t)
	bin := buildBinary(t)
	om := fakeOpenMetadata(t)
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state.json")

	cmd := fmt.Sprintf("env -u ACCESSIBLE %s sandbox --out %s --state-file %s; echo EXIT=$?; sleep 600", bin, out, state)
	p := startPane(t, 100, 30, []string{"NO_COLOR=1", "TERM=xterm-256color"}, cmd)
	save := screenSaver(t, p, dir, om)

	// Connect: the sandbox fills in the tenant and its Management credentials.
	save("connect", p.wait("Connected to tenant", "(Sandbox)", "nothing real is created"))
	p.keys("Enter")

	// Server Credentials: a URL without a scheme is refused, then corrected.
	p.wait("┃ OpenMetadata URL")
	p.keys("C-u")
	p.typ("om.acme.internal")
	save("server-url-invalid", p.wait("> om.acme.internal", `✗ OpenMetadata URL "om.acme.internal" must start with http:// or https://`))
	p.keys("C-u")
	p.typ(om)
	p.waitGone("must start with http://")
	p.keys("Enter")
	save("server-form", p.wait("detected 1.6.4 from /api/v1/system/version", "┃ OpenMetadata version"))

	// Esc goes back one section, and the answers are kept.
	p.keys("Escape")
	save("esc-back-to-connect", p.wait("● Connect", "Connected to tenant"))
	p.keys("Enter")
	p.wait("┃ OpenMetadata URL", om+"/callback will be an allowed callback")
	p.keys("Enter")
	p.wait("detected 1.6.4", "┃ OpenMetadata version")
	p.keys("Enter")
	p.wait("┃ Client type")
	p.keys("Enter")
	p.wait("┃ Application\n")
	p.keys("Down")
	p.wait("> Use an existing application")
	p.keys("Enter")
	p.wait("┃ Application name")
	p.keys("Enter")

	// The application picker lists the tenant's applications, never the
	// Management API application om-auth0 is connected with: the fresh
	// simulated tenant has no other, so create a new one.
	picker := p.wait("Use an existing application", "▸ + Create a new application instead", "0 of 0 applications")
	if strings.Contains(picker, "om-auth0 (sandbox)") {
		t.Errorf("the picker offers the Management API application:\n%s", picker)
	}
	save("app-picker", picker)
	p.keys("Enter")

	// Service Account: planned before anything changes. 1.6 defaults to
	// skip; create a separate one with one scope.
	p.wait("┃ Service account", "> Skip")
	p.keys("Up", "Up")
	p.wait("> Separate")
	p.keys("Enter")
	p.wait("┃ Service account application name")
	p.keys("Enter")
	save("scope-picker", p.wait("184 scopes · 0 selected", "broad", "each one is power over your tenant"))
	p.keys("/")
	p.typ("read:clients")
	p.wait("/read:clients")
	p.keys("Enter")
	p.keys("Space")
	p.wait("[x] read:clients", "1 selected")
	p.keys("Enter")
	// One confirmation of the whole plan. At 100×30 the question and its
	// buttons stay on screen, so the created resources show without their
	// fields (--dry-run and a taller terminal show them).
	save("confirm-plan", p.wait("About to change tenant", `+ create application "OpenMetadata"`, `+ create application "OpenMetadata Ingestion Bot"`,
		"+ create client grant", "Nothing else changes.", "taller terminal", "Create in Auth0?", "[Create]      Back"))
	p.keys("Enter")
	// The public SPA keeps no secret; the service account's is masked until r.
	ready := p.wait("Application ready (created)", "Service account ready (created)", "●●●●●●●●", "r reveal")
	save("application-ready", ready)
	p.keys("r")
	p.waitGone("●●●●●●●●")
	p.keys("r")
	p.wait("●●●●●●●●")
	p.keys("Enter")
	save("verification", p.wait("● Verify", "✓ granted scopes = requested (read:clients)"))
	p.keys("Enter")

	// Deployment: every target, the admins and principal domain asked. An
	// operator types emails; the principal domain left empty is theirs.
	p.wait("┃ Where does OpenMetadata run?", "> All of them")
	p.keys("Enter")
	p.wait("┃ Admin principals")
	p.typ("Alice@Acme.com, bob")
	p.keys("Enter")
	p.wait("┃ Principal domain", "┃ > acme.com")
	p.keys("Enter")
	save("deployment-preview", p.wait("▸ Docker", "docker/openmetadata_auth0.env  mode 0", "w/enter write"))
	// The JWKS URLs are wider than the box: the line wraps, its continuation
	// marked in the gutter (ASCII without colour), and reads whole.
	p.keys("NPage")
	p.waitFor("the JWKS URLs wrapped onto a marked row", func(s string) bool {
		return jwksWrapped.MatchString(s)
	})
	p.keys("Tab")
	p.wait("▸ Bare Metal", "bare-metal/openmetadata-auth0.yaml")
	p.keys("w")
	save("deployment-written", p.wait(": 3 written (files with a secret"))
	p.keys("Enter")

	// Configure Ingestion: no JWT yet, so the file gets a placeholder.
	save("ingestion-jwt", p.wait("┃ Ingestion-bot JWT (optional)", "Settings > Bots > ingestion-bot"))
	p.keys("Enter")
	save("ingestion-preview", p.wait("ingestion/workflow-config.yaml  mode 0", "authProvider: openmetadata"))
	p.keys("Enter")
	p.wait(": 3 written (files with a secret")
	p.keys("Enter")

	done := p.wait("Auth0 SSO for OpenMetadata is set up on tenant", "✓ Done", "Again     om-auth0 sandbox")
	save("done", done)
	if strings.Contains(done, "setup --answers") {
		t.Errorf("the Done screen of a sandbox run offers the answers, whose simulated tenant is gone when it ends:\n%s", done)
	}
	for _, created := range []string{`application "OpenMetadata"`, `application "OpenMetadata Ingestion Bot"`, "Management API grant"} {
		if !strings.Contains(done, created) {
			t.Errorf("the Done screen does not list %s as created", created)
		}
	}
	p.keys("Enter")
	p.wait("EXIT=0", "Next steps for Kubernetes:", "Next steps for ingestion:")
	after := p.printed()
	i := strings.LastIndex(after, "Auth0 SSO for OpenMetadata is set up on tenant")
	if i < 0 {
		t.Fatalf("the printout after exit lacks the summary:\n%s", after)
	}
	after = after[i:]
	if !strings.Contains(after, "Simulated tenant: nothing real was created") {
		t.Errorf("the printout after exit does not say the tenant was simulated:\n%s", after)
	}
	save("after-exit", after)
	if n := strings.Count(after, "Settings > Bots > ingestion-bot"); n != 1 {
		t.Errorf("the ingestion steps are printed %d times after exit, want once:\n%s", n, after)
	}

	checkFiles(t, out, state)
}

// jwksWrapped is the Docker file's AUTHENTICATION_PUBLIC_KEYS line wrapped
// in the preview: the line's start on one row, its end on the next, after
// the continuation mark.
var jwksWrapped = regexp.MustCompile(`│  AUTHENTICATION_PUBLIC_KEYS=\[http://127\.0\.0\.1:\d+/\.well-known/jwks\.json,[^│]*│\n │> [^│]*/api/v1/system/config/jwks\] *│`)

// screenSaver compares screens (see screens) with what varies by run
// replaced by stand-ins: the temporary folder ($TMP), the sandbox's ports
// (P…), the fake OpenMetadata's port (O…) and client ids (client-1###…, in
// the order they first appear). Ports and ids keep their width, so the
// frames stay aligned; the folder's path has the same length on every run
// (see fixedTempDir), so text wraps the same way.
func screenSaver(t *testing.T, p *pane, dir, om string) func(name, screen string) {
	_, omPort, _ := strings.Cut(strings.TrimPrefix(om, "http://"), ":")
	fill := func(port string) string {
		if port == omPort {
			return strings.Repeat("O", len(port))
		}
		return strings.Repeat("P", len(port))
	}
	ids := map[string]string{}
	shots := newScreens(t, p, func(screen string) string {
		screen = strings.ReplaceAll(screen, dir, "$TMP")
		// A port cut by a wrapped row in a preview box: "127.0.0.1:12│" then " │> 345".
		screen = wrappedPort.ReplaceAllStringFunc(screen, func(s string) string {
			m := wrappedPort.FindStringSubmatch(s)
			f := fill(m[1] + m[3])
			return "127.0.0.1:" + f[:len(m[1])] + m[2] + f[len(m[1]):]
		})
		screen = port.ReplaceAllStringFunc(screen, func(s string) string { return "127.0.0.1:" + fill(s[len("127.0.0.1:"):]) })
		return clientID.ReplaceAllStringFunc(screen, func(id string) string {
			if _, ok := ids[id]; !ok {
				n := fmt.Sprintf("client-%d", len(ids)+1)
				ids[id] = n + strings.Repeat("#", len(id)-len(n))
			}
			return ids[id]
		})
	})
	return shots.save
}

var (
	port        = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	wrappedPort = regexp.MustCompile(`127\.0\.0\.1:(\d+)(│\n │> )(\d+)`)
	// clientID is an Auth0 client id: 32 letters and digits.
	clientID = regexp.MustCompile(`\b[A-Za-z0-9]{32}\b`)
)

// fixedTempDir is a new temporary folder whose path has the same length on
// every run and machine (t.TempDir's varies), so the screens that show it
// wrap the same way. It is removed when the test ends.
func fixedTempDir(t *testing.T) string {
	t.Helper()
	const width = 32 // short: the Done screen shows a path on one line
	for _, root := range []string{os.TempDir(), "/tmp"} {
		root = filepath.Clean(root)
		name := fmt.Sprintf("om-e2e-%012x", rand.Uint64()>>16)
		pad := width - len(root) - 1 - len(name)
		if pad < 0 {
			continue // a long $TMPDIR (macOS): /tmp instead
		}
		dir := filepath.Join(root, name+strings.Repeat("x", pad))
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatalf("temporary folder for the screens: %v", err)
		}
		t.Cleanup(func() { _ = os.RemoveAll(dir) })
		return dir
	}
	t.Fatalf("no temporary folder short enough for the saved screens: set TMPDIR to a path of at most %d characters", width-20)
	return ""
}

// TestSandboxInterrupt: Ctrl+C after the application was created exits with
// 130 and lists what is already in Auth0.
func TestSandboxInterrupt(t *testing.T) {
	needTmux(t)
	dir := fixedTempDir(t)
	bin := buildBinary(t)
	om := fakeOpenMetadata(t)
	cmd := fmt.Sprintf("env -u ACCESSIBLE %s sandbox --out %s --om-url %s; echo EXIT=$?; sleep 600", bin, filepath.Join(dir, "out"), om)
	p := startPane(t, 100, 30, []string{"NO_COLOR=1", "TERM=xterm-256color"}, cmd)
	save := screenSaver(t, p, dir, om)

	p.wait("Connected to tenant")
	p.keys("Enter")
	p.wait("┃ OpenMetadata URL", om+"/callback")
	p.keys("Enter")
	p.wait("detected 1.6.4", "┃ OpenMetadata version")
	for _, next := range []string{"┃ Client type", "┃ Application\n", "┃ Application name"} {
		p.keys("Enter")
		p.wait(next)
	}
	p.keys("Enter")
	p.wait("┃ Service account", "> Skip")
	p.keys("Enter")
	p.wait("Create in Auth0?")
	p.keys("Enter")
	p.wait("Application ready (created)")
	p.keys("C-c")
	screen := p.wait("EXIT=130", "Already created in Auth0", `application "OpenMetadata"`, "Interrupted.")
	save("interrupted", screen)
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("an interrupted run wrote files: %v", err)
	}
}

// checkFiles checks the output folder against the tenant's final state:
// every file there, secrets only in 0600 files, and the tenant set up as
// the answers said.
func checkFiles(t *testing.T, out, statePath string) {
	t.Helper()
	raw, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var st sandboxState
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("state file: %v", err)
	}
	byName := map[string]int{}
	for i, c := range st.Clients {
		if !c.Global {
			byName[c.Name] = i
		}
	}
	ui, ok := byName["OpenMetadata"]
	bot, ok2 := byName["OpenMetadata Ingestion Bot"]
	if !ok || !ok2 || len(byName) != 3 { // with the sandbox's Management application
		t.Fatalf("tenant applications: %+v", st.Clients)
	}
	omURL := ""
	if cb := st.Clients[ui].Callbacks; len(cb) == 1 && strings.HasSuffix(cb[0], "/callback") {
		omURL = strings.TrimSuffix(cb[0], "/callback")
	}
	if c := st.Clients[ui]; c.AppType != "spa" || omURL == "" || !slices.Equal(c.WebOrigins, []string{omURL}) || !slices.Equal(c.AllowedLogoutURLs, []string{omURL}) {
		t.Errorf("UI application: %+v", c)
	}
	if c := st.Clients[bot]; c.AppType != "non_interactive" || !slices.Contains(c.GrantTypes, "client_credentials") {
		t.Errorf("service account: %+v", c)
	}
	var grant bool
	for _, g := range st.ClientGrants {
		if g.ClientID == st.Clients[bot].ClientID {
			grant = strings.HasSuffix(g.Audience, "/api/v2/") && slices.Equal(g.Scope, []string{"read:clients"})
		}
	}
	if !grant {
		t.Errorf("no Management API grant of read:clients for the service account: %+v", st.ClientGrants)
	}

	secrets := []string{st.Clients[ui].ClientSecret, st.Clients[bot].ClientSecret}
	want := []string{"docker/openmetadata_auth0.env", "bare-metal/openmetadata-auth0.yaml", "kubernetes/values-auth0.yaml",
		"ingestion/workflow-config.yaml", "service-account.yaml", "answers.yaml"}
	for _, rel := range want {
		path := filepath.Join(out, rel)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		info, _ := os.Stat(path)
		holdsSecret := slices.ContainsFunc(secrets, func(s string) bool { return s != "" && strings.Contains(string(data), s) })
		// The ingestion config is 0600 also with the placeholder: the operator pastes the token into it.
		holdsSecret = holdsSecret || rel == "ingestion/workflow-config.yaml"
		if wantMode := map[bool]os.FileMode{true: 0o600, false: 0o644}[holdsSecret]; info.Mode().Perm() != wantMode {
			t.Errorf("%s: mode %v, want %v (holds a secret: %v)", rel, info.Mode().Perm(), wantMode, holdsSecret)
		}
		if !strings.Contains(string(data), st.Clients[ui].ClientID) && strings.HasPrefix(rel, "docker") {
			t.Errorf("%s does not name the UI application's client id", rel)
		}
	}
	// OpenMetadata 1.6 does not use the service account: its credentials are kept in their own file.
	if sa, _ := os.ReadFile(filepath.Join(out, "service-account.yaml")); !strings.Contains(string(sa), "clientId: "+st.Clients[bot].ClientID) ||
		!strings.Contains(string(sa), "clientSecret: "+st.Clients[bot].ClientSecret) {
		t.Errorf("service-account.yaml lacks the service account's credentials:\n%s", sa)
	}
	answers, _ := os.ReadFile(filepath.Join(out, "answers.yaml"))
	for _, line := range []string{"om_url: " + omURL, "om_version: 1.6.4", "service_account: separate", "- read:clients", "principal_domain: acme.com", "- alice"} {
		if !strings.Contains(string(answers), line) {
			t.Errorf("answers.yaml lacks %q:\n%s", line, answers)
		}
	}
}
