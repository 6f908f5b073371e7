// Package golden compares test output with golden files, rewriting them
// when the test runs with -update.
package golden
