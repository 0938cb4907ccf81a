package auth0http

import (
	"context"
	"errors"
	"testing"

	"github.com/om-auth0/om-auth0/crash"
)

// A bug in a page's reader does not take the process down from its
// goroutine: it comes back as the listing's error, a *crash.Error, which the
// command reports as a bug.
func TestReadPagesReturnsAPanicAsABug(t *testing.T) {
	err := ReadPages(context.Background(), 0, 3, 2, func(_ context.Context, page int) error {
		if page == 2 {
			var m map[string]int
			m["x"]++ // nil map: a bug
		}
		return nil
	})
	var ce *crash.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *crash.Error", err)
	}
}
