package render

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// Commands that do not name a rendered file.
var (
	dockerOps     = CommandLine("docker", "exec", "openmetadata_server", "./bootstrap/openmetadata-ops.sh", "remove-security-config", "--force")
	dockerRestart = CommandLine("docker", "restart", "openmetadata_server")
	bareMetalOps  = CommandLine("./bootstrap/openmetadata-ops.sh", "remove-security-config", "--force")
)

// CommandLine is a command given as its arguments, as one line a POSIX
// shell reads back as those arguments: each quoted when it needs to be,
// one space apart. A printer can break the line between its words only
// (present.Command), so that a copy of the lines still runs the command.
func CommandLine(args ...string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = shellQuote(a)
	}
	return strings.Join(words, " ")
}

// outDir is the output folder the commands name the rendered files in: a
// folder (absolute, so the commands work from any folder, which
// `docker compose --env-file` needs, as it reads the file relative to the
// current folder), or "" for paths relative to the output folder.
type outDir string

// path is the rendered file p (slash-separated, as in File.Path) in d.
func (d outDir) path(p string) string {
	if d == "" {
		return p
	}
	return filepath.Join(string(d), filepath.FromSlash(p))
}

// shellQuote is s as one POSIX shell word: unchanged when it has only
// characters no shell treats specially, else in single quotes.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func dockerUp(d outDir) string {
	return CommandLine("docker", "compose", "--env-file", d.path(DockerEnvPath), "up", "-d")
}

// dockerUpKeepingEnv is dockerUp that also reads the project's own .env:
// compose reads .env only when no --env-file is given, and of several
// files the later wins.
func dockerUpKeepingEnv(d outDir) string {
	return CommandLine("docker", "compose", "--env-file", ".env", "--env-file", d.path(DockerEnvPath), "up", "-d")
}

func kubectlSecret(d outDir, k kube) string {
	return CommandLine("kubectl", "apply", "--namespace", k.ns, "-f", d.path(HelmSecretPath))
}

// kubectlOps clears the SSO settings an existing deployment keeps in its database.
func kubectlOps(k kube) string {
	return CommandLine("kubectl", "exec", "--namespace", k.ns, "deploy/"+k.deployment(), "--", "./bootstrap/openmetadata-ops.sh", "remove-security-config", "--force")
}

func kubectlRestart(k kube) string {
	return CommandLine("kubectl", "rollout", "restart", "--namespace", k.ns, "deploy/"+k.deployment())
}

// helmUpgrade upgrades the release with the rendered values on top of its
// current ones. --version pins the chart so the upgrade does not also move
// OpenMetadata to the newest chart in the repository cache. The
// open-metadata/openmetadata chart is versioned like OpenMetadata itself
// (the chart copied in shared/reference/openmetadata/helm is chart version
// and appVersion 1.13.1; see its SOURCES.md), so the pin is v, the version
// the files are rendered for.
func helmUpgrade(v openmetadata.Version, d outDir, k kube) string {
	return CommandLine("helm", "upgrade", "--install", k.release, "open-metadata/openmetadata", "--namespace", k.ns,
		"--version", v.String(), "--reuse-values", "--values", d.path(HelmValuesPath))
}

// howTo is how to apply one target's files: text, then commands, then the
// extra step of an existing deployment of OpenMetadata ≥ 1.10, then text.
type howTo struct {
	intro       string
	apply       []string
	altIntro    string   // another way to apply them, when one fits some deployments better
	alt         []string // its commands
	reseedIntro string
	reseed      []string
	outro       string
}

// applying is what the next steps of a target depend on: the version, the
// client type and the folder the commands name the files in.
type applying struct {
	v  openmetadata.Version
	ct openmetadata.ClientType
	d  outDir
	k  kube
}

// settingsInDB reports whether an existing deployment keeps the SSO
// settings of its first boot in its database (OpenMetadata ≥ 1.10).
func (a applying) settingsInDB() bool { return a.v.SettingsInDatabase() }

// reseedIntro says why an existing deployment needs the extra step: its
// stored settings win over source; clear says how to drop them.
func (a applying) reseedIntro(source, clear string) string {
	label := fmt.Sprintf("%d.%d", a.v.Major, a.v.Minor)
	return "Existing deployment? OpenMetadata " + label + " keeps the SSO settings it stored at first boot in\n" +
		"its database, and they win over " + source + ". " + clear + "\n" +
		"(or enter the new settings in Settings > SSO in the UI):"
}

func howToApply(v openmetadata.Version, ct openmetadata.ClientType, t openmetadata.Target, d outDir, k kube) howTo {
	spec, ok := Lookup(t)
	if !ok {
		return howTo{}
	}
	return spec.howTo(applying{v: v, ct: ct, d: d, k: k})
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
	add(h.altIntro, h.alt)
	add(h.reseedIntro, h.reseed)
	add(h.outro, nil)
	return out
}

// NextSteps is NextStepsIn with paths relative to the output folder.
func NextSteps(in Input, t openmetadata.Target) string { return NextStepsIn(in, t, "") }

// NextStepsIn is what the operator does with target t's files, written into
// the output folder dir: the commands that apply them, naming the files by
// their path in dir, so that they work as pasted when dir is absolute (the
// caller makes it so; dir "" gives paths relative to the output folder), and
// the extra step an existing OpenMetadata ≥ 1.10 deployment needs. Each
// command is a line of its own indented by two spaces, written by
// CommandLine, which a printer may break between words; other lines are
// sentences. The
// ingestion config is the same for every target, so its steps are
// IngestionNextSteps, printed once. It is "" for an unknown target.
func NextStepsIn(in Input, t openmetadata.Target, dir string) string {
	if _, err := orderTargets([]openmetadata.Target{t}); err != nil {
		return ""
	}
	ct := in.ClientType
	if ct == "" {
		ct = openmetadata.Public
	}
	return strings.Join(howToApply(in.Version, ct, t, outDir(dir), kubeOf(in)).lines(), "\n") + "\n"
}

// IngestionNextSteps is what the operator does with the ingestion config,
// whatever the targets: first what is left to put into it (the
// ingestion-bot's JWT, when it was not given) or how to keep it (it holds a
// secret), then how the metadata CLI uses it.
func IngestionNextSteps(in Input) string {
	const where = IngestionPath + " (in the output folder)"
	var lines []string
	switch {
	case in.Version.Band() == openmetadata.BandLegacy && in.ServiceAccount != nil:
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

// applyHeader is the "how to apply" part of a file's comment header: the
// next steps with paths relative to the output folder, as a file cannot know
// where it is written.
func (c *config) applyHeader(how func(applying) howTo) []string {
	return how(applying{v: c.Version, ct: c.clientType, k: c.kube}).lines()
}
