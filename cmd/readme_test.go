package cmd

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/om-auth0/om-auth0/iostreams"
)

// TestReadmeFlagsTableMatchesHelp keeps the README's `setup` flags table and
// `om-auth0 setup --help` naming the same flags and environment variables.
func TestReadmeFlagsTableMatchesHelp(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## `setup` flags")
	if !ok {
		t.Fatal("README has no \"## `setup` flags\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	row := regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| (?:`([A-Z_0-9]+)`)? *\\|")
	readmeFlags := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		readmeFlags[m[1]] = m[2]
	}

	ios, _, _, _ := iostreams.Test()
	root := NewRootCmd(ios)
	setup, _, err := root.Find([]string{"setup"})
	if err != nil {
		t.Fatal(err)
	}
	helpFlags := map[string]string{}
	envInUsage := regexp.MustCompile(`\[\$([A-Z_0-9]+)\]`)
	setup.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		env := ""
		if m := envInUsage.FindStringSubmatch(f.Usage); m != nil {
			env = m[1]
		}
		helpFlags[f.Name] = env
	})
	if len(helpFlags) == 0 {
		t.Fatal("setup has no flags")
	}
	for name, env := range helpFlags {
		got, ok := readmeFlags[name]
		if !ok {
			t.Errorf("README table lacks --%s", name)
		} else if got != env {
			t.Errorf("--%s: README names env %q, --help names %q", name, got, env)
		}
	}
	var extra []string
	for name := range readmeFlags {
		if _, ok := helpFlags[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	if len(extra) > 0 {
		t.Errorf("README table has flags --help does not: %v", extra)
	}
}
