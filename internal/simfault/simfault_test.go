package simfault

import (
	"io"
	"net/http/httptest"
	"strings"
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
		{Match{Body: `"app_type":"spa"`}, "POST", "/api/v2/clients", true},
		{Match{Body: `"app_type":"non_interactive"`}, "POST", "/api/v2/clients", false},
		{Match{Path: "/api/v2/clients", Body: `"spa"`}, "POST", "/api/v2/client-grants", false},
	} {
		r := httptest.NewRequest(tt.method, tt.path, strings.NewReader(`{"name":"OpenMetadata","app_type":"spa"}`))
		if got := tt.m.Matches(r); got != tt.want {
			t.Errorf("%+v on %s %s = %v, want %v", tt.m, tt.method, tt.path, got, tt.want)
		}
		// The handler still reads the whole body.
		if b, err := io.ReadAll(r.Body); err != nil || string(b) != `{"name":"OpenMetadata","app_type":"spa"}` {
			t.Errorf("%+v left the body %q, %v", tt.m, b, err)
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
