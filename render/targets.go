package render

import (
	"fmt"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

const (
	// Docker is docker compose with an env file.
	Docker openmetadata.Target = "docker"
	// BareMetal is conf/openmetadata.yaml.
	BareMetal openmetadata.Target = "bare-metal"
	// Kubernetes is the open-metadata/openmetadata Helm chart.
	Kubernetes openmetadata.Target = "kubernetes"
)

// AllTargets lists every target in display order.
var AllTargets = []openmetadata.Target{Docker, BareMetal, Kubernetes}

// ParseTargets accepts docker, bare-metal, kubernetes or all (also comma separated), in any number.
func ParseTargets(values []string) ([]openmetadata.Target, error) {
	seen := map[openmetadata.Target]bool{}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			switch p := openmetadata.Target(strings.ToLower(strings.TrimSpace(part))); p {
			case "all":
				for _, t := range AllTargets {
					seen[t] = true
				}
			case Docker, BareMetal, Kubernetes:
				seen[p] = true
			case "baremetal", "bare_metal":
				seen[BareMetal] = true
			case "k8s":
				seen[Kubernetes] = true
			default:
				return nil, fmt.Errorf("target %q: use docker, bare-metal, kubernetes or all", part)
			}
		}
	}
	var out []openmetadata.Target
	for _, t := range AllTargets {
		if seen[t] {
			out = append(out, t)
		}
	}
	return out, nil
}
