package steps

import "fmt"

// Error is an Auth0 (or network) failure turned into what it means for the
// operator and what to do about it. Status, Code and Auth0Message keep Auth0's
// own answer for --json.
type Error struct {
	Op           string // what the step was doing, e.g. "create application \"OpenMetadata\""
	Meaning      string // what went wrong, in the operator's terms
	Hint         string // what to do
	Status       int    // Auth0 HTTP status; 0 when there was no answer
	Code         string // Auth0 errorCode or OAuth error
	Auth0Message string // Auth0's message, verbatim
	// BadInput says the operator's answer is what is wrong (exit 2), found
	// before anything changed, e.g. an --app-id naming the Management API
	// application or a scope the tenant does not define.
	BadInput bool
	Err      error
}

// Error renders "op: meaning — hint".
func (e *Error) Error() string {
	msg := e.Meaning
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Hint != "" {
		msg += " — " + e.Hint
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Detail is Auth0's own status and message, for logs and --json.
func (e *Error) Detail() string {
	if e.Status == 0 {
		return ""
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Auth0Message)
}
