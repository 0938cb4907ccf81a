package render

import (
	"fmt"
	"strings"
)

// Commands that apply the rendered files; paths are relative to the output folder.
const (
	dockerUp       = "docker compose --env-file " + DockerEnvPath + " up -d"
	dockerOps      = "docker exec openmetadata_server ./bootstrap/openmetadata-ops.sh remove-security-config --force"
	dockerRestart  = "docker restart openmetadata_server"
	kubectlSecret  = "kubectl apply -f " + HelmSecretPath
	kubectlOps     = "kubectl exec deploy/openmetadata -- ./bootstrap/openmetadata-ops.sh remove-security-config --force"
	kubectlRestart = "kubectl rollout restart deploy/openmetadata"
	bareMetalOps   = "./bootstrap/openmetadata-ops.sh remove-security-config --force"
)

// helmUpgrade upgrades the release with the rendered values on top of its
// current ones. --version pins the chart so the upgrade does not also move
// OpenMetadata to the newest chart in the repository cache.
func helmUpgrade(v Version) string {
	return "helm upgrade --install openmetadata open-metadata/openmetadata --version " + v.String() +
		" --reuse-values --values " + HelmValuesPath
}

// howTo is how to apply one target's files: text, then commands, then the
// extra step of an existing deployment of OpenMetadata ≥ 1.10, then text.
type howTo struct {
	intro       string
	apply       []string
	reseedIntro string
	reseed      []string
	outro       string
}

func howToApply(v Version, ct ClientType, t Target) howTo {
	settingsInDB := v.SettingsInDatabase()
	label := fmt.Sprintf("%d.%d", v.Major, v.Minor)
	reseedIntro := func(source, clear string) string {
		return "Existing deployment? OpenMetadata " + label + " keeps the SSO settings it stored at first boot in\n" +
			"its database, and they win over " + source + ". " + clear + "\n" +
			"(or enter the new settings in Settings > SSO in the UI):"
	}
	var h howTo
	switch t {
	case Docker:
		h.intro = "In the folder of your docker-compose.yml, start OpenMetadata with the env file\n" +
			"(paths are relative to the output folder):"
		h.apply = []string{dockerUp}
		if settingsInDB {
			h.reseedIntro = reseedIntro("the env file", "Clear them and restart the server")
			h.reseed = []string{dockerOps, dockerRestart}
		}
	case BareMetal:
		h.intro = "In conf/openmetadata.yaml, set the keys of authorizerConfiguration and authenticationConfiguration\n" +
			"to those in " + BareMetalPath + " (keep your other keys)."
		h.outro = "Then restart the OpenMetadata server."
		if settingsInDB {
			h.reseedIntro = reseedIntro("conf/openmetadata.yaml", "Clear them in the OpenMetadata folder")
			h.reseed = []string{bareMetalOps}
			h.outro = "Then restart every OpenMetadata server."
		}
	case Kubernetes:
		h.intro = "Upgrade the Helm release with these values, keeping --version at your release's chart\n" +
			"version (helm list shows it; paths are relative to the output folder):"
		if ct == Confidential {
			h.intro = "Create the Secret with the client credentials, then upgrade the Helm release with these\n" +
				"values, keeping --version at your release's chart version (helm list shows it; paths are\n" +
				"relative to the output folder):"
			h.apply = []string{kubectlSecret}
		}
		h.apply = append(h.apply, helmUpgrade(v))
		if settingsInDB {
			h.reseedIntro = reseedIntro("the Helm values", "Clear them and restart every replica")
			h.reseed = []string{kubectlOps, kubectlRestart}
		}
	}
	return h
}

// lines is h as text: commands indented by two spaces.
func (h howTo) lines() []string {
	var out []string
	add := func(text string, cmds []string) {
		if text != "" {
			out = append(out, strings.Split(text, "\n")...)
		}
		for _, c := range cmds {
			out = append(out, "  "+c)
		}
	}
	add(h.intro, h.apply)
	add(h.reseedIntro, h.reseed)
	add(h.outro, nil)
	return out
}

// NextSteps is what the operator does with target t's files: the commands
// that apply them (paths relative to the output folder) and the extra step an
// existing OpenMetadata ≥ 1.10 deployment needs. The ingestion config is the
// same for every target, so its steps are IngestionNextSteps, printed once.
// It is "" for an unknown target.
func NextSteps(in Input, t Target) string {
	if _, err := orderTargets([]Target{t}); err != nil {
		return ""
	}
	ct := in.ClientType
	if ct == "" {
		ct = Public
	}
	return strings.Join(howToApply(in.Version, ct, t).lines(), "\n") + "\n"
}

// IngestionNextSteps is what the operator does with the ingestion config,
// whatever the targets: first what is left to put into it (the
// ingestion-bot's JWT, when it was not given) or how to keep it (it holds a
// secret), then how the metadata CLI uses it.
func IngestionNextSteps(in Input) string {
	const where = IngestionPath + " (in the output folder)"
	var lines []string
	switch {
	case in.Version.Band() == BandLegacy && in.ServiceAccount != nil:
		lines = []string{where + " signs in to Auth0 as the service", "account with its client secret: keep it private."}
	case strings.TrimSpace(in.IngestionJWT) == "":
		// Also OpenMetadata ≤ 1.0 without a service account: the file then
		// has the ingestion-bot JWT placeholder (see ingestionConfig).
		lines = []string{
			"Once you can sign in, copy the token from Settings > Bots > ingestion-bot into",
			where + " as securityConfig.jwtToken",
			"(or run om-auth0 again with --ingestion-jwt or OM_INGESTION_BOT_JWT).",
		}
	default:
		lines = []string{where + " holds the ingestion-bot's token:", "keep it private."}
	}
	lines = append(lines, "Put its workflowConfig into each connector's YAML and run:", "  metadata ingest -c <connector>.yaml")
	return strings.Join(lines, "\n") + "\n"
}

// applyHeader is the "how to apply" part of a file's comment header.
func (c *config) applyHeader(t Target) []string {
	h := howToApply(c.Version, c.clientType, t)
	switch len(h.apply) {
	case 0:
	case 1:
		h.intro, h.apply = "Apply: "+h.apply[0], nil
	default:
		h.intro = "Apply:"
	}
	return h.lines()
}
