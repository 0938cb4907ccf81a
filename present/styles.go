package present

import "charm.land/lipgloss/v2"

// Styles is every style om-auth0 draws with, kept out of the logic. The
// wizard uses NewStyles; scripts and the accessible driver use Plain.
// Colours are chosen for the terminal's background; on a terminal without
// colour (NO_COLOR, TERM=dumb) the program's colour profile strips them and
// only the marks (✓ ● ○ ✗ ▸) and attributes carry the meaning.
type Styles struct {
	App     lipgloss.Style // "om-auth0 · Auth0 SSO for OpenMetadata"
	Tenant  lipgloss.Style // "tenant: acme.us.auth0.com (Acme)"
	Sandbox lipgloss.Style // the simulated-tenant badge

	Done    lipgloss.Style // ✓ section done
	Current lipgloss.Style // ● current section
	Todo    lipgloss.Style // ○ section to do
	Rule    lipgloss.Style

	Heading lipgloss.Style // section title
	Subtle  lipgloss.Style // explanations
	Label   lipgloss.Style // "Client ID" in key/value lists
	Value   lipgloss.Style
	Code    lipgloss.Style // commands to run

	OK   lipgloss.Style // ✓ check passed
	Fail lipgloss.Style // ✗ check failed, errors
	Warn lipgloss.Style // consequences that need an explicit yes

	Key     lipgloss.Style // footer key
	KeyDesc lipgloss.Style // footer key description

	Box         lipgloss.Style // file preview frame
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	Cursor      lipgloss.Style // picker row under the cursor
	Broad       lipgloss.Style // "broad" scope flag

	// ASCII words the marks in ASCII (ok:, FAILED:, ->) for logs and
	// terminals without Unicode (NO_COLOR, or not a terminal).
	ASCII bool
}

// NewStyles builds the wizard's styles for a dark or light background.
func NewStyles(isDark bool) *Styles {
	ld := lipgloss.LightDark(isDark)
	var (
		accent  = ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#7571F9"))
		green   = ld(lipgloss.Color("#02BA84"), lipgloss.Color("#02BF87"))
		red     = ld(lipgloss.Color("#D7263D"), lipgloss.Color("#ED567A"))
		amber   = ld(lipgloss.Color("#B26B00"), lipgloss.Color("#F2B233"))
		faint   = ld(lipgloss.Color("245"), lipgloss.Color("243"))
		fuchsia = lipgloss.Color("#F780E2")
	)
	return &Styles{
		App:     lipgloss.NewStyle().Bold(true),
		Tenant:  lipgloss.NewStyle().Foreground(accent),
		Sandbox: lipgloss.NewStyle().Foreground(amber).Bold(true),

		Done:    lipgloss.NewStyle().Foreground(green),
		Current: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Todo:    lipgloss.NewStyle().Foreground(faint),
		Rule:    lipgloss.NewStyle().Foreground(faint),

		Heading: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Subtle:  lipgloss.NewStyle().Foreground(faint),
		Label:   lipgloss.NewStyle().Foreground(faint),
		Value:   lipgloss.NewStyle(),
		Code:    lipgloss.NewStyle().Foreground(accent),

		OK:   lipgloss.NewStyle().Foreground(green),
		Fail: lipgloss.NewStyle().Foreground(red),
		Warn: lipgloss.NewStyle().Foreground(amber).Bold(true),

		Key:     lipgloss.NewStyle().Bold(true),
		KeyDesc: lipgloss.NewStyle().Foreground(faint),

		Box:         lipgloss.NewStyle().Border(lipgloss.NormalBorder()).BorderForeground(faint),
		TabActive:   lipgloss.NewStyle().Foreground(accent).Bold(true),
		TabInactive: lipgloss.NewStyle().Foreground(faint),
		Cursor:      lipgloss.NewStyle().Foreground(fuchsia).Bold(true),
		Broad:       lipgloss.NewStyle().Foreground(amber),
	}
}

// Plain draws nothing but the text: the accessible driver's output is read
// by screen readers, and a script's goes to a log. ascii words the marks in
// ASCII.
func Plain(ascii bool) *Styles {
	p := lipgloss.NewStyle()
	return &Styles{
		App: p, Tenant: p, Sandbox: p, Done: p, Current: p, Todo: p, Rule: p,
		Heading: p, Subtle: p, Label: p, Value: p, Code: p, OK: p, Fail: p, Warn: p,
		Key: p, KeyDesc: p, Box: p.Border(lipgloss.NormalBorder()), TabActive: p, TabInactive: p,
		Cursor: p, Broad: p, ASCII: ascii,
	}
}

// The marks, in Unicode or, for ASCII styles, in words.
func (st *Styles) pick(unicode, ascii string) string {
	if st.ASCII {
		return ascii
	}
	return unicode
}

// CheckMark is a passed check or a done step: ✓ (ok:).
func (st *Styles) CheckMark() string { return st.OK.Render(st.pick("✓", "ok:")) }

// FailMark is a failed check or step: ✗ (FAILED:).
func (st *Styles) FailMark() string { return st.Fail.Render(st.pick("✗", "FAILED:")) }

// WarnMark is a warning, or a change that breaks something: ! (warning:).
func (st *Styles) WarnMark() string { return st.Warn.Render(st.pick("!", "warning:")) }

// SkipMark is a check that did not run: - (skipped:).
func (st *Styles) SkipMark() string { return st.Subtle.Render(st.pick("-", "skipped:")) }

// Arrow joins a field's old value to its new one: → (->).
func (st *Styles) Arrow() string { return st.pick("→", "->") }

// Bullet starts the item of a list: • (-).
func (st *Styles) Bullet() string { return st.pick("•", "-") }
