package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// The smallest terminal the wizard is walked in.
const smallWidth, smallHeight = 80, 24

// TestSandboxSmallTerminal is an operator's session with `om-auth0 sandbox`
// (its simulated OpenMetadata 2.0.2) in an 80×24 terminal with colour, from
// Connect to Done, with a separate service account so the plan is the
// longest the sandbox makes. Every section's screen must fit: the header
// checklist on one row, no row reaching the last column (where the terminal
// cuts it), the footer's keys on the bottom row, a confirmation's buttons
// visible, and a cut plan or file list saying where the rest is.
func TestSandboxSmallTerminal(t *testing.T) {
	needTmux(t)
	dir := fixedTempDir(t)
	bin := buildBinary(t)
	out := filepath.Join(dir, "out")
	cmd := fmt.Sprintf("env -u ACCESSIBLE -u NO_COLOR %s sandbox --out %s; echo EXIT=$?; sleep 600", bin, out)
	p := startPane(t, smallWidth, smallHeight, []string{"TERM=xterm-256color", "COLORTERM="}, cmd)
	shot := screenSaver(t, p, dir, "")
	save := func(name, screen string) {
		t.Helper()
		checkFits(t, name, screen)
		shot(name, screen)
	}

	connect := p.wait("Connected to tenant", "(Sandbox)", "nothing real is created")
	// With colour, the wizard draws in 256 colours (xterm-256color); a walk
	// without them would only repeat the NO_COLOR one.
	if colours := p.tmux("capture-pane", "-p", "-e", "-t", p.target); !strings.Contains(colours, "\x1b[38;") {
		t.Fatalf("the wizard shows no colour with TERM=xterm-256color and no NO_COLOR:\n%q", colours)
	}
	save("connect", connect)
	p.keys("Enter")

	p.wait("┃ OpenMetadata URL", "/callback will be an allowed callback")
	p.keys("Enter")
	save("server-form", p.wait("detected 2.0.2 from /api/v1/system/version", "┃ OpenMetadata version"))
	p.keys("Enter")
	p.wait("┃ Client type")
	p.keys("Enter")
	p.wait("┃ Application\n")
	p.keys("Enter")
	// The form scrolls: the focused field at the bottom stays in view.
	save("application-name", p.wait("┃ Application name", "┃ > OpenMetadata"))
	p.keys("Enter")

	// 2.0 defaults to no service account; a separate one gives the plan
	// three changes.
	p.wait("┃ Service account", "┃ > Skip")
	p.keys("Up", "Up")
	p.wait("┃ > Separate")
	p.keys("Enter")
	p.wait("┃ Service account application name")
	p.keys("Enter")
	save("scope-picker", p.wait("184 scopes · 0 selected", "broad"))
	// The longest scope rows fit, each on one row.
	p.keys("/")
	p.typ("passwords_checking_job")
	p.keys("Enter")
	long := p.wait("> [ ] create:passwords_checking_job", "[ ] delete:passwords_checking_job")
	checkFits(t, "long scopes", long)
	if rows := listRows(long, "> [ ] create:passwords_checking_job", "184 scopes"); len(rows) != 2 {
		t.Errorf("the two long scopes take %d rows of the list, want 2: %q", len(rows), rows)
	}
	p.keys("Escape")
	p.wait("> [ ] read:client_grants")
	p.keys("/")
	p.typ("read:clients")
	p.wait("/read:clients")
	p.keys("Enter")
	p.keys("Space")
	save("scope-filtered", p.wait("[x] read:clients", "1 selected"))
	p.keys("Enter")

	plan := p.wait("About to change tenant", "Create in Auth0?")
	save("confirm-plan", plan)
	if !buttons.MatchString(plan) {
		t.Errorf("the confirmation's buttons are not on screen:\n%s", plan)
	}
	// With colour the focused button is marked by its background (without
	// colour, by brackets: TestSandboxWizard).
	if row := rowWith(p.tmux("capture-pane", "-p", "-e", "-t", p.target), "Back"); !strings.Contains(row, "\x1b[48;") {
		t.Errorf("the confirmation's buttons have no background colour to show focus: %q", row)
	}
	for _, change := range []string{`+ create application "OpenMetadata"`, `+ create application "OpenMetadata Ingestion Bot"`, "+ create client grant"} {
		if !strings.Contains(plan, change) && !strings.Contains(plan, "taller terminal") {
			t.Errorf("the plan neither shows %q nor says where the rest is:\n%s", change, plan)
		}
	}
	p.keys("Enter")

	save("application-ready", p.wait("Application ready (created)", "Service account ready (created)", "●●●●●●●●", "r reveal"))
	// Revealed, the secret is one unbroken word, so that a copy of it works.
	p.keys("r")
	revealed := p.waitGone("●●●●●●●●")
	checkFits(t, "secret revealed", revealed)
	if !secretRow.MatchString(revealed) {
		t.Errorf("the revealed secret is not whole on one row:\n%s", revealed)
	}
	p.keys("r")
	p.wait("●●●●●●●●")
	p.keys("Enter")
	save("verification", p.wait("● Verify", "✓ granted scopes = requested (read:clients)", "All checks passed."))
	p.keys("Enter")

	p.wait("┃ Where does OpenMetadata run?", "┃ > All of them")
	p.keys("Enter")
	p.wait("┃ Admin principals")
	p.typ("alice@acme.com")
	p.keys("Enter")
	save("principal-domain", p.wait("┃ Principal domain", "┃ > acme.com"))
	p.keys("Enter")
	save("deployment-preview", p.wait("▸ Docker", "docker/openmetadata_auth0.env  mode 0", "… all the steps show once the files are written"))
	p.keys("Tab")
	p.wait("▸ Bare Metal", "bare-metal/openmetadata-auth0.yaml  mode 0")
	p.keys("w")
	save("deployment-written", p.wait(": 3 written", "… the full steps are printed when the wizard finishes"))
	p.keys("Enter")

	// OpenMetadata 2.0.2 keeps its settings in its database: the wizard offers to apply them.
	save("apply-choice", p.wait("┃ Apply the settings to OpenMetadata at", "> Apply now"))
	p.keys("Down")
	p.wait("> Not now")
	p.keys("Enter")

	save("ingestion-jwt", p.wait("┃ Ingestion-bot JWT (optional)", "Settings > Bots > ingestion-bot"))
	p.keys("Enter")
	save("ingestion-preview", p.wait("ingestion/workflow-config.yaml  mode 0600", "authProvider openmetadata"))
	p.keys("Enter")
	p.wait(": 3 written")
	p.keys("Enter")

	done := p.wait("Auth0 SSO for OpenMetadata is set up on tenant", "✓ Done", "Again     om-auth0 sandbox", "answers.yaml")
	save("done", done)
	for _, created := range []string{`application "OpenMetadata"`, `application "OpenMetadata Ingestion Bot"`, "Management API grant"} {
		if !strings.Contains(done, created) {
			t.Errorf("the Done screen does not list %s as created", created)
		}
	}
	// The check's results fit too, and stay in the scrollback wrapped
	// between words, like everything printed after the wizard ends.
	p.keys("c")
	save("checked", p.wait("Informational: whatever these checks find", "✗ om.provider", "r re-run the checks"))
	p.keys("Enter")
	p.wait("EXIT=0", "Next steps for ingestion:")
	// -J joins the rows the terminal wrapped: a line wider than the
	// terminal was printed without breaking it between words.
	history := p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", p.target)
	if i := strings.LastIndex(history, "Auth0 SSO for OpenMetadata is set up on tenant"); i < 0 {
		t.Errorf("the printout after exit lacks the summary:\n%s", history)
	} else {
		for _, line := range strings.Split(history[i:], "\n") {
			if w := utf8.RuneCountInString(strings.TrimRight(line, " ")); w > smallWidth {
				t.Errorf("printed after exit, a line of %d cells the terminal wrapped: %q", w, line)
			}
		}
	}
}

// buttons is a confirmation's two buttons, on the row under its question.
var buttons = regexp.MustCompile(`┃ +Create +Back\n`)

// listRows are the rows of screen with text in a field's list: from the
// row holding first to the one before the row holding end (options, and
// the rest of any that wrapped).
func listRows(screen, first, end string) []string {
	var rows []string
	for _, row := range strings.Split(screen, "\n") {
		switch {
		case strings.Contains(row, end):
			return rows
		case len(rows) > 0 || strings.Contains(row, first):
			if text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(row), "┃")); text != "" {
				rows = append(rows, row)
			}
		}
	}
	return rows
}

// rowWith is the first row of screen holding text.
func rowWith(screen, text string) string {
	for _, row := range strings.Split(screen, "\n") {
		if strings.Contains(row, text) {
			return row
		}
	}
	return ""
}

// secretRow is the service account's revealed secret on the Ready screen:
// Auth0's secrets are 64 letters, digits, - and _, all on one row.
var secretRow = regexp.MustCompile(`(?m)^ *(Client Secret +)?[A-Za-z0-9_-]{64} *$`)

// checkFits reports what of the wizard's frame a small terminal's screen
// lost: the title row, the section checklist on one row, the rule and the
// footer's keys at the bottom, and every row short of the last column (a
// row that reaches it was cut by the terminal). The wizard draws only
// single-cell characters, so runes count cells.
func checkFits(t *testing.T, name, screen string) {
	t.Helper()
	rows := strings.Split(strings.TrimSuffix(screen, "\n"), "\n")
	if len(rows) != smallHeight {
		t.Errorf("%s: %d rows, want %d:\n%s", name, len(rows), smallHeight, screen)
		return
	}
	for i, row := range rows {
		if w := utf8.RuneCountInString(strings.TrimRight(row, " ")); w >= smallWidth {
			t.Errorf("%s: row %d is %d cells wide, cut at the edge: %q", name, i+1, w, row)
		}
	}
	if !strings.HasPrefix(rows[0], " om-auth0") {
		t.Errorf("%s: the title row is not at the top: %q", name, rows[0])
	}
	if sections := rows[1]; !strings.Contains(sections, "Connect") || !strings.HasSuffix(strings.TrimRight(sections, " "), "Done") {
		t.Errorf("%s: the section checklist is not whole on row 2: %q", name, sections)
	}
	if !strings.HasPrefix(strings.TrimSpace(rows[smallHeight-2]), "────") {
		t.Errorf("%s: no rule above the footer: %q", name, rows[smallHeight-2])
	}
	if footer := rows[smallHeight-1]; !strings.HasSuffix(strings.TrimRight(footer, " "), "ctrl+c quit") {
		t.Errorf("%s: the footer's keys are not on the bottom row: %q", name, footer)
	}
}
