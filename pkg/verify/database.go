package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// member is one instance of the Aurora cluster as AWS reports it.
type member struct {
	id, status, zone string
	writer           bool
	tier             int32
}

// database checks the Aurora cluster: members available, the writer in
// the file's writerZone, promotion tiers.
func (v *verifier) database(ctx context.Context) error {
	for _, d := range v.ofKind(resource.KindDBCluster) {
		ob := v.observed(d.Address)
		if !ob.Exists {
			v.missing("aurora members available", d.Address)
			continue
		}
		members, err := v.members(ctx, ob.ID)
		if err != nil {
			return err
		}
		v.available(d.Address, ob.ID, members)
		v.writerZone(d.Address, ob.ID, members)
		v.tiers(d.Address, ob.ID, members)
	}
	return nil
}

// members reads the cluster's members (DescribeDBClusters) and their
// status and zone (DescribeDBInstances filtered by cluster, paginated).
func (v *verifier) members(ctx context.Context, cluster string) ([]member, error) {
	out, err := v.c.RDS.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(cluster)})
	if err != nil {
		return nil, fmt.Errorf("describe DB cluster %s: %w", cluster, err)
	}
	pages := rds.NewDescribeDBInstancesPaginator(v.c.RDS, &rds.DescribeDBInstancesInput{
		Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: []string{cluster}}}})
	instances, err := all(ctx, pages.HasMorePages, func(ctx context.Context) (*rds.DescribeDBInstancesOutput, error) { return pages.NextPage(ctx) },
		func(o *rds.DescribeDBInstancesOutput) []rdstypes.DBInstance { return o.DBInstances })
	if err != nil {
		return nil, fmt.Errorf("describe the instances of DB cluster %s: %w", cluster, err)
	}
	byID := map[string]rdstypes.DBInstance{}
	for _, i := range instances {
		byID[aws.ToString(i.DBInstanceIdentifier)] = i
	}
	var ms []member
	for _, c := range out.DBClusters {
		for _, m := range c.DBClusterMembers {
			id := aws.ToString(m.DBInstanceIdentifier)
			i := byID[id]
			ms = append(ms, member{id: id, status: aws.ToString(i.DBInstanceStatus), zone: aws.ToString(i.AvailabilityZone),
				writer: aws.ToBool(m.IsClusterWriter), tier: aws.ToInt32(m.PromotionTier)})
		}
	}
	return ms, nil
}

// available checks that every desired instance is a member, available.
func (v *verifier) available(address, cluster string, ms []member) {
	c := Check{Name: "aurora members available", Address: address, Status: Pass}
	byID := map[string]member{}
	for _, m := range ms {
		byID[m.id] = m
	}
	want := v.ofKind(resource.KindDBInstance)
	for _, d := range want {
		id := str(d.Props, "identifier")
		m, ok := byID[id]
		switch {
		case !ok:
			c.Details = append(c.Details, fmt.Sprintf("instance %s is not a member of %s", id, cluster))
		case m.status != "available":
			c.Details = append(c.Details, fmt.Sprintf("instance %s is %s", id, m.status))
		}
	}
	c.Message = fmt.Sprintf("%d of %d instances available", len(want)-len(c.Details), len(want))
	if len(c.Details) > 0 {
		c.Status = Fail
		c.Hint = fmt.Sprintf("aws rds describe-db-instances --filters Name=db-cluster-id,Values=%s; aws rds describe-events --source-type db-instance; run kcstack apply to create a missing instance", cluster)
	}
	v.add(c)
}

// writerZone checks that the writer is in the file's writerZone, and
// names the failover that puts it back after a failover moved it.
func (v *verifier) writerZone(address, cluster string, ms []member) {
	if v.in.WriterZone == "" {
		return
	}
	c := Check{Name: "aurora writer zone", Address: address, Status: Pass}
	var writer *member
	for i := range ms {
		if ms[i].writer {
			writer = &ms[i]
		}
	}
	switch {
	case writer == nil:
		c.Status, c.Message = Fail, "the cluster has no writer"
		c.Hint = fmt.Sprintf("aws rds describe-db-clusters --db-cluster-identifier %s", cluster)
	case writer.zone == v.in.WriterZone:
		c.Message = fmt.Sprintf("writer %s is in %s", writer.id, writer.zone)
	default:
		c.Status = Fail
		c.Message = fmt.Sprintf("writer is in %s, the file asks %s", writer.zone, v.in.WriterZone)
		c.Hint = failover(cluster, v.in.WriterZone, ms)
	}
	v.add(c)
}

// failover says how to move the writer of cluster into zone.
func failover(cluster, zone string, ms []member) string {
	for _, m := range ms {
		if !m.writer && m.zone == zone && m.status == "available" {
			return fmt.Sprintf("fail over with aws rds failover-db-cluster --db-cluster-identifier %s --target-db-instance-identifier %s", cluster, m.id)
		}
	}
	return fmt.Sprintf("no available reader is in %s: run kcstack apply, then fail over with aws rds failover-db-cluster --db-cluster-identifier %s --target-db-instance-identifier <the reader in %s>", zone, cluster, zone)
}

// tiers checks the promotion tiers: the writer's 0, the readers' 1..n.
func (v *verifier) tiers(address, cluster string, ms []member) {
	c := Check{Name: "aurora promotion tiers", Address: address, Status: Pass}
	readers := len(ms) - 1
	var got []string
	for _, m := range ms {
		got = append(got, fmt.Sprintf("%s=%d", m.id, m.tier))
		switch {
		case m.writer && m.tier != 0:
			c.Details = append(c.Details, fmt.Sprintf("writer %s has tier %d, want 0", m.id, m.tier))
		case !m.writer && (m.tier < 1 || int(m.tier) > readers):
			c.Details = append(c.Details, fmt.Sprintf("reader %s has tier %d, want 1 to %d", m.id, m.tier, readers))
		}
	}
	c.Message = "tiers " + strings.Join(got, ", ")
	if len(c.Details) > 0 {
		c.Status = Fail
		c.Hint = v.tiersHint(cluster, ms)
	}
	v.add(c)
}

// tiersHint says what puts the tiers right: when every instance has the
// tier the file sets, a failover moved the writer (kcstack apply would
// change nothing) and failing over back to the tier-0 instance does;
// otherwise kcstack apply sets the file's tiers again.
func (v *verifier) tiersHint(cluster string, ms []member) string {
	want := map[string]int64{}
	for _, d := range v.ofKind(resource.KindDBInstance) {
		if t, ok := d.Props["promotion_tier"].(int64); ok {
			want[str(d.Props, "identifier")] = t
		}
	}
	first := ""
	for _, m := range ms {
		t, ok := want[m.id]
		if !ok || int64(m.tier) != t {
			return "run kcstack apply to set the tiers the file asks"
		}
		if t == 0 {
			first = m.id
		}
	}
	if first == "" {
		return "run kcstack apply to set the tiers the file asks"
	}
	return fmt.Sprintf("the instances have the tiers the file sets but a failover moved the writer (kcstack apply changes nothing): fail over back with aws rds failover-db-cluster --db-cluster-identifier %s --target-db-instance-identifier %s", cluster, first)
}
