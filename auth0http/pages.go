package auth0http

import (
	"context"

	"github.com/om-auth0/om-auth0/crash"
	"golang.org/x/sync/errgroup"
)

// PageLimit is the most records Auth0 serves by page; beyond it a list needs
// checkpoint pagination [ISSUE auth0-python#277].
const PageLimit = 1000

// Readers is how many pages to read at once: most, or fewer when the
// budget is small. x-ratelimit-limit is the burst the tenant admits; one
// reader per two requests of it leaves room for requests that overlap the
// listing, so a free tenant (2 requests/s, bursts of 2) is read one page at
// a time instead of by several readers racing for two requests.
// x-ratelimit-remaining is not used: it is the budget of one moment, which
// refills within a second on a paid tenant.
func (b RateBudget) Readers(most int) int {
	if b.Limit == 0 {
		return most
	}
	return max(1, min(most, b.Limit/2))
}

// ReadPages calls read for the pages from first to last, inclusive, with at
// most readers at once. It returns the first error, which cancels the
// context of the reads still under way.
func ReadPages(ctx context.Context, first, last, readers int, read func(ctx context.Context, page int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(readers)
	for i := first; i <= last; i++ {
		g.Go(crash.Func(func() error { return read(gctx, i) }))
	}
	return g.Wait()
}

// RepeatedCheckpointError is a checkpoint listing whose page named the
// checkpoint it was read from as the next one: reading on would read the
// same page forever.
type RepeatedCheckpointError struct{ From string }

// Error names the checkpoint.
func (e *RepeatedCheckpointError) Error() string {
	return "Auth0 answered the same checkpoint twice (" + e.From + ")"
}

// ReadCheckpoints reads a list by checkpoint pagination, one page after the
// other: read gets the page after checkpoint from ("" for the first page)
// and returns the next checkpoint, "" after the last page.
func ReadCheckpoints(read func(from string) (next string, err error)) error {
	for from := ""; ; {
		next, err := read(from)
		if err != nil {
			return err
		}
		if next == "" {
			return nil
		}
		if next == from {
			return &RepeatedCheckpointError{From: from}
		}
		from = next
	}
}
