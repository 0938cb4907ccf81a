package sandbox

import (
	"encoding/json"
	"net/http"
)

// Auth0 answers JSON with this content type, errors included
// [REC every cassette: "Content-Type: application/json; charset=utf-8"].
const contentTypeJSON = "application/json; charset=utf-8"

// apiError is the Management API error body
// [REC TestAccDataSourceResourceServer: {"statusCode":404,"error":"Not Found","message":"The resource server does not exist","errorCode":"inexistent_resource_server"}].
type apiError struct {
	StatusCode int    `json:"statusCode"`
	Error      string `json:"error"`
	Message    string `json:"message"`
	ErrorCode  string `json:"errorCode"`
}

func newAPIError(status int, message, code string) *apiError {
	return &apiError{StatusCode: status, Error: http.StatusText(status), Message: message, ErrorCode: code}
}

func writeAPIError(w http.ResponseWriter, status int, message, code string) {
	writeJSON(w, status, newAPIError(status, message, code))
}

func (e *apiError) write(w http.ResponseWriter) { writeJSON(w, e.StatusCode, e) }

// oauthError is the Authentication API error body, {"error","error_description"}
// [ISSUE ruby-auth0#190, node-auth0#428].
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	URI         string `json:"error_uri,omitempty"`
}

func writeOAuthError(w http.ResponseWriter, status int, e oauthError) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, e)
}

// writeJSON writes v as a compact JSON body (no trailing newline, as Auth0).
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error","errorCode":"internal_error"}`)
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeNoContent answers 204 with Auth0's content type and no body
// [REC TestClientGrantManager_Delete: DELETE → 204, Content-Type application/json; charset=utf-8].
func writeNoContent(w http.ResponseWriter) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(http.StatusNoContent)
}
