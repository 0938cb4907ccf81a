package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"

	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
)

// fileTab is one tab of a file preview: a deployment target's files (or the
// ingestion files) and how to apply them.
type fileTab struct {
	name  string
	files []render.File
	apply string
}

var targetNames = map[render.Target]string{render.Docker: "Docker", render.BareMetal: "Bare Metal", render.Kubernetes: "Kubernetes"}

// tabs groups files step s's files by target, in the order chosen.
func (f *flow) tabs(s stepID) ([]fileTab, error) {
	files, err := f.filesOf(s)
	if err != nil {
		return nil, err
	}
	if s == stepIngestFiles {
		return []fileTab{{name: "Ingestion", files: files, apply: f.ingestApply()}}, nil
	}
	in := f.cfg.RenderInput(f.ui, f.sa)
	// Absolute, so that the commands work as pasted in any folder.
	dir := setup.AbsDir(f.cfg.Out)
	var tabs []fileTab
	for _, t := range f.cfg.Targets {
		tab := fileTab{name: targetNames[t], apply: strings.TrimRight(f.nextSteps(in, t, dir), "\n")}
		for _, file := range files {
			if targetOf(file) == t {
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
	return strings.TrimRight(render.IngestionNextSteps(f.cfg.RenderInput(f.ui, f.sa)), "\n")
}

// ingestIntro describes the workflowConfig the chosen version gets.
func (f *flow) ingestIntro() string {
	v := f.cfg.Choices.Version
	if v.Band() == render.BandLegacy {
		return fmt.Sprintf("OpenMetadata %s: authProvider auth0, with the service account's client id and secret.", v)
	}
	return fmt.Sprintf("OpenMetadata %s: authProvider openmetadata, with the ingestion-bot JWT.", v)
}

// fileHeading names a file with the mode it is written with.
func fileHeading(file render.File) string {
	return fmt.Sprintf("%s  mode %04o", file.Path, file.Mode())
}

// filesText is a tab's files, one after the other, secrets masked unless revealed.
func filesText(files []render.File, secrets []string, reveal bool) string {
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

// writtenText says what was written where.
func writtenText(st *Styles, out string, paths []string) string {
	return fmt.Sprintf("%s Wrote %s to %s (files with a secret are mode 0600)", st.OK.Render("✓"), plural(len(paths), "file"), out)
}

// preview is the TUI's file preview: tabs, a scrollable viewport, the
// commands to apply the files.
type preview struct {
	step   stepID
	tabs   []fileTab
	active int
	vp     viewport.Model
}

func newPreview(s stepID, tabs []fileTab) *preview {
	vp := viewport.New()
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

// applyLines is how much of the apply steps shows before the files are
// written; afterwards they get the room and the box shrinks.
const applyLines = 3

// view draws the preview in width × height cells.
func (p *preview) view(st *Styles, width, height int, secrets []string, reveal, written bool, status string) string {
	if len(p.tabs) == 0 {
		return ""
	}
	tab := p.tabs[p.active]
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
	top.WriteString(st.Subtle.Render(truncate(strings.Join(names, " · "), width)) + "\n")

	var bottom strings.Builder
	if apply := strings.Split(tab.apply, "\n"); tab.apply != "" {
		if !written && len(apply) > applyLines+1 {
			apply = append(apply[:applyLines], st.Subtle.Render("… all the steps show once the files are written"))
		}
		bottom.WriteString(strings.Join(wrapLines(strings.Join(apply, "\n"), width), "\n") + "\n")
	}
	if status != "" {
		bottom.WriteString(status + "\n")
	}
	topH, bottomH := lipgloss.Height(top.String())-1, lipgloss.Height(bottom.String())-1
	if bottom.Len() == 0 {
		bottomH = 0
	}
	p.vp.SetWidth(width - 2)
	p.vp.SetHeight(max(height-topH-bottomH-2, 3))
	p.vp.SetContent(filesText(tab.files, secrets, reveal))
	box := st.Box.Width(width).Render(p.vp.View())
	return top.String() + box + "\n" + bottom.String()
}
