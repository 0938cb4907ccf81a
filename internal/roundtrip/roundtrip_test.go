package roundtrip

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Requests sent together share a depth; a request sent after another
// answered is one deeper. An answer the test holds back makes "together"
// certain without timing anything.
func TestTransportCountsRoundTrips(t *testing.T) {
	release := make(chan struct{})
	var arrived sync.WaitGroup
	arrived.Add(2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/together" {
			arrived.Done()
			<-release
		}
	}))
	defer srv.Close()
	d := &Transport{Base: http.DefaultTransport, Delay: time.Millisecond}
	c := &http.Client{Transport: d}
	get := func(path string) {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
	}
	get("/first")
	var wg sync.WaitGroup
	wg.Go(func() { get("/together") })
	wg.Go(func() { get("/together") })
	arrived.Wait() // both sent before either answers
	close(release)
	wg.Wait()
	get("/last")
	if requests, roundtrips := d.Counts(); requests != 4 || roundtrips != 3 {
		t.Errorf("requests %d, round trips %d; want 4 and 3", requests, roundtrips)
	}
	d.Reset()
	if requests, roundtrips := d.Counts(); requests != 0 || roundtrips != 0 {
		t.Errorf("after Reset: %d, %d", requests, roundtrips)
	}
}
