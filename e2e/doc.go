// Package e2e holds om-auth0's end-to-end terminal tests: they build the
// binary, run `om-auth0 sandbox` in a 100×30 tmux pane, answer every prompt
// with tmux send-keys as an operator would, and check the screens, the files
// written and the simulated tenant's final state.
//
//	go test ./e2e/            # needs tmux; skipped without it unless $CI is set
//	go test ./e2e/ -update    # also saves each section's screen to testdata/screens/
package e2e
