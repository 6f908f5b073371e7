package sandbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// fakeState is a minimal state for front-end tests: what the fake
// operations received, so tests can check decoding.
type fakeState struct {
	Vpcs       []ec2types.Vpc
	Clusters   []rdstypes.DBCluster
	Params     map[string]string
	LastFilter []ec2types.Filter
}

func fakeServices() []api.Service {
	return []api.Service{
		{Name: "ec2", NewState: func() any { return &fakeState{} }, Ops: map[string]api.Op{
			"CreateVpc": {Fn: func(c *api.Call, in *ec2.CreateVpcInput) (*ec2.CreateVpcOutput, error) {
				st := c.World.State("ec2").(*fakeState)
				v := ec2types.Vpc{VpcId: aws.String(api.NewID("vpc")), CidrBlock: in.CidrBlock, State: ec2types.VpcStateAvailable, IsDefault: aws.Bool(false)}
				for _, spec := range in.TagSpecifications {
					v.Tags = append(v.Tags, spec.Tags...)
				}
				st.Vpcs = append(st.Vpcs, v)
				return &ec2.CreateVpcOutput{Vpc: &v}, nil
			}},
			"DescribeVpcs": {Fn: func(c *api.Call, in *ec2.DescribeVpcsInput) (*ec2.DescribeVpcsOutput, error) {
				st := c.World.State("ec2").(*fakeState)
				st.LastFilter = in.Filters
				return &ec2.DescribeVpcsOutput{Vpcs: st.Vpcs}, nil
			}},
			"DeleteVpc": {Fn: func(c *api.Call, in *ec2.DeleteVpcInput) (*ec2.DeleteVpcOutput, error) {
				return nil, api.Errorf("InvalidVpcID.NotFound", "The vpc ID '%s' does not exist", aws.ToString(in.VpcId))
			}},
		}},
		{Name: "rds", NewState: func() any { return &fakeState{} }, Ops: map[string]api.Op{
			"CreateDBCluster": {Fn: func(c *api.Call, in *rds.CreateDBClusterInput) (*rds.CreateDBClusterOutput, error) {
				st := c.World.State("rds").(*fakeState)
				cl := rdstypes.DBCluster{
					DBClusterIdentifier: in.DBClusterIdentifier, Engine: in.Engine, VpcSecurityGroups: []rdstypes.VpcSecurityGroupMembership{},
					ClusterCreateTime: aws.Time(c.Now), TagList: in.Tags, Port: aws.Int32(5432), StorageEncrypted: in.StorageEncrypted,
				}
				for _, id := range in.VpcSecurityGroupIds {
					cl.VpcSecurityGroups = append(cl.VpcSecurityGroups, rdstypes.VpcSecurityGroupMembership{VpcSecurityGroupId: aws.String(id), Status: aws.String("active")})
				}
				st.Clusters = append(st.Clusters, cl)
				return &rds.CreateDBClusterOutput{DBCluster: &cl}, nil
			}},
			"DescribeDBClusters": {Fn: func(c *api.Call, in *rds.DescribeDBClustersInput) (*rds.DescribeDBClustersOutput, error) {
				st := c.World.State("rds").(*fakeState)
				return &rds.DescribeDBClustersOutput{DBClusters: st.Clusters}, nil
			}},
		}},
		{Name: "ssm", NewState: func() any { return &fakeState{Params: map[string]string{}} }, Ops: map[string]api.Op{
			"PutParameter": {Fn: func(c *api.Call, in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
				st := c.World.State("ssm").(*fakeState)
				if _, ok := st.Params[*in.Name]; ok && !aws.ToBool(in.Overwrite) {
					return nil, api.Errorf("ParameterAlreadyExists", "The parameter already exists.")
				}
				st.Params[*in.Name] = *in.Value
				return &ssm.PutParameterOutput{Version: 1, Tier: ssmtypes.ParameterTierStandard}, nil
			}},
			"GetParameter": {Fn: func(c *api.Call, in *ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
				st := c.World.State("ssm").(*fakeState)
				v, ok := st.Params[*in.Name]
				if !ok {
					return nil, api.Errorf("ParameterNotFound", "")
				}
				return &ssm.GetParameterOutput{Parameter: &ssmtypes.Parameter{Name: in.Name, Value: aws.String(v), Version: 1, LastModifiedDate: aws.Time(c.Now)}}, nil
			}},
		}},
	}
}

func startFake(t *testing.T, opts ...sandbox.Option) (*sandbox.Server, aws.Config) {
	t.Helper()
	srv := sandboxtest.New(t, append([]sandbox.Option{sandbox.WithServices(fakeServices()...)}, opts...)...)
	return srv, sandboxtest.AWSConfig(t, srv)
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestEC2QueryRoundTrip(t *testing.T) {
	_, cfg := startFake(t)
	ctx := context.Background()
	client := ec2.NewFromConfig(cfg)
	out, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: []ec2types.Tag{
			{Key: aws.String("kcstack:stack"), Value: aws.String("s")}, {Key: aws.String("Name"), Value: aws.String("a & <b>")},
		}}},
	})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	desc, err := client.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:kcstack:stack"), Values: []string{"s", "t"}},
		{Name: aws.String("vpc-id"), Values: []string{*out.Vpc.VpcId}},
	}})
	if err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	if len(desc.Vpcs) != 1 {
		t.Fatalf("DescribeVpcs returned %d vpcs, want 1", len(desc.Vpcs))
	}
	got := desc.Vpcs[0]
	if diff := cmp.Diff(*out.Vpc.VpcId, aws.ToString(got.VpcId)); diff != "" {
		t.Errorf("vpc id -want +got:\n%s", diff)
	}
	if diff := cmp.Diff("a & <b>", aws.ToString(got.Tags[1].Value)); diff != "" {
		t.Errorf("escaped tag value -want +got:\n%s", diff)
	}
	if got.State != ec2types.VpcStateAvailable || aws.ToBool(got.IsDefault) {
		t.Errorf("state %q isDefault %v, want available false", got.State, aws.ToBool(got.IsDefault))
	}
	_, err = client.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String("vpc-0123456789abcdef0")})
	if code := apiCode(err); code != "InvalidVpcID.NotFound" {
		t.Errorf("DeleteVpc error code %q (%v), want InvalidVpcID.NotFound", code, err)
	}
}

func TestEC2FiltersDecoded(t *testing.T) {
	srv, cfg := startFake(t)
	_, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{
		{Name: aws.String("tag:a"), Values: []string{"1", "2"}}, {Name: aws.String("state"), Values: []string{"available"}},
	}})
	if err != nil {
		t.Fatalf("DescribeVpcs: %v", err)
	}
	var got []ec2types.Filter
	srv.Inspect("ec2", func(s any) { got = s.(*fakeState).LastFilter })
	want := []ec2types.Filter{{Name: aws.String("tag:a"), Values: []string{"1", "2"}}, {Name: aws.String("state"), Values: []string{"available"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(ec2types.Filter{}), cmp.Comparer(func(a, b *string) bool { return aws.ToString(a) == aws.ToString(b) })); diff != "" {
		t.Errorf("filters -want +got:\n%s", diff)
	}
}

func TestAWSQueryRoundTrip(t *testing.T) {
	_, cfg := startFake(t)
	ctx := context.Background()
	client := rds.NewFromConfig(cfg)
	_, err := client.CreateDBCluster(ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String("kc-aurora"), Engine: aws.String("aurora-postgresql"),
		VpcSecurityGroupIds: []string{"sg-1", "sg-2"}, StorageEncrypted: aws.Bool(true),
		Tags: []rdstypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("s")}},
	})
	if err != nil {
		t.Fatalf("CreateDBCluster: %v", err)
	}
	out, err := client.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{})
	if err != nil {
		t.Fatalf("DescribeDBClusters: %v", err)
	}
	c := out.DBClusters[0]
	if len(c.VpcSecurityGroups) != 2 || aws.ToString(c.VpcSecurityGroups[1].VpcSecurityGroupId) != "sg-2" {
		t.Errorf("security groups %+v, want sg-1 and sg-2", c.VpcSecurityGroups)
	}
	if len(c.TagList) != 1 || !aws.ToBool(c.StorageEncrypted) || aws.ToInt32(c.Port) != 5432 || c.ClusterCreateTime == nil {
		t.Errorf("cluster decoded wrongly: tags %v encrypted %v port %v created %v", c.TagList, c.StorageEncrypted, c.Port, c.ClusterCreateTime)
	}
}

func TestMissingRequiredMemberRefused(t *testing.T) {
	srv, _ := startFake(t)
	body := "Action=CreateDBCluster&Version=2014-10-31&DBClusterIdentifier=x"
	req, err := http.NewRequest(http.MethodPost, srv.URL(), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261123/eu-west-1/rds/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || !strings.Contains(string(raw), "<Code>ValidationError</Code>") || !strings.Contains(string(raw), "engine") {
		t.Errorf("status %d body %s, want 400 ValidationError naming engine", resp.StatusCode, raw)
	}
}

func TestJSONRoundTripAndErrors(t *testing.T) {
	_, cfg := startFake(t)
	ctx := context.Background()
	client := ssm.NewFromConfig(cfg)
	if _, err := client.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/kcstack/lock"), Value: aws.String("holder"), Type: ssmtypes.ParameterTypeString}); err != nil {
		t.Fatalf("PutParameter: %v", err)
	}
	_, err := client.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/kcstack/lock"), Value: aws.String("other"), Type: ssmtypes.ParameterTypeString})
	var exists *ssmtypes.ParameterAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("second PutParameter error %v, want *types.ParameterAlreadyExists", err)
	}
	got, err := client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/kcstack/lock")})
	if err != nil {
		t.Fatalf("GetParameter: %v", err)
	}
	if aws.ToString(got.Parameter.Value) != "holder" || got.Parameter.LastModifiedDate == nil {
		t.Errorf("parameter %+v, want value holder with a modification date", got.Parameter)
	}
	_, err = client.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String("/kcstack/lock")})
	if code := apiCode(err); code != "UnknownOperationException" {
		t.Errorf("unimplemented operation answered %q (%v), want UnknownOperationException", code, err)
	}
}

func TestUnknownQueryAction(t *testing.T) {
	_, cfg := startFake(t)
	_, err := ec2.NewFromConfig(cfg).DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{})
	if code := apiCode(err); code != "InvalidAction" {
		t.Errorf("unimplemented EC2 action answered %q (%v), want InvalidAction", code, err)
	}
}

func TestStatePersistsAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	srv, err := sandbox.Start(sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	cfg := sandboxtest.AWSConfig(t, srv)
	out, err := ec2.NewFromConfig(cfg).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("state file: %v", err)
	}
	srv2 := sandboxtest.New(t, sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(path))
	desc, err := ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv2)).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatalf("DescribeVpcs after restart: %v", err)
	}
	if len(desc.Vpcs) != 1 || aws.ToString(desc.Vpcs[0].VpcId) != aws.ToString(out.Vpc.VpcId) {
		t.Errorf("after restart got %v, want the vpc %s", desc.Vpcs, aws.ToString(out.Vpc.VpcId))
	}
}

func TestThrottlingRetriedBySDK(t *testing.T) {
	srv, cfg := startFake(t, sandbox.WithFaults(sandbox.Faults{ThrottleRate: 0.3, ErrorRate: 0.1, Seed: 1}))
	client := ssm.NewFromConfig(cfg)
	for i := 0; i < 20; i++ {
		if _, err := client.PutParameter(context.Background(), &ssm.PutParameterInput{Name: aws.String("/p"), Value: aws.String("v"), Overwrite: aws.Bool(true), Type: ssmtypes.ParameterTypeString}); err != nil {
			t.Fatalf("PutParameter %d failed despite retries: %v", i, err)
		}
	}
	if n := srv.Calls()["ssm"]["PutParameter"]; n <= 20 {
		t.Errorf("%d calls for 20 operations: no fault was injected", n)
	}
}

func TestLatencyAndCallsEndpoint(t *testing.T) {
	srv, cfg := startFake(t, sandbox.WithFaults(sandbox.Faults{Latency: 20 * time.Millisecond}))
	start := time.Now()
	if _, err := ec2.NewFromConfig(cfg).DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("call took %v, want at least the 20ms latency", d)
	}
	resp, err := http.Get(srv.URL() + "/_sandbox/calls")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var calls map[string]map[string]int
	if err := json.NewDecoder(resp.Body).Decode(&calls); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]map[string]int{"ec2": {"DescribeVpcs": 1}}, calls); diff != "" {
		t.Errorf("calls -want +got:\n%s", diff)
	}
}
