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
// that apply them (paths relative to the output folder), the extra step an
// existing OpenMetadata ≥ 1.10 deployment needs, and where the ingestion-bot
// JWT comes from when it was not given. It is "" for an unknown target.
func NextSteps(in Input, t Target) string {
	if _, err := orderTargets([]Target{t}); err != nil {
		return ""
	}
	ct := in.ClientType
	if ct == "" {
		ct = Public
	}
	lines := howToApply(in.Version, ct, t).lines()
	lines = append(lines, ingestionStep(in)...)
	return strings.Join(lines, "\n") + "\n"
}

// ingestionStep says how to finish the ingestion config, if anything is left to do.
func ingestionStep(in Input) []string {
	if in.Version.Band() == BandLegacy && in.ServiceAccount != nil {
		return []string{"Ingestion: " + IngestionPath + " signs in to Auth0 as the service account; keep it private."}
	}
	if strings.TrimSpace(in.IngestionJWT) != "" {
		return nil
	}
	return []string{
		"Ingestion: once you can sign in, copy the token from Settings > Bots > ingestion-bot into",
		IngestionPath + " as securityConfig.jwtToken",
		"(or run om-auth0 again with --ingestion-jwt or OM_INGESTION_BOT_JWT).",
	}
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
