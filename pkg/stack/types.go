package stack

// APIVersion is the only apiVersion this version of kcstack reads.
const APIVersion = "kcstack.io/v1alpha1"

// KindStack is the only kind a stack file declares.
const KindStack = "Stack"

// Stack is one stack file: a highly-available Keycloak, its Aurora database,
// its compute targets and how they are connected. The yaml tags are the file
// format; the json tags give the canonical form hashed by Digest.
type Stack struct {
	APIVersion string   `yaml:"apiVersion" json:"apiVersion"`
	Kind       string   `yaml:"kind" json:"kind"`
	Metadata   Metadata `yaml:"metadata" json:"metadata"`
	Spec       Spec     `yaml:"spec" json:"spec"`
	// src is where the stack was loaded from (see Where); nil for a
	// stack built in code.
	src *source
}

// Metadata names the stack.
type Metadata struct {
	// Name is a DNS label used in resource names and the kcstack:stack tag.
	Name string `yaml:"name" json:"name"`
}

// Spec is everything the stack describes.
type Spec struct {
	Region    string            `yaml:"region" json:"region"`
	Tags      map[string]string `yaml:"tags,omitempty" json:"tags,omitempty"`
	Keycloak  Keycloak          `yaml:"keycloak" json:"keycloak"`
	Database  Database          `yaml:"database" json:"database"`
	Targets   []Target          `yaml:"targets" json:"targets"`
	Peers     []Peer            `yaml:"peers,omitempty" json:"peers,omitempty"`
	Discovery Discovery         `yaml:"discovery" json:"discovery"`
	Caches    Caches            `yaml:"caches" json:"caches"`
	// Redis is an optional ElastiCache Redis OSS for the applications
	// behind Keycloak (keycloak-connector sessions).
	Redis *Redis `yaml:"redis,omitempty" json:"redis,omitempty"`
}

// Keycloak is the Keycloak server every target runs.
type Keycloak struct {
	// Version is MAJOR.MINOR.PATCH, 24.x to 26.x; many rules depend on it.
	Version string `yaml:"version" json:"version"`
	// Hostname is the public host name (or https URL) of the server (hostname v2).
	Hostname string `yaml:"hostname" json:"hostname"`
	// AdminHostname, when set, serves the admin console on its own host (hostname-admin).
	AdminHostname string `yaml:"adminHostname,omitempty" json:"adminHostname,omitempty"`
	// HostnameBackchannelDynamic lets back-channel requests use the request's host.
	HostnameBackchannelDynamic bool `yaml:"hostnameBackchannelDynamic,omitempty" json:"hostnameBackchannelDynamic,omitempty"`
	// Image is the container image; defaults to quay.io/keycloak/keycloak:<version>.
	Image string `yaml:"image" json:"image"`
	// ProxyHeaders is xforwarded (ALB, OpenShift routes) or forwarded.
	ProxyHeaders string `yaml:"proxyHeaders" json:"proxyHeaders"`
	// DB sizes the JDBC connection pool of each node.
	DB KeycloakDB `yaml:"db" json:"db"`
	// Features enables Keycloak features (features option).
	Features []string `yaml:"features,omitempty" json:"features,omitempty"`
	// FeaturesDisabled disables Keycloak features (features-disabled option).
	FeaturesDisabled []string `yaml:"featuresDisabled,omitempty" json:"featuresDisabled,omitempty"`
	// ExtraOptions are further Keycloak options by name (db-pool-... style, no
	// leading dashes). Values of secret-like options must be Secrets Manager ARNs.
	ExtraOptions map[string]string `yaml:"extraOptions,omitempty" json:"extraOptions,omitempty"`
	// BootstrapAdmin names the secret holding the first admin's password.
	BootstrapAdmin *BootstrapAdmin `yaml:"bootstrapAdmin,omitempty" json:"bootstrapAdmin,omitempty"`

	// Proxy is the removed proxy option; it exists only so its use is rejected
	// (Keycloak 26) or flagged (24, 25) with proxyHeaders named instead.
	Proxy string `yaml:"proxy,omitempty" json:"proxy,omitempty"`
	// HostnameURL is hostname v1's hostname-url; rejected from 26.
	HostnameURL string `yaml:"hostnameUrl,omitempty" json:"hostnameUrl,omitempty"`
	// HostnameAdminURL is hostname v1's hostname-admin-url; rejected from 26.
	HostnameAdminURL string `yaml:"hostnameAdminUrl,omitempty" json:"hostnameAdminUrl,omitempty"`
	// HostnamePath is hostname v1's hostname-path; rejected from 26.
	HostnamePath string `yaml:"hostnamePath,omitempty" json:"hostnamePath,omitempty"`
	// HostnamePort is hostname v1's hostname-port; rejected from 26.
	HostnamePort int `yaml:"hostnamePort,omitempty" json:"hostnamePort,omitempty"`
	// HostnameStrictBackchannel is hostname v1's hostname-strict-backchannel; rejected from 26.
	HostnameStrictBackchannel *bool `yaml:"hostnameStrictBackchannel,omitempty" json:"hostnameStrictBackchannel,omitempty"`
}

// KeycloakDB sizes the connection pool. Keycloak's HA guide wants
// initial = min = max so that no node opens connections under load: set
// PoolSize, or all three sizes to one value.
type KeycloakDB struct {
	PoolSize        int `yaml:"poolSize,omitempty" json:"poolSize,omitempty"`
	PoolInitialSize int `yaml:"poolInitialSize" json:"poolInitialSize"`
	PoolMinSize     int `yaml:"poolMinSize" json:"poolMinSize"`
	PoolMaxSize     int `yaml:"poolMaxSize" json:"poolMaxSize"`
}

// BootstrapAdmin is the temporary admin Keycloak creates on first start.
type BootstrapAdmin struct {
	Username string `yaml:"username" json:"username"`
	// PasswordSecretARN is a Secrets Manager secret holding the password.
	PasswordSecretARN string `yaml:"passwordSecretArn" json:"passwordSecretArn"`
}

// Database holds the stack's database; Aurora PostgreSQL is the only kind.
type Database struct {
	Aurora Aurora `yaml:"aurora" json:"aurora"`
}

// Aurora is an Aurora PostgreSQL cluster, owned by the stack.
type Aurora struct {
	ClusterIdentifier string `yaml:"clusterIdentifier" json:"clusterIdentifier"`
	// EngineVersion is an Aurora PostgreSQL MAJOR.MINOR, 15 or later.
	EngineVersion string `yaml:"engineVersion" json:"engineVersion"`
	InstanceClass string `yaml:"instanceClass" json:"instanceClass"`
	// Instances is the writer plus readers, spread round-robin over Zones.
	Instances int    `yaml:"instances" json:"instances"`
	VPC       VPCRef `yaml:"vpc" json:"vpc"`
	// Zones default to the region's first three zones, whatever the instance
	// count, so that changing the count never touches the network.
	Zones []string `yaml:"zones" json:"zones"`
	// Subnets default to the VPC CIDR carved in four equal parts, one per zone.
	Subnets             []Subnet `yaml:"subnets" json:"subnets"`
	DatabaseName        string   `yaml:"databaseName" json:"databaseName"`
	MasterUsername      string   `yaml:"masterUsername" json:"masterUsername"`
	Port                int      `yaml:"port" json:"port"`
	DeletionProtection  *bool    `yaml:"deletionProtection" json:"deletionProtection"`
	BackupRetentionDays int      `yaml:"backupRetentionDays" json:"backupRetentionDays"`
	// StorageEncrypted is always true; false is rejected.
	StorageEncrypted  *bool `yaml:"storageEncrypted" json:"storageEncrypted"`
	SkipFinalSnapshot bool  `yaml:"skipFinalSnapshot" json:"skipFinalSnapshot"`
	// FinalSnapshotIdentifier defaults to <clusterIdentifier>-final.
	FinalSnapshotIdentifier string `yaml:"finalSnapshotIdentifier,omitempty" json:"finalSnapshotIdentifier,omitempty"`
	// WriterZone, one of Zones, is where the writer instance is created
	// first and which failover prefers (promotion tier 0); empty leaves
	// the writer wherever instance 0 lands (the first zone).
	WriterZone string `yaml:"writerZone,omitempty" json:"writerZone,omitempty"`
}

// VPCRef is a VPC: with CIDR kcstack creates and owns it; with ID or Tags
// an existing VPC is found and never owned. Exactly one of the three is set.
type VPCRef struct {
	ID   string            `yaml:"id,omitempty" json:"id,omitempty"`
	CIDR string            `yaml:"cidr,omitempty" json:"cidr,omitempty"`
	Tags map[string]string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// Subnet is a subnet: Zone and CIDR for one kcstack creates, ID for an
// existing one.
type Subnet struct {
	ID   string `yaml:"id,omitempty" json:"id,omitempty"`
	Zone string `yaml:"zone,omitempty" json:"zone,omitempty"`
	CIDR string `yaml:"cidr,omitempty" json:"cidr,omitempty"`
}

// Target is one place Keycloak runs; exactly one of ECS and ROSA is set.
type Target struct {
	Name string      `yaml:"name" json:"name"`
	ECS  *ECSTarget  `yaml:"ecs,omitempty" json:"ecs,omitempty"`
	ROSA *ROSATarget `yaml:"rosa,omitempty" json:"rosa,omitempty"`
}

// ECSTarget runs Keycloak as an ECS Fargate service behind an ALB.
type ECSTarget struct {
	// VPC is a new VPC (cidr) or an existing one (id, with Subnets given by id).
	VPC VPCRef `yaml:"vpc" json:"vpc"`
	// Zones default to the region's first two zones, three from three tasks.
	Zones   []string   `yaml:"zones" json:"zones"`
	Subnets ECSSubnets `yaml:"subnets" json:"subnets"`
	// Tasks is the number of Keycloak nodes.
	Tasks int `yaml:"tasks" json:"tasks"`
	// CPU and Memory are a Fargate task size, in CPU units and MiB.
	CPU          int          `yaml:"cpu" json:"cpu"`
	Memory       int          `yaml:"memory" json:"memory"`
	LoadBalancer LoadBalancer `yaml:"loadBalancer" json:"loadBalancer"`
	// LogRetentionDays is the CloudWatch Logs retention of the task logs.
	LogRetentionDays int `yaml:"logRetentionDays" json:"logRetentionDays"`
	// NATGateways is NATPerZone (the default for a VPC kcstack creates) or
	// NATSingle; empty for an existing VPC, whose routing is its owner's.
	NATGateways string `yaml:"natGateways,omitempty" json:"natGateways,omitempty"`
}

// NAT gateway layouts of a new ECS VPC.
const (
	// NATPerZone puts a NAT gateway in each zone's public subnet; each
	// zone's private subnet routes through its own: losing a zone cuts
	// only that zone's outbound traffic.
	NATPerZone = "perZone"
	// NATSingle puts one NAT gateway in the first zone for all private
	// subnets: cheaper, but losing that zone cuts every task's outbound
	// traffic (Secrets Manager, ECR, CloudWatch Logs).
	NATSingle = "single"
)

// ECSSubnets are the ALB's public and the tasks' private subnets, one per
// zone each. For a new VPC they default to the VPC CIDR carved in eight equal
// parts: private subnets take parts 0-3, public subnets parts 4-7.
type ECSSubnets struct {
	Public  []Subnet `yaml:"public" json:"public"`
	Private []Subnet `yaml:"private" json:"private"`
}

// LoadBalancer is the ALB in front of an ECS target.
type LoadBalancer struct {
	// CertificateARN is the ACM certificate for the HTTPS listener.
	CertificateARN string `yaml:"certificateArn" json:"certificateArn"`
	// StickySessions turns on ALB cookie stickiness; Keycloak's HA guide
	// recommends none.
	StickySessions bool `yaml:"stickySessions" json:"stickySessions"`
	// Internal makes the ALB internal instead of internet-facing.
	Internal bool `yaml:"internal" json:"internal"`
}

// ROSATarget runs Keycloak on an existing ROSA (OpenShift) cluster whose VPC
// is peered with the Aurora VPC.
type ROSATarget struct {
	Cluster string `yaml:"cluster" json:"cluster"`
	// VPC finds the cluster's VPC by id or tags; it is never owned.
	VPC VPCRef `yaml:"vpc" json:"vpc"`
	// MachineCIDR is the cluster's machine network, routed to Aurora.
	MachineCIDR string `yaml:"machineCidr" json:"machineCidr"`
	Namespace   string `yaml:"namespace" json:"namespace"`
	// Instances is the number of Keycloak pods.
	Instances int `yaml:"instances" json:"instances"`
	// KubeContext is the kubeconfig context that reaches the cluster's API
	// server; defaults to the cluster name.
	KubeContext string `yaml:"kubeContext" json:"kubeContext"`
}

// Peer is a further existing VPC peered with the Aurora VPC.
type Peer struct {
	Name string `yaml:"name" json:"name"`
	// VPC finds the VPC by id or tags; it is never owned.
	VPC VPCRef `yaml:"vpc" json:"vpc"`
	// CIDR is the peer's CIDR, routed to Aurora and allowed on 5432.
	CIDR string `yaml:"cidr" json:"cidr"`
}

// Discovery modes: how Keycloak nodes find each other (JGroups).
const (
	DiscoveryJDBCPing = "jdbc-ping"
	DiscoveryDNSPing  = "dns-ping"
	DiscoveryS3Ping   = "s3-ping"
	DiscoveryKubePing = "kube-ping"
)

// Discovery is the JGroups discovery mode and its settings; only the block of
// the chosen mode may be set.
type Discovery struct {
	// Mode defaults to jdbc-ping from Keycloak 26.1, dns-ping before.
	Mode     string    `yaml:"mode" json:"mode"`
	DNSPing  *DNSPing  `yaml:"dnsPing,omitempty" json:"dnsPing,omitempty"`
	S3Ping   *S3Ping   `yaml:"s3Ping,omitempty" json:"s3Ping,omitempty"`
	KubePing *KubePing `yaml:"kubePing,omitempty" json:"kubePing,omitempty"`
}

// DNSPing is DNS_PING (KC_CACHE_STACK=kubernetes): a Cloud Map private DNS
// namespace and service on ECS, a headless Service on OpenShift.
type DNSPing struct {
	// Namespace is the Cloud Map namespace (ECS only); defaults to
	// <stack>.kcstack.internal when the stack has an ECS target.
	Namespace string `yaml:"namespace" json:"namespace"`
	// ServiceName is the Cloud Map service or headless Service name.
	ServiceName string `yaml:"serviceName" json:"serviceName"`
	// TTL of the Cloud Map A records in seconds (ECS only; cluster DNS sets
	// the TTL of a headless Service); short TTLs make joins fast.
	TTL int `yaml:"ttl" json:"ttl"`
}

// S3Ping is S3_PING (KC_CACHE_STACK=ec2): members are listed in a bucket.
type S3Ping struct {
	// Bucket defaults to <stack>-<region>-jgroups and is owned by the stack.
	Bucket string `yaml:"bucket" json:"bucket"`
}

// KubePing is KUBE_PING: members found through the Kubernetes API.
type KubePing struct {
	// Labels select the Keycloak pods; default app=keycloak.
	Labels map[string]string `yaml:"labels" json:"labels"`
	// PortRange is how many ports above 7800 are probed.
	PortRange int `yaml:"portRange" json:"portRange"`
}

// Caches sets the Infinispan owners of the distributed caches.
type Caches struct {
	// Owners is the number of copies of each distributed cache entry.
	Owners    int            `yaml:"owners" json:"owners"`
	Overrides CacheOverrides `yaml:"overrides,omitempty" json:"overrides,omitempty"`
}

// CacheOverrides sets owners for one cache; nil means Caches.Owners.
type CacheOverrides struct {
	Sessions               *int `yaml:"sessions,omitempty" json:"sessions,omitempty"`
	ClientSessions         *int `yaml:"clientSessions,omitempty" json:"clientSessions,omitempty"`
	OfflineSessions        *int `yaml:"offlineSessions,omitempty" json:"offlineSessions,omitempty"`
	OfflineClientSessions  *int `yaml:"offlineClientSessions,omitempty" json:"offlineClientSessions,omitempty"`
	AuthenticationSessions *int `yaml:"authenticationSessions,omitempty" json:"authenticationSessions,omitempty"`
	ActionTokens           *int `yaml:"actionTokens,omitempty" json:"actionTokens,omitempty"`
	LoginFailures          *int `yaml:"loginFailures,omitempty" json:"loginFailures,omitempty"`
}

// Redis is one ElastiCache Redis OSS replication group in the database
// VPC: TLS in transit, encryption at rest, a writer and replicas in other
// zones with automatic failover and Multi-AZ, and role-based access: the
// default user is disabled, each application and environment gets its own
// user confined to its key prefix, with a generated password kept in
// Secrets Manager.
type Redis struct {
	// EngineVersion is a Redis OSS version with role-based access control:
	// 6.0, 6.2, 7.0 or 7.1 (the default).
	EngineVersion string `yaml:"engineVersion" json:"engineVersion"`
	// NodeType is a current-generation ElastiCache node type. The default,
	// cache.r7g.large, is memory optimized with steady CPU: burstable t
	// nodes run out of CPU credits under the constant load of a session
	// store, and a session store lives in memory.
	NodeType string `yaml:"nodeType" json:"nodeType"`
	// Replicas is the number of replicas of the writer, 1 to 5; at least
	// one, in another zone, for automatic failover and Multi-AZ.
	Replicas int `yaml:"replicas" json:"replicas"`
	// ParameterGroup defaults to the engine's default group
	// (default.redis7, default.redis6.x).
	ParameterGroup string `yaml:"parameterGroup" json:"parameterGroup"`
	// Subnets of the cache subnet group: by default the database's. Zone
	// and cidr give subnets of its own in a database VPC kcstack creates,
	// id existing subnets of an existing database VPC.
	Subnets []Subnet `yaml:"subnets,omitempty" json:"subnets,omitempty"`
	// MaintenanceWindow is ddd:hh24:mi-ddd:hh24:mi (UTC), at least an hour.
	MaintenanceWindow string `yaml:"maintenanceWindow" json:"maintenanceWindow"`
	// SnapshotWindow is hh24:mi-hh24:mi (UTC), at least an hour, not
	// overlapping the maintenance window.
	SnapshotWindow string `yaml:"snapshotWindow" json:"snapshotWindow"`
	// SnapshotRetentionDays is how long daily snapshots are kept, 0 (none)
	// to 35.
	SnapshotRetentionDays *int `yaml:"snapshotRetentionDays" json:"snapshotRetentionDays"`
	// Deleting the replication group takes a final snapshot named
	// FinalSnapshotIdentifier (by default <stack>-redis-final), unless
	// SkipFinalSnapshot.
	SkipFinalSnapshot       bool   `yaml:"skipFinalSnapshot" json:"skipFinalSnapshot"`
	FinalSnapshotIdentifier string `yaml:"finalSnapshotIdentifier,omitempty" json:"finalSnapshotIdentifier,omitempty"`
	// Applications each get a user, a password and a key prefix.
	Applications []RedisApplication `yaml:"applications" json:"applications"`
}

// RedisApplication is one application in one environment: a Redis user
// named <name>-<environment> whose access string confines it to the keys
// (and channels) <keyPrefix>:*, reachable from the targets and CIDRs in
// From.
type RedisApplication struct {
	Name        string `yaml:"name" json:"name"`
	Environment string `yaml:"environment" json:"environment"`
	// KeyPrefix is the application's key space: keys <keyPrefix>:*.
	KeyPrefix string `yaml:"keyPrefix" json:"keyPrefix"`
	// From lists target names (their tasks or machine network) and IPv4
	// CIDRs that may connect on 6379.
	From []string `yaml:"from" json:"from"`
}
