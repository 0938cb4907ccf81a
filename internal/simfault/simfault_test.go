package simfault

import (
	"net/http/httptest"
	"testing"
)

func TestMatch(t *testing.T) {
	for _, tt := range []struct {
		m            Match
		method, path string
		want         bool
	}{
		{Match{}, "GET", "/x", true},
		{Match{Method: "post"}, "POST", "/x", true},
		{Match{Method: "POST"}, "GET", "/x", false},
		{Match{Path: "/api/v2/clients"}, "GET", "/api/v2/clients", true},
		{Match{Path: "/api/v2/clients"}, "GET", "/api/v2/clients/abc", false},
		{Match{Path: "/api/v2/clients*"}, "GET", "/api/v2/clients/abc", true},
		{Match{Path: "/api/v2/clients*"}, "GET", "/api/v2/client-grants", false},
	} {
		if got := tt.m.Matches(httptest.NewRequest(tt.method, tt.path, nil)); got != tt.want {
			t.Errorf("%+v on %s %s = %v, want %v", tt.m, tt.method, tt.path, got, tt.want)
		}
	}
}

// A fault fires once, on the Nth matching request; of two due on the same
// request the earlier armed fires and the other waits for the next one.
func TestQueue(t *testing.T) {
	var q Queue[string]
	q.Arm(Match{Path: "/a", Nth: 2}, "second a")
	q.Arm(Match{Path: "/a"}, "first a")
	q.Arm(Match{Path: "/b"}, "b")
	req := func(p string) (string, bool) { return q.Take(httptest.NewRequest("GET", p, nil)) }
	steps := []struct {
		path string
		want string
		ok   bool
	}{
		{"/a", "first a", true},  // "second a" has seen 1 of 2
		{"/a", "second a", true}, // now due
		{"/a", "", false},        // both fired
		{"/b", "b", true},
		{"/b", "", false},
	}
	for i, s := range steps {
		if got, ok := req(s.path); got != s.want || ok != s.ok {
			t.Fatalf("step %d (%s) = %q %v, want %q %v", i, s.path, got, ok, s.want, s.ok)
		}
	}

	var both Queue[int]
	both.Arm(Match{Path: "/c"}, 1)
	both.Arm(Match{Path: "/c"}, 2)
	r := httptest.NewRequest("GET", "/c", nil)
	if f, _ := both.Take(r); f != 1 {
		t.Fatalf("first = %d, want the earlier armed", f)
	}
	if f, ok := both.Take(r); f != 2 || !ok {
		t.Fatalf("second = %d %v, want the one that waited", f, ok)
	}
}
