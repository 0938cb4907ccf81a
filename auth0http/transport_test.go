package auth0http

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func fastOptions() Options {
	// Two 1 ms waits for 429s, then the request gives up: three attempts.
	return Options{MaxBackoff: time.Millisecond, RateLimitWait: 2 * time.Millisecond, RequestTimeout: 2 * time.Second}
}

func TestRateLimitDelay(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	tr := &retryTransport{maxBackoff: 10 * time.Second, now: func() time.Time { return now }}
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := map[string]struct {
		tr   *retryTransport
		h    http.Header
		want time.Duration
	}{
		"X-RateLimit-Reset in 3s":          {tr, h("X-RateLimit-Reset", strconv.FormatInt(now.Unix()+3, 10)), 3 * time.Second},
		"reset already passed: the floor":  {tr, h("X-RateLimit-Reset", strconv.FormatInt(now.Unix()-5, 10)), time.Second},
		"reset far away: capped":           {tr, h("X-RateLimit-Reset", strconv.FormatInt(now.Unix()+60, 10)), 10 * time.Second},
		"Retry-After wins":                 {tr, h("Retry-After", "2", "X-RateLimit-Reset", strconv.FormatInt(now.Unix()+9, 10)), 2 * time.Second},
		"shrunk backoff clamps everything": {&retryTransport{maxBackoff: 5 * time.Millisecond, now: tr.now}, h("X-RateLimit-Reset", strconv.FormatInt(now.Unix()+3, 10)), 5 * time.Millisecond},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := tt.tr.rateLimitDelay(0, tt.h); got != tt.want {
				t.Errorf("delay = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRetryTransport(t *testing.T) {
	// Every wait is 1 ms (MaxBackoff); 429s may wait 2 ms in total.
	tests := map[string]struct {
		method    string
		answers   []int // status per attempt; 0 closes the connection
		wantTries int
		wantCode  int
		wantErr   bool
		opts      func(*Options) // changes fastOptions
	}{
		"429 then OK":                             {http.MethodPost, []int{429, 200}, 2, 200, false, nil},
		"429 given up when the waits pass 2 ms":   {http.MethodGet, []int{429, 429, 429, 429}, 3, 429, false, nil},
		"POST 429 retried within the wait budget": {http.MethodPost, []int{429, 429, 429, 429, 429, 200}, 6, 200, false, func(o *Options) { o.RateLimitWait = 5 * time.Millisecond }},
		"429s do not use up the 5xx retries":      {http.MethodGet, []int{429, 429, 429, 503, 503, 200}, 6, 200, false, func(o *Options) { o.RateLimitWait = 3 * time.Millisecond }},
		"429 retries off with MaxRetries < 0":     {http.MethodGet, []int{429, 200}, 1, 429, false, func(o *Options) { o.MaxRetries = -1 }},
		"GET 503 retried":                         {http.MethodGet, []int{503, 200}, 2, 200, false, nil},
		"GET 503 given up after 2 retries":        {http.MethodGet, []int{503, 503, 503, 200}, 3, 503, false, nil},
		"POST 503 not retried":                    {http.MethodPost, []int{503, 200}, 1, 503, false, nil},
		"GET dropped connection retried":          {http.MethodGet, []int{0, 200}, 2, 200, false, nil},
		"POST dropped connection lost":            {http.MethodPost, []int{0, 200}, 1, 0, true, nil},
		"400 not retried":                         {http.MethodGet, []int{400, 200}, 1, 400, false, nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var n atomic.Int32
			var mu sync.Mutex
			var bodies []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				if i >= len(tt.answers) {
					w.WriteHeader(http.StatusTeapot) // more attempts than the test expects
					return
				}
				b := make([]byte, 64)
				k, _ := r.Body.Read(b)
				mu.Lock()
				bodies = append(bodies, string(b[:k]))
				mu.Unlock()
				if tt.answers[i] == 0 {
					hj, _ := w.(http.Hijacker)
					c, _, _ := hj.Hijack()
					c.Close()
					return
				}
				w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Unix()+1, 10))
				w.WriteHeader(tt.answers[i])
				_, _ = w.Write([]byte("{}"))
			}))
			defer srv.Close()
			opts := fastOptions()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			client := NewClient(opts)
			req, _ := http.NewRequest(tt.method, srv.URL, strings.NewReader("payload"))
			start := time.Now()
			resp, err := client.Do(req)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("took %v with a 1ms backoff", elapsed)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if resp != nil {
				resp.Body.Close()
				if resp.StatusCode != tt.wantCode {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantCode)
				}
			}
			if got := int(n.Load()); got != tt.wantTries {
				t.Errorf("attempts = %d, want %d", got, tt.wantTries)
			}
			mu.Lock()
			defer mu.Unlock()
			for i, b := range bodies {
				if tt.method == http.MethodPost && b != "payload" {
					t.Errorf("attempt %d body = %q, want the payload resent", i+1, b)
				}
			}
		})
	}
}

func TestAttemptTimeout(t *testing.T) {
	release := make(chan struct{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		_, _ = w.Write([]byte("{}"))
	}))
	defer srv.Close()
	defer close(release)
	client := NewClient(Options{RequestTimeout: 50 * time.Millisecond, MaxBackoff: time.Millisecond})
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatalf("a GET whose first attempt timed out was not retried: %v", err)
	}
	resp.Body.Close()
	if n.Load() != 2 {
		t.Errorf("attempts = %d, want 2", n.Load())
	}
}
