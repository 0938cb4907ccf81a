package present

import "strings"

// NextStep is how to use one part of the output: a target's files, or the
// ingestion config.
type NextStep struct {
	What string // "Docker", "bare metal", "ingestion"
	Text string // the steps, one a line
}

// NextSteps words the next steps of a run, the same after the wizard and
// after a script: "Next steps for <what>:" and the steps under it, indented,
// fitted to width cells by Steps (width ≤ 0: as they are). A part without
// steps is left out.
func NextSteps(st *Styles, width int, next []NextStep) string {
	var b strings.Builder
	for _, n := range next {
		text := strings.TrimRight(n.Text, "\n")
		if width > 0 {
			text = Steps(max(width-2, 1), text)
		}
		if text == "" {
			continue
		}
		b.WriteString("\n" + st.Heading.Render("Next steps for "+n.What+":") + "\n")
		for _, l := range strings.Split(text, "\n") {
			if l != "" {
				l = "  " + l
			}
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}
