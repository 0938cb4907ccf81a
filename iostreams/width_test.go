package iostreams

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWidthNotATerminal: a buffer, a file and a pipe have no width, so a
// report written to them keeps every command on one line.
func TestWidthNotATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "report"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"buffer": &bytes.Buffer{}, "file": f, "pipe": w} {
		if got := Width(out); got != 0 {
			t.Errorf("%s: Width = %d, want 0", name, got)
		}
	}
}
