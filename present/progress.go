package present

import (
	"fmt"
	"io"
)

// Progress writes a run's progress lines for a person, one a line, marked
// ✓ ! ✗ (ok: warning: FAILED: in ASCII): setup's, remove's and apply's.
type Progress struct {
	w  io.Writer
	St *Styles // the plain styles its marks come from, for the run's other text
}

// NewProgress writes to w (nil discards), with ASCII marks when ascii.
func NewProgress(w io.Writer, ascii bool) *Progress {
	if w == nil {
		w = io.Discard
	}
	return &Progress{w: w, St: Plain(ascii)}
}

func (p *Progress) line(mark, format string, a ...any) {
	fmt.Fprintf(p.w, mark+" "+format+"\n", a...)
}

// OK writes a line of something done.
func (p *Progress) OK(format string, a ...any) { p.line(p.St.CheckMark(), format, a...) }

// Fail writes a line of something that failed.
func (p *Progress) Fail(format string, a ...any) { p.line(p.St.FailMark(), format, a...) }

// Warn writes a line of something the operator should know.
func (p *Progress) Warn(format string, a ...any) { p.line(p.St.WarnMark(), format, a...) }
