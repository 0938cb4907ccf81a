package setup

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/openmetadata"
)

// DetectTimeout caps how long DetectVersion waits for OpenMetadata: a server
// that does not answer this fast is treated as absent.
const DetectTimeout = 3 * time.Second

// DetectVersion asks the OpenMetadata server at omURL for its version
// (GET {om}/api/v1/system/version, which needs no token). client nil means
// http.DefaultClient. The request carries no credential, so it follows
// redirects within OpenMetadata's host only; the answer is bounded like
// Auth0's (auth0http.MaxBody) and must be JSON.
func DetectVersion(ctx context.Context, client *http.Client, omURL string) (openmetadata.Version, error) {
	ctx, cancel := context.WithTimeout(ctx, DetectTimeout)
	defer cancel()
	c := auth0http.NewClient(auth0http.Options{HTTPClient: client, RequestTimeout: DetectTimeout, MaxRetries: -1, Server: "OpenMetadata"})
	u := omURL + "/api/v1/system/version"
	var body struct {
		Version string `json:"version"`
	}
	if err := auth0http.GetJSON(ctx, c, u, &body); err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: GET %s: %w", u, err)
	}
	v, err := openmetadata.ParseVersion(body.Version)
	if err != nil {
		return openmetadata.Version{}, fmt.Errorf("ask OpenMetadata for its version: %w", err)
	}
	return v, nil
}
