// Package present words what om-auth0 shows an operator, once for both
// drivers: the plan of Auth0 changes (one marking: + create, ~ update,
// = keep, and ! under a change that breaks something), what a run did to
// each application, the verification checklist, the missing Management API
// scopes, and what a stopped run already created. The wizard draws these
// texts with its styles (NewStyles); the accessible driver and scripts with
// Plain, in ASCII when the terminal asks for it.
package present

import (
	"fmt"
	"strings"

	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/steps"
)

// Mark is a change's sign in a plan: + create, ~ update, - delete, = keep.
func Mark(c steps.Change) string {
	switch c.Action {
	case steps.Create:
		return "+"
	case steps.Update:
		return "~"
	case steps.Delete:
		return "-"
	}
	return "="
}

// FieldValue is a field's change as text: "from → to" for an update, the
// new value for a create, "(none)" for an empty one (an empty scope list).
func FieldValue(f steps.FieldChange, arrow string) string {
	to := f.To
	if to == "" {
		to = "(none)"
	}
	if f.From != "" {
		return f.From + " " + arrow + " " + to
	}
	return to
}

// FieldLabel is an Auth0 field name as a plan shows it: "grant types".
func FieldLabel(field string) string { return strings.ReplaceAll(field, "_", " ") }

// Changes lists planned changes, field by field, each change that breaks
// something followed by its consequence marked "!". The values of every
// change share one column, two spaces after the longest label.
func Changes(st *Styles, changes []steps.Change) string { return changesText(st, changes, nil) }

// changesText is Changes without the fields of the changes hidden says.
func changesText(st *Styles, changes []steps.Change, hidden func(i int) bool) string {
	var b strings.Builder
	width := 0
	for _, c := range changes {
		for _, fc := range c.Fields {
			width = max(width, len(FieldLabel(fc.Field)))
		}
	}
	for i, c := range changes {
		what := fmt.Sprintf("%s %s %q", c.Action, c.Resource, c.Name)
		if c.Action == steps.Keep {
			what = fmt.Sprintf("keep %s %q as it is", c.Resource, c.Name)
		}
		fmt.Fprintf(&b, "  %s %s\n", Mark(c), what)
		if c.Note != "" {
			fmt.Fprintf(&b, "      %s\n", st.Subtle.Render(c.Note))
		}
		for _, fc := range c.Fields {
			if hidden == nil || !hidden(i) {
				fmt.Fprintf(&b, "      %s  %s\n", st.Label.Render(fmt.Sprintf("%-*s", width, FieldLabel(fc.Field))), FieldValue(fc, st.Arrow()))
			}
		}
		if c.Reason != "" {
			fmt.Fprintf(&b, "    %s\n", st.Subtle.Render("why: "+c.Reason))
		}
		if c.Consequence != "" {
			fmt.Fprintf(&b, "    %s\n", st.Warn.Render("! "+c.Consequence))
		}
	}
	return b.String()
}

// Writes reports whether any of the changes changes the tenant.
func Writes(changes []steps.Change) bool {
	return (&steps.Plan{Changes: changes}).Writes()
}

// Plan is the plan of a run as the confirmation shows it: the tenant, every
// change, and that nothing else changes.
func Plan(st *Styles, tenantHost string, changes []steps.Change) string {
	return planText(st, tenantHost, changes, nil)
}

// PlanWithin is Plan made to fit where fits says: when the whole plan does
// not, the fields of the created resources are left out first (what a
// create sets is the expected configuration), then every field, keeping
// each change and its consequence; it then says where the fields show.
func PlanWithin(st *Styles, tenantHost string, changes []steps.Change, fits func(text string) bool) string {
	text := Plan(st, tenantHost, changes)
	if fits(text) {
		return text
	}
	text = planText(st, tenantHost, changes, func(i int) bool { return changes[i].Action == steps.Create })
	if fits(text) {
		return text
	}
	return planText(st, tenantHost, changes, func(int) bool { return true })
}

func planText(st *Styles, tenantHost string, changes []steps.Change, hidden func(i int) bool) string {
	var b strings.Builder
	verb := "About to change tenant "
	if !Writes(changes) {
		verb = "Nothing to change in tenant "
	}
	b.WriteString(verb + st.Value.Render(tenantHost) + "\n")
	b.WriteString(changesText(st, changes, hidden))
	if Writes(changes) {
		b.WriteString("  Nothing else changes.")
		if hidden != nil {
			b.WriteString(" " + st.Subtle.Render("(Some fields are left out to fit: a taller terminal and --dry-run show them.)"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Outcome is what a run did to the named resource of plan p: "created",
// "updated (fields)", or "already set up". created says the run created it
// (which a plan of a create may not have: Auth0 may have answered that it
// existed).
func Outcome(p *steps.Plan, resource steps.ResourceKind, name string, created bool) string {
	if created {
		return "created"
	}
	var found *steps.Change
	if p != nil {
		for i, c := range p.Changes {
			if c.Resource == resource && (found == nil || c.Name == name) {
				found = &p.Changes[i]
			}
		}
	}
	if found == nil {
		return "ready"
	}
	switch found.Action {
	case steps.Create:
		if resource == steps.ClientGrant {
			// Planned for creation but not created: Auth0 refused a
			// duplicate (409) and the grant was found in place.
			return "already existed"
		}
		return "created"
	case steps.Update:
		fields := make([]string, len(found.Fields))
		for i, f := range found.Fields {
			fields[i] = f.Field
		}
		if len(fields) == 0 {
			return "updated"
		}
		return "updated (" + strings.Join(fields, ", ") + ")"
	}
	return "already set up"
}

// Created is what a run that stopped early had already created in Auth0,
// one item a line; they stay, and the next run finds them.
func Created(st *Styles, created []string) string {
	if len(created) == 0 {
		return "Nothing was created in Auth0.\n"
	}
	var b strings.Builder
	b.WriteString("Already created in Auth0: kept, and found again by the next run.\n")
	for _, c := range created {
		b.WriteString("  " + st.Bullet() + " " + c + "\n")
	}
	return b.String()
}

// Stopped is what a run that stopped early leaves behind: what it had
// created in Auth0 (Created) and the files it had written in out, each with
// what was done with it.
func Stopped(st *Styles, created []string, out string, files []output.FileResult) string {
	text := Created(st, created)
	if len(files) == 0 {
		return text
	}
	text += fmt.Sprintf("Already written in %s (%s):\n", out, output.Summary(files))
	for _, l := range output.Lines(out, files) {
		text += "  " + l + "\n"
	}
	return text
}

// Verification is the checklist of named checks: each failed one with what
// it means and what to do (its Detail).
func Verification(st *Styles, v *steps.Verification) string {
	var b strings.Builder
	if len(v.Checks) == 0 {
		b.WriteString("  " + st.Subtle.Render("nothing to verify") + "\n")
	}
	for _, c := range v.Checks {
		mark := st.CheckMark()
		if !c.OK {
			mark = st.FailMark()
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

// FailedChecks names the checks that failed.
func FailedChecks(v *steps.Verification) []string {
	var failed []string
	if v != nil {
		for _, ch := range v.Checks {
			if !ch.OK {
				failed = append(failed, ch.Name)
			}
		}
	}
	return failed
}

// VerificationError is a run whose checks failed: the configuration was
// written, but the tenant does not behave as it should yet.
func VerificationError(v *steps.Verification) error {
	failed := FailedChecks(v)
	if len(failed) == 0 {
		return nil
	}
	return fmt.Errorf("verification failed (%s): the configuration was written, but Auth0 does not yet behave as it should; fix what each check names and run again", strings.Join(failed, "; "))
}

// MissingScopes names the scopes the credentials lack for the path chosen,
// what each is needed for, and where to grant them.
func MissingScopes(st *Styles, missing []string) string {
	if len(missing) == 0 {
		return st.CheckMark() + " The credentials hold every Management API scope this setup needs.\n"
	}
	var b strings.Builder
	b.WriteString(st.Warn.Render("! The Management credentials lack scopes this setup needs:") + "\n")
	for _, s := range missing {
		b.WriteString("  " + st.Fail.Render(st.pick("✗ ", "- ")+s) + st.Subtle.Render(" — to "+steps.ScopeReason(s)) + "\n")
	}
	b.WriteString("  Add them in Auth0 > Applications > APIs > Auth0 Management API > Machine to Machine\n" +
		"  Applications; nothing is planned or changed until the credentials hold them.\n")
	return b.String()
}

// CheckSubject names what doctor's checks look at: "OpenMetadata at URL and
// Auth0 tenant DOMAIN", or without a tenant "OpenMetadata at URL".
func CheckSubject(omURL, tenant string) string {
	what := "OpenMetadata at " + omURL
	if tenant != "" {
		what += " and Auth0 tenant " + tenant
	}
	return what
}
