// Package e2e holds kcstack's end-to-end tests: the kcstack binary, built
// once per test run, driven as users drive it against a sandbox (or moto's
// server) on 127.0.0.1, with the aws CLI as an independent client.
package e2e
