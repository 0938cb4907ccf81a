// Package e2e holds om-auth0's end-to-end terminal tests: they build the
// binary, run `om-auth0 sandbox` in a 100×30 tmux pane without colour (and,
// in TestSandboxSmallTerminal, an 80×24 one with colour), answer every prompt
// with tmux send-keys as an operator would, and check the screens, the files
// written and the simulated tenant's final state. Each section's screen is
// compared with testdata/screens/, after ports, client ids and the temporary
// folder are replaced by stand-ins.
//
//	go test ./e2e/            # needs tmux: skipped without it, a failure with OM_AUTH0_REQUIRE_REFERENCE=1
//	go test ./e2e/ -update    # rewrites testdata/screens/ after a meant change; review git diff
package e2e
