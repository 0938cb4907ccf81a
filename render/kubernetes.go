package render

import (
	"fmt"
	"strings"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// Defaults of the Kubernetes namespace and the Helm release name.
const (
	DefaultNamespace = "default"
	DefaultRelease   = "openmetadata"
)

// kube is where OpenMetadata runs in Kubernetes: the Helm release's namespace and name.
type kube struct{ ns, release string }

// kubeOf is in's namespace and release, defaulted.
func kubeOf(in Input) kube {
	k := kube{ns: strings.TrimSpace(in.Namespace), release: strings.TrimSpace(in.Release)}
	if k.ns == "" {
		k.ns = DefaultNamespace
	}
	if k.release == "" {
		k.release = DefaultRelease
	}
	return k
}

// deployment is the name of the chart's Deployment: the chart's
// openmetadata.fullname helper (Helm's usual one) takes the release name when
// it contains "openmetadata", else "<release>-openmetadata", cut at 63
// characters without a trailing '-'.
func (k kube) deployment() string {
	name := k.release
	if !strings.Contains(name, DefaultRelease) {
		name += "-" + DefaultRelease
	}
	if len(name) > 63 {
		name = name[:63]
	}
	return strings.TrimRight(name, "-")
}

// CheckKubernetesName checks a namespace or Helm release name (flag names
// which): Kubernetes takes both as RFC 1123 labels, lowercase letters,
// digits and '-', starting and ending with a letter or digit, at most 63
// characters. Helm allows release names up to 53 characters only.
func CheckKubernetesName(flag, name string) error {
	limit := 63
	if flag == "release" {
		limit = 53
	}
	ok := name != "" && len(name) <= limit && name[0] != '-' && name[len(name)-1] != '-' &&
		strings.IndexFunc(name, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) < 0
	if !ok {
		return fmt.Errorf("--%s %q is not a Kubernetes name: use lowercase letters, digits and '-', "+
			"starting and ending with a letter or digit, at most %d characters", flag, name, limit)
	}
	return nil
}

// helmValues are values for the open-metadata/openmetadata chart; they follow
// the chart's values.schema.json.
type helmValues struct {
	OpenMetadata struct {
		Config struct {
			Authorizer     helmAuthorizer     `yaml:"authorizer"`
			Authentication helmAuthentication `yaml:"authentication"`
		} `yaml:"config"`
	} `yaml:"openmetadata"`
}

type helmAuthorizer struct {
	ClassName              string   `yaml:"className"`
	ContainerRequestFilter string   `yaml:"containerRequestFilter"`
	InitialAdmins          []string `yaml:"initialAdmins"`
	PrincipalDomain        string   `yaml:"principalDomain"`
}

type helmAuthentication struct {
	Provider    string    `yaml:"provider"`
	ClientType  string    `yaml:"clientType,omitempty"`
	PublicKeys  []string  `yaml:"publicKeys"`
	Authority   string    `yaml:"authority"`
	ClientID    string    `yaml:"clientId"`
	CallbackURL string    `yaml:"callbackUrl"`
	OIDC        *helmOIDC `yaml:"oidcConfiguration,omitempty"`
}

// helmOIDC is the confidential client; the chart sets OIDC_* only when
// Enabled is true, and reads the credentials from a Secret.
type helmOIDC struct {
	Enabled                    bool          `yaml:"enabled"`
	OIDCType                   string        `yaml:"oidcType"`
	ClientID                   helmSecretRef `yaml:"clientId"`
	ClientSecret               helmSecretRef `yaml:"clientSecret"`
	DiscoveryURI               string        `yaml:"discoveryUri"`
	CallbackURL                string        `yaml:"callbackUrl"`
	ServerURL                  string        `yaml:"serverUrl"`
	ClientAuthenticationMethod string        `yaml:"clientAuthenticationMethod"`
}

type helmSecretRef struct {
	SecretRef string `yaml:"secretRef"`
	SecretKey string `yaml:"secretKey"`
}

// kubernetesSecret is the Secret the chart reads the confidential client's credentials from.
type kubernetesSecret struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name      string `yaml:"name"`
		Namespace string `yaml:"namespace"`
	} `yaml:"metadata"`
	Type       string            `yaml:"type"`
	StringData map[string]string `yaml:"stringData"`
}

func (c *config) helmValues() helmValues {
	var v helmValues
	v.OpenMetadata.Config.Authorizer = helmAuthorizer{
		ClassName:              authorizerClassName,
		ContainerRequestFilter: authorizerFilter,
		InitialAdmins:          c.admins,
		PrincipalDomain:        c.principalDomain,
	}
	auth := helmAuthentication{
		Provider:    auth0Provider,
		PublicKeys:  c.publicKeyURLs(),
		Authority:   c.Tenant.Authority(),
		ClientID:    c.UI.ClientID,
		CallbackURL: c.callbackURL(),
	}
	if c.hasClientType() {
		auth.ClientType = string(c.clientType)
	}
	if c.confidential() {
		auth.OIDC = &helmOIDC{
			Enabled:                    true,
			OIDCType:                   auth0Provider,
			ClientID:                   helmSecretRef{SecretRef: oidcSecretName, SecretKey: oidcSecretClientIDKey},
			ClientSecret:               helmSecretRef{SecretRef: oidcSecretName, SecretKey: oidcSecretClientKeyKey},
			DiscoveryURI:               c.Tenant.DiscoveryURL(),
			CallbackURL:                c.callbackURL(),
			ServerURL:                  c.om,
			ClientAuthenticationMethod: c.authMethod,
		}
	}
	v.OpenMetadata.Config.Authentication = auth
	return v
}

// oidcSecret holds the confidential client's credentials. The chart passes
// them to the server as OIDC_CLIENT_ID / OIDC_CLIENT_SECRET, which the server
// reads through conf/openmetadata.yaml, hence serverText.
func (c *config) oidcSecret() kubernetesSecret {
	s := kubernetesSecret{APIVersion: "v1", Kind: "Secret", Type: "Opaque"}
	s.Metadata.Name = oidcSecretName
	s.Metadata.Namespace = c.kube.ns
	s.StringData = map[string]string{
		oidcSecretClientIDKey:  serverText(c.UI.ClientID),
		oidcSecretClientKeyKey: serverText(c.UI.ClientSecret),
	}
	return s
}

// kubernetes renders the Helm values and, for a confidential client, the Secret.
func (c *config) kubernetes() ([]openmetadata.File, error) {
	head := []string{c.title(c.ssoSummary())}
	head = append(head, c.applyHeader(kubernetesHowTo)...)
	values, err := yamlFile(head, c.helmValues())
	if err != nil {
		return nil, err
	}
	files := []openmetadata.File{{Path: HelmValuesPath, Data: values}}
	if c.confidential() {
		head := []string{c.title("the confidential client's credentials, read by the chart"),
			"Apply before the Helm upgrade, in the output folder: " + kubectlSecret("", c.kube)}
		secret, err := yamlFile(head, c.oidcSecret())
		if err != nil {
			return nil, err
		}
		files = append(files, openmetadata.File{Path: HelmSecretPath, Data: secret, Secret: true})
	}
	return files, nil
}

// Kubernetes is the open-metadata/openmetadata Helm chart.
const Kubernetes openmetadata.Target = "kubernetes"

var kubernetesTarget = TargetSpec{
	Name:    Kubernetes,
	Aliases: []string{"k8s"},
	Title:   "Kubernetes",
	Phrase:  "Kubernetes",
	Summary: "Helm values",
	Folder:  "kubernetes",
	render:  (*config).kubernetes,
	howTo:   kubernetesHowTo,
}

// kubernetesHowTo is how to apply the Kubernetes files.
func kubernetesHowTo(a applying) howTo {
	var h howTo
	v := a.v
	h.intro = "Upgrade the Helm release with these values."
	if a.ct == openmetadata.Confidential {
		h.intro = "Create the Secret with the client credentials, then upgrade the Helm release with these values."
		h.apply = []string{kubectlSecret(a.d, a.k)}
	}
	h.intro += "\n--version " + v.String() + " is the chart of OpenMetadata " + v.String() + ", the version these files are for\n" +
		"(the open-metadata/openmetadata chart's version matches the OpenMetadata release); if your\n" +
		"release uses another chart version (helm list shows it), change --version to it"
	if a.d == "" {
		h.intro += ".\nPaths are relative to the output folder:"
	} else {
		h.intro += ":"
	}
	h.apply = append(h.apply, helmUpgrade(v, a.d, a.k))
	if a.settingsInDB() {
		h.reseedIntro = a.reseedIntro("the Helm values", "Clear them and restart every replica")
		h.reseed = []string{kubectlOps(a.k), kubectlRestart(a.k)}
	}
	return h
}
