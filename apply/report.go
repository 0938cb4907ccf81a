package apply

import (
	"fmt"
	"io"
	"strings"

	"github.com/om-auth0/om-auth0/omapi"
)

// WritePlan writes the plan for a person: each setting with its mark (+
// set where the server has nothing, ~ changed, = kept) and its value,
// "from → to" for a change, secrets masked; then the notes. It is the one
// place the plan's look is decided.
func WritePlan(w io.Writer, ascii bool, p *Plan) {
	if w == nil {
		return
	}
	arrow := "→"
	if ascii {
		arrow = "->"
	}
	fmt.Fprintf(w, "Plan for OpenMetadata %s at %s (SSO settings, current %s new; secrets masked; other settings kept as they are)\n", p.OMVersion, p.OMURL, arrow)
	width := 0
	for _, f := range p.Fields {
		width = max(width, len(f.Name)-strings.LastIndex(f.Name, ".")-1)
	}
	section := ""
	for _, f := range p.Fields {
		i := strings.LastIndex(f.Name, ".")
		sec, short := f.Name[:max(i, 0)], f.Name[i+1:]
		if sec != section {
			section = sec
			fmt.Fprintf(w, "  %s\n", sec)
		}
		value := f.To
		if f.From != "" {
			value = f.From + " " + arrow + " " + f.To
		}
		fmt.Fprintf(w, "    %s %-*s  %s\n", f.Mark(), width, short, value)
		if f.Note != "" {
			fmt.Fprintf(w, "        %s\n", f.Note)
		}
	}
	for _, n := range p.Notes {
		fmt.Fprintf(w, "  ! %s\n", n)
	}
}

// writeValidation writes each component's result (or each field's error).
func writeValidation(w io.Writer, v omapi.Validation) {
	if w == nil {
		return
	}
	verdict := "passed"
	if !v.Passed() {
		verdict = "FAILED"
	}
	fmt.Fprintf(w, "OpenMetadata's validation: %s\n", verdict)
	for _, line := range v.Components() {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

// writeNextSteps writes what the operator still has to do.
func writeNextSteps(w io.Writer, steps []string) {
	if w == nil || len(steps) == 0 {
		return
	}
	fmt.Fprintln(w, "Next:")
	for _, s := range steps {
		fmt.Fprintf(w, "  - %s\n", s)
	}
}
