package answers

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Marshal renders a as answers.yaml: a header comment and the answers, no secrets.
func Marshal(a Answers) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("# om-auth0 answers: replay with `om-auth0 setup --answers answers.yaml`.\n")
	buf.WriteString("# Secrets are never stored here: give them with AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN)\n")
	buf.WriteString("# and OM_INGESTION_BOT_JWT in the environment.\n")
	if a.Apply != nil && *a.Apply {
		buf.WriteString("# apply: true needs an OpenMetadata administrator too: OM_ADMIN_TOKEN, or --om-admin-email with OM_ADMIN_PASSWORD.\n")
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(a); err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode answers: %w", err)
	}
	return buf.Bytes(), nil
}
