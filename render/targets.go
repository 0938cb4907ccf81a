package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// TargetSpec describes one deployment target once: its name, how it is
// shown, where its files go, how they are rendered and how they are applied.
// Targets lists them; the --target flag, the wizard's choices and tabs, the
// next steps and Render all read that list, so a new target is one file
// (its renderer and its TargetSpec) added to Targets, plus its golden files.
type TargetSpec struct {
	// Name is the target as --target and the answers file spell it.
	Name openmetadata.Target
	// Aliases are other spellings --target accepts.
	Aliases []string
	// Title names the target in the wizard's choices and tabs: "Bare Metal".
	Title string
	// Phrase names it in running text: "Next steps for bare metal".
	Phrase string
	// Summary says what its files are: "conf/openmetadata.yaml".
	Summary string
	// Folder is where its files go in the output folder.
	Folder string

	render func(c *config) ([]openmetadata.File, error)
	// howTo is how to apply its files.
	howTo func(a applying) howTo
}

// Targets lists every deployment target, in display order.
var Targets = []TargetSpec{dockerTarget, bareMetalTarget, kubernetesTarget}

// AllTargets lists every target's name in display order.
var AllTargets = func() []openmetadata.Target {
	out := make([]openmetadata.Target, len(Targets))
	for i, t := range Targets {
		out[i] = t.Name
	}
	return out
}()

// Lookup is the description of target t.
func Lookup(t openmetadata.Target) (TargetSpec, bool) {
	i := slices.IndexFunc(Targets, func(s TargetSpec) bool { return s.Name == t })
	if i < 0 {
		return TargetSpec{}, false
	}
	return Targets[i], true
}

// TargetNames lists the targets' names for help and error texts, the last
// one joined with "or": "docker, bare-metal or kubernetes", or with extra
// appended: "docker, bare-metal, kubernetes or all".
func TargetNames(extra ...string) string {
	words := make([]string, 0, len(Targets)+len(extra))
	for _, t := range Targets {
		words = append(words, string(t.Name))
	}
	words = append(words, extra...)
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// ParseTargets accepts the targets' names, their aliases or all (also comma
// separated), in any number, and returns them in display order.
func ParseTargets(values []string) ([]openmetadata.Target, error) {
	seen := map[openmetadata.Target]bool{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			p := strings.ToLower(strings.TrimSpace(part))
			if p == "all" {
				for _, t := range Targets {
					seen[t.Name] = true
				}
				continue
			}
			i := slices.IndexFunc(Targets, func(s TargetSpec) bool { return string(s.Name) == p || slices.Contains(s.Aliases, p) })
			if i < 0 {
				return nil, fmt.Errorf("target %q: use %s", part, TargetNames("all"))
			}
			seen[Targets[i].Name] = true
		}
	}
	var out []openmetadata.Target
	for _, t := range Targets {
		if seen[t.Name] {
			out = append(out, t.Name)
		}
	}
	return out, nil
}
