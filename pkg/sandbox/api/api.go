package api

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"
)

// Call is one API request as a service sees it. It is only valid for the
// duration of the operation; the front end serializes operations, so a
// service may read and change its state without further locking.
type Call struct {
	// Service is the service's model name (ec2, rds, ssm, ...).
	Service string
	// Operation is the operation name as in the model (CreateVpc).
	Operation string
	// Region comes from the request's SigV4 credential scope.
	Region string
	// AccountID is the sandbox's account (always 12 digits).
	AccountID string
	// RequestID is the id returned to the client for this request.
	RequestID string
	// Now is the sandbox clock at the start of the call.
	Now time.Time
	// World gives access to every service's state, for the few operations
	// that cross services (RDS creating a Secrets Manager secret, the
	// tagging API listing everything).
	World World
}

// World looks up the state of a service by its model name. The state is
// whatever the service's NewState returned (or loaded).
type World interface {
	State(service string) any
	// Services lists the names of every service, sorted.
	Services() []string
	// Settings returns the sandbox's behaviour settings (delays).
	Settings() Settings
}

// Settings are sandbox-wide behaviour knobs that services read.
type Settings struct {
	// CreateDelay is how long resources with a creating/pending state stay
	// in it before they become available/active.
	CreateDelay time.Duration
	// DeleteDelay is how long deleting resources stay visible in a
	// deleting state.
	DeleteDelay time.Duration
	// TaskFailureRate is the share of ECS tasks that fail their health
	// check once running, in [0,1].
	TaskFailureRate float64
	// Seed makes the draws of TaskFailureRate reproducible.
	Seed uint64
}

// Op is one operation. Fn has the form
//
//	func(*Call, *SomeInput) (*SomeOutput, error)
//
// where SomeInput and SomeOutput are the aws-sdk-go-v2 types of the
// operation (for example *ec2.CreateVpcInput, *ec2.CreateVpcOutput). An
// error that is not an *Error is reported as an internal error.
type Op struct {
	Fn any
}

// Service describes one emulated AWS service.
type Service struct {
	// Name is the model name (ec2, rds, secretsmanager, ssm, sts,
	// resourcegroupstaggingapi, ...), matching pkg/sandbox/models.
	Name string
	// Ops maps operation names to implementations. Operations absent here
	// answer with AWS's unknown-operation error.
	Ops map[string]Op
	// NewState returns the empty state of the service. It must be a
	// pointer to a struct that encoding/json can round-trip: the sandbox
	// persists it with --state.
	NewState func() any
}

// Ticker is implemented by service states whose resources change on their
// own (creating → available). The front end calls Tick before every
// operation with the current time.
type Ticker interface {
	Tick(now time.Time, s Settings)
}

// Error is an AWS error response. Code is AWS's error code
// (InvalidVpcID.NotFound, DBClusterNotFoundFault, ...); Status is the HTTP
// status AWS uses for it (400 when zero).
type Error struct {
	Code    string
	Message string
	Status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// HTTPStatus returns the status to send, 400 when unset.
func (e *Error) HTTPStatus() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// Errorf returns a 400 *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns an *Error with the given code and status 404, for the
// services (RDS, ...) that answer not-found with 404.
func NotFound(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: http.StatusNotFound}
}

// NewID returns prefix + "-" + 17 lowercase hex digits, the form of EC2
// resource ids (vpc-0a1b2c3d4e5f67890).
func NewID(prefix string) string {
	return prefix + "-" + RandomHex(17)
}

// RandomHex returns n random lowercase hex digits.
func RandomHex(n int) string {
	b := make([]byte, (n+1)/2)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)[:n]
}

// ARN builds arn:aws:<service>:<region>:<account>:<resource>.
func (c *Call) ARN(service, resource string) string {
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, c.Region, c.AccountID, resource)
}

// ValidateFn reports whether fn has the shape an Op needs, naming the
// problem otherwise. The front end checks every Op at start-up.
func ValidateFn(fn any) error {
	t := reflect.TypeOf(fn)
	if t == nil || t.Kind() != reflect.Func || t.NumIn() != 2 || t.NumOut() != 2 {
		return fmt.Errorf("op must be func(*api.Call, *Input) (*Output, error), got %v", t)
	}
	if t.In(0) != reflect.TypeOf(&Call{}) || t.In(1).Kind() != reflect.Pointer || t.Out(0).Kind() != reflect.Pointer {
		return fmt.Errorf("op must be func(*api.Call, *Input) (*Output, error), got %v", t)
	}
	if !t.Out(1).Implements(reflect.TypeOf((*error)(nil)).Elem()) {
		return fmt.Errorf("op must return error last, got %v", t)
	}
	return nil
}

// TaggedResource is one taggable resource as the resource groups tagging
// API reports it.
type TaggedResource struct {
	ARN string
	// Type is "service:type" as the tagging API's ResourceTypeFilters use it
	// (ec2:vpc, rds:cluster, secretsmanager:secret).
	Type   string
	Region string
	Tags   map[string]string
}

// TaggedList gathers a service state's tagged resources for its
// TaggedResources.
type TaggedList []TaggedResource

// Add appends the resource arn of type typ ("ecs:cluster") in region when
// it has tags; a resource without tags is left out.
func (l *TaggedList) Add(region, arn, typ string, tags map[string]string) {
	if len(tags) > 0 {
		*l = append(*l, TaggedResource{ARN: arn, Type: typ, Region: region, Tags: tags})
	}
}

// Tagged is implemented by service states that hold taggable resources.
type Tagged interface {
	TaggedResources() []TaggedResource
}

// Dependents is implemented by service states that hold resources which
// keep resources of another service in use (RDS instances keep subnets and
// security groups busy). EC2 asks every state before deleting a subnet or
// a security group, and answers DependencyViolation when one reports a
// dependent.
type Dependents interface {
	// DependentsOf returns human-readable descriptions of what uses the
	// EC2 resource id (subnet-..., sg-...), empty when nothing does.
	DependentsOf(id string) []string
}

// NetworkInterface is a network interface that a resource of another
// service keeps in an EC2 subnet (a load balancer node, a DB instance, an
// awsvpc task), as EC2's DescribeNetworkInterfaces shows it.
type NetworkInterface struct {
	// Key identifies the interface for as long as its resource holds it
	// (the resource's ARN, the subnet, a task number); EC2 derives the
	// stable eni- id from it.
	Key string
	// SubnetID is the subnet the interface is in.
	SubnetID string
	// SecurityGroups are the ids of the groups on the interface.
	SecurityGroups []string
	// Description is what AWS writes on it ("ELB app/kc/50dc6c495c0c9188",
	// "RDSNetworkInterface", "arn:aws:ecs:...:attachment/...").
	Description string
	// InterfaceType is EC2's type: "interface", "network_load_balancer".
	InterfaceType string
	// RequesterID names the service that created it ("amazon-elb",
	// "amazon-rds"); such an interface is requester-managed.
	RequesterID string
	// PrivateIP is the address the resource holds, when it chose one (an
	// ECS task reports it); EC2 assigns one to the others.
	PrivateIP string
}

// Interfaces is implemented by service states whose resources hold network
// interfaces in EC2 subnets. EC2 lists them in DescribeNetworkInterfaces.
type Interfaces interface {
	// NetworkInterfaces returns the interfaces the service's resources in
	// region hold, in any order.
	NetworkInterfaces(region string) []NetworkInterface
}

// Target is a target that a resource of another service keeps registered
// in a load balancer's target group (an awsvpc ECS task by its address),
// with the health ELB reports for it.
type Target struct {
	// ID is the target's id: an IP address for the "ip" target type.
	ID   string
	Port int32
	// Zone is the Availability Zone of the target's subnet.
	Zone string
	// State is ELB's target state: initial, healthy, unhealthy, draining.
	State string
	// Reason is ELB's reason code for a state other than healthy
	// (Elb.RegistrationInProgress, Target.FailedHealthChecks, ...).
	Reason string
}

// Targets is implemented by service states whose resources register
// targets in ELBv2 target groups; DescribeTargetHealth lists them.
type Targets interface {
	// TargetsOf returns the targets registered in the target group ARN in
	// region, in a stable order.
	TargetsOf(region, targetGroupARN string) []Target
}

// Instance is a Cloud Map service instance that a resource of another
// service registered (an ECS task of a service with serviceRegistries).
type Instance struct {
	// ID is the instance id (an ECS task's id).
	ID string
	// Attributes are Cloud Map's attributes (AWS_INSTANCE_IPV4, ...).
	Attributes map[string]string
	// Healthy is the instance's custom health status.
	Healthy bool
}

// Instances is implemented by service states whose resources register
// instances in Cloud Map services; ListInstances lists them and
// DeregisterInstance removes them.
type Instances interface {
	// InstancesOf returns the instances registered in the Cloud Map
	// service ARN in region, in a stable order.
	InstancesOf(region, registryARN string) []Instance
	// DeregisterInstance removes the instance id from the Cloud Map service
	// ARN, reporting whether it was registered there. What registered it
	// keeps running: ECS does not register a task again.
	DeregisterInstance(region, registryARN, id string) bool
}

// InterfaceID is the eni- id EC2 gives the interface a resource holds
// under key (NetworkInterface.Key), the same from one call to the next.
func InterfaceID(key string) string { return "eni-" + digest(key)[:17] }

// MACAddress is the MAC address EC2 reports for the interface id.
func MACAddress(interfaceID string) string {
	d := digest(interfaceID)
	return "02:" + d[0:2] + ":" + d[2:4] + ":" + d[4:6] + ":" + d[6:8] + ":" + d[8:10]
}

// PrivateDNSName is EC2's host name for a private address in region.
func PrivateDNSName(region, ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return fmt.Sprintf("%s.%s.compute.internal", host, region)
}

// digest returns the hex SHA-256 of s.
func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}
