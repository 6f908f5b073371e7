package sandbox

import (
	"fmt"
	"net"
	"net/netip"
)

// checkListen refuses an address that is not a loopback one (127.0.0.0/8,
// ::1, localhost) unless remote is allowed: whoever reaches the port can
// read and change everything the sandbox holds, secrets included.
func checkListen(addr string, remote bool) error {
	if remote || isLoopback(addr) {
		return nil
	}
	return fmt.Errorf("listen address %s is not a loopback address (127.0.0.0/8, ::1, localhost): "+
		"anyone who can reach it could read and change what the sandbox holds, secrets included, "+
		"and without --credentials any signature is accepted; listen on 127.0.0.1, or allow it with --allow-remote", addr)
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
