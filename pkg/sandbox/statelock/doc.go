// Package statelock keeps two processes from using one sandbox state file
// at once. A sandbox loads its state file when it starts and writes it
// after every change; two sandboxes on one file would each overwrite the
// other's changes. The lock is an OS file lock (flock) on a file next to
// the state, <state>.lock, held for the sandbox's whole life: the kernel
// releases it when the process exits, however it exits, so a lock is
// never left behind. The lock file records the holder's pid and command
// line for the messages of those who wait.
package statelock
