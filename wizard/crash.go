package wizard

import (
	tea "charm.land/bubbletea/v2"

	"github.com/om-auth0/om-auth0/crash"
)

// guarded is the wizard's model as bubbletea runs it. A panic in Init,
// Update, View or in a command they return (an Auth0 call) quits the program
// the normal way, which restores the terminal, and is kept for runTUI to
// return as a *crash.Error. Bubbletea's own recovery would restore the
// terminal too, but print the stack trace on it.
type guarded struct {
	m     tea.Model
	crash *crash.Error // the first panic
	// quit is the program's Quit: a panic in View has no command to quit with.
	quit func()
}

// crashMsg carries a command's panic to Update.
type crashMsg struct{ err *crash.Error }

// Init implements tea.Model.
func (g *guarded) Init() (cmd tea.Cmd) {
	defer g.recover(&cmd)
	return wrap(g.m.Init())
}

// Update implements tea.Model.
func (g *guarded) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	return g, g.update(msg)
}

func (g *guarded) update(msg tea.Msg) (cmd tea.Cmd) {
	defer g.recover(&cmd)
	if c, ok := msg.(crashMsg); ok {
		g.keep(c.err)
	}
	if g.crash != nil {
		return tea.Quit
	}
	g.m, cmd = g.m.Update(msg)
	return wrap(cmd)
}

// View implements tea.Model.
func (g *guarded) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			g.keep(crash.Recovered(r))
			v = tea.NewView("")
			if g.quit != nil {
				go g.quit() // Quit waits for the event loop, which is running View
			}
		}
	}()
	if g.crash != nil {
		return tea.NewView("")
	}
	return g.m.View()
}

// recover, deferred, turns a panic into quitting.
func (g *guarded) recover(cmd *tea.Cmd) {
	if r := recover(); r != nil {
		g.keep(crash.Recovered(r))
		*cmd = tea.Quit
	}
}

func (g *guarded) keep(e *crash.Error) {
	if g.crash == nil {
		g.crash = e
	}
}

// wrap makes cmd, and the commands of a batch it returns, return a crashMsg
// instead of panicking.
func wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = crashMsg{crash.Recovered(r)}
			}
		}()
		msg = cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for i := range batch {
				batch[i] = wrap(batch[i])
			}
		}
		return msg
	}
}
