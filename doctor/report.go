// Package doctor checks a running OpenMetadata and the Auth0 tenant against
// each other and against what om-auth0's output folder says the deployment
// should have, without changing anything anywhere. It has no UI:
// Run returns a Report of named checks, each ok, warn, fail or skip with a
// one-line fix; Write prints it for a person.
//
// Auth0 credentials and an OpenMetadata administrator's credential are both
// optional: each unlocks more checks, and the checks that need a missing
// one are skipped and say so. Independent requests run together in a
// first phase (OpenMetadata's version, JWKS and sign-in settings, the
// tenant's discovery document and JWKS, the Auth0 application, the admin
// settings); a second phase makes the few requests that depend on their
// answers (OpenMetadata's validation, the client-credentials token), so a
// run takes one round trip more than its slowest check.
package doctor

import (
	"fmt"
	"io"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/om-auth0/om-auth0/present"
)

// Status is a check's outcome.
type Status string

// Outcomes of a check.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Credentials a skipped check waited for (Check.Needs).
const (
	NeedsAuth0   = "auth0"    // Management API credentials
	NeedsOMAdmin = "om-admin" // an OpenMetadata administrator's token or login
)

// Check is one named check's result.
type Check struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"` // one line; empty when there is nothing to do
	// Needs names the credential a skipped check waited for; "" otherwise.
	Needs string `json:"needs,omitempty"`
}

// Report is one doctor run.
type Report struct {
	OMURL     string  `json:"om_url"`
	OMVersion string  `json:"om_version"` // as the server reported it; "" when it did not
	Tenant    string  `json:"tenant"`     // "" when unknown
	Answers   string  `json:"answers"`    // the answers file read; "" when none
	Checks    []Check `json:"checks"`
}

// Failed reports whether a check failed (warnings do not count).
func (r Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Check returns the check with id, and whether the report has it.
func (r Report) Check(id string) (Check, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// SkippedFor lists the ids of the checks skipped for want of the credential needs.
func (r Report) SkippedFor(needs string) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == Skip && c.Needs == needs {
			out = append(out, c.ID)
		}
	}
	return out
}

// mark is a status's sign, as present words the marks: ✓ ! ✗ -, or
// ok: warning: FAILED: skipped: in ASCII.
func mark(st *present.Styles, s Status) string {
	switch s {
	case OK:
		return st.CheckMark()
	case Warn:
		return st.WarnMark()
	case Fail:
		return st.FailMark()
	}
	return st.SkipMark()
}

// Text words the report for a person, in st's styles and marks: one line
// per check, its fix below it, then which checks were skipped for want of
// which credential and a summary line. `om-auth0 doctor` prints it, and so
// does the wizard's check after Done.
func (r Report) Text(st *present.Styles) string {
	var b strings.Builder
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.ID))
	}
	markWidth := 0
	for _, s := range []Status{OK, Warn, Fail, Skip} {
		markWidth = max(markWidth, lipgloss.Width(mark(st, s)))
	}
	counts := map[Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		m := mark(st, c.Status)
		pad := strings.Repeat(" ", markWidth-lipgloss.Width(m))
		fmt.Fprintf(&b, "%s%s %-*s  %s\n", m, pad, width, c.ID, c.Message)
		if c.Fix != "" && c.Status != OK {
			fmt.Fprintf(&b, "%s  fix: %s\n", strings.Repeat(" ", markWidth+1+width), c.Fix)
		}
	}
	if ids := r.SkippedFor(NeedsAuth0); len(ids) > 0 {
		fmt.Fprintf(&b, "\nSkipped for want of Auth0 credentials (AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN): %s\n", strings.Join(ids, ", "))
	}
	if ids := r.SkippedFor(NeedsOMAdmin); len(ids) > 0 {
		fmt.Fprintf(&b, "\nSkipped for want of an OpenMetadata admin credential (om-auth0 doctor takes --om-token or OM_ADMIN_TOKEN, or --om-admin-email with OM_ADMIN_PASSWORD): %s\n", strings.Join(ids, ", "))
	}
	fmt.Fprintf(&b, "\n%d ok, %d warnings, %d failed, %d skipped.\n", counts[OK], counts[Warn], counts[Fail], counts[Skip])
	return b.String()
}

// Write prints the report's Text without styles, its marks in ASCII when ascii is set.
func Write(w io.Writer, r Report, ascii bool) {
	fmt.Fprint(w, r.Text(present.Plain(ascii)))
}
