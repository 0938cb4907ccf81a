package wizard

import (
	"context"
	"fmt"
	"strings"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/omapi"
)

// Form values of the Apply to OpenMetadata section.
const (
	applyNow      = "now"
	applyNotNow   = "later"
	omCredToken   = "token"
	omCredBasic   = "basic"
	applyKeptMark = "    = "
)

// applyPrepare adapts apply.Prepare (Options.Apply) to the guide's apply.
func applyPrepare(prepare func(context.Context, apply.Inputs) (*apply.Session, *apply.Plan, error)) func(context.Context, guide.ApplyRequest) (guide.ApplySession, error) {
	return func(ctx context.Context, req guide.ApplyRequest) (guide.ApplySession, error) {
		s, p, err := prepare(ctx, apply.Inputs{Config: req.Config, Connect: req.Connect,
			OMToken: req.OMToken, OMAdminEmail: req.OMAdminEmail, OMAdminPassword: req.OMAdminPassword})
		if err != nil {
			return nil, err
		}
		return &applySession{s: s, p: p}, nil
	}
}

// applySession is an apply.Session with its plan, as the guide drives it.
type applySession struct {
	s *apply.Session
	p *apply.Plan
}

func (a *applySession) PlanText(ascii bool) string {
	var b strings.Builder
	apply.WritePlan(&b, ascii, a.p)
	return b.String()
}

func (a *applySession) Changes() bool { return a.p.Changes() }

func (a *applySession) Validate(ctx context.Context) (omapi.Validation, error) {
	return a.s.Validate(ctx, a.p)
}

func (a *applySession) Store(ctx context.Context) (*guide.ApplyOutcome, error) {
	out, err := a.s.Apply(ctx, a.p)
	if out == nil {
		return nil, err
	}
	return &guide.ApplyOutcome{Confirmed: out.Confirmed, ReadBack: out.ReadBack, NextSteps: out.NextSteps}, err
}

// applyPlanText is the apply's plan and OpenMetadata's validation of it,
// as both drivers show them before asking; fits (nil: anything fits) says
// whether a text fits the screen, else the settings kept are left out,
// then the components that passed.
func (f *flow) applyPlanText(st *Styles, fits func(string) bool) string {
	if f.Applying == nil {
		return ""
	}
	plan := strings.TrimRight(f.Applying.PlanText(st.ASCII), "\n")
	text := plan + "\n" + f.validationText(st, true)
	if fits == nil || fits(text) {
		return text
	}
	var lines []string
	kept := 0
	for _, l := range strings.Split(plan, "\n") {
		if strings.HasPrefix(l, applyKeptMark) {
			kept++
			continue
		}
		lines = append(lines, l)
	}
	// The settings kept give way first, then the passed components, then
	// the last rows of the plan: the question stays on screen.
	for n := len(lines); n > 0; n-- {
		note := fmt.Sprintf("    (not shown: %s kept as they are)", plural(kept, "setting"))
		if n < len(lines) {
			note = fmt.Sprintf("    (not shown: %s more, %s kept as they are; a taller terminal shows them)", plural(len(lines)-n, "row"), plural(kept, "setting"))
		}
		compact := strings.Join(lines[:n], "\n") + "\n" + st.Subtle.Render(note) + "\n"
		if text := compact + f.validationText(st, true); n == len(lines) && fits(text) {
			return text
		}
		if text := compact + f.validationText(st, false); fits(text) || n == 1 {
			return text
		}
	}
	return text
}

// validationText is OpenMetadata's verdict on the plan, each component
// with its mark; passed components only when all is set.
func (f *flow) validationText(st *Styles, all bool) string {
	v := f.ApplyValidation
	if v == nil {
		return ""
	}
	var b strings.Builder
	if v.Passed() {
		fmt.Fprintf(&b, "%s OpenMetadata's validation passed", st.CheckMark())
	} else {
		fmt.Fprintf(&b, "%s OpenMetadata's validation FAILED", st.FailMark())
	}
	var passed []string
	var lines strings.Builder
	for _, r := range v.Results {
		mark := st.FailMark()
		if strings.EqualFold(r.Status, "success") {
			passed = append(passed, omapi.Clean(r.Component))
			if !all {
				continue
			}
			mark = st.CheckMark()
		}
		fmt.Fprintf(&lines, "  %s %s: %s\n", mark, omapi.Clean(r.Component), omapi.Clean(r.Message))
	}
	if !all && len(passed) > 0 {
		b.WriteString(" for " + strings.Join(passed, ", "))
	}
	return b.String() + "\n" + lines.String()
}

// appliedText is what the apply did: stored and read back, or nothing to
// store; then what still needs a restart and what changed for users.
func (f *flow) appliedText(st *Styles) string {
	var b strings.Builder
	url := f.Cfg.Choices.OMURL
	out := f.ApplyOutcome
	if out == nil {
		fmt.Fprintf(&b, "%s OpenMetadata at %s already has these settings: nothing was stored.\n", st.CheckMark(), url)
		return b.String()
	}
	fmt.Fprintf(&b, "%s Stored the SSO settings in OpenMetadata at %s.\n", st.CheckMark(), url)
	switch {
	case out.ReadBack != "":
		fmt.Fprintf(&b, "%s %s\n", st.WarnMark(), out.ReadBack)
	case out.Confirmed:
		fmt.Fprintf(&b, "%s Read them back: OpenMetadata runs with the planned settings.\n", st.CheckMark())
	}
	if len(out.NextSteps) > 0 {
		b.WriteString("\nNext:\n")
		for _, s := range out.NextSteps {
			fmt.Fprintf(&b, "  - %s\n", s)
		}
	}
	return b.String()
}

// declined is where a declined confirmation leads: back to the nearest
// question; for settings OpenMetadata's validation failed, the error view
// of that failure (nothing was stored).
func (f *flow) declined(s guide.ID) (guide.ID, error) {
	if s == guide.StepApplyConfirm {
		if err := f.ApplyValidationErr(); err != nil {
			return guide.StepApplyValidate, err
		}
	}
	return f.Retreat(s), nil
}
