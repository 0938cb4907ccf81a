package wizard

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// The screen at the sizes supported, down to 80×24: what the header, the
// footer and the forms keep when room runs short.

// footerOf is the screen's last line, the keys.
func footerOf(h *harness) string {
	lines := strings.Split(h.view(), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// TestAppReadyRevealKey: the key says what it does next; a public SPA
// keeps no secret, so its screen has none to reveal.
func TestAppReadyRevealKey(t *testing.T) {
	for _, tt := range []struct {
		clientType openmetadata.ClientType
		secret     bool
	}{{openmetadata.Confidential, true}, {openmetadata.Public, false}} {
		t.Run(string(tt.clientType), func(t *testing.T) {
			h := newHarness(t, completeConfig(t), func(_ *harness, o *Options) { o.Config.Choices.ClientType = tt.clientType })
			h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
			h.expectStep(guide.StepReady)
			if got := strings.Contains(h.view(), "Client Secret"); got != tt.secret {
				t.Fatalf("Client Secret row shown: %v, want %v:\n%s", got, tt.secret, h.view())
			}
			if !tt.secret {
				if f := footerOf(h); strings.Contains(f, "reveal") {
					t.Fatalf("nothing to reveal: %q", f)
				}
				return
			}
			if f := footerOf(h); !strings.Contains(f, "r reveal secret") {
				t.Fatalf("masked: %q", f)
			}
			h.keys("r")
			if f := footerOf(h); !strings.Contains(f, "r hide secret") {
				t.Fatalf("revealed: %q", f)
			}
		})
	}
}

// TestFooterAt80Columns: on the smallest screen the keys still fit on one
// line, in whole words, and enter, esc and ctrl+c are never the ones left out.
func TestFooterAt80Columns(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("enter", "enter")
	h.expectStep(guide.StepServerForm)
	h.keys("enter") // to the client type: a select after a field, so shift+tab works too
	f := footerOf(h)
	for _, want := range []string{"enter select", "esc back", "ctrl+c quit", "↑↓ move"} {
		if !strings.Contains(f, want) {
			t.Errorf("footer %q lacks %q", f, want)
		}
	}
	if strings.Contains(f, "…") || ansi.StringWidth(f) > 78 {
		t.Errorf("footer %q is cut or too wide", f)
	}
}

// TestHeaderFitsNarrowScreens: the title keeps the tenant whole and the
// checklist names every section at 80 columns, in short names below the
// width of the full ones.
func TestHeaderFitsNarrowScreens(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(_ *harness, o *Options) { o.Sandbox = true })
	for _, tt := range []struct {
		width            int
		title, checklist string
	}{
		{130, "om-auth0 · Auth0 SSO for OpenMetadata", "● Connect  ○ Server Credentials  ○ Service Account  ○ Verify  ○ Deployment  ○ Apply to OpenMetadata  ○ Ingestion  ○ Done"},
		{100, "om-auth0 · Auth0 SSO for OpenMetadata", "● Connect  ○ Server  ○ Service  ○ Verify  ○ Deploy  ○ Apply  ○ Ingest  ○ Done"},
		{80, "om-auth0 ", "● Connect  ○ Server  ○ Service  ○ Verify  ○ Deploy  ○ Apply  ○ Ingest  ○ Done"},
	} {
		h.send(tea.WindowSizeMsg{Width: tt.width, Height: 24})
		lines := strings.Split(h.view(), "\n")
		title, checklist := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
		if !strings.HasPrefix(title, tt.title) || !strings.HasSuffix(title, "SIMULATED tenant: acme.us.auth0.com (Acme)") || checklist != tt.checklist {
			t.Errorf("at %d columns:\n%q\n%q", tt.width, title, checklist)
		}
		for _, l := range lines {
			if w := ansi.StringWidth(l); w > tt.width {
				t.Errorf("at %d columns a line is %d wide: %q", tt.width, w, l)
			}
		}
	}
}

// TestAppRowKeepsClientID: the client id, which tells same-named
// applications apart, shows whole at 80 columns too; the type is abbreviated.
func TestAppRowKeepsClientID(t *testing.T) {
	app := steps.AppSummary{Name: "OpenMetadata UI for the data platform team", AppType: "spa", ClientID: "B4HVzHC8W71yjzWHnUlLbq6XnfFC7vwK"}
	for _, tt := range []struct {
		width int
		typ   string
	}{{95, "Single Page Application"}, {75, "SPA"}} {
		row := appRow(app, tt.width)
		if !strings.HasSuffix(row, " "+app.ClientID) || !strings.Contains(row, " "+tt.typ+" ") || ansi.StringWidth(row) > tt.width {
			t.Errorf("width %d: %q", tt.width, row)
		}
	}
	bot := steps.AppSummary{Name: "bot", AppType: "non_interactive", ClientID: "botClient7Hq"}
	if got := newAppIndex([]steps.AppSummary{app, bot}).match("M2M", nil); !slices.Equal(got, []int{1}) {
		t.Errorf("filtering by the abbreviated type M2M matched %v, want the bot", got)
	}
}

// TestCtrlCOnDoneFinishes: on the Done screen everything is done, so ctrl+c
// quits the way enter does (next steps printed, exit 0), not as an interrupt.
func TestCtrlCOnDoneFinishes(t *testing.T) {
	h := walkToDeployPreview(t)
	h.keys("w", "enter") // write, on to Ingestion
	h.expectStep(guide.StepIngestForm)
	h.keys("enter", "w", "enter")
	h.expectStep(guide.StepDone)
	_, quit := h.m.Update(namedKeys["ctrl+c"])
	if !h.m.finished || h.m.aborted || quit == nil || h.m.ctx.Err() != nil {
		t.Fatalf("finished %v, aborted %v, quit cmd %v, context %v", h.m.finished, h.m.aborted, quit, h.m.ctx.Err())
	}
}

// TestValidationMessageFitsAt80Columns: a message that wraps at 80 columns
// takes its rows from the form instead of being cut off at the bottom.
func TestValidationMessageFitsAt80Columns(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	h.expectStep(guide.StepDeployForm)
	h.keys("enter", "enter") // all targets; no admins given
	const msg = "give at least one admin: an email address like john.doe@acme.com, or the part before @"
	if h.m.liveErr != msg {
		t.Fatalf("validation message %q, want %q", h.m.liveErr, msg)
	}
	lines := strings.Split(h.view(), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d lines, want 24", len(lines))
	}
	var shown []string
	for _, l := range lines[len(lines)-5 : len(lines)-2] {
		shown = append(shown, strings.TrimSpace(l))
	}
	if got := strings.Join(shown, " "); !strings.HasSuffix(got, "✗ "+msg) {
		t.Fatalf("the rows above the rule read %q, want them to end with the whole message", got)
	}
	if !strings.Contains(h.view(), "┃ Admin principals") {
		t.Fatalf("the focused field left the screen:\n%s", h.view())
	}
}

// TestConfirmFitsSmallScreens: the whole plan of a separate service account
// is taller than an 80×24 body; the question stays on screen and the plan
// leaves out the fields (it says so), while 100×40 shows them.
func TestConfirmFitsSmallScreens(t *testing.T) {
	for _, tt := range []struct {
		width, height int
		fields        bool
	}{{80, 24, false}, {100, 40, true}} {
		h := newHarness(t, completeConfig(t))
		h.send(tea.WindowSizeMsg{Width: tt.width, Height: tt.height})
		h.keys("enter", "enter", "enter", "enter", "enter", "enter", "up", "up", "enter", "enter", "enter")
		h.expectStep(guide.StepConfirm)
		h.expectView(`+ create application "OpenMetadata Ingestion Bot"`, "Create in Auth0?")
		if got := strings.Contains(h.view(), "callbacks"); got != tt.fields {
			t.Errorf("%d×%d: fields shown %v, want %v:\n%s", tt.width, tt.height, got, tt.fields, h.view())
		}
	}
}
