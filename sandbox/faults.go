package sandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// BodyKind is a malformed or hostile answer body for Fault.Body.
type BodyKind int

// The body kinds. Real Auth0 answers none of them on purpose; they stand
// for what a proxy, a captive portal, a broken deployment or a hostile
// host in front of the tenant can answer, which a client must survive.
const (
	// BodyServed is no body fault: the request is served.
	BodyServed BodyKind = iota
	// BodyNull is the JSON literal null.
	BodyNull
	// BodyEmpty is no body at all (Content-Length 0).
	BodyEmpty
	// BodyNotJSON is an HTML page, as a proxy or captive portal answers.
	BodyNotJSON
	// BodyOversized is a JSON array of application-like objects of Size
	// bytes (64 MiB by default), generated while it is sent.
	BodyOversized
	// BodySlow sends the headers and the start of a JSON array, then one
	// byte every Trickle, or nothing more when Trickle is 0, until the
	// client gives up, Size bytes are out, or the tenant closes.
	BodySlow
)

// HostileText is a string with terminal control sequences: it sets the
// terminal's title (OSC 0 … BEL) and clears the screen (CSI 2J). Printed
// raw, it rewrites the operator's terminal; use it as a fault's Message
// or as an application's name or description (Auth0 accepts both).
const HostileText = "\x1b]0;pwned\x07\x1b[2Jbad"

// defaultOversized is BodyOversized's default size: past any sane cap on
// a Management API answer, small enough to generate quickly.
const defaultOversized = 64 << 20

// writeRedirect answers f's redirect to f.RedirectTo plus the request's
// path and query, so that a client that follows it asks the other host
// for the same resource.
func writeRedirect(w http.ResponseWriter, r *http.Request, f *Fault) {
	if f.RedirectTo != "" {
		w.Header().Set("Location", strings.TrimSuffix(f.RedirectTo, "/")+r.URL.RequestURI())
	}
	w.WriteHeader(f.Redirect)
}

// writeBodyFault answers f.Body with f.Status (default 200).
func (s *Server) writeBodyFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	s.record(r, status)
	h := w.Header()
	switch f.Body {
	case BodyNull:
		writeRaw(w, status, []byte("null"))
	case BodyEmpty:
		h.Set("Content-Type", contentTypeJSON)
		h.Set("Content-Length", "0")
		w.WriteHeader(status)
	case BodyNotJSON:
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "<html><head><title>Service</title></head><body><h1>Please sign in to the network</h1></body></html>")
	case BodyOversized, BodySlow:
		ctx, done := s.startStream(r.Context())
		if ctx == nil {
			return // the tenant is closing
		}
		defer done()
		h.Set("Content-Type", contentTypeJSON)
		w.WriteHeader(status)
		rc := http.NewResponseController(w)
		_ = rc.Flush() // the headers leave now, the body later
		size := f.Size
		var out io.Writer = &flushWriter{ctx: ctx, w: w, rc: rc}
		if f.Body == BodyOversized {
			if size <= 0 {
				size = defaultOversized
			}
		} else {
			out = &trickleWriter{ctx: ctx, w: w, rc: rc, pause: f.Trickle}
		}
		if err := writeArray(out, size); err != nil {
			// A cut stream must not end like a complete answer: break the
			// connection (HTTP/2: reset the stream) instead of finishing it.
			panic(http.ErrAbortHandler)
		}
	}
}

// startStream registers a streamed answer so that Close can end it and
// wait for it. It returns a context done when the client leaves or the
// tenant closes, and the function to call when the stream ends; a nil
// context means the tenant is already closing.
func (s *Server) startStream(parent context.Context) (context.Context, func()) {
	s.streamMu.Lock()
	defer s.streamMu.Unlock()
	if s.closing {
		return nil, nil
	}
	s.streams.Add(1)
	s.activeStreams++
	ctx, cancel := context.WithCancel(parent)
	stop := context.AfterFunc(s.closed, cancel)
	return ctx, func() {
		stop()
		cancel()
		s.streamMu.Lock()
		s.activeStreams--
		s.streamMu.Unlock()
		s.streams.Done()
	}
}

// streaming is how many streamed answers are under way (for tests: none
// may outlive its client).
func (s *Server) streaming() int {
	s.streamMu.Lock()
	defer s.streamMu.Unlock()
	return s.activeStreams
}

// oversizedItem is one element of a generated array: an application as a
// client listing would show it.
const oversizedItem = `{"client_id":"0versized0answer0from0the0tenant0","name":"Oversized answer","app_type":"spa","callbacks":["https://example.com/callback"]}`

// writeArray writes a JSON array of oversizedItem of exactly size bytes
// (whitespace pads it), or an endless one when size <= 0. It generates the
// array while writing: memory stays constant whatever the size.
func writeArray(w io.Writer, size int64) error {
	const unit = "," + oversizedItem
	chunk := []byte(strings.Repeat(unit, 512))
	endless := size <= 0
	if !endless && size < int64(2+len(oversizedItem)) {
		_, err := io.WriteString(w, "["+strings.Repeat(" ", int(max(size-2, 0)))+"]")
		return err
	}
	if _, err := io.WriteString(w, "["+oversizedItem); err != nil {
		return err
	}
	left := size - int64(2+len(oversizedItem)) // what goes between the first item and "]"
	for endless || left >= int64(len(unit)) {
		n := int64(len(chunk))
		if !endless {
			n = min(n, left/int64(len(unit))*int64(len(unit)))
		}
		if _, err := w.Write(chunk[:n]); err != nil {
			return err
		}
		left -= n
	}
	_, err := io.WriteString(w, strings.Repeat(" ", int(left))+"]")
	return err
}

// errClientGone ends a stream whose client left or whose tenant closed.
var errClientGone = errors.New("the client is gone or the tenant is closing")

// flushWriter writes through to the client as fast as it reads, flushing
// each write, and stops when ctx is done.
type flushWriter struct {
	ctx context.Context
	w   io.Writer
	rc  *http.ResponseController
}

func (f *flushWriter) Write(p []byte) (int, error) {
	if f.ctx.Err() != nil {
		return 0, errClientGone
	}
	n, err := f.w.Write(p)
	if err == nil {
		err = f.rc.Flush()
	}
	return n, err
}

// trickleWriter sends one byte per pause (or, with no pause, the first
// byte and then nothing), and stops when ctx is done.
type trickleWriter struct {
	ctx   context.Context
	w     io.Writer
	rc    *http.ResponseController
	pause time.Duration
	sent  bool
}

func (t *trickleWriter) Write(p []byte) (int, error) {
	for i := range p {
		if t.sent {
			if t.pause <= 0 {
				<-t.ctx.Done()
				return i, errClientGone
			}
			timer := time.NewTimer(t.pause)
			select {
			case <-t.ctx.Done():
				timer.Stop()
				return i, errClientGone
			case <-timer.C:
			}
		}
		if _, err := t.w.Write(p[i : i+1]); err != nil {
			return i, err
		}
		if err := t.rc.Flush(); err != nil {
			return i, err
		}
		t.sent = true
	}
	return len(p), nil
}
