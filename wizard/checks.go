package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"
)

// checkedIntro says what the check after Done checked, that it changed
// nothing, and that it leaves the run's exit status as it is.
func (f *flow) checkedIntro(st *Styles) string {
	status := 0
	if f.VerifyErr() != nil {
		status = 1
	}
	return "Checked " + f.CheckRequest().What() + ": read-only, nothing was changed.\n" +
		st.Subtle.Render(fmt.Sprintf("Informational: whatever these checks find, the run ends with exit status %d.", status))
}

// checkedText is the check after Done, as both drivers show it: the intro,
// then doctor's report as `om-auth0 doctor` prints it.
func (f *flow) checkedText(st *Styles) string {
	if f.Checked == nil {
		return ""
	}
	return f.checkedIntro(st) + "\n\n" + f.Checked.Text(st)
}

// checkView is the TUI's screen of the check's results: the intro, then
// the report in a viewport that scrolls when it is taller than the screen.
type checkView struct {
	intro string
	vp    viewport.Model
}

func newCheckView() *checkView {
	vp := viewport.New()
	// Only the arrows and page keys scroll: r, c and q mean something here.
	vp.KeyMap.PageDown.SetKeys("pgdown")
	vp.KeyMap.PageUp.SetKeys("pgup")
	vp.KeyMap.HalfPageDown.SetKeys("ctrl+d")
	vp.KeyMap.HalfPageUp.SetKeys("ctrl+u")
	vp.KeyMap.Up.SetKeys("up")
	vp.KeyMap.Down.SetKeys("down")
	vp.KeyMap.Left.SetEnabled(false)
	vp.KeyMap.Right.SetEnabled(false)
	return &checkView{vp: vp}
}

// layout fits the intro and the report, wrapped at width, into height rows.
func (c *checkView) layout(intro, report string, width, height int) {
	c.intro = intro
	c.vp.SetWidth(width)
	c.vp.SetHeight(max(height-len(wrapLines(intro, width))-1, 3))
	c.vp.SetContentLines(wrapLines(strings.TrimRight(report, "\n"), width))
}

// canScroll reports whether the report is taller than its viewport.
func (c *checkView) canScroll() bool { return !c.vp.AtTop() || !c.vp.AtBottom() }

func (c *checkView) view() string { return c.intro + "\n\n" + c.vp.View() }
