// Package iostreams holds the process's standard streams and decides, in one
// place, whether om-auth0 may prompt and whether it may use colour.
//
// The wizard draws on stderr so that stdout stays clean for --json output.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/charmbracelet/x/term"
)

// IOStreams are the streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stderrTTY bool
	getenv    func(string) string
}

// System returns the process's own streams.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		stdinTTY:  term.IsTerminal(os.Stdin.Fd()),
		stderrTTY: term.IsTerminal(os.Stderr.Fd()),
		getenv:    os.Getenv,
	}
}

// Test returns streams backed by buffers, with no terminal attached.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, getenv: func(string) string { return "" }}, in, out, errOut
}

// SetTTY marks stdin and stderr as terminals (for tests).
func (s *IOStreams) SetTTY(tty bool) { s.stdinTTY, s.stderrTTY = tty, tty }

// SetEnv replaces the environment lookup (for tests).
func (s *IOStreams) SetEnv(getenv func(string) string) { s.getenv = getenv }

// Getenv reads an environment variable through the streams' environment.
func (s *IOStreams) Getenv(key string) string {
	if s.getenv == nil {
		return ""
	}
	return s.getenv(key)
}

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStderrTTY reports whether stderr (where the wizard draws) is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// CanPrompt reports whether an interactive prompt can be shown: both the
// keyboard (stdin) and the screen (stderr) must be terminals.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stderrTTY }

// Width is the width in cells of the terminal w writes to, or 0 when w is
// not a terminal (a file or a pipe, where no line is wrapped).
func Width(w io.Writer) int {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok || !term.IsTerminal(f.Fd()) {
		return 0
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil {
		return 0
	}
	return width
}

// ColorEnabled reports whether colour may be used on stderr: a terminal,
// NO_COLOR unset and TERM not "dumb".
func (s *IOStreams) ColorEnabled() bool {
	return s.stderrTTY && s.Getenv("NO_COLOR") == "" && s.Getenv("TERM") != "dumb"
}
