package rds

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"
)

func TestCreateDBSubnetGroup(t *testing.T) {
	cases := map[string]struct {
		reason  string
		name    string
		subnets []string
		code    string
		zones   []string
	}{
		"TwoZones":      {reason: "subnets in two zones of one VPC make a group", name: "My-Group", subnets: []string{"subnet-a", "subnet-b"}, zones: []string{"eu-west-1a", "eu-west-1b"}},
		"OneZone":       {reason: "one zone is not enough", name: "g", subnets: []string{"subnet-a", "subnet-a2"}, code: codeSubnetGroupAZs},
		"UnknownSubnet": {reason: "subnets must exist in EC2", name: "g", subnets: []string{"subnet-a", "subnet-nope"}, code: codeInvalidSubnet},
		"TwoVPCs":       {reason: "subnets must share a VPC", name: "g", subnets: []string{"subnet-a", "subnet-x"}, code: codeInvalidSubnet},
		"Default":       {reason: "default is reserved", name: "default", subnets: []string{"subnet-a", "subnet-b"}, code: codeInvalidValue},
		"BadName":       {reason: "names are letters, digits, periods, underscores, spaces and hyphens", name: "a/b", subnets: []string{"subnet-a", "subnet-b"}, code: codeInvalidValue},
		"Exists":        {reason: "names are unique, case-insensitively", name: "EXISTING", subnets: []string{"subnet-a", "subnet-b"}, code: codeSubnetGroupExists},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustSubnetGroup(t, w, "existing", "subnet-a", "subnet-b")
			out, err := createDBSubnetGroup(w.call("CreateDBSubnetGroup"), &rds.CreateDBSubnetGroupInput{
				DBSubnetGroupName: ptr(tc.name), DBSubnetGroupDescription: ptr("d"), SubnetIds: tc.subnets,
			})
			if got := errCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			g := out.DBSubnetGroup
			var zones []string
			for _, s := range g.Subnets {
				zones = append(zones, deref(s.SubnetAvailabilityZone.Name))
			}
			if diff := cmp.Diff(tc.zones, zones); diff != "" {
				t.Errorf("%s: zones -want +got:\n%s", tc.reason, diff)
			}
			want := []string{"my-group", "arn:aws:rds:eu-west-1:123456789012:subgrp:my-group", "vpc-1", "Complete"}
			got := []string{deref(g.DBSubnetGroupName), deref(g.DBSubnetGroupArn), deref(g.VpcId), deref(g.SubnetGroupStatus)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: name, ARN, VPC, status -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestSubnetGroupLifecycle(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "aurora")
	cases := map[string]struct {
		reason string
		run    func() error
		code   string
		status int
	}{
		"DescribeMissing": {
			reason: "unknown groups are DBSubnetGroupNotFoundFault, 404",
			run: func() error {
				_, err := describeDBSubnetGroups(w.call(""), &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: ptr("nope")})
				return err
			},
			code: codeSubnetGroupNotFound, status: http.StatusNotFound,
		},
		"DeleteInUse": {
			reason: "a group a cluster uses cannot be deleted",
			run: func() error {
				_, err := deleteDBSubnetGroup(w.call(""), &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: ptr("db")})
				return err
			},
			code: codeSubnetGroupState, status: http.StatusBadRequest,
		},
		"ModifyOtherVPC": {
			reason: "a group in use cannot move to another VPC",
			run: func() error {
				_, err := modifyDBSubnetGroup(w.call(""), &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: ptr("db"), SubnetIds: []string{"subnet-x", "subnet-y"}})
				return err
			},
			code: codeInvalidSubnet, status: http.StatusBadRequest,
		},
		"ModifySameVPC": {
			reason: "subnets can change within the VPC",
			run: func() error {
				_, err := modifyDBSubnetGroup(w.call(""), &rds.ModifyDBSubnetGroupInput{DBSubnetGroupName: ptr("db"), SubnetIds: []string{"subnet-a2", "subnet-b"}})
				return err
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := apiError(t, tc.run())
			if tc.code == "" {
				if e != nil {
					t.Fatalf("%s: %v", tc.reason, e)
				}
				return
			}
			if e == nil || e.Code != tc.code || e.HTTPStatus() != tc.status {
				t.Errorf("%s: want %s (%d), got %v", tc.reason, tc.code, tc.status, e)
			}
		})
	}
	mustSubnetGroup(t, w, "spare", "subnet-a", "subnet-c")
	out, err := describeDBSubnetGroups(w.call(""), &rds.DescribeDBSubnetGroupsInput{})
	if err != nil || len(out.DBSubnetGroups) != 2 {
		t.Fatalf("describe all groups: %v, %v", out, err)
	}
	if _, err := deleteDBSubnetGroup(w.call(""), &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: ptr("SPARE")}); err != nil {
		t.Errorf("delete unused group: %v", err)
	}
}
