package wizard

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/setup"
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
	case f.detected != nil:
		return "detected " + f.detected.String() + " from /api/v1/system/version"
	case f.detectErr != nil:
		return "could not read /api/v1/system/version: give the version"
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

// planText shows a plan field by field, as the confirmation screen and --dry-run do.
func planText(st *Styles, tenantHost string, p *steps.Plan) string {
	var b strings.Builder
	verb := "About to change tenant "
	if !p.Writes() {
		verb = "Nothing to change in tenant "
	}
	b.WriteString(verb + st.Value.Render(tenantHost) + "\n")
	// One column for the values of every change, two spaces after the
	// longest label (a row's wrapped value continues under it: hangingIndent).
	width := 0
	for _, c := range p.Changes {
		for _, fc := range c.Fields {
			width = max(width, len(fieldLabel(fc.Field)))
		}
	}
	for _, c := range p.Changes {
		what := fmt.Sprintf("%s %s %q", c.Action, c.Resource, c.Name)
		if c.Action == steps.Keep {
			what = fmt.Sprintf("keep %s %q as it is", c.Resource, c.Name)
		}
		fmt.Fprintf(&b, "  %s %s\n", c.Mark(), what)
		for _, fc := range c.Fields {
			val := fc.Value("→")
			if val == "" {
				val = "(none)"
			}
			fmt.Fprintf(&b, "      %s  %s\n", st.Label.Render(fmt.Sprintf("%-*s", width, fieldLabel(fc.Field))), val)
		}
		if c.Reason != "" {
			fmt.Fprintf(&b, "    %s\n", st.Subtle.Render("why: "+c.Reason))
		}
		if c.Consequence != "" {
			fmt.Fprintf(&b, "    %s\n", st.Warn.Render("! "+c.Consequence))
		}
	}
	if p.Writes() {
		b.WriteString("  Nothing else changes.\n")
	}
	return b.String()
}

// fieldLabel is an Auth0 field name as the plan shows it: "grant types".
func fieldLabel(field string) string { return strings.ReplaceAll(field, "_", " ") }

// appReadyText is the application's credentials, the secret masked unless
// revealed; revealKey adds the key that reveals it.
func appReadyText(st *Styles, app *steps.App, domain string, reveal, revealKey bool) string {
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
	kept := "created"
	if !app.Created {
		kept = "found"
	}
	return fmt.Sprintf("%s Application ready (%s)\n  %s %s\n  %s %s\n  %s %s\n  %s %s\n",
		st.OK.Render("✓"), kept,
		st.Label.Render("Name          "), fmt.Sprintf("%s (%s)", app.Name, appTypeName(app.AppType)),
		st.Label.Render("Client ID     "), app.ClientID,
		st.Label.Render("Client Secret "), secret,
		st.Label.Render("Domain        "), domain)
}

// appliedNote is the line under the UI application's plan when it changes nothing.
func appliedNote(p *steps.Plan) string {
	if p != nil && !p.Writes() {
		return "Nothing to change: the application is already set up."
	}
	return ""
}

// verificationText is the checklist of named checks.
func verificationText(st *Styles, v *steps.Verification) string {
	var b strings.Builder
	b.WriteString("Verify\n")
	if len(v.Checks) == 0 {
		b.WriteString("  " + st.Subtle.Render("nothing to verify") + "\n")
	}
	for _, c := range v.Checks {
		mark := st.OK.Render("✓")
		if !c.OK {
			mark = st.Fail.Render("✗")
		}
		line := "  " + mark + " " + c.Name
		if c.Detail != "" {
			line += st.Subtle.Render(" — " + c.Detail)
		}
		b.WriteString(line + "\n")
	}
	if !v.OK() {
		b.WriteString(st.Warn.Render("Some checks failed: sign-in or ingestion may not work until they pass.") + "\n")
	} else if len(v.Checks) > 0 {
		b.WriteString(st.OK.Render("All checks passed.") + "\n")
	}
	return b.String()
}

// errorText explains a failure: what it means and what to do.
func errorText(st *Styles, err error) string {
	var b strings.Builder
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

// missingScopesText names the scopes the credentials lack for the path
// chosen, and what each is needed for.
func missingScopesText(st *Styles, missing []string) string {
	if len(missing) == 0 {
		return st.OK.Render("✓") + " The credentials hold every Management API scope this setup needs.\n"
	}
	var b strings.Builder
	b.WriteString(st.Warn.Render("! The Management credentials lack scopes this setup needs:") + "\n")
	for _, s := range missing {
		b.WriteString("  " + st.Fail.Render("✗ "+s) + st.Subtle.Render(" — to "+steps.ScopeReason(s)) + "\n")
	}
	b.WriteString("  Add them in Auth0 > Applications > APIs > Auth0 Management API > Machine to Machine\n" +
		"  Applications; the step that needs one fails until then.\n")
	return b.String()
}

// connectedText is the Connect section's summary.
func (f *flow) connectedText(st *Styles) string {
	var b strings.Builder
	dom, _ := f.runner.Tenant()
	name := dom.Host
	if f.tenantName != "" {
		name += " (" + f.tenantName + ")"
	}
	b.WriteString(st.OK.Render("✓") + " Connected to tenant " + st.Value.Render(name) + "\n")
	if f.cfg.Connect.APIToken != "" {
		b.WriteString("  with a Management API token\n")
	} else {
		b.WriteString("  as Management application " + f.cfg.Connect.ClientID + "\n")
	}
	fmt.Fprintf(&b, "  %d Management API scopes granted\n\n", len(f.runner.GrantedScopes()))
	b.WriteString(missingScopesText(st, f.runner.MissingScopes(f.cfg.Choices)))
	if f.opts.Sandbox {
		b.WriteString("\n" + st.Sandbox.Render("This is the simulated tenant: nothing real is created in Auth0.") + "\n")
	}
	return b.String()
}

// doneText is the final summary.
func (f *flow) doneText(st *Styles) string {
	var b strings.Builder
	b.WriteString(st.OK.Render("✓") + " Auth0 SSO is ready for OpenMetadata\n")
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s %s\n", st.Label.Render(fmt.Sprintf("%-9s", label)), value)
		}
	}
	var created, updated, kept []string
	for _, c := range f.changes {
		s := fmt.Sprintf("%s %q", c.Resource, c.Name)
		if c.Resource == steps.ClientGrant {
			s = "Management API grant"
		}
		switch c.Action {
		case steps.Create:
			created = append(created, s)
		case steps.Update:
			updated = append(updated, s)
		default:
			kept = append(kept, s)
		}
	}
	list := func(items []string) string {
		if s := strings.Join(items, " · "); len(s) <= 84 {
			return s
		}
		return strings.Join(items, "\n            ")
	}
	row("Created", list(created))
	row("Updated", list(updated))
	row("Kept", list(kept))
	if f.sa != nil && f.sa.Mode == steps.Skip {
		row("Skipped", "service account (ingestion uses the ingestion-bot JWT)")
	}
	files := f.allWritten()
	out := f.cfg.Out
	row("Files", fmt.Sprintf("%s%c (%s; those with a secret: mode 0600)", strings.TrimSuffix(out, "/"), filepath.Separator, output.Summary(files)))
	for _, line := range output.Lines(out, files) {
		fmt.Fprintf(&b, "            %s\n", line)
	}
	if advice := output.KeptAdvice(files); advice != "" {
		b.WriteString(indent(advice, "            ") + "\n")
	}
	row("Again", st.Code.Render("om-auth0 setup --answers "+filepath.Join(out, setup.AnswersFile)))
	if f.opts.Sandbox {
		b.WriteString("\n" + st.Sandbox.Render("Simulated tenant: nothing real was created in Auth0.") + "\n")
	}
	return b.String()
}

// nextStepsText is how to apply each target's files, then how to use the
// ingestion config (once, whatever the targets), printed when the wizard
// ends so the commands stay in the terminal's scrollback.
func (f *flow) nextStepsText(st *Styles) string {
	var tabs []fileTab
	if len(f.written[stepDeployFiles]) > 0 {
		deploy, err := f.tabs(stepDeployFiles)
		if err != nil {
			return ""
		}
		tabs = deploy
	}
	if len(f.written[stepIngestFiles]) > 0 {
		tabs = append(tabs, fileTab{name: "Ingestion", apply: f.ingestApply()})
	}
	var b strings.Builder
	for _, t := range tabs {
		if t.apply != "" {
			b.WriteString("\n" + st.Heading.Render("Next: "+t.name) + "\n" + indent(t.apply, "  ") + "\n")
		}
	}
	return b.String()
}

// createdText lists what a run that stopped early already created in Auth0.
func createdText(created []string) string {
	if len(created) == 0 {
		return "Nothing was created in Auth0.\n"
	}
	var b strings.Builder
	b.WriteString("Already created in Auth0 (kept; a second run finds and reuses them):\n")
	for _, c := range created {
		b.WriteString("  • " + c + "\n")
	}
	return b.String()
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
