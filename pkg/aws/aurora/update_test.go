package aurora

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func TestModifyClusterInput(t *testing.T) {
	base := func() *rds.ModifyDBClusterInput {
		return &rds.ModifyDBClusterInput{DBClusterIdentifier: aws.String("kc-aurora"), ApplyImmediately: aws.Bool(true)}
	}
	with := func(f func(*rds.ModifyDBClusterInput)) *rds.ModifyDBClusterInput {
		in := base()
		f(in)
		return in
	}
	cases := map[string]struct {
		reason  string
		set     resource.Props
		want    *rds.ModifyDBClusterInput
		wantErr string
	}{
		"Nothing": {
			reason: "no diffs make no call",
		},
		"MinorVersion": {
			reason: "a minor engine version is applied immediately",
			set:    resource.Props{"engine_version": "16.9"},
			want:   with(func(in *rds.ModifyDBClusterInput) { in.EngineVersion = aws.String("16.9") }),
		},
		"InPlaceFields": {
			reason: "deletion protection, backups, port and security groups go in one ModifyDBCluster",
			set: resource.Props{"deletion_protection": false, "backup_retention_period": int64(14), "port": int64(5433),
				"vpc_security_group_ids": []any{"sg-9", "sg-3"}},
			want: with(func(in *rds.ModifyDBClusterInput) {
				in.DeletionProtection, in.BackupRetentionPeriod, in.Port = aws.Bool(false), aws.Int32(14), aws.Int32(5433)
				in.VpcSecurityGroupIds = []string{"sg-3", "sg-9"}
			}),
		},
		"ManagedPassword": {
			reason: "a cluster with a password of its own starts managing it in Secrets Manager",
			set:    resource.Props{},
			want:   with(func(in *rds.ModifyDBClusterInput) { in.ManageMasterUserPassword = aws.Bool(true) }),
		},
		"Replace": {
			reason:  "a field that forces replacement is never attempted in place",
			set:     resource.Props{"engine_version": "17.4"},
			wantErr: "major version upgrade 16 → 17",
		},
	}
	h := newClusterHandler(nil, nil)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			live := liveCluster()
			if name == "ManagedPassword" {
				live.MasterUserSecret = nil
			}
			o := clusterObservation(live, testStack, "database.cluster")
			d := withProps(desiredCluster(), tc.set)
			got, err := modifyClusterInput(d, o, h.Diff(d, o))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("%s\nmodifyClusterInput: got error %v, want one containing %q", tc.reason, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\nmodifyClusterInput: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(rds.ModifyDBClusterInput{})); diff != "" {
				t.Errorf("%s\nmodifyClusterInput: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
