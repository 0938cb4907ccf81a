package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pane is one tmux pane on a private server (its own -L socket), so the
// test never touches the operator's tmux sessions.
type pane struct {
	t      *testing.T
	socket string
	target string
	last   string // the last screen captured, shown when a wait fails
}

// needTmux returns tmux's path; without it the test fails in CI and is
// skipped elsewhere.
func needTmux(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tmux")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is required for the end-to-end tests in CI (the CI script installs it)")
		}
		t.Skip("tmux is not installed")
	}
	return path
}

// startPane runs command in a detached width×height session.
func startPane(t *testing.T, width, height int, env []string, command string) *pane {
	t.Helper()
	needTmux(t)
	p := &pane{t: t, socket: fmt.Sprintf("om-auth0-e2e-%d-%d", os.Getpid(), time.Now().UnixNano()), target: "wizard"}
	args := []string{"new-session", "-d", "-s", p.target, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	p.tmux(append(args, command)...)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", p.socket, "kill-server").Run() })
	return p
}

func (p *pane) tmux(args ...string) string {
	p.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", p.socket}, args...)...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// keys sends tmux key names (Enter, Escape, Up, C-u…).
func (p *pane) keys(keys ...string) {
	p.t.Helper()
	p.tmux(append([]string{"send-keys", "-t", p.target}, keys...)...)
}

// typ types text literally.
func (p *pane) typ(text string) {
	p.t.Helper()
	p.tmux("send-keys", "-t", p.target, "-l", text)
}

// screen is the pane's text as the operator sees it.
func (p *pane) screen() string {
	p.t.Helper()
	p.last = p.tmux("capture-pane", "-p", "-t", p.target)
	return p.last
}

// printed is everything the pane printed, scrolled off or not (what the
// wizard prints after it exits can be longer than a screen).
func (p *pane) printed() string {
	p.t.Helper()
	return p.tmux("capture-pane", "-p", "-S", "-", "-t", p.target)
}

// waitTimeout bounds every wait; the screen is polled, never slept on.
const waitTimeout = 15 * time.Second

// waitFor polls the screen until ok holds, and returns that screen.
func (p *pane) waitFor(what string, ok func(screen string) bool) string {
	p.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		s := p.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %s; the screen:\n%s", what, s)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// wait polls until every text is on screen.
func (p *pane) wait(texts ...string) string {
	p.t.Helper()
	return p.waitFor(fmt.Sprintf("%q", texts), func(s string) bool {
		for _, text := range texts {
			if !strings.Contains(s, text) {
				return false
			}
		}
		return true
	})
}

// waitGone polls until text has left the screen.
func (p *pane) waitGone(text string) string {
	p.t.Helper()
	return p.waitFor(fmt.Sprintf("%q to go away", text), func(s string) bool { return !strings.Contains(s, text) })
}

// screens keeps each section's screen for the report: with -update they are
// written to testdata/screens/, made stable where they vary by run.
type screens struct {
	t       *testing.T
	replace *strings.Replacer
	n       int
}

func (s *screens) save(name, screen string) {
	s.t.Helper()
	s.n++
	if !*update {
		return
	}
	dir := filepath.Join("testdata", "screens")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(s.replace.Replace(screen), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.txt", strings.TrimPrefix(s.t.Name(), "TestSandbox"), s.n, name))
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		s.t.Fatal(err)
	}
}
