package present

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/steps"
)

// Summary is what a finished run did, as the wizard's Done screen and a
// script's report both show it.
type Summary struct {
	Tenant                string         // its domain
	Changes               []steps.Change // every change applied, in order
	SkippedServiceAccount bool
	Out                   string
	Files                 []output.FileResult
	AnswersPath           string   // the answers file that replays the run
	FailedChecks          []string // verification checks that failed
	CheckCommand          string   // the read-only command that checks OpenMetadata and Auth0 against each other (render.CommandLine)
	Sandbox               bool     // the tenant is the simulated one
	Width                 int      // the cells a line may use, to break commands at; 0 for no limit
}

// Text words the summary: whether the run succeeded, what it created,
// updated and kept, the files and what was done with each, and how to run
// it again.
func (s Summary) Text(st *Styles) string {
	var b strings.Builder
	// A report's first line: marked on screen; in ASCII it is a sentence,
	// as the words ok: and FAILED: belong to progress lines.
	mark := func(m string) string {
		if st.ASCII {
			return ""
		}
		return m + " "
	}
	if len(s.FailedChecks) > 0 {
		b.WriteString(mark(st.FailMark()) + "Auth0 SSO is configured, but verification failed: " + strings.Join(s.FailedChecks, "; ") + "\n")
		b.WriteString("  " + st.Subtle.Render("Tenant "+s.Tenant+"; the files are written. Fix what each check names and run again. The run ends with exit status 1.") + "\n")
	} else {
		b.WriteString(mark(st.CheckMark()) + "Auth0 SSO for OpenMetadata is set up on tenant " + s.Tenant + ".\n")
	}
	const pad = "            "
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s %s\n", st.Label.Render(fmt.Sprintf("%-9s", label)), value)
		}
	}
	var created, updated, kept []string
	for _, c := range s.Changes {
		what := fmt.Sprintf("%s %q", c.Resource, c.Name)
		if c.Resource == steps.ClientGrant {
			what = "Management API grant"
		}
		switch c.Action {
		case steps.Create:
			created = append(created, what)
		case steps.Update:
			updated = append(updated, what)
		default:
			kept = append(kept, what)
		}
	}
	list := func(items []string) string {
		if s := strings.Join(items, " · "); len(s) <= 84 {
			return s
		}
		return strings.Join(items, "\n"+pad)
	}
	row("Created", list(created))
	row("Updated", list(updated))
	row("Kept", list(kept))
	if s.SkippedServiceAccount {
		row("Skipped", "service account (ingestion uses the ingestion-bot JWT)")
	}
	row("Files", fmt.Sprintf("%s%c (%s; those with a secret: mode 0600)", strings.TrimSuffix(s.Out, "/"), filepath.Separator, output.Summary(s.Files)))
	for _, line := range output.Lines(s.Out, s.Files) {
		b.WriteString(pad + line + "\n")
	}
	if advice := output.KeptAdvice(s.Files); advice != "" {
		for _, l := range strings.Split(strings.TrimRight(advice, "\n"), "\n") {
			b.WriteString(pad + l + "\n")
		}
	}
	// A command's row holds the command alone, so that a copy of its lines runs it.
	command := func(label, line string) {
		width := 0
		if s.Width > 0 {
			width = max(s.Width-len(pad), 1)
		}
		for i, l := range Command(width, line) {
			if i == 0 {
				row(label, st.Code.Render(l))
			} else {
				b.WriteString(pad + st.Code.Render(l) + "\n")
			}
		}
	}
	switch {
	case s.Sandbox:
		// The simulated tenant is gone when the run ends: the answers would
		// point at a tenant that no longer answers.
		command("Again", Invocation("sandbox"))
	case s.AnswersPath != "":
		command("Again", Invocation("setup", "--answers", s.AnswersPath))
	}
	if s.CheckCommand != "" {
		command("Check", s.CheckCommand)
		b.WriteString(pad + st.Subtle.Render("(once OpenMetadata runs with these settings)") + "\n")
	}
	if s.Sandbox {
		b.WriteString("\n" + st.Sandbox.Render("Simulated tenant: nothing real was created in Auth0.") + "\n")
	}
	return b.String()
}
