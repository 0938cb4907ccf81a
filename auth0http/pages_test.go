package auth0http

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

func TestReaders(t *testing.T) {
	tests := []struct {
		limit, most, want int
	}{
		{0, 4, 4},    // no limit announced
		{2, 4, 1},    // a free tenant
		{1, 4, 1},    // never fewer than one
		{5, 4, 2},    // one reader per two requests of burst
		{50, 4, 4},   // capped by most
		{50, 10, 10}, // a larger cap
	}
	for _, tt := range tests {
		if got := (RateBudget{Limit: tt.limit}).Readers(tt.most); got != tt.want {
			t.Errorf("RateBudget{%d}.Readers(%d) = %d, want %d", tt.limit, tt.most, got, tt.want)
		}
	}
}

func TestReadPages(t *testing.T) {
	var mu sync.Mutex
	var got []int
	var now, peak atomic.Int32
	err := ReadPages(context.Background(), 1, 6, 2, func(_ context.Context, page int) error {
		n := now.Add(1)
		defer now.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		mu.Lock()
		got = append(got, page)
		mu.Unlock()
		return nil
	})
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 4, 5, 6}) || peak.Load() > 2 {
		t.Fatalf("pages %v, err %v, %d at once (want at most 2)", got, err, peak.Load())
	}
	boom := errors.New("boom")
	err = ReadPages(context.Background(), 1, 3, 1, func(ctx context.Context, page int) error {
		if page == 2 {
			return boom
		}
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the failing page's", err)
	}
}

func TestReadCheckpoints(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		next     map[string]string // from → next
		fail     string            // the checkpoint whose read fails; "-" for none
		wantRead []string
		wantErr  string
	}{
		{"one page", map[string]string{"": ""}, "-", []string{""}, ""},
		{"three pages", map[string]string{"": "a", "a": "b", "b": ""}, "-", []string{"", "a", "b"}, ""},
		{"a checkpoint that does not move", map[string]string{"": "a", "a": "a"}, "-", []string{"", "a"}, "Auth0 answered the same checkpoint twice (a)"},
		{"a failed read stops", map[string]string{"": "a", "a": "b"}, "a", []string{"", "a"}, "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read []string
			err := ReadCheckpoints(func(from string) (string, error) {
				read = append(read, from)
				if from == tt.fail {
					return "", boom
				}
				return tt.next[from], nil
			})
			if !slices.Equal(read, tt.wantRead) {
				t.Errorf("read %q, want %q", read, tt.wantRead)
			}
			if (err == nil) != (tt.wantErr == "") || err != nil && err.Error() != tt.wantErr {
				t.Errorf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
