package present

import (
	"path/filepath"
	"strings"

	"github.com/om-auth0/om-auth0/render"
)

// Program is how the operator runs om-auth0, as the commands a run prints
// name it. main sets it from os.Args[0] with ProgramName.
var Program = "om-auth0"

// ProgramName is the command that runs the binary at arg0 again: `go run .`
// for one that `go run` built in a temporary folder (the operator has no
// om-auth0 on the PATH then), else its file name.
func ProgramName(arg0 string) string {
	dir := filepath.Dir(arg0)
	if filepath.Base(dir) == "exe" && strings.Contains(filepath.ToSlash(dir), "/go-build") {
		return "go run ."
	}
	if arg0 == "" {
		return "om-auth0"
	}
	return filepath.Base(arg0)
}

// Invocation is a command line that runs om-auth0 with args, as invoked:
// the program as Program names it, then each argument quoted for the shell
// (render.CommandLine), so that Command can break it between arguments.
func Invocation(args ...string) string {
	if len(args) == 0 {
		return Program
	}
	return Program + " " + render.CommandLine(args...)
}
