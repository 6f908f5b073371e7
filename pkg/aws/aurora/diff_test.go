package aurora

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

const testStack = "kc"

// desiredCluster is database.cluster as pkg/stack produces it, resolved.
func desiredCluster() resource.Desired {
	return resource.Desired{
		Address: "database.cluster", Kind: resource.KindDBCluster,
		Props: resource.Props{
			"identifier": "kc-aurora", "engine": "aurora-postgresql", "engine_version": "16.8",
			"database_name": "keycloak", "master_username": "keycloak", "manage_master_user_password": true,
			"port": int64(5432), "db_subnet_group_name": "kc-aurora", "vpc_security_group_ids": []any{"sg-2", "sg-1"},
			"storage_encrypted": true, "deletion_protection": true, "backup_retention_period": int64(7),
		},
		Tags:    map[string]string{resource.TagStack: testStack, resource.TagAddress: "database.cluster"},
		Options: map[string]string{"skip_final_snapshot": "false", "final_snapshot_identifier": "kc-aurora-final"},
	}
}

// liveCluster is the cluster as RDS describes it after creating
// desiredCluster, with the defaults the API fills in.
func liveCluster() types.DBCluster {
	return types.DBCluster{
		DBClusterIdentifier: ptr("kc-aurora"), DBClusterArn: ptr("arn:aws:rds:eu-west-1:123456789012:cluster:kc-aurora"),
		Engine: ptr("aurora-postgresql"), EngineVersion: ptr("16.8"), DatabaseName: ptr("keycloak"),
		MasterUsername: ptr("keycloak"), Port: ptr[int32](5432), DBSubnetGroup: ptr("kc-aurora"),
		VpcSecurityGroups: []types.VpcSecurityGroupMembership{
			{VpcSecurityGroupId: ptr("sg-1"), Status: ptr("active")}, {VpcSecurityGroupId: ptr("sg-2"), Status: ptr("active")},
		},
		StorageEncrypted: ptr(true), DeletionProtection: ptr(true), BackupRetentionPeriod: ptr[int32](7),
		MasterUserSecret: &types.MasterUserSecret{SecretArn: ptr("arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1")},
		Status:           ptr("available"), PreferredBackupWindow: ptr("03:00-03:30"), AutoMinorVersionUpgrade: ptr(true),
		Endpoint: ptr("kc-aurora.cluster-x.eu-west-1.rds.amazonaws.com"), ReaderEndpoint: ptr("kc-aurora.cluster-ro-x.eu-west-1.rds.amazonaws.com"),
		TagList: rdsTags(desiredCluster().Tags),
	}
}

func withProps(d resource.Desired, set resource.Props) resource.Desired {
	p := resource.Props{}
	for k, v := range d.Props {
		p[k] = v
	}
	for k, v := range set {
		p[k] = v
	}
	d.Props = p
	return d
}

func TestClusterDiff(t *testing.T) {
	sgRef := resource.Ref{Address: "database.security-group", Attr: "id"}
	cases := map[string]struct {
		reason string
		d      resource.Desired
		live   func(*types.DBCluster)
		want   []resource.FieldDiff
	}{
		"NoChange": {
			reason: "a freshly created cluster plans to nothing: lists compare as sets, API defaults are ignored",
			d:      desiredCluster(),
		},
		"IdentifierCase": {
			reason: "RDS stores identifiers in lower case; KC-Aurora in the file is the same cluster",
			d:      withProps(desiredCluster(), resource.Props{"identifier": "KC-Aurora", "db_subnet_group_name": "KC-AURORA"}),
		},
		"IntNumbers": {
			reason: "numbers compare as int64 whatever Go type the desired value has",
			d:      withProps(desiredCluster(), resource.Props{"port": 5432, "backup_retention_period": float64(7)}),
		},
		"MinorUpgrade": {
			reason: "a minor engine version change is in place",
			d:      withProps(desiredCluster(), resource.Props{"engine_version": "16.9"}),
			want:   []resource.FieldDiff{{Path: "engine_version", Before: "16.8", After: "16.9"}},
		},
		"MajorUpgrade": {
			reason: "a major engine version change replaces the cluster and says why",
			d:      withProps(desiredCluster(), resource.Props{"engine_version": "17.4"}),
			want: []resource.FieldDiff{{Path: "engine_version", Before: "16.8", After: "17.4", ForcesReplace: true,
				Reason: "major version upgrade 16 → 17 is not done in place by kcstack"}},
		},
		"AutoMinorUpgrade": {
			reason: "RDS upgraded the minor version on its own: the file's version is a minimum, never a reason to replace",
			d:      withProps(desiredCluster(), resource.Props{"engine_version": "16.6"}),
		},
		"MajorOnly": {
			reason: "a version without a minor matches any minor of that major",
			d:      withProps(desiredCluster(), resource.Props{"engine_version": "16"}),
		},
		"MajorDowngrade": {
			reason: "going back a major version is a replacement and says so",
			d:      withProps(desiredCluster(), resource.Props{"engine_version": "15.10"}),
			want: []resource.FieldDiff{{Path: "engine_version", Before: "16.8", After: "15.10", ForcesReplace: true,
				Reason: "major version downgrade 16 → 15 is not possible in place"}},
		},
		"InPlaceFields": {
			reason: "deletion protection, backups, port and security groups change in place",
			d: withProps(desiredCluster(), resource.Props{"deletion_protection": false, "backup_retention_period": int64(14),
				"port": int64(5433), "vpc_security_group_ids": []any{"sg-3"}}),
			want: []resource.FieldDiff{
				{Path: "backup_retention_period", Before: int64(7), After: int64(14)},
				{Path: "deletion_protection", Before: true, After: false},
				{Path: "port", Before: int64(5432), After: int64(5433)},
				{Path: "vpc_security_group_ids", Before: []any{"sg-1", "sg-2"}, After: []any{"sg-3"}},
			},
		},
		"ReplaceFields": {
			reason: "identifier, database name, master user, encryption and subnet group force replacement, each named",
			d: withProps(desiredCluster(), resource.Props{"identifier": "kc-db", "database_name": "kc", "master_username": "admin",
				"storage_encrypted": false, "db_subnet_group_name": "other"}),
			want: []resource.FieldDiff{
				{Path: "database_name", Before: "keycloak", After: "kc", ForcesReplace: true, Reason: "a DB cluster's initial database is set at creation only"},
				{Path: "db_subnet_group_name", Before: "kc-aurora", After: "other", ForcesReplace: true, Reason: "an Aurora DB cluster cannot move to another DB subnet group in place"},
				{Path: "identifier", Before: "kc-aurora", After: "kc-db", ForcesReplace: true, Reason: "kcstack does not rename DB clusters: a new identifier is a new cluster"},
				{Path: "master_username", Before: "keycloak", After: "admin", ForcesReplace: true, Reason: "a DB cluster's master user name cannot change"},
				{Path: "storage_encrypted", Before: true, After: false, ForcesReplace: true, Reason: "a DB cluster's storage encryption is set at creation only"},
			},
		},
		"ManagedPasswordOff": {
			reason: "manage_master_user_password compares with whether RDS reports a master user secret",
			d:      desiredCluster(),
			live:   func(c *types.DBCluster) { c.MasterUserSecret = nil },
			want:   []resource.FieldDiff{{Path: "manage_master_user_password", Before: false, After: true}},
		},
		"DriftedBackups": {
			reason: "drift made outside kcstack plans exactly that field",
			d:      desiredCluster(),
			live:   func(c *types.DBCluster) { c.BackupRetentionPeriod = ptr[int32](1) },
			want:   []resource.FieldDiff{{Path: "backup_retention_period", Before: int64(1), After: int64(7)}},
		},
		"RefInList": {
			reason: "a security group still to be created is known after apply, in place",
			d:      withProps(desiredCluster(), resource.Props{"vpc_security_group_ids": []any{sgRef}}),
			want: []resource.FieldDiff{{Path: "vpc_security_group_ids", Before: []any{"sg-1", "sg-2"}, After: []any{sgRef},
				KnownAfterApply: true}},
		},
		"RefOnReplaceField": {
			reason: "a subnet group still to be created forces replacement, as the cluster cannot move in place",
			d:      withProps(desiredCluster(), resource.Props{"db_subnet_group_name": resource.Ref{Address: "database.subnet-group", Attr: "name"}}),
			want: []resource.FieldDiff{{Path: "db_subnet_group_name", Before: "kc-aurora",
				After: resource.Ref{Address: "database.subnet-group", Attr: "name"}, KnownAfterApply: true, ForcesReplace: true,
				Reason: "known after apply; an Aurora DB cluster cannot move to another DB subnet group in place"}},
		},
		"OnlyListedProps": {
			reason: "props the desired resource does not list are never compared",
			d:      resource.Desired{Address: "database.cluster", Kind: resource.KindDBCluster, Props: resource.Props{"identifier": "kc-aurora"}},
			live:   func(c *types.DBCluster) { c.Port = ptr[int32](3306) },
		},
	}
	h := newClusterHandler(nil, nil)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := liveCluster()
			if tc.live != nil {
				tc.live(&c)
			}
			got := h.Diff(tc.d, clusterObservation(c, testStack, "database.cluster"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDiff(): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func desiredInstance() resource.Desired {
	return resource.Desired{
		Address: "database.instance[0]", Kind: resource.KindDBInstance,
		Props: resource.Props{"identifier": "kc-aurora-1", "cluster_identifier": "kc-aurora", "engine": "aurora-postgresql",
			"instance_class": "db.r6g.large", "availability_zone": "eu-west-1a"},
		Tags: map[string]string{resource.TagStack: testStack, resource.TagAddress: "database.instance[0]"},
	}
}

func liveInstance() types.DBInstance {
	return types.DBInstance{
		DBInstanceIdentifier: ptr("kc-aurora-1"), DBClusterIdentifier: ptr("kc-aurora"), Engine: ptr("aurora-postgresql"),
		DBInstanceClass: ptr("db.r6g.large"), AvailabilityZone: ptr("eu-west-1a"), DBInstanceStatus: ptr("available"),
		PromotionTier: ptr[int32](1), AutoMinorVersionUpgrade: ptr(true),
	}
}

func TestInstanceDiff(t *testing.T) {
	cases := map[string]struct {
		reason string
		d      resource.Desired
		want   []resource.FieldDiff
	}{
		"NoChange": {
			reason: "a freshly created instance plans to nothing",
			d:      desiredInstance(),
		},
		"NoZone": {
			reason: "without zones in the file, the zone RDS picked is not a difference",
			d: func() resource.Desired {
				d := desiredInstance()
				delete(d.Props, "availability_zone")
				return d
			}(),
		},
		"InstanceClass": {
			reason: "the instance class changes in place",
			d:      withProps(desiredInstance(), resource.Props{"instance_class": "db.r6g.xlarge"}),
			want:   []resource.FieldDiff{{Path: "instance_class", Before: "db.r6g.large", After: "db.r6g.xlarge"}},
		},
		"Zone": {
			reason: "an instance cannot move zones in place",
			d:      withProps(desiredInstance(), resource.Props{"availability_zone": "eu-west-1b"}),
			want: []resource.FieldDiff{{Path: "availability_zone", Before: "eu-west-1a", After: "eu-west-1b", ForcesReplace: true,
				Reason: "a DB instance cannot move to another zone in place"}},
		},
		"ClusterReplaced": {
			reason: "when its cluster is replaced the planner leaves cluster_identifier a Ref: the instance is replaced with it",
			d:      withProps(desiredInstance(), resource.Props{"cluster_identifier": resource.Ref{Address: "database.cluster", Attr: "id"}}),
			want: []resource.FieldDiff{{Path: "cluster_identifier", Before: "kc-aurora", After: resource.Ref{Address: "database.cluster", Attr: "id"},
				ForcesReplace: true, KnownAfterApply: true, Reason: "known after apply; a DB instance cannot move to another cluster"}},
		},
		"Cluster": {
			reason: "an instance cannot move to another cluster",
			d:      withProps(desiredInstance(), resource.Props{"cluster_identifier": "other"}),
			want: []resource.FieldDiff{{Path: "cluster_identifier", Before: "kc-aurora", After: "other", ForcesReplace: true,
				Reason: "a DB instance cannot move to another cluster"}},
		},
	}
	h := newInstanceHandler(nil, nil)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := h.Diff(tc.d, instanceObservation(liveInstance(), testStack, "database.instance[0]"))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDiff(): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestSubnetGroupDiff(t *testing.T) {
	desired := resource.Desired{
		Address: "database.subnet-group", Kind: resource.KindDBSubnetGroup,
		Props: resource.Props{"name": "kc-aurora", "description": "Aurora subnets of kcstack stack kc", "subnet_ids": []any{"subnet-b", "subnet-a"}},
	}
	live := types.DBSubnetGroup{
		DBSubnetGroupName: ptr("kc-aurora"), DBSubnetGroupDescription: ptr("Aurora subnets of kcstack stack kc"),
		Subnets: []types.Subnet{{SubnetIdentifier: ptr("subnet-a")}, {SubnetIdentifier: ptr("subnet-b")}}, SubnetGroupStatus: ptr("Complete"),
	}
	subnetRef := resource.Ref{Address: "database.subnet[eu-west-1c]", Attr: "id"}
	cases := map[string]struct {
		reason string
		d      resource.Desired
		want   []resource.FieldDiff
	}{
		"NoChange": {
			reason: "subnets compare as a set",
			d:      desired,
		},
		"Subnets": {
			reason: "subnets change in place",
			d:      withProps(desired, resource.Props{"subnet_ids": []any{"subnet-a", "subnet-c"}}),
			want:   []resource.FieldDiff{{Path: "subnet_ids", Before: []any{"subnet-a", "subnet-b"}, After: []any{"subnet-a", "subnet-c"}}},
		},
		"SubnetRef": {
			reason: "a subnet still to be created makes the list known after apply",
			d:      withProps(desired, resource.Props{"subnet_ids": []any{"subnet-a", "subnet-b", subnetRef}}),
			want: []resource.FieldDiff{{Path: "subnet_ids", Before: []any{"subnet-a", "subnet-b"},
				After: []any{"subnet-a", "subnet-b", subnetRef}, KnownAfterApply: true}},
		},
		"NoDescription": {
			reason: "without a description in the file, the one Create made up is no difference",
			d:      withProps(desired, resource.Props{"description": ""}),
		},
		"Description": {
			reason: "the description changes in place",
			d:      withProps(desired, resource.Props{"description": "Aurora"}),
			want:   []resource.FieldDiff{{Path: "description", Before: "Aurora subnets of kcstack stack kc", After: "Aurora"}},
		},
		"Name": {
			reason: "a renamed group is replaced",
			d:      withProps(desired, resource.Props{"name": "kc-db"}),
			want: []resource.FieldDiff{{Path: "name", Before: "kc-aurora", After: "kc-db", ForcesReplace: true,
				Reason: "a DB subnet group cannot be renamed"}},
		},
	}
	h := newSubnetGroupHandler(nil, nil)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := h.Diff(tc.d, subnetGroupObservation(live, nil, testStack, tc.d.Address))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nDiff(): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestClusterObservation(t *testing.T) {
	o := clusterObservation(liveCluster(), testStack, "")
	want := resource.Observation{
		Address: "database.cluster", Kind: resource.KindDBCluster, Exists: true, ID: "kc-aurora", Owned: true,
		Props: resource.Props{
			"identifier": "kc-aurora", "engine": "aurora-postgresql", "engine_version": "16.8",
			"database_name": "keycloak", "master_username": "keycloak", "manage_master_user_password": true,
			"port": int64(5432), "db_subnet_group_name": "kc-aurora", "vpc_security_group_ids": []any{"sg-1", "sg-2"},
			"storage_encrypted": true, "deletion_protection": true, "backup_retention_period": int64(7),
		},
		Attrs: map[string]string{
			"id": "kc-aurora", "arn": "arn:aws:rds:eu-west-1:123456789012:cluster:kc-aurora",
			"endpoint": "kc-aurora.cluster-x.eu-west-1.rds.amazonaws.com", "reader_endpoint": "kc-aurora.cluster-ro-x.eu-west-1.rds.amazonaws.com",
			"status": "available", "port": "5432",
			"master_user_secret_arn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1",
		},
		Tags: map[string]string{resource.TagStack: testStack, resource.TagAddress: "database.cluster"},
	}
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("clusterObservation: the address comes from the tag, ownership from the stack tag: -want +got:\n%s", diff)
	}
}
