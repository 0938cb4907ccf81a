package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
)

// fileTab is one tab of a file preview: a deployment target's files (or the
// ingestion files) and how to apply them.
type fileTab struct {
	name   string
	phrase string // the name in a sentence: "bare metal"
	files  []openmetadata.File
	apply  string
}

// tabs groups files step s's files by target, in the order chosen.
func (f *flow) tabs(s guide.ID) ([]fileTab, error) {
	files, err := f.FilesOf(s)
	if err != nil {
		return nil, err
	}
	if s == guide.StepIngestFiles {
		return []fileTab{{name: "Ingestion", files: files, apply: f.ingestApply()}}, nil
	}
	in := f.Cfg.RenderInput(f.UI, f.SA)
	// Absolute, so that the commands work as pasted in any folder.
	dir := setup.AbsDir(f.Cfg.Out)
	var tabs []fileTab
	for _, t := range f.Cfg.Targets {
		spec, _ := render.Lookup(t)
		tab := fileTab{name: spec.Title, phrase: spec.Phrase, apply: strings.TrimRight(f.nextSteps(in, t, dir), "\n")}
		for _, file := range files {
			if guide.TargetOf(file) == t {
				tab.files = append(tab.files, file)
			}
		}
		tabs = append(tabs, tab)
	}
	return tabs, nil
}

// ingestApply is how to use the workflowConfig, and where the ingestion-bot
// JWT comes from when it was not given: the same text setup prints.
func (f *flow) ingestApply() string {
	return strings.TrimRight(render.IngestionNextSteps(f.Cfg.RenderInput(f.UI, f.SA)), "\n")
}

// ingestIntro describes the workflowConfig the chosen version gets.
func (f *flow) ingestIntro() string {
	v := f.Cfg.Choices.Version
	if v.Band() == openmetadata.BandLegacy {
		return fmt.Sprintf("OpenMetadata %s: authProvider auth0, with the service account's client id and secret.", v)
	}
	return fmt.Sprintf("OpenMetadata %s: authProvider openmetadata, with the ingestion-bot JWT.", v)
}

// fileHeading names a file with the mode it is written with.
func fileHeading(file openmetadata.File) string {
	return fmt.Sprintf("%s  mode %04o", file.Path, file.Mode())
}

// filesText is a tab's files, one after the other, secrets masked unless revealed.
func filesText(files []openmetadata.File, secrets []string, reveal bool) string {
	var b strings.Builder
	for i, file := range files {
		if len(files) > 1 {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString("── " + fileHeading(file) + " ──\n")
		}
		b.WriteString(maskSecrets(strings.TrimRight(string(file.Data), "\n"), secrets, reveal) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// writtenText says what was done with the files, in one line; the summary
// at the end names each file and what to do about the kept ones.
func writtenText(st *Styles, out string, files []output.FileResult) string {
	text := fmt.Sprintf("%s Files in %s: %s (files with a secret are mode 0600)", st.OK.Render("✓"), out, output.Summary(files))
	if output.KeptAdvice(files) != "" {
		text += "; your changed files stay, om-auth0's version is beside each as " + output.NewSuffix
	}
	return text
}

// preview is the TUI's file preview: tabs, a scrollable viewport, the
// commands to apply the files.
type preview struct {
	step   guide.ID
	tabs   []fileTab
	active int
	vp     viewport.Model

	// Set by layout, drawn by view.
	width       int
	top, bottom string
	secret      bool // the active tab's files hold a secret
}

func newPreview(s guide.ID, tabs []fileTab) *preview {
	vp := viewport.New()
	// A long value (the JWKS URLs, a command) wraps onto more rows instead of
	// being cut at the box's edge; the viewport scrolls by those rows.
	vp.SoftWrap = true
	vp.KeyMap.PageDown.SetKeys("pgdown")
	vp.KeyMap.PageUp.SetKeys("pgup")
	vp.KeyMap.HalfPageDown.SetKeys("ctrl+d")
	vp.KeyMap.HalfPageUp.SetKeys("ctrl+u")
	return &preview{step: s, tabs: tabs, vp: vp}
}

func (p *preview) next(delta int) {
	if len(p.tabs) > 0 {
		p.active = (p.active + delta + len(p.tabs)) % len(p.tabs)
		p.vp.GotoTop()
	}
}

// canScroll reports whether the files are taller than the box.
func (p *preview) canScroll() bool { return !p.vp.AtTop() || !p.vp.AtBottom() }

// gutterWidth is the cells of continuationGutter's column.
const gutterWidth = 2

// continuationGutter is the column left of the files' text: blank on a
// line's first row, a mark on the rows a long line continues on. Being
// outside the text, the mark cannot be taken for part of a value. Without
// colour the mark is ASCII, as setup's progress marks are.
func continuationGutter(st *Styles, ascii bool) viewport.GutterFunc {
	mark := st.Subtle.Render("↪") + " "
	if ascii {
		mark = "> "
	}
	return func(c viewport.GutterContext) string {
		if c.Soft {
			return mark
		}
		return strings.Repeat(" ", gutterWidth)
	}
}

// applyLines is how many rows of the apply steps show before the files are
// written; afterwards they get the room and the box shrinks.
const applyLines = 3

// minBoxRows is the least the box shows of the files.
const minBoxRows = 3

// previewLayout is what the preview is drawn with.
type previewLayout struct {
	width, height   int // the cells the preview may use
	secrets         []string
	reveal, written bool
	status          string // the line under it ("✓ Wrote…")
	ascii           bool   // no colour: ASCII marks
}

// layout fits the preview into l.width × l.height: the lines above and below
// the box, and the box's size and text. The model calls it after every
// message, so the viewport scrolls over what is on screen and a resize
// wraps the files again.
func (p *preview) layout(st *Styles, l previewLayout) {
	if len(p.tabs) == 0 {
		return
	}
	tab := p.tabs[p.active]
	p.width = l.width
	var top strings.Builder
	if len(p.tabs) > 1 {
		parts := make([]string, len(p.tabs))
		for i, t := range p.tabs {
			if i == p.active {
				parts[i] = st.TabActive.Render("▸ " + t.name)
			} else {
				parts[i] = st.TabInactive.Render("  " + t.name)
			}
		}
		top.WriteString(strings.Join(parts, "  ") + "\n")
	}
	names := make([]string, len(tab.files))
	for i, file := range tab.files {
		names[i] = fileHeading(file)
	}
	top.WriteString(st.Subtle.Render(truncate(strings.Join(names, " · "), l.width)) + "\n")
	p.top = top.String()
	topH := strings.Count(p.top, "\n")

	var status []string
	if l.status != "" {
		status = wrapLines(l.status, l.width)
	}
	var apply []string
	if tab.apply != "" {
		apply = wrapLines(present.Steps(l.width, tab.apply), l.width)
	}
	// The apply steps get what the box leaves; the status line always shows.
	limit, note := l.height-topH-len(status)-minBoxRows-2, "… the full steps are printed when the wizard finishes"
	if !l.written {
		limit, note = min(limit, applyLines+1), "… all the steps show once the files are written"
	}
	if len(apply) > limit {
		apply = apply[:max(limit-1, 0)]
		// The rows of a command cut short (each ending in " \") would paste
		// as a whole command without its last arguments: leave them out.
		for len(apply) > 0 && strings.HasSuffix(strings.TrimRight(ansi.Strip(apply[len(apply)-1]), " "), `\`) {
			apply = apply[:len(apply)-1]
		}
		if limit > 0 {
			apply = append(apply, st.Subtle.Render(truncate(note, l.width)))
		}
	}
	bottom := append(apply, status...)
	p.bottom = ""
	if len(bottom) > 0 {
		p.bottom = strings.Join(bottom, "\n") + "\n"
	}

	text := filesText(tab.files, l.secrets, l.reveal)
	p.secret = text != filesText(tab.files, l.secrets, !l.reveal)
	lines := strings.Split(text, "\n")
	// A new width wraps the lines into other rows: keep the line that was
	// at the top there.
	w, anchor := l.width-2, -1
	if old := p.vp.Width(); old != w && old > 0 {
		anchor = lineAt(lines, old-gutterWidth, p.vp.YOffset())
	}
	p.vp.LeftGutterFunc = continuationGutter(st, l.ascii)
	p.vp.SetWidth(w)
	p.vp.SetHeight(max(l.height-topH-len(bottom)-2, minBoxRows))
	p.vp.SetContentLines(lines) // keeps the scroll position when it is still in range
	if anchor >= 0 {
		p.vp.SetYOffset(rowOf(lines, w-gutterWidth, anchor))
	}
}

// lineAt is the line shown on display row row when lines wrap at width
// cells, as the viewport wraps them.
func lineAt(lines []string, width, row int) int {
	for i, line := range lines {
		row -= wrappedRows(line, width)
		if row < 0 {
			return i
		}
	}
	return max(len(lines)-1, 0)
}

// rowOf is the first display row of line i.
func rowOf(lines []string, width, i int) int {
	row := 0
	for _, line := range lines[:min(i, len(lines))] {
		row += wrappedRows(line, width)
	}
	return row
}

// wrappedRows is how many rows the viewport's soft wrap gives a line.
func wrappedRows(line string, width int) int {
	if width <= 0 {
		return 1
	}
	return max(1, (ansi.StringWidth(line)+width-1)/width)
}

// view draws the preview as the last layout left it.
func (p *preview) view(st *Styles) string {
	if len(p.tabs) == 0 {
		return ""
	}
	return p.top + st.Box.Width(p.width).Render(p.vp.View()) + "\n" + p.bottom
}
