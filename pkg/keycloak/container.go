package keycloak

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/stack"
)

// ContainerName is the name of the Keycloak container in the task
// definition, for the service's load balancer registration.
const ContainerName = "keycloak"

// Ports Keycloak listens on in the task.
const (
	// HTTPPort serves HTTP behind the load balancer (TLS ends there).
	HTTPPort int32 = 8080
	// ManagementPort serves health and metrics from Keycloak 25.
	ManagementPort int32 = 9000
	// JGroupsPort carries the cluster traffic between tasks.
	JGroupsPort int32 = 7800
	// JGroupsFDPort is JGroups' failure detection, JGroupsPort + 50000.
	JGroupsFDPort int32 = 57800
)

// HealthPath is Keycloak's readiness endpoint.
const HealthPath = "/health/ready"

// HealthCheck returns where a load balancer checks a Keycloak of version
// v: /health/ready on the management port 9000 from 25, on 8080 before.
func HealthCheck(v stack.Version) (port int32, path string) {
	if v.AtLeast(25, 0) {
		return ManagementPort, HealthPath
	}
	return HTTPPort, HealthPath
}

// Ports returns the container ports of version v, by name: http, the
// management port from 25, and the two JGroups ports.
func Ports(v stack.Version) []NamedPort {
	ports := []NamedPort{{"http", HTTPPort}}
	if v.AtLeast(25, 0) {
		ports = append(ports, NamedPort{"management", ManagementPort})
	}
	return append(ports, NamedPort{"jgroups", JGroupsPort}, NamedPort{"jgroups-fd", JGroupsFDPort})
}

// NamedPort is a TCP port of the container and its name.
type NamedPort struct {
	Name string
	Port int32
}

func portMappings(v stack.Version) []types.PortMapping {
	var pms []types.PortMapping
	for _, p := range Ports(v) {
		pms = append(pms, types.PortMapping{
			Name:          aws.String(p.Name),
			ContainerPort: aws.Int32(p.Port),
			HostPort:      aws.Int32(p.Port), // awsvpc: always the container port
			Protocol:      types.TransportProtocolTcp,
		})
	}
	return pms
}

// Keycloak's launcher in the image.
const kcSh = "/opt/keycloak/bin/kc.sh"

// writeCacheConfig writes the cache configuration from its variable into
// conf/ and then runs kc.sh with the container's command ("$@"), so that
// no image has to be built for it.
const writeCacheConfig = `printf '%s' "$` + CacheConfigVar + `" > /opt/keycloak/conf/` + CacheConfigFile +
	` && exec ` + kcSh + ` "$@"`

// entryPoint and command of the container: `start`, never `--optimized`
// (Keycloak 24's cache options are build options, applied by the automatic
// build of a plain start). Before 26.4 the entry point first writes the
// cache configuration file.
func entryPoint(v stack.Version) (entry, command []string) {
	command = []string{"start"}
	if ownersOptions(v) {
		return []string{kcSh}, command
	}
	return []string{"/bin/bash", "-c", writeCacheConfig, "kc.sh"}, command
}

// Container health check timing: a start period long enough for a first
// start that migrates the database (failures do not count then, a success
// ends it at once).
const (
	healthInterval    = 15
	healthTimeout     = 5
	healthRetries     = 3
	healthStartPeriod = 300
)

// containerHealthCheck asks /health/ready with bash alone: the Keycloak
// image has neither curl nor wget.
func containerHealthCheck(v stack.Version) *types.HealthCheck {
	port, path := HealthCheck(v)
	script := fmt.Sprintf(`exec 3<>/dev/tcp/127.0.0.1/%d && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 && IFS= read -r status <&3 && [[ $status == *' 200 '* ]]`, port, path)
	return &types.HealthCheck{
		Command:     []string{"CMD", "/bin/bash", "-c", script},
		Interval:    aws.Int32(healthInterval),
		Timeout:     aws.Int32(healthTimeout),
		Retries:     aws.Int32(healthRetries),
		StartPeriod: aws.Int32(healthStartPeriod),
	}
}
