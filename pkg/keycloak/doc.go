// Package keycloak generates the configuration Keycloak runs with: the
// Keycloak options of a stack, neutral of the platform (ServerOptions), which
// an ECS Fargate target receives as its container's environment and secrets
// (KC_* options, Env) and a ROSA target as the Keycloak custom resource of
// the Keycloak Operator (pkg/kube); the Infinispan cache configuration that
// sets cache owners before Keycloak 26.4 (and defines kube-ping's JGroups
// stack), the health check that fits the version, and the complete ECS task
// definition. ECS and ROSA share every rule this way.
//
// Everything here is pure: it reads a loaded, defaulted stack.Stack and the
// Facts only known once AWS resources exist (the Aurora writer endpoint, the
// RDS-managed secret, role ARNs, ...) and never calls AWS. Placeholders
// returns Facts with readable stand-ins for what cannot be known offline, so
// that `kcstack render` can show the configuration before anything exists.
//
// Safety properties hold by construction and are tested directly: the
// database credentials and every Secrets Manager reference reach the
// container only through ECS secrets, never its environment; the removed
// proxy option is never set; health checks use the management port 9000
// from Keycloak 25 and 8080 before; the JGroups ports 7800 and 57800 are
// always mapped.
//
// Discovery modes map to Keycloak cache stacks: jdbc-ping to jdbc-ping
// (built in from Keycloak 26.1), dns-ping to kubernetes with
// -Djgroups.dns.query=<service>.<namespace> (the Cloud Map service), and
// s3-ping to ec2 with -Djgroups.s3.region_name and -Djgroups.s3.bucket_name.
// s3-ping needs the jgroups-aws jar and the AWS SDK for Java in
// /opt/keycloak/providers, which the stock image lacks: the stack's image
// must be built with them (Notes says so to every reader of the output).
//
// Before Keycloak 26.4 owners live in a cache configuration file. To spare
// users an image build, its content travels in the KCSTACK_CACHE_CONFIG
// variable and the container's entry point writes it to conf/ before it
// execs kc.sh; from 26.4 owners are spi-cache-embedded options instead.
package keycloak
