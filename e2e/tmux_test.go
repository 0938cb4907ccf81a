package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aymanbagabas/go-udiff"

	"github.com/om-auth0/om-auth0/internal/testenv"
)

// pane is one tmux pane on a private server (its own -L socket), so the
// test never touches the operator's tmux sessions.
type pane struct {
	t      *testing.T
	socket string
	target string
	last   string // the last screen captured, shown when a wait fails
}

// needTmux returns tmux's path; without it the test is skipped, or fails
// when testenv.RequireEnv is set (CI, whose script installs tmux).
func needTmux(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tmux")
	if err != nil {
		testenv.Missing(t, "needs tmux on PATH for the terminal end-to-end tests; absent")
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

// screens compares each section's screen, made stable where it varies by
// run, with testdata/screens/<test>-<nn>-<name>.txt. After a change to what
// the wizard shows, `go test ./e2e/ -update` rewrites them; review the
// result with git diff before committing it.
//
// A screen is compared once it has settled: forms redraw some texts (huh's
// dynamic descriptions) a moment after the value they follow, so the pane is
// captured again until it matches, for up to settleTimeout; a screen that
// still differs then is reported. With -update, a screen is saved once two
// captures settleGap apart agree.
type screens struct {
	t         *testing.T
	p         *pane
	normalise func(screen string) string
	n         int
	saved     map[string]bool // the files this test compared or wrote
}

const (
	screensDir    = "testdata/screens"
	settleTimeout = 5 * time.Second
	settleGap     = 300 * time.Millisecond
)

// newScreens returns the screens of t shown in p; when t ends without
// failing, a saved screen this run no longer shows is an error (deleted
// with -update).
func newScreens(t *testing.T, p *pane, normalise func(string) string) *screens {
	s := &screens{t: t, p: p, normalise: normalise, saved: map[string]bool{}}
	t.Cleanup(s.checkStale)
	return s
}

func (s *screens) prefix() string { return strings.TrimPrefix(s.t.Name(), "TestSandbox") + "-" }

// text is screen as saved: normalised, without trailing blanks.
func (s *screens) text(screen string) string {
	lines := strings.Split(strings.TrimRight(s.normalise(screen), "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}

// save compares screen, the pane just waited for, with its saved copy (or
// writes it, with -update).
func (s *screens) save(name, screen string) {
	s.t.Helper()
	s.n++
	got := s.text(screen)
	file := fmt.Sprintf("%s%02d-%s.txt", s.prefix(), s.n, name)
	s.saved[file] = true
	path := filepath.Join(screensDir, file)
	if *update {
		for deadline := time.Now().Add(settleTimeout); time.Now().Before(deadline); {
			time.Sleep(settleGap)
			next := s.text(s.p.screen())
			if next == got {
				break
			}
			got = next
		}
		if err := os.MkdirAll(screensDir, 0o755); err != nil {
			s.t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			s.t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		s.t.Errorf("screen %q: %v (run go test ./e2e/ -update to save it, then review it)", name, err)
		return
	}
	for deadline := time.Now().Add(settleTimeout); string(want) != got && time.Now().Before(deadline); {
		time.Sleep(40 * time.Millisecond)
		got = s.text(s.p.screen())
	}
	if string(want) != got {
		s.t.Errorf("screen %q differs from %s; if the change is meant, run go test ./e2e/ -update and review git diff:\n%s",
			name, path, udiff.Unified(path, "this run", string(want), got))
	}
}

// checkStale reports the saved screens of this test that the run did not
// produce, once the whole run got through.
func (s *screens) checkStale() {
	if s.t.Failed() || s.t.Skipped() {
		return
	}
	files, err := filepath.Glob(filepath.Join(screensDir, s.prefix()+"*.txt"))
	if err != nil {
		s.t.Error(err)
		return
	}
	for _, f := range files {
		if s.saved[filepath.Base(f)] {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				s.t.Error(err)
			}
			continue
		}
		s.t.Errorf("%s is no longer shown by this test: run go test ./e2e/ -update to delete it", f)
	}
}
