package crash

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorIsOneLineOfPrintableText(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"string", "index out of range", "internal error: index out of range"},
		{"error", errors.New("nil pointer"), "internal error: nil pointer"},
		{"escape sequences and newlines", "title\x1b]0;x\a\nline\u202e", "internal error: title ]0;x  line "},
		{"not UTF-8", "bad \xff byte", "internal error: bad ? byte"},
		{"long", strings.Repeat("é", maxValueLen+5), "internal error: " + strings.Repeat("é", maxValueLen) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (&Error{Value: tt.value}).Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

// Recovered keeps the stack of where the panic happened, and an *Error
// panicked again as it is.
func TestRecovered(t *testing.T) {
	e := func() (e *Error) {
		defer func() { e = Recovered(recover()) }()
		panicHere()
		return nil
	}()
	if e.Value != "here" || !strings.Contains(string(e.Stack), "crash.panicHere") {
		t.Fatalf("value %v, stack:\n%s", e.Value, e.Stack)
	}
	if again := Recovered(e); again != e {
		t.Fatalf("Recovered(*Error) = %p, want %p", again, e)
	}
}

func panicHere() { panic("here") }
