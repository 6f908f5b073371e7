package e2e

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// holdingProxy stands between kcstack and the sandbox and can keep one
// AWS call in flight, as a slow answer would: the tests of a second
// Ctrl-C need the first one's stop to still be waiting for a call.
type holdingProxy struct {
	// URL is the proxy's endpoint, for env.URL.
	URL string

	next http.Handler
	mu   sync.Mutex
	arm  *heldCall
	// calls are all the calls armed, let go at the end of the test.
	calls []*heldCall
}

// heldCall is one request a holdingProxy holds: the first whose body
// contains match once armed. held closes when it arrives, release lets
// it go on to the sandbox.
type heldCall struct {
	match   string
	held    chan struct{}
	release chan struct{}
	once    sync.Once
}

// newHoldingProxy starts a proxy to next; it lets every held call go at
// the end of the test.
func newHoldingProxy(t *testing.T, next http.Handler) *holdingProxy {
	t.Helper()
	h := &holdingProxy{next: next}
	srv := httptest.NewServer(h)
	h.URL = srv.URL
	t.Cleanup(func() {
		h.mu.Lock()
		for _, c := range h.calls {
			c.letGo()
		}
		h.mu.Unlock()
		srv.Close()
	})
	return h
}

// holdNext holds the next request whose body contains match (an action,
// "Action=DescribeDBClusters") until the returned call is let go; it
// replaces a call armed before that has not arrived.
func (h *holdingProxy) holdNext(match string) *heldCall {
	c := &heldCall{match: match, held: make(chan struct{}), release: make(chan struct{})}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.arm, h.calls = c, append(h.calls, c)
	return c
}

// letGo sends the held call on to the sandbox; it may be called again.
func (c *heldCall) letGo() { c.once.Do(func() { close(c.release) }) }

// ServeHTTP forwards r to the sandbox, after holding it if it is the call
// armed. A held call whose client went away is dropped.
func (h *holdingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if c := h.take(body); c != nil {
		close(c.held)
		select {
		case <-c.release:
		case <-r.Context().Done():
			return
		}
	}
	h.next.ServeHTTP(w, r)
}

// take returns the armed call, disarmed, when body is its request.
func (h *holdingProxy) take(body []byte) *heldCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.arm
	if c == nil || !strings.Contains(string(body), c.match) {
		return nil
	}
	h.arm = nil
	return c
}
