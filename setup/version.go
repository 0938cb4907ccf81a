package setup

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// DetectTimeout caps how long DetectVersion waits for OpenMetadata: a server
// that does not answer this fast is treated as absent.
const DetectTimeout = 3 * time.Second

// DetectVersion asks the OpenMetadata server at omURL for its version
// (GET {om}/api/v1/system/version, which needs no token). client nil means
// http.DefaultClient.
func DetectVersion(ctx context.Context, client *http.Client, omURL string) (openmetadata.Version, error) {
	if client == nil {
		client = http.DefaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, DetectTimeout)
	defer cancel()
	u := omURL + "/api/v1/system/version"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: GET %s answered %s", u, resp.Status)
	}
	var body struct {
		Version string `json:"version"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&body); err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: GET %s: %w", u, err)
	}
	v, err := openmetadata.ParseVersion(body.Version)
	if err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: %w", err)
	}
	return v, nil
}
