package rds

import (
	"github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// statusFailingOver is the cluster status during a failover; it becomes
// available after the create delay, as AWS documents for
// FailoverDBCluster.
const statusFailingOver = "failing-over"

// failoverDBCluster makes a reader the writer: TargetDBInstanceIdentifier
// when given, otherwise the available reader with the best promotion tier
// (then the lowest identifier). The members' IsClusterWriter changes at
// once and the cluster is failing-over until the create delay has passed.
// The cluster endpoint is a name that always points at the writer, so its
// value stays the same (the sandbox has no DNS to move).
func failoverDBCluster(c *api.Call, in *rds.FailoverDBClusterInput) (*rds.FailoverDBClusterOutput, error) {
	r := region(c)
	cl, err := r.cluster(in.DBClusterIdentifier)
	if err != nil {
		return nil, err
	}
	name := deref(cl.DB.DBClusterIdentifier)
	if status := deref(cl.DB.Status); status != statusAvailable {
		return nil, api.Errorf(codeClusterState, "DB cluster %s is not available for failover with status %s.", name, status)
	}
	target, err := r.failoverTarget(cl, deref(in.TargetDBInstanceIdentifier))
	if err != nil {
		return nil, err
	}
	if target == "" {
		return nil, api.Errorf(codeClusterState, "DB cluster %s has no available reader to fail over to.", name)
	}
	setWriter(cl, target)
	cl.DB.Status, cl.Since = ptr(statusFailingOver), c.Now
	return &rds.FailoverDBClusterOutput{DBCluster: ptr(cl.view(c.Now))}, nil
}

// failoverTarget returns the reader to promote: ref, checked to be an
// available reader of the cluster, or when ref is empty the best available
// reader ("" when there is none).
func (r *Region) failoverTarget(cl *Cluster, ref string) (string, error) {
	writer := ""
	for _, m := range cl.DB.DBClusterMembers {
		if deref(m.IsClusterWriter) {
			writer = deref(m.DBInstanceIdentifier)
		}
	}
	if ref == "" {
		return r.bestReader(cl, writer, func(status string) bool { return status == statusAvailable }), nil
	}
	id := lower(idFromARN(ref, "db"))
	inst, member := r.Instances[id], false
	for _, m := range cl.DB.DBClusterMembers {
		member = member || deref(m.DBInstanceIdentifier) == id
	}
	switch {
	case !member || inst == nil:
		return "", invalidValue("DB instance %s is not a member of DB cluster %s.", ref, deref(cl.DB.DBClusterIdentifier))
	case id == writer:
		return "", invalidValue("DB instance %s is already the writer of DB cluster %s: name a reader as TargetDBInstanceIdentifier.", id, deref(cl.DB.DBClusterIdentifier))
	case deref(inst.DB.DBInstanceStatus) != statusAvailable:
		return "", api.Errorf(codeInstanceState, "DB instance %s is not available for failover with status %s.", id, deref(inst.DB.DBInstanceStatus))
	}
	return id, nil
}
