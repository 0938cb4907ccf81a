package wizard

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
)

// boxRows is the text rows inside the preview's box, borders removed.
func boxRows(t *testing.T, screen string) []string {
	t.Helper()
	var rows []string
	in := false
	for _, line := range strings.Split(ansi.Strip(screen), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "┌"):
			in = true
		case strings.HasPrefix(line, "└"):
			return rows
		case in:
			rows = append(rows, strings.TrimSuffix(strings.TrimPrefix(line, "│"), "│"))
		}
	}
	t.Fatalf("no box on the screen:\n%s", screen)
	return nil
}

// unwrap joins the box's rows back into the file's lines: a row whose gutter
// holds the continuation mark continues the line before it. It fails when a
// row has anything else in its gutter, so the mark is never in the text.
func unwrap(t *testing.T, rows []string, mark string) []string {
	t.Helper()
	var lines []string
	for _, row := range rows {
		gutter, text := ansi.Cut(row, 0, gutterWidth), ansi.Cut(row, gutterWidth, ansi.StringWidth(row))
		switch gutter {
		case mark:
			if len(lines) == 0 {
				t.Fatalf("the first row is a continuation: %q", rows)
			}
			lines[len(lines)-1] += text
		case strings.Repeat(" ", gutterWidth):
			lines = append(lines, text)
		default:
			t.Fatalf("row %q: gutter %q is neither blank nor the mark %q", row, gutter, mark)
		}
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return lines
}

// longFile has a line far wider than any box, a secret that straddles the
// first wrap, and enough lines to scroll.
func longFile(secret string) openmetadata.File {
	lines := []string{
		"AUTHENTICATION_PUBLIC_KEYS=[https://acme.us.auth0.com/.well-known/jwks.json,https://om.acme.internal/api/v1/system/config/jwks]",
		strings.Repeat("x", 30) + "OIDC_CLIENT_SECRET=" + secret + " # the secret crosses the edge of a 40-cell box",
	}
	for i := range 20 {
		lines = append(lines, "KEY_"+strings.Repeat("A", i)+"=short")
	}
	return openmetadata.File{Path: "docker/openmetadata_auth0.env", Data: []byte(strings.Join(lines, "\n") + "\n"), Secret: true}
}

// TestPreviewWrapsLongLines: a line wider than the box continues on the next
// rows, marked in the gutter, so the whole value can be read; the secret is
// masked across the wrap; the viewport scrolls by display rows; a new width
// wraps again and keeps the top line in place.
func TestPreviewWrapsLongLines(t *testing.T) {
	const secret = "s3cr3t-ZmFrZS1zZWNyZXQ"
	file := longFile(secret)
	want := strings.Split(strings.ReplaceAll(strings.TrimRight(string(file.Data), "\n"), secret, mask), "\n")
	st := plainStyles()
	p := newPreview(guide.StepDeployFiles, []fileTab{{name: "Docker", files: []openmetadata.File{file}}})
	lay := previewLayout{width: 42, height: 12, secrets: []string{secret}, ascii: true}
	p.layout(st, lay)

	rows := boxRows(t, p.view(st))
	// 12 rows: the file's name, the box's borders and 9 rows of text.
	if len(rows) != 9 || !strings.HasPrefix(rows[1], "> ") {
		t.Fatalf("rows %q: want 9, the second a continuation", rows)
	}
	for _, row := range rows {
		if ansi.StringWidth(row) != 40 {
			t.Fatalf("row %q is %d cells wide, want the box's 40", row, ansi.StringWidth(row))
		}
	}
	if strings.Contains(strings.Join(rows, ""), secret[:8]) || !p.secret {
		t.Fatalf("the secret shows, or is not noticed: %q", rows)
	}

	// Every row of the file is reachable one display row at a time, and the
	// rows read back into the file, secret masked.
	all := slices.Clone(rows)
	for i := 0; !p.vp.AtBottom(); i++ {
		if i > 100 {
			t.Fatal("the viewport does not reach the bottom")
		}
		before := p.vp.YOffset()
		p.vp, _ = p.vp.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		p.layout(st, lay)
		if p.vp.YOffset() != before+1 {
			t.Fatalf("down moved from row %d to %d, want one row", before, p.vp.YOffset())
		}
		next := boxRows(t, p.view(st))
		if !slices.Equal(next[:len(next)-1], all[len(all)-len(next)+1:]) {
			t.Fatalf("scrolling one row did not shift the rows by one:\n%q\n%q", all[len(all)-len(next)+1:], next)
		}
		all = append(all, next[len(next)-1])
	}
	if got := unwrap(t, all, "> "); !slices.Equal(got, want) {
		t.Fatalf("the rows read back as\n%q\nwant\n%q", got, want)
	}

	// Scrolled to KEY_AAAAA, a wider box wraps again with that line still on top.
	for boxRows(t, p.view(st))[0] != "  KEY_AAAAA=short"+strings.Repeat(" ", 23) {
		p.vp, _ = p.vp.Update(tea.KeyPressMsg{Code: tea.KeyUp})
		p.layout(st, lay)
		if p.vp.AtTop() {
			t.Fatal("KEY_AAAAA never came to the top")
		}
	}
	lay.width = 70
	p.layout(st, lay)
	if top := strings.TrimSpace(boxRows(t, p.view(st))[0]); top != "KEY_AAAAA=short" {
		t.Fatalf("after the resize the top row is %q, want KEY_AAAAA=short", top)
	}
	p.vp.GotoTop()
	if rows := boxRows(t, p.view(st)); !strings.HasPrefix(rows[1], "> ") || ansi.StringWidth(rows[0]) != 68 {
		t.Fatalf("at 70 cells: %q", rows)
	}
}

// TestContinuationGutter: the mark is ↪ with colour, > without, and a
// line's first row has a blank gutter of the same width.
func TestContinuationGutter(t *testing.T) {
	st := NewStyles(true)
	for _, tt := range []struct {
		ascii bool
		mark  string
	}{{false, "↪ "}, {true, "> "}} {
		g := continuationGutter(st, tt.ascii)
		first := g(viewport.GutterContext{Soft: false})
		soft := ansi.Strip(g(viewport.GutterContext{Soft: true}))
		if first != "  " || soft != tt.mark || ansi.StringWidth(soft) != gutterWidth {
			t.Errorf("ascii %v: first row %q, continuation %q; want %q and %q", tt.ascii, first, soft, "  ", tt.mark)
		}
	}
}

// TestDeploymentPreviewWraps walks to the Deployment preview: the JWKS URLs
// show whole at 100×30 and, wrapped again, at 80×24.
func TestDeploymentPreviewWraps(t *testing.T) {
	h := walkToDeployPreview(t)
	const keys = "AUTHENTICATION_PUBLIC_KEYS=[https://acme.us.auth0.com/.well-known/jwks.json,http://localhost:8585/api/v1/system/config/jwks]"
	for _, size := range []tea.WindowSizeMsg{{Width: 100, Height: 30}, {Width: 80, Height: 24}, {Width: 100, Height: 30}} {
		h.send(size)
		rows := boxRows(t, h.view())
		if w := ansi.StringWidth(rows[0]); w != size.Width-4 {
			t.Fatalf("%dx%d: the box is %d cells inside, want %d", size.Width, size.Height, w, size.Width-4)
		}
		lines := unwrap(t, rows, "> ")
		if !slices.Contains(lines, keys) || !slices.Contains(lines, "OIDC_CLIENT_SECRET="+mask) {
			t.Fatalf("%dx%d: the file reads back as %q", size.Width, size.Height, lines)
		}
	}
}

// walkToDeployPreview answers every section up to the Deployment preview
// (all targets, a confidential client so the Docker file holds a secret).
func walkToDeployPreview(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	t.Chdir(t.TempDir()) // the output folder appears on screen: keep it relative
	cfg := completeConfig(t)
	cfg.Out = "openmetadata-auth0"
	h := newHarness(t, cfg, opts...)
	h.expectStep(guide.StepConnected)
	h.keys("enter", "enter")
	h.expectStep(guide.StepServerForm)
	h.keys("enter", "down", "enter", "enter", "enter")
	h.expectStep(guide.StepServiceForm)
	h.keys("enter")
	h.expectStep(guide.StepConfirm)
	h.keys("enter")
	h.expectStep(guide.StepReady)
	h.keys("enter")
	h.expectStep(guide.StepVerified)
	h.keys("enter")
	h.expectStep(guide.StepDeployForm)
	h.keys("enter")
	h.typ("alice")
	h.keys("enter")
	h.typ("acme.com")
	h.keys("enter")
	h.expectStep(guide.StepDeployFiles)
	return h
}

// TestPreviewKeysSayWhatWorks: r is offered where a secret is masked (and
// then says it hides it again), ↑↓ where the files are taller than the box.
func TestPreviewKeysSayWhatWorks(t *testing.T) {
	h := walkToDeployPreview(t)
	if f := footerOf(h); !strings.Contains(f, "r reveal") || strings.Contains(f, "↑↓ scroll") {
		t.Fatalf("Docker tab (a secret, fits the box): %q", f)
	}
	h.keys("r")
	if f := footerOf(h); !strings.Contains(f, "r hide") || !strings.Contains(h.view(), "ui-secret-Zm9vYmFy") {
		t.Fatalf("revealed: %q\n%s", f, h.view())
	}
	h.keys("r", "tab")
	if f := footerOf(h); strings.Contains(f, "r reveal") || strings.Contains(f, "r hide") {
		t.Fatalf("Bare Metal tab (no secret): %q", f)
	}
	h.send(tea.WindowSizeMsg{Width: 100, Height: 16})
	h.keys("shift+tab")
	if f := footerOf(h); !strings.Contains(f, "↑↓ scroll") {
		t.Fatalf("Docker tab in 16 rows, taller than the box: %q", f)
	}
}

// TestPreviewStatusAlwaysShows: when the apply steps do not fit under the
// box, they are cut with a note and the status line still shows.
func TestPreviewStatusAlwaysShows(t *testing.T) {
	st := plainStyles()
	var steps []string
	for i := range 30 {
		steps = append(steps, "step "+strings.Repeat("x", i))
	}
	tab := fileTab{name: "Kubernetes", files: []openmetadata.File{longFile("s3cr3t-value")}, apply: strings.Join(steps, "\n")}
	for _, tt := range []struct {
		written bool
		note    string
		apply   int // rows of steps shown
	}{
		{false, "… all the steps show once the files are written", applyLines},
		{true, "… the full steps are printed when the wizard finishes", 20 - 1 - 1 - (minBoxRows + 2) - 1},
	} {
		p := newPreview(guide.StepDeployFiles, []fileTab{tab})
		p.layout(st, previewLayout{width: 60, height: 20, written: tt.written, status: "✓ Wrote 1 file"})
		lines := strings.Split(strings.TrimRight(p.view(st), "\n"), "\n")
		if len(lines) > 20 || lines[len(lines)-1] != "✓ Wrote 1 file" || lines[len(lines)-2] != tt.note {
			t.Fatalf("written %v: %d lines, ending %q", tt.written, len(lines), lines[max(len(lines)-3, 0):])
		}
		if n := strings.Count(strings.Join(lines, "\n"), "\nstep "); n != tt.apply {
			t.Errorf("written %v: %d rows of steps, want %d", tt.written, n, tt.apply)
		}
	}
}

// TestPreviewCutCommand: steps cut under the box never end in the first
// rows of a command broken with " \", which would paste without the rest.
func TestPreviewCutCommand(t *testing.T) {
	st := plainStyles()
	tests := []struct {
		name, apply string
		want        []string // the step rows shown, then the note
	}{
		{"command cut", "Start it:\n  docker compose \\\n      --env-file x.env \\\n      up -d\nThen sign in.",
			[]string{"Start it:", "… all the steps show once the files are written"}},
		{"command whole", "Start it:\n  docker compose up -d\nThen sign in.\nAnd check.\nDone.",
			[]string{"Start it:", "  docker compose up -d", "Then sign in.", "… all the steps show once the files are written"}},
	}
	for _, tt := range tests {
		p := newPreview(guide.StepDeployFiles, []fileTab{{name: "Docker", files: []openmetadata.File{longFile("s3cr3t-value")}, apply: tt.apply}})
		p.layout(st, previewLayout{width: 60, height: 20})
		got := strings.Split(strings.TrimRight(p.bottom, "\n"), "\n")
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: the steps under the box are %q, want %q", tt.name, got, tt.want)
		}
	}
}
