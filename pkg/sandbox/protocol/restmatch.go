package protocol

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/model"
)

// RESTRequest is what routing a REST request found: the operation and the
// values of its URI labels ({Bucket}, {Key+}).
type RESTRequest struct {
	Op     *model.Operation
	Labels map[string]string
}

// MatchREST finds the operation of a REST request from its method, path and
// query: among the operations whose requestUri pattern matches the path and
// whose literal query parameters (?tagging, ?list-type=2) are present, the
// one with the most literal query parameters. path is the decoded path
// (for S3 with the bucket of a virtual-host request already prefixed).
//
// Operations sharing a URI (PutObject and CopyObject) are told apart by
// their required header and query members: an operation matches only when
// the request carries them.
func MatchREST(m *model.Model, method, path string, query url.Values, header http.Header) (RESTRequest, bool) {
	var best RESTRequest
	bestScore := -1
	for _, name := range sortedOps(m) {
		op := m.Operations[name]
		if op.HTTP.Method != method {
			continue
		}
		labels, score, ok := matchURI(op.HTTP.RequestURI, path, query)
		if ok && score > bestScore && hasRequired(m, op, query, header) {
			best, bestScore = RESTRequest{Op: op, Labels: labels}, score
		}
	}
	return best, bestScore >= 0
}

// hasRequired reports whether the request carries every required header
// and query member of the operation's input.
func hasRequired(m *model.Model, op *model.Operation, query url.Values, header http.Header) bool {
	s := m.Shape(op.Input)
	if s == nil {
		return true
	}
	for _, name := range s.Required {
		ref := s.Members[name]
		switch {
		case ref == nil:
		case ref.Location == "header" && header.Get(ref.LocationName) == "":
			return false
		case ref.Location == "querystring" && !query.Has(ref.LocationName):
			return false
		}
	}
	return true
}

func sortedOps(m *model.Model) []string {
	names := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// matchURI matches one requestUri ("/{Bucket}/{Key+}?tagging") against a
// request; the score counts the literal query parameters it requires.
func matchURI(pattern, path string, query url.Values) (map[string]string, int, bool) {
	pathPattern, queryPattern, _ := strings.Cut(pattern, "?")
	labels, ok := matchPath(pathPattern, path)
	if !ok {
		return nil, 0, false
	}
	score := 0
	if queryPattern != "" {
		for _, part := range strings.Split(queryPattern, "&") {
			k, v, hasValue := strings.Cut(part, "=")
			if k == "x-id" {
				continue // the SDKs' operation hint, not required
			}
			got, present := query[k]
			if !present || (hasValue && (len(got) == 0 || got[0] != v)) {
				return nil, 0, false
			}
			score++
		}
	}
	return labels, score, true
}

// matchPath matches "/{Bucket}/{Key+}" against "/b/some/key". A trailing
// greedy label takes the rest of the path; a plain label one non-empty
// segment.
func matchPath(pattern, path string) (map[string]string, bool) {
	labels := map[string]string{}
	pp := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	rest := strings.TrimPrefix(path, "/")
	for i, seg := range pp {
		if seg == "" && i == len(pp)-1 {
			return labels, rest == ""
		}
		if !strings.HasPrefix(seg, "{") {
			head, tail, _ := strings.Cut(rest, "/")
			if head != seg {
				return nil, false
			}
			rest = tail
			continue
		}
		name := strings.Trim(seg, "{}")
		if greedy, ok := strings.CutSuffix(name, "+"); ok {
			if rest == "" {
				return nil, false
			}
			labels[greedy] = rest
			return labels, true
		}
		head, tail, found := strings.Cut(rest, "/")
		if head == "" || (found && i == len(pp)-1 && tail != "") {
			return nil, false
		}
		labels[name] = head
		rest = tail
		if !found && i < len(pp)-1 {
			return nil, false
		}
	}
	return labels, rest == ""
}

// RESTPath returns the path to route an S3-style request by: the decoded
// path, with the bucket of a virtual-host request (bucket.s3.… or
// bucket.localhost) put in front.
func RESTPath(r *http.Request) string {
	host := r.Host
	if h, _, err := splitHostPort(host); err == nil {
		host = h
	}
	for _, marker := range []string{".s3.", ".s3-", ".localhost"} {
		if i := strings.Index(host, marker); i > 0 {
			return "/" + host[:i] + r.URL.Path
		}
	}
	return r.URL.Path
}

func splitHostPort(host string) (string, string, error) {
	i := strings.LastIndex(host, ":")
	if i < 0 || strings.Contains(host[i:], "]") {
		return host, "", nil
	}
	return host[:i], host[i+1:], nil
}
