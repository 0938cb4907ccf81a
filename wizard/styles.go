package wizard

import (
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"

	"github.com/om-auth0/om-auth0/present"
)

// Styles is every style the wizard draws with (present.Styles).
type Styles = present.Styles

// NewStyles builds the wizard's styles for a dark or light background.
func NewStyles(isDark bool) *Styles { return present.NewStyles(isDark) }

// plainStyles draws nothing but the text: the accessible driver's output is
// read by screen readers and may go to a log.
func plainStyles() *Styles { return present.Plain(false) }

// formTheme is the huh theme of the embedded forms: Charm's colours with a
// single blank line between fields so a section fits a 30-row terminal.
// Without colour (ascii) a confirmation's focused button is told apart by
// brackets, as its background is all that marks it otherwise.
func formTheme(ascii bool) huh.ThemeFunc {
	return func(isDark bool) *huh.Styles {
		t := baseFormTheme(isDark)
		if ascii {
			for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
				fs.FocusedButton = fs.FocusedButton.Transform(func(s string) string { return "[" + s + "]" })
				fs.BlurredButton = fs.BlurredButton.Transform(func(s string) string { return " " + s + " " })
			}
		}
		return t
	}
}

func baseFormTheme(isDark bool) *huh.Styles {
	t := huh.ThemeCharm(isDark)
	t.FieldSeparator = lipgloss.NewStyle().SetString("\n\n")
	t.Focused.ErrorIndicator = t.Focused.ErrorIndicator.SetString(" ✗")
	t.Focused.SelectedPrefix = t.Focused.SelectedPrefix.SetString("[x] ")
	t.Focused.UnselectedPrefix = t.Focused.UnselectedPrefix.SetString("[ ] ")
	t.Blurred.SelectedPrefix, t.Blurred.UnselectedPrefix = t.Focused.SelectedPrefix, t.Focused.UnselectedPrefix
	return t
}

// plainTheme is the huh theme of accessible prompts: no colour, no decoration.
func plainTheme(bool) *huh.Styles {
	return huh.ThemeBase(false)
}
