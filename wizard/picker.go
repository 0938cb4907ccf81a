package wizard

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/om-auth0/om-auth0/steps"
)

// appIndex is the tenant's applications prepared for filtering: a tenant
// may have thousands, so each keystroke is one pass of strings.Contains
// over precomputed lowercase keys, and only the visible rows are drawn.
type appIndex struct {
	apps []steps.AppSummary
	keys []string
}

func newAppIndex(apps []steps.AppSummary) *appIndex {
	x := &appIndex{apps: apps, keys: make([]string, len(apps))}
	for i, a := range apps {
		x.keys[i] = strings.ToLower(a.Name + "\x00" + a.ClientID + "\x00" + a.AppType + "\x00" + appTypeName(a.AppType) + "\x00" + shortAppType(a.AppType))
	}
	return x
}

// match appends to dst the indices of the applications whose name, client
// id or type contains query (case-insensitive); all of them for "".
func (x *appIndex) match(query string, dst []int) []int {
	q := strings.ToLower(strings.TrimSpace(query))
	for i, k := range x.keys {
		if q == "" || strings.Contains(k, q) {
			dst = append(dst, i)
		}
	}
	return dst
}

// appRow is one application as the picker shows it in width cells. The
// client id stays whole, as it tells same-named applications apart; on a
// narrow screen the type is abbreviated and the name gives way.
func appRow(a steps.AppSummary, width int) string {
	const idW = 32 // Auth0's client ids
	typ, typW := appTypeName(a.AppType), 24
	nameW := min(width-typW-idW-2, 34)
	if nameW < 24 {
		typ, typW = shortAppType(a.AppType), 11
		nameW = min(width-typW-idW-2, 34)
	}
	nameW = max(nameW, 8)
	return fmt.Sprintf("%-*s %-*s %s", nameW, truncate(a.Name, nameW), typW, truncate(typ, typW), a.ClientID)
}

// shortAppType is appTypeName in at most 11 cells.
func shortAppType(t string) string {
	switch t {
	case "spa":
		return "SPA"
	case "regular_web":
		return "Regular Web"
	case "non_interactive":
		return "M2M"
	}
	return appTypeName(t)
}

// pickApp records the operator's pick: an application's client id, or ""
// for creating a new one instead.
func (f *flow) pickApp(clientID string) {
	if clientID == "" {
		f.d.appChoice = appCreate
		f.Cfg.Choices.AppID = ""
		f.PickApp = false
		return
	}
	f.Cfg.Choices.AppID = clientID
	for _, a := range f.Apps {
		if a.ClientID == clientID {
			f.Cfg.Choices.AppName = a.Name
		}
	}
}

// appPicker is the TUI's filterable application list. Row 0 is "create a
// new application"; row i > 0 is matches[i-1].
type appPicker struct {
	index   *appIndex
	filter  textinput.Model
	matches []int
	cursor  int
	offset  int
	height  int
	keys    pickerKeys
}

type pickerKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom, Choose key.Binding
}

func newPickerKeys() pickerKeys {
	return pickerKeys{
		Up:       key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "ctrl+n")),
		PageUp:   key.NewBinding(key.WithKeys("pgup")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgup/pgdn", "page")),
		Top:      key.NewBinding(key.WithKeys("home")),
		Bottom:   key.NewBinding(key.WithKeys("end")),
		Choose:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
	}
}

// newAppPicker lists index with the cursor on selectedID when it is there.
func newAppPicker(index *appIndex, selectedID string, height int) *appPicker {
	ti := textinput.New()
	ti.Prompt = "/ "
	ti.Placeholder = "type to filter by name, type or client id"
	ti.SetWidth(60)
	ti.Focus()
	p := &appPicker{index: index, filter: ti, height: max(height, 3), keys: newPickerKeys()}
	p.refilter()
	for i, m := range p.matches {
		if index.apps[m].ClientID == selectedID && selectedID != "" {
			p.cursor = i + 1
		}
	}
	p.scroll()
	return p
}

// refilter applies the filter; the cursor goes to the best match, the first.
func (p *appPicker) refilter() {
	p.matches = p.index.match(p.filter.Value(), p.matches[:0])
	p.cursor, p.offset = 0, 0
	if p.filter.Value() != "" && len(p.matches) > 0 {
		p.cursor = 1
	}
}

func (p *appPicker) rows() int { return len(p.matches) + 1 }

func (p *appPicker) scroll() {
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+p.height {
		p.offset = p.cursor - p.height + 1
	}
}

// update handles a key; chosen is set when the operator picked a row, and
// id is then the application's client id ("" for a new application).
func (p *appPicker) update(msg tea.KeyPressMsg) (chosen bool, id string, cmd tea.Cmd) {
	switch {
	case key.Matches(msg, p.keys.Choose):
		if p.cursor == 0 {
			return true, "", nil
		}
		return true, p.index.apps[p.matches[p.cursor-1]].ClientID, nil
	case key.Matches(msg, p.keys.Up):
		p.cursor = max(p.cursor-1, 0)
	case key.Matches(msg, p.keys.Down):
		p.cursor = min(p.cursor+1, p.rows()-1)
	case key.Matches(msg, p.keys.PageUp):
		p.cursor = max(p.cursor-p.height, 0)
	case key.Matches(msg, p.keys.PageDown):
		p.cursor = min(p.cursor+p.height, p.rows()-1)
	case key.Matches(msg, p.keys.Top):
		p.cursor = 0
	case key.Matches(msg, p.keys.Bottom):
		p.cursor = p.rows() - 1
	default:
		before := p.filter.Value()
		p.filter, cmd = p.filter.Update(msg)
		if p.filter.Value() != before {
			p.refilter()
		}
		return false, "", cmd
	}
	p.scroll()
	return false, "", nil
}

// clearFilter empties the filter; it reports whether there was one.
func (p *appPicker) clearFilter() bool {
	if p.filter.Value() == "" {
		return false
	}
	p.filter.SetValue("")
	p.refilter()
	return true
}

func (p *appPicker) view(st *Styles, width int) string {
	var b strings.Builder
	b.WriteString(p.filter.View() + "\n")
	end := min(p.offset+p.height, p.rows())
	for i := p.offset; i < end; i++ {
		line := "+ Create a new application instead"
		if i > 0 {
			line = appRow(p.index.apps[p.matches[i-1]], width-3)
		}
		line = truncate(line, width-3)
		if i == p.cursor {
			b.WriteString(st.Cursor.Render("▸ "+line) + "\n")
		} else {
			b.WriteString("  " + line + "\n")
		}
	}
	for i := end - p.offset; i < p.height; i++ {
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%s", st.Subtle.Render(fmt.Sprintf("%d of %s", len(p.matches), plural(len(p.index.apps), "application"))))
	return b.String()
}
