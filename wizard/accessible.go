package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/setup"

	"github.com/om-auth0/om-auth0/present"
)

// accessible is the line-by-line driver for screen readers and dumb
// terminals: the same steps, forms and Runner calls as the TUI, each form run
// with form.Run in huh's accessible mode, every text printed as plain lines.
type accessible struct {
	f   *flow
	ctx context.Context
	w   io.Writer
	in  *inputReader
	r   io.Reader // in, with the terminal's Fd when stdin has one (password prompts need it)
	st  *Styles
}

// inputReader notices the end of input, which ends the wizard: huh's
// accessible prompts would otherwise take every default forever.
type inputReader struct {
	io.Reader
	eof atomic.Bool
}

func (r *inputReader) Read(p []byte) (int, error) {
	n, err := r.Reader.Read(p)
	if errors.Is(err, io.EOF) {
		r.eof.Store(true)
	}
	return n, err
}

type fdReader struct {
	*inputReader
	fd uintptr
}

func (r fdReader) Fd() uintptr { return r.fd }

func runAccessible(ctx context.Context, f *flow) (*setup.Result, error) {
	in := &inputReader{Reader: f.opts.IO.In}
	a := &accessible{f: f, ctx: ctx, w: f.opts.IO.ErrOut, in: in, r: in, st: plainStyles()}
	if fd, ok := f.opts.IO.In.(interface{ Fd() uintptr }); ok {
		a.r = fdReader{in, fd.Fd()}
	}
	res, err := a.run()
	if errors.Is(err, ErrAborted) {
		a.println(f.stoppedText())
	}
	return res, err
}

func (a *accessible) println(s string) { fmt.Fprintln(a.w, strings.TrimRight(s, "\n")) }

func (a *accessible) run() (*setup.Result, error) {
	f := a.f
	a.println(appTitle)
	if f.opts.Sandbox {
		a.println("Simulated tenant: nothing real is created in Auth0.")
	}
	shown := guide.Section(-1)
	for s := f.First(); ; {
		if sec := s.Section(); sec != shown {
			shown = sec
			t := guide.Sections[sec]
			a.println("\n== " + t.Title + " ==")
			if t.Desc != "" {
				a.println(t.Desc)
			}
		}
		next, err := a.step(s)
		if err != nil {
			return nil, err
		}
		if s == guide.StepDone {
			if err := a.offerCheck(); err != nil {
				return nil, err
			}
			return f.result(), f.VerifyErr()
		}
		s = next
	}
}

// step runs step s and returns the step to go to.
func (a *accessible) step(s guide.ID) (guide.ID, error) {
	f := a.f
	switch s.Kind() {
	case guide.KindForm:
		if err := a.ask(f.form(s, 0)); err != nil {
			return s, err
		}
		if err := f.submit(s); err != nil {
			a.println("✗ " + err.Error())
			if s == guide.StepApplyCreds {
				// Asked again at once, a password prompt without a
				// terminal would fail again, reading nothing: the choice
				// of credential comes first.
				return f.Retreat(s), nil
			}
			return s, nil
		}
	case guide.KindConfirm:
		if s == guide.StepApplyConfirm {
			a.println(f.applyPlanText(a.st, nil))
		} else {
			// Printed lines cannot be redrawn when the tenant's name
			// arrives: the plan, long after connecting, takes it now.
			f.WaitTenantName()
			a.println(present.Plan(a.st, f.TenantLabel(), f.Plan()))
		}
		if err := a.ask(f.form(s, 0)); err != nil {
			return s, err
		}
		if !f.d.confirmed {
			to, err := f.declined(s)
			if err != nil {
				return a.failed(to, err)
			}
			return to, nil
		}
	case guide.KindWork, guide.KindLoad:
		a.println(f.Label(s))
		res, err := f.Call(s)(a.ctx)
		if a.ctx.Err() != nil {
			return s, ErrAborted
		}
		if err != nil {
			return a.failed(s, err)
		}
		res.Apply(f.State)
		f.applied(res)
		if s == guide.StepDetect && f.detectNote() != "" {
			a.println(f.detectNote())
		}
	case guide.KindInfo:
		if s == guide.StepConnected {
			if err := f.Preflight(); err != nil {
				return a.failed(s, err)
			}
		}
		a.println(f.infoText(a.st, s, f.opts.RevealSecrets, false))
		if s == guide.StepVerified && f.VerifyErr() != nil {
			return a.verifyFailed(s)
		}
	case guide.KindPick:
		if err := a.pick(); err != nil {
			return s, err
		}
	case guide.KindFiles:
		return a.files(s)
	}
	return f.Next(s), nil
}

// offerCheck asks whether to run doctor's checks of what the run did, when
// they are offered, and prints their results; then whether to run them
// again. The run is over: the end of input or Ctrl+C just ends the offer.
func (a *accessible) offerCheck() error {
	f := a.f
	if f.CanCheck() {
		a.println("\nom-auth0 can check " + f.CheckRequest().What() + " against each other now (read-only; the exit status stays as it is).")
	}
	for f.CanCheck() {
		want := false
		title := "Check it now?"
		if f.Checked != nil {
			title = "Run the checks again?"
		}
		err := a.ask(huh.NewForm(huh.NewGroup(huh.NewConfirm().Title(title).Value(&want))))
		if err == nil && want {
			for _, s := range []guide.ID{guide.StepCheck, guide.StepChecked} {
				if _, err = a.step(s); err != nil {
					break
				}
			}
		}
		switch {
		case errors.Is(err, ErrAborted):
			return nil
		case err != nil:
			return err
		case !want:
			return nil
		}
	}
	return nil
}

// ask runs a form line by line. Ctrl+C (the context) or the end of input
// stops the wizard.
func (a *accessible) ask(form *huh.Form) error {
	form.WithAccessible(true).WithInput(a.r).WithOutput(a.w).WithTheme(huh.ThemeFunc(plainTheme)).WithShowHelp(false)
	done := make(chan error, 1)
	go func() {
		// A panic here, off the caller's goroutine, would end the process past Main's recover.
		defer func() {
			if r := recover(); r != nil {
				done <- crash.Recovered(r)
			}
		}()
		done <- form.Run()
	}()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("prompt: %w", err)
		}
		if a.in.eof.Load() {
			return ErrAborted
		}
		return nil
	case <-a.ctx.Done():
		return ErrAborted
	}
}

// failed explains a failed step and asks what to do: retry, back or quit.
func (a *accessible) failed(s guide.ID, err error) (guide.ID, error) {
	a.println(errorText(a.st, err))
	choice := "retry"
	form := huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title("What now? [enter: retry]").Value(&choice).Options(
		huh.NewOption("Retry", "retry"), huh.NewOption("Back to the previous question", "back"), huh.NewOption("Quit", "quit"))))
	if aerr := a.ask(form); aerr != nil {
		return s, aerr
	}
	switch choice {
	case "back":
		return a.f.Retreat(s), nil
	case "quit":
		a.println(a.f.stoppedText())
		return s, err
	}
	return a.f.Retry(s, err), nil
}

// verifyFailed asks what to do after a failed check: re-run the checks,
// continue (the files are written; the run ends with exit status 1) or quit.
func (a *accessible) verifyFailed(s guide.ID) (guide.ID, error) {
	choice := "continue"
	form := huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title("What now? [enter: continue, the run ends with exit 1]").Value(&choice).Options(
		huh.NewOption("Continue: write the files; the run ends with exit status 1", "continue"),
		huh.NewOption("Re-run the checks", "retry"), huh.NewOption("Quit", "quit"))))
	if err := a.ask(form); err != nil {
		return s, err
	}
	switch choice {
	case "retry":
		return guide.StepVerify, nil
	case "quit":
		return s, a.f.VerifyErr()
	}
	return a.f.Next(s), nil
}

// pickLimit is how many matches the accessible list reads out at most.
const pickLimit = 30

// pick asks for a filter, then lists the matching applications to choose from.
func (a *accessible) pick() error {
	f := a.f
	for {
		var query string
		in := huh.NewInput().Value(&query).Title(fmt.Sprintf(
			"Filter the tenant's %d applications by name, type or client id (enter nothing to create a new application instead)", len(f.Apps)))
		if err := a.ask(huh.NewForm(huh.NewGroup(in))); err != nil {
			return err
		}
		if strings.TrimSpace(query) == "" {
			f.pickApp("")
			return nil
		}
		matches := f.appRows.match(query, nil)
		switch {
		case len(matches) == 0:
			a.println(fmt.Sprintf("No application matches %q.", query))
			continue
		case len(matches) > pickLimit:
			a.println(fmt.Sprintf("%d applications match %q: narrow the filter.", len(matches), query))
			continue
		}
		const again = "\x00again"
		opts := make([]huh.Option[string], 0, len(matches)+2)
		for _, i := range matches {
			app := f.Apps[i]
			opts = append(opts, huh.NewOption(fmt.Sprintf("%s, %s, client id %s", app.Name, appTypeName(app.AppType), app.ClientID), app.ClientID))
		}
		opts = append(opts, huh.NewOption("Filter again", again), huh.NewOption("Create a new application instead", ""))
		id := f.Apps[matches[0]].ClientID
		sel := huh.NewSelect[string]().Title("Application [enter: 1]").Options(opts...).Value(&id)
		if err := a.ask(huh.NewForm(huh.NewGroup(sel))); err != nil {
			return err
		}
		if id != again {
			f.pickApp(id)
			return nil
		}
	}
}

// files reads out step s's files, asks to write them, and says how to apply them.
func (a *accessible) files(s guide.ID) (guide.ID, error) {
	f := a.f
	tabs, err := f.tabs(s)
	if err != nil {
		return a.failed(s, err)
	}
	if s == guide.StepIngestFiles {
		a.println(f.ingestIntro())
	}
	n := 0
	for _, t := range tabs {
		for _, file := range t.files {
			a.println("\n--- " + fileHeading(file) + " ---")
			a.println(maskSecrets(string(file.Data), f.secretValues(), f.opts.RevealSecrets))
			n++
		}
	}
	write := true
	confirm := huh.NewConfirm().Title(fmt.Sprintf("Write %s to %s?", plural(n, "file"), f.Cfg.Out)).Value(&write)
	if err := a.ask(huh.NewForm(huh.NewGroup(confirm))); err != nil {
		return s, err
	}
	if !write {
		a.println("Not written.")
		return f.Next(s), nil
	}
	res, err := f.Call(s)(a.ctx)
	if err != nil {
		return a.failed(s, err)
	}
	res.Apply(f.State)
	a.println(writtenText(a.st, f.Cfg.Out, f.Written[s]))
	for _, t := range tabs {
		if t.apply != "" {
			a.println("\n" + t.name + ": " + t.apply)
		}
	}
	return f.Next(s), nil
}
