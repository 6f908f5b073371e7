// Package page holds the opaque offset tokens and windowing the sandbox's
// services share for paginated list and describe operations.
package page
