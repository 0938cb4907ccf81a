// Command om-auth0 sets up Auth0 single sign-on for OpenMetadata: it does the
// guide's Auth0 dashboard work through the Management API and writes the
// configuration for Docker, bare metal or Kubernetes.
package main

import (
	"os"

	"github.com/om-auth0/om-auth0/cmd"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/present"
)

func main() {
	present.Program = present.ProgramName(os.Args[0])
	os.Exit(cmd.Main(os.Args[1:], iostreams.System()))
}
