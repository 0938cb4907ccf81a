package cmd

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/om-auth0/om-auth0/iostreams"
)

// Version is om-auth0's version. Release builds set it with
// -ldflags "-X github.com/om-auth0/om-auth0/cmd.Version=1.2.3"; otherwise it
// comes from the module's build info.
var Version = ""

// versionString is the version to print: the -ldflags value, else the module
// version, else the VCS revision, else "dev".
func versionString() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "dev-" + s.Value[:12]
		}
	}
	return "dev"
}

func newVersionCmd(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print om-auth0's version",
		Example: `  om-auth0 version
  # a release build sets it at link time:
  go build -ldflags "-X github.com/om-auth0/om-auth0/cmd.Version=1.2.3" -o om-auth0 .`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(ios.Out, "om-auth0 %s\n", versionString())
			return err
		},
	}
}
