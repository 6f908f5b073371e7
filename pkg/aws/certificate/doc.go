// Package certificate checks, before a plan creates anything, what only
// AWS knows about the ACM certificate of an HTTPS listener: that it
// exists, is issued, and is in the load balancer's region. Without it a
// wrong ARN fails at CreateListener, after everything before the listener
// was created.
package certificate
