// Package proc runs the server processes that test helpers start (moto,
// etcd, kube-apiserver): each in its own process group, killed by the
// kernel if the test process dies first, its output in a log file, and
// stopped by its own process id, never by name.
package proc
