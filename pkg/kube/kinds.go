package kube

import "github.com/kcstack/kcstack/pkg/resource"

// Kinds of the in-cluster objects of a ROSA target.
const (
	KindNamespace      resource.Kind = "k8s:namespace"
	KindSecret         resource.Kind = "k8s:secret"
	KindConfigMap      resource.Kind = "k8s:configmap"
	KindService        resource.Kind = "k8s:service"
	KindServiceAccount resource.Kind = "k8s:serviceaccount"
	KindRole           resource.Kind = "k8s:role"
	KindRoleBinding    resource.Kind = "k8s:rolebinding"
	KindKeycloak       resource.Kind = "k8s:keycloak"
)

// Attributes of a Keycloak custom resource's observation, its outputs.
const (
	// AttrStatus is the Keycloak custom resource's status as the Operator
	// reports it in .status.conditions (Ready, HasErrors).
	AttrStatus = "status"
	// AttrHostname is the host name the custom resource serves Keycloak at.
	AttrHostname = "hostname"
)

// untagged says why no in-cluster kind is listed by the tagging API.
const untagged = "a Kubernetes object: read through the cluster's API server by its kcstack.io labels, never through the AWS tagging API"

// applied is how every in-cluster object is made: a server-side apply under
// the field manager kcstack, which makes the named object once however
// often it is retried.
var applied = resource.Creation{Operations: []string{"ServerSideApply"}, Idempotent: true}

// renamed are the props whose change makes another object: Kubernetes
// objects are never renamed or moved.
var renamed = resource.Fields{
	PropName:      {ForcesReplace: true, Reason: "a Kubernetes object cannot be renamed"},
	PropNamespace: {ForcesReplace: true, Reason: "a Kubernetes object cannot move to another namespace"},
}

// unique are the props the API server keeps unique among the live objects
// of a namespaced kind: a create of an object of a target renamed in the
// file waits for the delete of the same object of its former name.
var unique = []string{PropNamespace, PropName}

// writerEndpoint and dbSecretARN are the references to the Aurora cluster;
// peering, which every object holds, is the one to the target's peering:
// an object goes before the peering its pods reach Aurora through, so
// removing a target deletes its objects first.
var (
	peering        = resource.Reference{Prop: PropPeering, Kind: resource.KindPeering, Attr: "id", InPlace: true}
	writerEndpoint = resource.Reference{Prop: PropWriterEndpoint, Kind: resource.KindDBCluster, Attr: "endpoint", InPlace: true}
	dbSecretARN    = resource.Reference{Prop: PropDBSecretARN, Kind: resource.KindDBCluster, Attr: "master_user_secret_arn", InPlace: true}
	// redisEndpoint and redisSecretARN are the references of a Redis
	// application's Secret: the replication group and the application's
	// Secrets Manager secret.
	redisEndpoint  = resource.Reference{Prop: PropRedisEndpoint, Kind: resource.KindReplicationGroup, Attr: "primary_endpoint", InPlace: true}
	redisSecretARN = resource.Reference{Prop: redisSecretPropPrefix + "*", Kind: resource.KindSecret, Attr: "arn", InPlace: true}
)

// descriptors declares each in-cluster kind once. Deletes: the Keycloak
// custom resource first (its pods stop using the Secrets, the cache
// configuration and the ServiceAccount), the Namespace last; destroying a
// Namespace deletes whatever else it holds, so it loses data.
var descriptors = []resource.Descriptor{
	{Kind: KindNamespace, Untagged: untagged, Fields: resource.Fields{PropName: renamed[PropName]}, UniqueBy: []string{PropName},
		References: []resource.Reference{peering},
		Deletion: resource.Deletion{After: []resource.Kind{KindKeycloak, KindSecret, KindConfigMap, KindService,
			KindServiceAccount, KindRole, KindRoleBinding}},
		DataLoss: resource.LosesData, Create: applied},
	{Kind: KindSecret, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{dbSecretARN, redisEndpoint, redisSecretARN, peering}, Fields: renamed,
		Deletion: resource.Deletion{After: []resource.Kind{KindKeycloak}}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindConfigMap, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{peering}, Fields: renamed,
		Deletion: resource.Deletion{After: []resource.Kind{KindKeycloak}}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindService, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{peering}, Fields: renamed,
		Deletion: resource.Deletion{}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindServiceAccount, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{peering}, Fields: renamed,
		Deletion: resource.Deletion{After: []resource.Kind{KindKeycloak, KindRoleBinding}}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindRole, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{peering}, Fields: renamed,
		Deletion: resource.Deletion{After: []resource.Kind{KindRoleBinding}}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindRoleBinding, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{peering}, Fields: renamed,
		Deletion: resource.Deletion{}, DataLoss: resource.NoDataLoss, Create: applied},
	{Kind: KindKeycloak, Untagged: untagged, UniqueBy: unique, References: []resource.Reference{writerEndpoint, peering}, Fields: renamed,
		Deletion: resource.Deletion{}, DataLoss: resource.NoDataLoss, Create: applied,
		Outputs: []resource.Output{
			{Name: "keycloak_status", Attr: AttrStatus, Description: "the Keycloak custom resource's status, as the Keycloak Operator reports it (Ready, HasErrors)"},
			{Name: "keycloak_hostname", Attr: AttrHostname, Description: "the host name the Keycloak custom resource serves Keycloak at"},
		}},
}

// Descriptor returns the descriptor of in-cluster kind k, for its handler.
func Descriptor(k resource.Kind) (resource.Descriptor, bool) {
	for _, d := range descriptors {
		if d.Kind == k {
			return d, true
		}
	}
	return resource.Descriptor{}, false
}

// Kinds returns the in-cluster kinds, in the order of their declaration.
func Kinds() []resource.Kind {
	out := make([]resource.Kind, len(descriptors))
	for i, d := range descriptors {
		out[i] = d.Kind
	}
	return out
}
