package kube

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// plainClient is the HTTP client for etcd's plain-HTTP health endpoint.
var plainClient = &http.Client{Timeout: 2 * time.Second}

// tlsClient returns an HTTP client that trusts only caPEM.
func tlsClient(caPEM []byte) (*http.Client, error) {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("no certificate in the generated CA")
	}
	return &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
	}, nil
}

// answers200 returns a readiness check that GETs url (with token as a
// bearer token when set) and wants HTTP 200; otherwise its error carries
// the status and the start of the body, which for /readyz names the
// checks still failing.
func answers200(client *http.Client, url, token string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: HTTP %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
		}
		return nil
	}
}
