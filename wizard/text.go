package wizard

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
)

// The texts below are shared by the TUI (inside its frame) and the
// accessible driver (printed line by line with plain styles).

const mask = "●●●●●●●●●●●●●●●●"

// maskSecrets replaces every known secret in s unless reveal is set.
func maskSecrets(s string, secrets []string, reveal bool) string {
	if reveal {
		return s
	}
	for _, v := range secrets {
		if len(v) >= 4 {
			s = strings.ReplaceAll(s, v, mask)
		}
	}
	return s
}

// versionHelp is the one line that says what changes with version vs.
func versionHelp(vs string) string {
	v, err := openmetadata.ParseVersion(vs)
	if err != nil {
		return "≤ 1.0: ingestion signs in with Auth0 client credentials; 1.1+: with the ingestion-bot JWT"
	}
	switch {
	case v.Band() == openmetadata.BandLegacy:
		return "≤ 1.0: ingestion signs in with Auth0 client credentials, so it needs the service account"
	case v.Band() == openmetadata.BandJWT:
		return "1.1–1.4: ingestion signs in with the ingestion-bot JWT; public client only"
	case v.SettingsInDatabase():
		return "1.10+: ingestion uses the ingestion-bot JWT; public or confidential; SSO settings in the DB"
	}
	return "1.5–1.9: ingestion signs in with the ingestion-bot JWT; public or confidential client"
}

// detectNote says where the version default came from.
func (f *flow) detectNote() string {
	switch {
	case f.Detected != nil:
		return "detected " + f.Detected.String() + " from /api/v1/system/version"
	case f.DetectErr != nil:
		return "could not read /api/v1/system/version (" + present.ProbeProblem(f.DetectErr) + "): give the version"
	}
	return ""
}

// serviceAccountHelp explains the default service account mode for v.
func serviceAccountHelp(v openmetadata.Version) string {
	if v.Band() == openmetadata.BandLegacy {
		return "OpenMetadata ≤ 1.0 ingestion signs in with this account's client credentials: create it."
	}
	return "OpenMetadata 1.1+ doesn't need one: ingestion uses the ingestion-bot JWT. Create it only if you want it."
}

const scopesWhy = "An ingestion bot needs few or no Management API scopes; each one is power over your tenant."

// appTypeName is Auth0's application type as the dashboard names it.
func appTypeName(t string) string {
	switch t {
	case "spa":
		return "Single Page Application"
	case "regular_web":
		return "Regular Web Application"
	case "non_interactive":
		return "Machine to Machine"
	case "native":
		return "Native"
	}
	return t
}

// infoText is what info step s shows, in both drivers; revealKey names the
// key that reveals masked secrets (the TUI's r).
func (f *flow) infoText(st *Styles, s guide.ID, reveal, revealKey bool) string {
	switch s {
	case guide.StepConnected:
		return f.connectedText(st)
	case guide.StepReady:
		return f.readyText(st, reveal, revealKey)
	case guide.StepVerified:
		return present.Verification(st, f.Verification)
	case guide.StepDone:
		return f.doneText(st)
	case guide.StepChecked:
		return f.checkedText(st)
	case guide.StepApplied:
		return f.appliedText(st)
	}
	return ""
}

// readyText is the credentials of the applications the run applied: the
// UI application (its secret only when OpenMetadata uses one: a public SPA
// keeps none) and the service account's, secrets masked unless revealed;
// revealKey names the key that reveals them.
func (f *flow) readyText(st *Styles, reveal, revealKey bool) string {
	var b strings.Builder
	domain := f.Cfg.Connect.Domain.Host
	if f.UI != nil {
		b.WriteString(appText(st, "Application", f.UI, f.UIPlan.AsPlan(), f.uiSecretShown(), reveal, revealKey))
	}
	if f.SA != nil && f.SA.App != nil && f.SA.Mode == steps.Separate {
		b.WriteString(appText(st, "Service account", f.SA.App, f.SAPlan.AsPlan(), true, reveal, revealKey))
		if f.SA.App.ClientSecret != "" && f.Cfg.Choices.Version.Band() != openmetadata.BandLegacy {
			b.WriteString("  " + st.Subtle.Render("OpenMetadata does not use it (ingestion signs in with the ingestion-bot's JWT); Ingestion writes its credentials to "+
				render.ServiceAccountPath+" (mode 0600) for your own scripts.") + "\n")
		}
	}
	if f.SA != nil && f.SA.Mode == steps.Same {
		b.WriteString("  " + st.Subtle.Render("It is also the service account (client credentials).") + "\n")
	}
	if g := f.SA; g != nil && g.Grant != nil {
		scopes := "no scopes"
		if len(g.Grant.Scopes) > 0 {
			scopes = "scopes " + strings.Join(g.Grant.Scopes, ", ")
		}
		fmt.Fprintf(&b, "%s Management API grant %s (%s)\n", st.CheckMark(), present.Outcome(f.SAPlan.AsPlan(), steps.ClientGrant, g.Grant.Audience, g.Grant.Created), scopes)
	}
	fmt.Fprintf(&b, "  %s %s\n", st.Label.Render("Domain        "), domain)
	if !present.Writes(f.Plan()) {
		b.WriteString("\n" + st.Subtle.Render("Nothing to change: the applications are already set up.") + "\n")
	}
	return b.String()
}

// uiSecretShown says whether OpenMetadata uses the UI application's secret:
// a confidential client's, or the guide's "same" service account's.
func (f *flow) uiSecretShown() bool {
	return f.Cfg.Choices.ClientType == openmetadata.Confidential || (f.SA != nil && f.SA.Mode == steps.Same)
}

// hasSecretShown says whether the Ready screen masks a secret that r reveals.
func (f *flow) hasSecretShown() bool {
	if f.UI != nil && f.UI.ClientSecret != "" && f.uiSecretShown() {
		return true
	}
	return f.SA != nil && f.SA.Mode == steps.Separate && f.SA.App != nil && f.SA.App.ClientSecret != ""
}

// appText is one application's credentials, with what the run did to it.
func appText(st *Styles, what string, app *steps.App, p *steps.Plan, withSecret, reveal, revealKey bool) string {
	word, _, _ := strings.Cut(present.Outcome(p, steps.Application, app.Name, app.Created), " (")
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s ready (%s)\n", st.CheckMark(), what, word)
	fmt.Fprintf(&b, "  %s %s (%s)\n", st.Label.Render("Name          "), app.Name, appTypeName(app.AppType))
	fmt.Fprintf(&b, "  %s %s\n", st.Label.Render("Client ID     "), app.ClientID)
	if !withSecret {
		return b.String()
	}
	secret := app.ClientSecret
	switch {
	case secret == "" && app.SecretUnavailable != "":
		secret = st.Warn.Render("(unavailable: " + app.SecretUnavailable + ")")
	case secret == "":
		secret = st.Subtle.Render("(none)")
	case !reveal && revealKey:
		secret = mask + "   " + st.Subtle.Render("r reveal")
	case !reveal:
		secret = mask
	}
	fmt.Fprintf(&b, "  %s %s\n", st.Label.Render("Client Secret "), secret)
	return b.String()
}

// errorText explains a failure: what it means and what to do.
func errorText(st *Styles, err error) string {
	var b strings.Builder
	var ms *guide.MissingScopesError
	if errors.As(err, &ms) {
		b.WriteString(present.MissingScopes(st, ms.Missing))
		b.WriteString("  " + st.Value.Render("What to do: ") + ms.Hint + "\n")
		b.WriteString("  " + st.Subtle.Render("r re-checks them (om-auth0 connects again) once they are granted.") + "\n")
		return b.String()
	}
	var se *steps.Error
	if errors.As(err, &se) {
		op := se.Op
		if op == "" {
			op = "Auth0 call"
		}
		b.WriteString(st.Fail.Render("✗ "+op+" failed") + "\n")
		meaning := se.Meaning
		if meaning == "" && se.Err != nil {
			meaning = se.Err.Error()
		}
		if meaning != "" {
			b.WriteString("  " + meaning + "\n")
		}
		if se.Hint != "" {
			b.WriteString("  " + st.Value.Render("What to do: ") + se.Hint + "\n")
		}
		if d := se.Detail(); d != "" {
			b.WriteString("  " + st.Subtle.Render("Auth0 said: "+d) + "\n")
		}
	} else {
		b.WriteString(st.Fail.Render("✗ "+err.Error()) + "\n")
	}
	return b.String()
}

// connectedText is the Connect section's summary.
func (f *flow) connectedText(st *Styles) string {
	var b strings.Builder
	b.WriteString(st.OK.Render("✓") + " Connected to tenant " + st.Value.Render(f.TenantLabel()) + "\n")
	if f.Cfg.Connect.APIToken != "" {
		b.WriteString("  with a Management API token\n")
	} else {
		b.WriteString("  as Management application " + f.Cfg.Connect.ClientID + "\n")
	}
	fmt.Fprintf(&b, "  %d Management API scopes granted\n\n", len(f.Runner.GrantedScopes()))
	b.WriteString(present.MissingScopes(st, nil)) // shown once the preflight passed
	if f.opts.Sandbox {
		b.WriteString("\n" + st.Sandbox.Render("This is the simulated tenant: nothing real is created in Auth0.") + "\n")
	}
	return b.String()
}

// doneText is the final summary.
func (f *flow) doneText(st *Styles) string { return f.summary().Text(st) }

// summary is what the run did, for the Done screen.
func (f *flow) summary() present.Summary {
	sum := f.State.Summary()
	sum.Sandbox = f.opts.Sandbox
	if sum.Sandbox {
		// The simulated tenant and OpenMetadata are gone when the run ends;
		// the Done screen's "c check it" checks them while they run.
		sum.CheckCommand = ""
	}
	sum.Width = f.width
	return sum
}

// nextStepsText is how to apply each target's files, then how to use the
// ingestion config (once, whatever the targets), printed when the wizard
// ends so the commands stay in the terminal's scrollback.
func (f *flow) nextStepsText(st *Styles) string {
	var next []present.NextStep
	if len(f.Written[guide.StepDeployFiles]) > 0 {
		deploy, err := f.tabs(guide.StepDeployFiles)
		if err != nil {
			return ""
		}
		for _, t := range deploy {
			next = append(next, present.NextStep{What: t.phrase, Text: t.apply})
		}
	}
	if len(f.Written[guide.StepIngestFiles]) > 0 {
		next = append(next, present.NextStep{What: "ingestion", Text: f.ingestApply()})
	}
	return present.NextSteps(st, f.width, next)
}

// stoppedText lists what a run that stopped early already created in Auth0
// and the files it already wrote.
func (f *flow) stoppedText() string {
	return present.Stopped(plainStyles(), f.Created(context.Background()), f.Cfg.Out, f.AllWritten())
}

// plural is "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// wrapLines wraps each line of s to width cells. A wrapped line continues
// under its value when it is a "label   value" row, else at its indentation.
func wrapLines(s string, width int) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		ind := hangingIndent(ansi.Strip(line))
		if ind > width/2 {
			ind = 0
		}
		head, rest := ansi.Cut(line, 0, ind), ansi.Cut(line, ind, ansi.StringWidth(line))
		// A word wider than the room after a row's label (a revealed secret,
		// a long path) goes whole onto the next rows, under the label, rather
		// than be broken in two: a copy of it must work.
		if lead, long := leadingSpaces(line), longestWord(rest); ind > lead && long > width-ind && long <= width-lead-2 {
			out = append(out, strings.TrimRight(head, " "))
			ind = lead + 2
			head = strings.Repeat(" ", ind)
			rest = strings.TrimLeft(rest, " ")
		}
		for i, w := range wordWrap(rest, width-ind) {
			if i > 0 {
				head = strings.Repeat(" ", ind)
				w = strings.TrimLeft(w, " ")
			}
			out = append(out, head+w)
		}
	}
	return out
}

// leadingSpaces is the cells of the spaces s starts with.
func leadingSpaces(s string) int {
	plain := ansi.Strip(s)
	return len(plain) - len(strings.TrimLeft(plain, " "))
}

// longestWord is the cells of the widest space-separated word of s.
func longestWord(s string) int {
	longest := 0
	for _, word := range strings.Split(ansi.Strip(s), " ") {
		longest = max(longest, ansi.StringWidth(word))
	}
	return longest
}

// wordWrap breaks s at spaces only (a command's "--values" stays whole),
// and a word longer than a line where it must.
func wordWrap(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.Split(s, " ") {
		w := ansi.StringWidth(word)
		if curW > 0 && curW+1+w > width {
			flush()
		} else if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		if w > width-curW {
			parts := strings.Split(ansi.Hardwrap(word, width, false), "\n")
			for _, part := range parts[:len(parts)-1] {
				cur.WriteString(part)
				flush()
			}
			word, w = parts[len(parts)-1], ansi.StringWidth(parts[len(parts)-1])
		}
		cur.WriteString(word)
		curW += w
	}
	flush()
	return lines
}

// hangingIndent is where a line's text continues: after the gap of two or
// more spaces that ends a row's label, else after its leading spaces and
// the mark a list item starts with ("✓ ", "+ ").
func hangingIndent(plain string) int {
	lead := len(plain) - len(strings.TrimLeft(plain, " "))
	rest := plain[lead:]
	if gap := strings.Index(rest, "  "); gap > 0 {
		col := lead + gap
		for col < len(plain) && plain[col] == ' ' {
			col++
		}
		return ansi.StringWidth(plain[:col])
	}
	for _, mark := range listMarks {
		if strings.HasPrefix(rest, mark+" ") {
			return lead + ansi.StringWidth(mark) + 1
		}
	}
	return lead
}

// listMarks start the items of the wizard's lists: checks, plan changes, bullets.
var listMarks = []string{"✓", "✗", "!", "+", "~", "=", "•"}

// truncate cuts s to width cells, with an ellipsis.
func truncate(s string, width int) string { return ansi.Truncate(s, width, "…") }
