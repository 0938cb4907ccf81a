package wizard

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/present"
)

// redrawMsg makes the embedded form redraw after a field changed outside it.
type redrawMsg struct{}

// errMsg is a failed step; the error view explains it.
type errMsg struct {
	step guide.ID
	err  error
}

// Frame: a title line, the checklist, a rule, the body, a rule and the keys.
const (
	headerRows = 3
	footerRows = 2
)

// model is the bubbletea state machine of the interactive wizard. It walks
// the flow's steps: forms are embedded huh forms, Auth0 calls run as
// tea.Cmds that return typed result messages, and the views come from the
// texts shared with the accessible driver.
type model struct {
	f  *flow
	st *Styles

	step   guide.ID
	form   *huh.Form
	formH  int // the rows the form was last given
	picker *appPicker
	prev   *preview
	checks *checkView // the check's results after Done
	spin   spinner.Model

	busy    bool  // an Auth0 call is running
	err     error // the error view is open for errStep
	errStep guide.ID
	status  string // a one-line note under the body (e.g. after going back)

	liveKey, liveErr string // the focused field and its validation, as typed

	reveal        bool
	ascii         bool // no colour (NO_COLOR): the preview marks wrapped lines in ASCII
	width, height int
	isDark        bool
	animate       bool // spinner ticks; off in model tests for determinism
	ticking       bool // a spinner tick is on its way

	ctx    context.Context
	cancel context.CancelFunc

	aborted  bool  // Ctrl+C
	finished bool  // Done, enter (or ctrl+c there)
	quitErr  error // quit from the error view
}

func newModel(ctx context.Context, f *flow) *model {
	ctx, cancel := context.WithCancel(ctx)
	return &model{
		f: f, st: NewStyles(true), isDark: true,
		spin:   spinner.New(spinner.WithSpinner(spinner.Dot)),
		reveal: f.opts.RevealSecrets,
		ascii:  !f.opts.IO.ColorEnabled(),
		width:  100, height: 30,
		animate: true,
		ctx:     ctx, cancel: cancel,
	}
}

// Init implements tea.Model.
func (m *model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.enter(m.f.First()))
}

func (m *model) bodyHeight() int { return max(m.height-headerRows-footerRows, 5) }
func (m *model) innerWidth() int { return max(m.width-2, 20) }

// enter makes s the current step and starts it.
func (m *model) enter(s guide.ID) tea.Cmd {
	m.step, m.form, m.picker, m.prev, m.checks = s, nil, nil, nil, nil
	m.err, m.liveKey, m.liveErr = nil, "", ""
	if s == guide.StepConnected {
		// Preflight: missing scopes are an error to fix before any plan.
		if err := m.f.Preflight(); err != nil {
			m.err, m.errStep = err, s
			return nil
		}
	}
	switch s.Kind() {
	case guide.KindForm, guide.KindConfirm:
		// The key map once, before any key: setting it again resets what
		// the fields enabled (a filter being typed would lose its enter).
		m.form = m.f.form(s, m.formHeight(s)).WithKeyMap(formKeys)
		return tea.Batch(m.layoutForm(), m.form.Init())
	case guide.KindWork, guide.KindLoad:
		m.busy = true
		return tea.Batch(m.runWork(s), m.tick())
	case guide.KindPick:
		m.picker = newAppPicker(m.f.appRows, m.f.Cfg.Choices.AppID, m.contentHeight()-3)
	case guide.KindFiles:
		tabs, err := m.f.tabs(s)
		if err != nil {
			m.err, m.errStep = err, s
			return nil
		}
		m.prev = newPreview(s, tabs)
	case guide.KindInfo:
		if s == guide.StepChecked {
			m.checks = newCheckView()
		}
	}
	return nil
}

// layoutForm sizes and themes the form for the frame.
func (m *model) layoutForm() tea.Cmd {
	if m.form == nil {
		return nil
	}
	m.formH = m.formHeight(m.step)
	m.form.WithTheme(formTheme(m.ascii)).WithShowHelp(false).WithShowErrors(false).
		WithWidth(m.innerWidth()).WithHeight(m.formH)
	_, cmd := m.form.Update(tea.BackgroundColorMsg{Color: bgColor(m.isDark)})
	return cmd
}

// bgColor stands for the terminal's background until it reports its own.
func bgColor(isDark bool) color.Color {
	if isDark {
		return color.Black
	}
	return color.White
}

// rows is how many screen rows text takes in the body, wrapped as render wraps it.
func (m *model) rows(text string) int {
	return len(wrapLines(strings.TrimRight(text, "\n"), m.innerWidth()))
}

// contentHeight is the body minus the section heading.
func (m *model) contentHeight() int {
	return m.bodyHeight() - m.rows(m.heading()) - 1
}

// formHeight is what the form of step s may use: the content minus its
// intro and the validation message.
func (m *model) formHeight(s guide.ID) int {
	h := m.contentHeight() - m.errRows()
	if intro := m.intro(s); intro != "" {
		h -= m.rows(intro) + 1
	}
	if s == guide.StepScopes {
		h-- // the "N scopes · k selected" line
	}
	return max(h, 4)
}

// errRows is the rows kept under the form for the validation message: one
// when there is none, so the form does not jump when a short one appears.
func (m *model) errRows() int {
	if m.liveErr == "" {
		return 1
	}
	return m.rows(m.st.Fail.Render("✗ " + m.liveErr))
}

// fitForm gives the form the rows the validation message leaves it, so a
// message that wraps is not cut off at the bottom of the screen.
func (m *model) fitForm() {
	if m.form == nil {
		return
	}
	if h := m.formHeight(m.step); h != m.formH {
		m.form.WithHeight(h)
		m.formH = h
	}
}

// layoutPreview fits the file preview to the screen as it is now.
func (m *model) layoutPreview() {
	if m.prev == nil {
		return
	}
	h := m.contentHeight()
	if m.step == guide.StepIngestFiles {
		h-- // the intro line above it
	}
	m.prev.layout(m.st, previewLayout{
		width: m.innerWidth(), height: h,
		secrets: m.f.secretValues(), reveal: m.reveal, written: m.f.Written[m.step] != nil,
		status: m.status, ascii: m.ascii,
	})
}

// layoutChecks fits the check's results to the screen as it is now.
func (m *model) layoutChecks() {
	if m.checks != nil && m.f.Checked != nil {
		m.checks.layout(m.f.checkedIntro(m.st), m.f.Checked.Text(m.st), m.innerWidth(), m.contentHeight())
	}
}

// tick starts the spinner unless it is already turning.
func (m *model) tick() tea.Cmd {
	if !m.animate || m.ticking {
		return nil
	}
	m.ticking = true
	return m.spin.Tick
}

// runWork runs step s's call; its result comes back as a typed message.
func (m *model) runWork(s guide.ID) tea.Cmd {
	call, ctx := m.f.Call(s), m.ctx
	return func() tea.Msg {
		res, err := call(ctx)
		if err != nil {
			return errMsg{s, err}
		}
		return res
	}
}

// tenantName waits for the connected tenant's name, which only decorates
// the screens, while the walk goes on; it arrives as a guide.TenantNamed.
func (m *model) tenantName() tea.Cmd {
	call, ctx := m.f.TenantNameCall(), m.ctx
	return func() tea.Msg {
		res, _ := call(ctx) // it never fails
		return res
	}
}

// advance leaves the current step for the next one.
func (m *model) advance() tea.Cmd {
	m.status = ""
	if m.step.Final() {
		m.finished = true
		return tea.Quit
	}
	return m.enter(m.f.Next(m.step))
}

// goBack handles Esc: the previous section, never undoing Auth0 changes.
func (m *model) goBack() tea.Cmd {
	to, ok := m.f.Back(m.step)
	if !ok {
		return nil
	}
	cmd := m.enter(to)
	if m.f.HasChanged() {
		m.status = "Back to " + guide.Sections[to.Section()].Name + ". Changes already made in Auth0 stay; the next run of a step finds them."
	}
	return cmd
}

// Update implements tea.Model.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.fitForm()
	m.layoutPreview()
	m.layoutChecks()
	return m, cmd
}

func (m *model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if msg.Width > 0 && msg.Height > 0 {
			m.width, m.height = msg.Width, msg.Height
		}
		if m.picker != nil {
			m.picker.height = max(m.contentHeight()-3, 3)
			m.picker.scroll()
		}
		return m.layoutForm()
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.st = NewStyles(m.isDark)
		return m.forward(msg)
	case spinner.TickMsg:
		if msg.ID != m.spin.ID() {
			return m.forward(msg)
		}
		if !m.busy {
			m.ticking = false
			return nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return cmd
	case errMsg:
		m.busy = false
		m.err, m.errStep = msg.err, msg.step
		return nil
	case guide.FilesWritten:
		m.busy = false
		msg.Apply(m.f.State)
		m.status = writtenText(m.st, m.f.Cfg.Out, msg.Files)
		return nil
	case guide.TenantNamed:
		// Not a step's result: it comes whenever the name arrives.
		msg.Apply(m.f.State)
		return nil
	case guide.Result:
		if !m.busy {
			return nil
		}
		m.busy = false
		msg.Apply(m.f.State)
		m.f.applied(msg)
		if _, ok := msg.(guide.Connected); ok {
			return tea.Batch(m.advance(), m.tenantName())
		}
		return m.advance()
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m.forward(msg)
}

// forward hands a message to the current form and moves on when it completes.
func (m *model) forward(msg tea.Msg) tea.Cmd {
	if m.form == nil {
		return nil
	}
	fm, cmd := m.form.Update(msg)
	if f, ok := fm.(*huh.Form); ok {
		m.form = f
	}
	if m.form.State != huh.StateCompleted {
		return cmd
	}
	return tea.Batch(cmd, m.formDone())
}

// formDone takes a completed form's answers.
func (m *model) formDone() tea.Cmd {
	if m.step.Kind() == guide.KindConfirm {
		if m.f.d.confirmed {
			return m.advance()
		}
		to, err := m.f.declined(m.step)
		if err != nil {
			// The error view, over the step that failed: r runs it again.
			m.err, m.errStep = err, to
			return nil
		}
		return m.enter(to)
	}
	if err := m.f.submit(m.step); err != nil {
		cmd := m.enter(m.step)
		m.liveErr = err.Error()
		return cmd
	}
	return m.advance()
}

func (m *model) abort() tea.Cmd {
	m.aborted = true
	m.cancel()
	return tea.Quit
}

var (
	keyQuit    = key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
	keyBack    = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "previous section"))
	keyNext    = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next"))
	keyReveal  = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reveal"))
	keyWrite   = key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "write files"))
	keyTab     = key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "next target"))
	keyScroll  = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "scroll"))
	keySecret  = key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "reveal"))
	keyRetry   = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry"))
	keyBackB   = key.NewBinding(key.WithKeys("b", "esc"), key.WithHelp("b", "back"))
	keyQuitQ   = key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit"))
	keyRecheck = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-run the checks"))
	keyGoOn    = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue (the run ends with exit 1)"))
	keyCheck   = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "check it"))
	keyFinish  = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "finish"))
)

// key handles a key press for the current screen.
func (m *model) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, keyQuit) {
		if m.step.Section() == guide.SectionDone && m.err == nil {
			// Nothing is left to interrupt (a running check only reads):
			// quitting here finishes, so the next steps are still printed
			// and the exit status is the run's.
			m.finished = true
			return tea.Quit
		}
		return m.abort()
	}
	if m.busy {
		return nil
	}
	if m.err != nil {
		switch {
		case key.Matches(msg, keyRetry):
			return m.enter(m.f.Retry(m.errStep, m.err))
		case key.Matches(msg, keyBackB):
			return m.enter(m.f.Retreat(m.errStep))
		case key.Matches(msg, keyQuitQ):
			m.quitErr = m.err
			m.cancel()
			return tea.Quit
		}
		return nil
	}
	switch m.step.Kind() {
	case guide.KindForm, guide.KindConfirm:
		return m.formKey(msg)
	case guide.KindPick:
		if msg.String() == "esc" {
			if m.picker.clearFilter() {
				return nil
			}
			return m.enter(m.f.Retreat(m.step))
		}
		chosen, id, cmd := m.picker.update(msg)
		if chosen {
			m.f.pickApp(id)
			return m.advance()
		}
		return cmd
	case guide.KindFiles:
		return m.filesKey(msg)
	}
	if m.step == guide.StepVerified && m.f.VerifyErr() != nil {
		switch {
		case key.Matches(msg, keyRecheck):
			return m.enter(guide.StepVerify)
		case key.Matches(msg, keyQuitQ):
			m.quitErr = m.f.VerifyErr()
			m.cancel()
			return tea.Quit
		}
	}
	switch {
	case m.step == guide.StepDone && key.Matches(msg, keyCheck) && m.f.CanCheck(),
		m.step == guide.StepChecked && key.Matches(msg, keyRecheck):
		return m.enter(guide.StepCheck)
	case key.Matches(msg, keyNext), m.step.Final() && key.Matches(msg, keyQuitQ):
		return m.advance()
	case m.checks != nil:
		// The check's results scroll with the arrows and page keys.
		var cmd tea.Cmd
		m.checks.vp, cmd = m.checks.vp.Update(msg)
		return cmd
	case key.Matches(msg, keyReveal) && m.step == guide.StepReady:
		m.reveal = !m.reveal
	case key.Matches(msg, keyBack):
		return m.goBack()
	}
	return nil
}

// formKeys is huh's key map without the letters that move a select: the
// operator typing into a select (believing the text field above focused)
// would silently change the answer; g and G jump to the first and last.
var formKeys = func() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Select.Up = key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up"))
	km.Select.Down = key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down"))
	km.Select.GotoTop = key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "go to start"))
	km.Select.GotoBottom = key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "go to end"))
	return km
}()

// fieldTakes reports whether the focused field has a use for msg right
// now: esc sets or clears a select's filter before it goes back a section.
func fieldTakes(field huh.Field, msg tea.KeyPressMsg) bool {
	for _, b := range field.KeyBinds() {
		if key.Matches(msg, b) {
			return true
		}
	}
	return false
}

func (m *model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	field := m.form.GetFocusedField()
	switch {
	case msg.String() == "esc" && !fieldTakes(field, msg):
		if m.step.Kind() == guide.KindConfirm {
			return m.enter(m.f.Retreat(m.step))
		}
		return m.goBack()
	case key.Matches(msg, keySecret):
		if in, ok := m.f.secrets[field.GetKey()]; ok {
			mode := huh.EchoModeNormal
			if m.revealedField(field.GetKey()) {
				mode = huh.EchoModePassword
			}
			in.EchoMode(mode)
			m.toggleRevealed(field.GetKey())
			return m.forward(redrawMsg{}) // the form redraws its fields only on a message
		}
		return nil
	}
	before, _ := field.GetValue().(string)
	var cmd tea.Cmd
	if sel, ok := field.(*huh.Select[string]); ok {
		cmd = m.selectKey(sel, msg)
	} else {
		cmd = m.forward(msg)
	}
	if m.form == nil || m.step.Kind() != guide.KindForm {
		return cmd
	}
	m.checkLive(field.GetKey(), before)
	return cmd
}

// selectKey hands a key to a select, with two differences from huh's own
// handling: shift+tab goes back even while the answer is invalid, as the fix
// may be the field above (the version a client type needs; the form checks
// the answer again when it is submitted), and ↑↓ stop at the first and last
// option instead of wrapping around to a different answer unnoticed.
func (m *model) selectKey(sel *huh.Select[string], msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, formKeys.Select.Prev) {
		if !fieldTakes(sel, msg) {
			return nil // the first field: there is nothing above
		}
		return m.forward(huh.PrevField())
	}
	down, up := key.Matches(msg, formKeys.Select.Down), key.Matches(msg, formKeys.Select.Up)
	if !down && !up {
		return m.forward(msg)
	}
	order := m.f.choices[sel.GetKey()]
	before, _ := sel.Hovered()
	cmd := m.forward(msg)
	after, _ := sel.Hovered()
	i, j := slices.Index(order, before), slices.Index(order, after)
	if (down && j < i) || (up && j > i) {
		back := tea.KeyPressMsg{Code: tea.KeyUp}
		if up {
			back = tea.KeyPressMsg{Code: tea.KeyDown}
		}
		return tea.Batch(cmd, m.forward(back))
	}
	return cmd
}

// checkLive validates the focused field as it is typed.
func (m *model) checkLive(prevKey, before string) {
	field := m.form.GetFocusedField()
	k := field.GetKey()
	if k != prevKey {
		m.liveKey, m.liveErr = k, ""
		return
	}
	if err := field.Error(); err != nil {
		m.liveErr = err.Error()
		return
	}
	now, ok := field.GetValue().(string)
	validate := m.f.validators[k]
	if !ok || validate == nil || (now == before && m.liveKey == k) {
		return
	}
	m.liveKey, m.liveErr = k, ""
	if err := validate(now); err != nil {
		m.liveErr = err.Error()
	}
}

// revealed tracks which secret inputs show their text (ctrl+r).
func (m *model) revealedField(k string) bool { return m.f.revealed[k] }
func (m *model) toggleRevealed(k string)     { m.f.revealed[k] = !m.f.revealed[k] }

func (m *model) filesKey(msg tea.KeyPressMsg) tea.Cmd {
	written := m.f.Written[m.step] != nil
	switch {
	case key.Matches(msg, keyNext) && written:
		return m.advance()
	case key.Matches(msg, keyWrite), key.Matches(msg, keyNext):
		m.busy = true
		return tea.Batch(m.runWork(m.step), m.tick())
	case key.Matches(msg, keyReveal):
		m.reveal = !m.reveal
	case key.Matches(msg, keyBack):
		return m.goBack()
	case msg.String() == "tab":
		m.prev.next(1)
	case msg.String() == "shift+tab":
		m.prev.next(-1)
	default:
		var cmd tea.Cmd
		m.prev.vp, cmd = m.prev.vp.Update(msg)
		return cmd
	}
	return nil
}

// View implements tea.Model.
func (m *model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "om-auth0"
	return v
}

func (m *model) render() string {
	rule := m.st.Rule.Render(strings.Repeat("─", m.innerWidth()))
	body := wrapLines(strings.TrimRight(m.body(), "\n"), m.innerWidth())
	bh := m.bodyHeight()
	if len(body) > bh {
		body = body[:bh]
	}
	for len(body) < bh {
		body = append(body, "")
	}
	lines := append([]string{m.titleLine(), m.checklist(), rule}, body...)
	lines = append(lines, rule, m.footer())
	for i, l := range lines {
		lines[i] = " " + strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func (m *model) titleLine() string {
	left := m.st.App.Render(appTitle)
	right := ""
	if label := m.f.TenantLabel(); label != "" {
		right = m.st.Tenant.Render("tenant: " + label)
	}
	if m.f.opts.Sandbox {
		right = m.st.Sandbox.Render("SIMULATED") + " " + right
	}
	if lipgloss.Width(left)+1+lipgloss.Width(right) > m.innerWidth() {
		// Narrow: the tenant matters more than the tagline.
		left = m.st.App.Render("om-auth0")
	}
	gap := m.innerWidth() - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return truncate(left+" "+right, m.innerWidth())
	}
	return left + strings.Repeat(" ", gap) + right
}

const appTitle = "om-auth0 · Auth0 SSO for OpenMetadata"

// checklist is the sections with their state, in short names when the full
// ones do not fit (at 80 columns).
func (m *model) checklist() string {
	line := m.checklistOf(func(t guide.SectionText) string { return t.Name })
	if lipgloss.Width(line) > m.innerWidth() {
		line = truncate(m.checklistOf(func(t guide.SectionText) string { return t.Short }), m.innerWidth())
	}
	return line
}

func (m *model) checklistOf(name func(guide.SectionText) string) string {
	cur := m.step.Section()
	var names [guide.NumSections]string
	for i, t := range guide.Sections {
		names[i] = name(t)
	}
	parts := make([]string, guide.NumSections)
	for s := guide.Section(0); s < guide.NumSections; s++ {
		switch {
		case s < cur || cur == guide.SectionDone:
			parts[s] = m.st.Done.Render("✓ " + names[s])
		case s == cur:
			parts[s] = m.st.Current.Render("● " + names[s])
		default:
			parts[s] = m.st.Todo.Render("○ " + names[s])
		}
	}
	return strings.Join(parts, "  ")
}

func (m *model) heading() string {
	t := guide.Sections[m.step.Section()]
	h := m.st.Heading.Render(t.Title)
	if t.Desc != "" {
		h += "\n" + m.st.Subtle.Render(t.Desc)
	}
	return h
}

// intro is the text a step shows above its form or call.
func (m *model) intro(s guide.ID) string {
	f := m.f
	switch s {
	case guide.StepConnectCreds:
		return m.st.Label.Render("Tenant  ") + f.Cfg.Connect.Domain.Host
	case guide.StepServerForm:
		return m.st.Label.Render("OpenMetadata URL  ") + f.Cfg.Choices.OMURL
	case guide.StepIngestForm:
		return f.ingestIntro()
	case guide.StepConfirm, guide.StepApplyUI, guide.StepApplySA:
		// The question (or the spinner) must stay on screen: on a short
		// terminal the plan leaves fields out. Below it: a blank row, the
		// question (3 rows) and its message.
		fits := func(text string) bool { return m.rows(strings.TrimRight(text, "\n")) <= m.contentHeight()-5 }
		plan := strings.TrimRight(present.PlanWithin(m.st, f.TenantLabel(), f.Plan(), fits), "\n")
		return plan
	case guide.StepApplyConfirm:
		fits := func(text string) bool { return m.rows(strings.TrimRight(text, "\n")) <= m.contentHeight()-5 }
		return strings.TrimRight(f.applyPlanText(m.st, fits), "\n")
	}
	return ""
}

func (m *model) body() string {
	var b strings.Builder
	b.WriteString(m.heading() + "\n\n")
	if m.err != nil {
		b.WriteString(m.st.Subtle.Render("While: "+strings.TrimSuffix(m.f.Label(m.errStep), "…")) + "\n\n")
		b.WriteString(errorText(m.st, m.err))
		return b.String()
	}
	if intro := m.intro(m.step); intro != "" {
		b.WriteString(intro + "\n\n")
	}
	switch m.step.Kind() {
	case guide.KindForm, guide.KindConfirm:
		b.WriteString(trimBlankLines(m.form.View()) + "\n")
		if m.step == guide.StepScopes {
			fmt.Fprintf(&b, "%s\n", m.st.Subtle.Render(fmt.Sprintf("%d scopes · %d selected", len(m.f.Scopes), len(m.f.d.scopes))))
		}
		if m.liveErr != "" {
			b.WriteString(m.st.Fail.Render("✗ "+m.liveErr) + "\n")
		}
	case guide.KindWork, guide.KindLoad:
		if m.step.Writes() {
			what := "Auth0 is"
			if m.step.Section() == guide.SectionApply {
				what = "OpenMetadata's SSO settings are"
			}
			b.WriteString(m.st.Subtle.Render(what+" being changed; ctrl+c stops, and what is done stays done.") + "\n")
		}
		b.WriteString(m.spin.View() + m.f.Label(m.step) + "\n")
	case guide.KindPick:
		b.WriteString("Use an existing application\n")
		b.WriteString(m.picker.view(m.st, m.innerWidth()) + "\n")
	case guide.KindFiles:
		if m.step == guide.StepIngestFiles {
			b.WriteString(m.f.ingestIntro() + "\n")
		}
		b.WriteString(m.prev.view(m.st))
		return b.String()
	case guide.KindInfo:
		if m.checks != nil {
			b.WriteString(m.checks.view())
			break
		}
		b.WriteString(m.info())
	}
	if m.status != "" {
		b.WriteString("\n" + m.st.Subtle.Render(m.status) + "\n")
	}
	return b.String()
}

// trimBlankLines drops the blank lines a form pads its view with.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

func (m *model) info() string {
	m.f.width = m.innerWidth()
	return m.f.infoText(m.st, m.step, m.reveal, true)
}

// footer names the keys that work right now.
func (m *model) footer() string {
	var keys []key.Binding
	switch {
	case m.busy:
	case m.err != nil:
		retry := keyRetry
		if ms := (*guide.MissingScopesError)(nil); errors.As(m.err, &ms) {
			retry = key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-check"))
		}
		keys = []key.Binding{retry, keyBackB, keyQuitQ}
	case m.step.Kind() == guide.KindForm || m.step.Kind() == guide.KindConfirm:
		for _, b := range m.form.KeyBinds() {
			// ctrl+a works but is not offered: it selects every Management
			// API scope, the opposite of what the scope step advises.
			if b.Enabled() && b.Help().Key != "" && b.Help().Key != "ctrl+a" {
				if b.Help().Desc == "back" {
					b.SetHelp(b.Help().Key, "previous field")
				}
				keys = append(keys, b)
			}
		}
		if _, ok := m.f.secrets[m.form.GetFocusedField().GetKey()]; ok {
			keys = append(keys, keySecret)
		}
		escTaken := fieldTakes(m.form.GetFocusedField(), tea.KeyPressMsg{Code: tea.KeyEscape})
		if m.step.Kind() == guide.KindConfirm {
			keys = append(keys, key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")))
		} else if _, ok := m.f.Back(m.step); ok && !escTaken {
			keys = append(keys, keyBack)
		}
	case m.step.Kind() == guide.KindPick:
		keys = append(keys, m.picker.keys.Up, m.picker.keys.PageDown, m.picker.keys.Choose,
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter / back")))
	case m.step.Kind() == guide.KindFiles:
		if m.f.Written[m.step] != nil {
			keys = append(keys, keyNext)
		} else {
			keys = append(keys, key.NewBinding(key.WithKeys("w", "enter"), key.WithHelp("w/enter", "write")))
		}
		if len(m.prev.tabs) > 1 {
			keys = append(keys, keyTab)
		}
		if m.prev.canScroll() {
			keys = append(keys, keyScroll)
		}
		if m.prev.secret {
			keys = append(keys, revealKey(m.reveal, ""))
		}
		keys = append(keys, keyBack)
	case m.step == guide.StepDone:
		keys = append(keys, keyFinish)
		if m.f.CanCheck() {
			keys = append(keys, keyCheck)
		}
	case m.step == guide.StepChecked:
		keys = append(keys, keyFinish, keyRecheck)
		if m.checks != nil && m.checks.canScroll() {
			keys = append(keys, keyScroll)
		}
	case m.step == guide.StepVerified && m.f.VerifyErr() != nil:
		keys = append(keys, keyRecheck, keyGoOn, keyQuitQ)
	default:
		keys = append(keys, keyNext)
		if m.step == guide.StepReady && m.f.hasSecretShown() {
			keys = append(keys, revealKey(m.reveal, " secret"))
		}
		if _, ok := m.f.Back(m.step); ok {
			keys = append(keys, keyBack)
		}
	}
	return m.fitKeys(keys)
}

// revealKey is r as it works now: it reveals what is masked, or hides it again.
func revealKey(revealed bool, what string) key.Binding {
	if revealed {
		return key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "hide"+what))
	}
	return key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reveal"+what))
}

// shortHelp is the shorter wording fitKeys falls back to on a narrow screen.
var shortHelp = map[string]string{"previous section": "back", "next target": "target", "reveal secret": "reveal", "hide secret": "hide"}

// dropFirst is the keys fitKeys leaves out first when the line is still too
// long, least needed first. Enter, esc and ctrl+c always stay.
var dropFirst = []string{"/", "shift+tab", "pgup/pgdn", "←/→", "ctrl+r", "r", "↑↓", "tab", "space"}

// fitKeys renders the keys on one line: in short words when the long ones
// do not fit, then without the keys that matter least.
func (m *model) fitKeys(keys []key.Binding) string {
	keys = append(mergeArrows(keys), keyQuit)
	render := func(ks []key.Binding) string {
		parts := make([]string, len(ks))
		for i, k := range ks {
			parts[i] = m.st.Key.Render(k.Help().Key) + " " + m.st.KeyDesc.Render(k.Help().Desc)
		}
		return strings.Join(parts, m.st.KeyDesc.Render(" · "))
	}
	fits := func() bool { return lipgloss.Width(render(keys)) <= m.innerWidth() }
	if !fits() {
		for i, k := range keys {
			if short, ok := shortHelp[k.Help().Desc]; ok {
				keys[i].SetHelp(k.Help().Key, short)
			}
		}
	}
	for _, drop := range dropFirst {
		if fits() {
			break
		}
		keys = slices.DeleteFunc(keys, func(k key.Binding) bool { return k.Help().Key == drop })
	}
	return truncate(render(keys), m.innerWidth())
}

// mergeArrows shows huh's "↑ up" and "↓ down" as one "↑↓ move".
func mergeArrows(keys []key.Binding) []key.Binding {
	var out []key.Binding
	for _, k := range keys {
		switch k.Help().Key {
		case "↑":
			k = key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑↓", "move"))
		case "↓":
			continue
		case "x":
			k = key.NewBinding(key.WithKeys("space", "x"), key.WithHelp("space", "toggle"))
		}
		out = append(out, k)
	}
	return out
}
