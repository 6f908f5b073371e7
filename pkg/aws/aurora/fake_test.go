package aurora

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	rgttypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// fakeAPI answers the calls whose function is set; any other call panics
// through the nil embedded API.
type fakeAPI struct {
	API
	DescribeDBSubnetGroupsFn func(*rds.DescribeDBSubnetGroupsInput) (*rds.DescribeDBSubnetGroupsOutput, error)
	DescribeDBClustersFn     func(*rds.DescribeDBClustersInput) (*rds.DescribeDBClustersOutput, error)
	DescribeDBInstancesFn    func(*rds.DescribeDBInstancesInput) (*rds.DescribeDBInstancesOutput, error)
	DeleteDBClusterFn        func(*rds.DeleteDBClusterInput) (*rds.DeleteDBClusterOutput, error)
	DeleteDBInstanceFn       func(*rds.DeleteDBInstanceInput) (*rds.DeleteDBInstanceOutput, error)
	DeleteDBSubnetGroupFn    func(*rds.DeleteDBSubnetGroupInput) (*rds.DeleteDBSubnetGroupOutput, error)
	ListTagsForResourceFn    func(*rds.ListTagsForResourceInput) (*rds.ListTagsForResourceOutput, error)
	AddTagsToResourceFn      func(*rds.AddTagsToResourceInput) (*rds.AddTagsToResourceOutput, error)
	RemoveTagsFromResourceFn func(*rds.RemoveTagsFromResourceInput) (*rds.RemoveTagsFromResourceOutput, error)
}

func (f *fakeAPI) AddTagsToResource(_ context.Context, in *rds.AddTagsToResourceInput, _ ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error) {
	return f.AddTagsToResourceFn(in)
}

func (f *fakeAPI) RemoveTagsFromResource(_ context.Context, in *rds.RemoveTagsFromResourceInput, _ ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error) {
	return f.RemoveTagsFromResourceFn(in)
}

func (f *fakeAPI) ListTagsForResource(_ context.Context, in *rds.ListTagsForResourceInput, _ ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error) {
	return f.ListTagsForResourceFn(in)
}

func (f *fakeAPI) DescribeDBSubnetGroups(_ context.Context, in *rds.DescribeDBSubnetGroupsInput, _ ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error) {
	return f.DescribeDBSubnetGroupsFn(in)
}

func (f *fakeAPI) DescribeDBClusters(_ context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	return f.DescribeDBClustersFn(in)
}

func (f *fakeAPI) DescribeDBInstances(_ context.Context, in *rds.DescribeDBInstancesInput, _ ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return f.DescribeDBInstancesFn(in)
}

func (f *fakeAPI) DeleteDBCluster(_ context.Context, in *rds.DeleteDBClusterInput, _ ...func(*rds.Options)) (*rds.DeleteDBClusterOutput, error) {
	return f.DeleteDBClusterFn(in)
}

func (f *fakeAPI) DeleteDBInstance(_ context.Context, in *rds.DeleteDBInstanceInput, _ ...func(*rds.Options)) (*rds.DeleteDBInstanceOutput, error) {
	return f.DeleteDBInstanceFn(in)
}

func (f *fakeAPI) DeleteDBSubnetGroup(_ context.Context, in *rds.DeleteDBSubnetGroupInput, _ ...func(*rds.Options)) (*rds.DeleteDBSubnetGroupOutput, error) {
	return f.DeleteDBSubnetGroupFn(in)
}

// fakeTagging answers GetResources with GetResourcesFn.
type fakeTagging struct {
	GetResourcesFn func(*rgt.GetResourcesInput) (*rgt.GetResourcesOutput, error)
}

func (f *fakeTagging) GetResources(_ context.Context, in *rgt.GetResourcesInput, _ ...func(*rgt.Options)) (*rgt.GetResourcesOutput, error) {
	return f.GetResourcesFn(in)
}

func notFound(code string) error { return &smithy.GenericAPIError{Code: code, Message: "not found"} }

const (
	arnOurs   = "arn:aws:rds:eu-west-1:123456789012:subgrp:kc-aurora"
	arnGone   = "arn:aws:rds:eu-west-1:123456789012:subgrp:kc-gone"
	arnOthers = "arn:aws:rds:eu-west-1:123456789012:subgrp:someone"
)

// liveRDS is an account with our subnet group, someone's untagged one,
// and clusters on two pages.
func liveRDS() *fakeAPI {
	return &fakeAPI{
		DescribeDBSubnetGroupsFn: func(*rds.DescribeDBSubnetGroupsInput) (*rds.DescribeDBSubnetGroupsOutput, error) {
			return &rds.DescribeDBSubnetGroupsOutput{DBSubnetGroups: []types.DBSubnetGroup{
				{DBSubnetGroupName: aws.String("kc-aurora"), DBSubnetGroupArn: aws.String(arnOurs)},
				{DBSubnetGroupName: aws.String("someone"), DBSubnetGroupArn: aws.String(arnOthers)},
			}}, nil
		},
		DescribeDBClustersFn: func(in *rds.DescribeDBClustersInput) (*rds.DescribeDBClustersOutput, error) {
			if aws.ToString(in.Marker) == "" {
				return &rds.DescribeDBClustersOutput{Marker: aws.String("2"), DBClusters: []types.DBCluster{
					{DBClusterIdentifier: aws.String("not-ours")}}}, nil
			}
			return &rds.DescribeDBClustersOutput{DBClusters: []types.DBCluster{{DBClusterIdentifier: aws.String("kc-old"),
				TagList: rdsTags(map[string]string{resource.TagStack: testStack, resource.TagAddress: "database.cluster"})}}}, nil
		},
		DescribeDBInstancesFn: func(*rds.DescribeDBInstancesInput) (*rds.DescribeDBInstancesOutput, error) {
			return &rds.DescribeDBInstancesOutput{}, nil
		},
	}
}

// ownedByTags is the tagging API listing our group and one RDS no longer has.
func ownedByTags() *fakeTagging {
	tags := []rgttypes.Tag{{Key: aws.String(resource.TagStack), Value: aws.String(testStack)},
		{Key: aws.String(resource.TagAddress), Value: aws.String("database.subnet-group")}}
	return &fakeTagging{GetResourcesFn: func(*rgt.GetResourcesInput) (*rgt.GetResourcesOutput, error) {
		return &rgt.GetResourcesOutput{ResourceTagMappingList: []rgttypes.ResourceTagMapping{
			{ResourceARN: aws.String(arnOurs), Tags: tags}, {ResourceARN: aws.String(arnGone), Tags: tags},
		}}, nil
	}}
}

func TestObserverWithFakes(t *testing.T) {
	obs, err := newObserver(liveRDS(), ownedByTags()).Observe(context.Background(), resource.Query{Stack: testStack})
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	got := map[string]string{}
	for _, o := range obs {
		got[o.Address] = o.ID
	}
	want := map[string]string{"database.subnet-group": "kc-aurora", "database.cluster": "kc-old"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Observe: want owned resources from every page, none from the tagging API alone, no untagged ones: -want +got:\n%s", diff)
	}
}

func TestObserverTaggingLag(t *testing.T) {
	api := liveRDS()
	var asked []string
	api.ListTagsForResourceFn = func(in *rds.ListTagsForResourceInput) (*rds.ListTagsForResourceOutput, error) {
		asked = append(asked, aws.ToString(in.ResourceName))
		return &rds.ListTagsForResourceOutput{TagList: rdsTags(map[string]string{resource.TagStack: testStack,
			resource.TagAddress: "database.subnet-group"})}, nil
	}
	nothing := &fakeTagging{GetResourcesFn: func(*rgt.GetResourcesInput) (*rgt.GetResourcesOutput, error) {
		return &rgt.GetResourcesOutput{}, nil
	}}
	desired := resource.Desired{Address: "database.subnet-group", Kind: resource.KindDBSubnetGroup, Props: resource.Props{"name": "kc-aurora"}}
	obs, err := newObserver(api, nothing).Observe(context.Background(), resource.Query{Stack: testStack, Desired: []resource.Desired{desired}})
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}
	if diff := cmp.Diff([]string{arnOurs}, asked); diff != "" {
		t.Errorf("ListTagsForResource: want one call for the desired group the tagging API missed, none for others: -want +got:\n%s", diff)
	}
	if len(obs) == 0 || obs[0].Address != desired.Address || !obs[0].Owned {
		t.Errorf("Observe: want the desired group owned, got %+v", obs)
	}
}

func TestObserverError(t *testing.T) {
	api := liveRDS()
	api.DescribeDBInstancesFn = func(*rds.DescribeDBInstancesInput) (*rds.DescribeDBInstancesOutput, error) {
		return nil, &smithy.GenericAPIError{Code: "AccessDenied", Message: "no"}
	}
	_, err := newObserver(api, ownedByTags()).Observe(context.Background(), resource.Query{Stack: testStack})
	if awserr.Code(err) != "AccessDenied" || !strings.HasPrefix(err.Error(), "describe DB instances: ") {
		t.Fatalf("Observe: got %v, want the AccessDenied error wrapped with what was being read", err)
	}
}

func TestDeleteNotFoundIsSuccess(t *testing.T) {
	ctx := context.Background()
	api := &fakeAPI{
		DeleteDBClusterFn: func(*rds.DeleteDBClusterInput) (*rds.DeleteDBClusterOutput, error) {
			return nil, notFound(codeClusterNotFound)
		},
		DeleteDBInstanceFn: func(*rds.DeleteDBInstanceInput) (*rds.DeleteDBInstanceOutput, error) {
			return nil, notFound(codeInstanceNotFound)
		},
		DeleteDBSubnetGroupFn: func(*rds.DeleteDBSubnetGroupInput) (*rds.DeleteDBSubnetGroupOutput, error) {
			return nil, notFound(codeSubnetGroupNotFound)
		},
	}
	h := newKinds(api, nil, nil)
	o := resource.Observation{ID: "kc-aurora", Exists: true}
	for _, hd := range []resource.Handler{h.cluster, h.instance, h.subnetGroup} {
		if err := hd.Delete(ctx, o, nil); err != nil {
			t.Errorf("%s Delete of something already gone: %v", hd.Describe().Kind, err)
		}
	}
}

func TestDeleteProtectedMakesNoCall(t *testing.T) {
	h := newClusterHandler(&fakeAPI{}, nil)
	o := resource.Observation{ID: "kc-aurora", Exists: true, Props: resource.Props{"deletion_protection": true}}
	err := h.Delete(context.Background(), o, map[string]string{"skip_final_snapshot": "true"})
	if !errors.Is(err, ErrDeletionProtected) {
		t.Fatalf("Delete: got %v, want ErrDeletionProtected before any call", err)
	}
}

func TestDeleteClusterInput(t *testing.T) {
	cases := map[string]struct {
		reason string
		opts   map[string]string
		want   *rds.DeleteDBClusterInput
	}{
		"Named": {
			reason: "the final snapshot takes the name the stack gives it",
			opts:   map[string]string{"skip_final_snapshot": "false", "final_snapshot_identifier": "kc-last"},
			want:   &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("kc-aurora"), FinalDBSnapshotIdentifier: aws.String("kc-last")},
		},
		"Skip": {
			reason: "skip_final_snapshot=true takes none",
			opts:   map[string]string{"skip_final_snapshot": "true"},
			want:   &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("kc-aurora"), SkipFinalSnapshot: aws.Bool(true)},
		},
		"NoOptions": {
			reason: "a cluster no longer in the file still gets a final snapshot, never silently none",
			want:   &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("kc-aurora"), FinalDBSnapshotIdentifier: aws.String("kc-aurora-final")},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := deleteClusterInput("kc-aurora", tc.opts)
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(rds.DeleteDBClusterInput{})); diff != "" {
				t.Errorf("%s\ndeleteClusterInput: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
