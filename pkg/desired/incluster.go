package desired

import (
	"fmt"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// factRefs are the references the placeholders of in-cluster manifests
// stand for: attributes of the Aurora cluster.
var factRefs = map[string]resource.Ref{
	kube.PropWriterEndpoint: ref(AddrDBCluster, "endpoint"),
	kube.PropDBSecretARN:    ref(AddrDBCluster, "master_user_secret_arn"),
}

// factRef is the reference fact f of an object stands for: an attribute
// of the Aurora cluster, of the Redis replication group, or the ARN of a
// Redis application's secret.
func factRef(f string) resource.Ref {
	if key, ok := kube.RedisSecretKey(f); ok {
		return ref(RedisSecretAddr(key), "arn")
	}
	if f == kube.PropRedisEndpoint {
		return ref(AddrRedisReplicationGroup, "primary_endpoint")
	}
	return factRefs[f]
}

// InCluster returns the in-cluster resources of every ROSA target of st, a
// defaulted and valid stack, addressed targets.<target>.k8s.<object>: the
// objects of pkg/kube, with the facts known only after apply as references
// to the Aurora cluster, after the database and the target's peering
// exist, each referring to its target's peering (deleted after them).
// Resources does not include them: a run adds those of the targets whose
// cluster it reaches. Secrets carry their Secrets Manager sources, never
// a value.
func InCluster(st *stack.Stack) ([]resource.Desired, error) {
	var out []resource.Desired
	for _, t := range st.Spec.Targets {
		if t.ROSA == nil {
			continue
		}
		objs, err := kube.Objects(st, t)
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			out = append(out, inCluster(t.Name, o))
		}
	}
	return out, nil
}

// inCluster is the desired resource of object o of target.
func inCluster(target string, o kube.Object) resource.Desired {
	props := o.Props()
	prefix := "targets." + target
	deps := []string{prefix + ".peering", prefix + ".routes-to-database", prefix + ".routes-from-database", prefix + ".database-ingress"}
	for _, after := range o.After {
		deps = append(deps, kube.Address(target, after))
	}
	props[kube.PropPeering] = ref(prefix+".peering", "id")
	for _, f := range o.Facts {
		r := factRef(f)
		props[f] = r
		deps = append(deps, r.Address)
	}
	if o.Kind == kube.KindKeycloak {
		deps = append(deps, fmt.Sprintf("database.instance[%d]", 0)) // the writer
	}
	d := resource.Desired{
		Address: kube.Address(target, o.Name), Kind: o.Kind, Component: componentTarget + target,
		Name: objectName(props), Props: props, DependsOn: deps,
	}
	if o.Kind == kube.KindSecret {
		d.Sensitive = []string{"data"}
	}
	return d
}

// objectName is the label of an object in plans: namespace/name, or the
// name of a cluster-scoped object.
func objectName(p resource.Props) string {
	name, _ := p[kube.PropName].(string)
	if ns, ok := p[kube.PropNamespace].(string); ok {
		return ns + "/" + name
	}
	return name
}
