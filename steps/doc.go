// Package steps performs the Auth0 side of the guide "Auth0 SSO" for
// OpenMetadata through the Management API: connect to a tenant, create or
// adopt the application behind OpenMetadata's sign-in page, set up the
// ingestion bot's service account and its authorization of the Auth0
// Management API, and verify the result with real tokens. A confidential
// client on OpenMetadata 1.10 and later also gets the client_credentials
// grant type and a Management API grant (no scopes): OpenMetadata's own
// settings validator asks for a client-credentials token with its
// credentials, and the verification asks for the same token.
//
// Every step first plans (reads only) and then applies exactly the planned
// changes, so --dry-run and the wizard's confirmation screens show what will
// happen. Steps are idempotent: applications are found again by a marker in
// client_metadata (then by name), grants are upserted by (client_id,
// audience), and a second run with the same answers writes nothing. Runs at
// the same time converge: after a create, the run looks again and keeps the
// first listed of the applications with its marker, deleting only its own.
// The Management API application the session is connected with is never
// offered, found or changed.
//
//	s, err := steps.Connect(ctx, steps.ConnectRequest{Domain: d, ClientID: id, ClientSecret: secret}, steps.Options{})
//	if missing := s.MissingScopes(c); len(missing) > 0 { ... }
//	p, err := s.PlanUIApp(ctx, c)
//	ui, err := s.ApplyUIApp(ctx, p)
//	sp, err := s.PlanServiceAccount(ctx, c, ui)
//	sa, err := s.ApplyServiceAccount(ctx, sp)
//	v := s.Verify(ctx, c, ui, sa)
//
// PlanRemove and ApplyRemove undo a setup for one OpenMetadata URL: they
// delete the client grants of the applications carrying the marker, then
// those applications, never the Management application of the session.
//
// Failures are *Error values that say what Auth0's answer means for the
// operator and what to do. The package has no UI code.
package steps
