package ecs

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var _ api.Interfaces = (*State)(nil)

// NetworkInterfaces lists the interface of every task of the awsvpc
// services in region (the desired count, or the tasks still running while
// a service drains), spread over the service's subnets. As in AWS, an
// interface's description is the task's attachment ARN.
func (s *State) NetworkInterfaces(region string) []api.NetworkInterface {
	r := s.Regions[region]
	if r == nil {
		return nil
	}
	var out []api.NetworkInterface
	for _, svcs := range r.Services {
		for _, sv := range svcs {
			out = append(out, sv.interfaces()...)
		}
	}
	return out
}

func (sv *ServiceRecord) interfaces() []api.NetworkInterface {
	nc := sv.S.NetworkConfiguration
	if aws.ToString(sv.S.Status) == statusInactive || nc == nil || nc.AwsvpcConfiguration == nil || len(nc.AwsvpcConfiguration.Subnets) == 0 {
		return nil
	}
	cfg := nc.AwsvpcConfiguration
	arn := aws.ToString(sv.S.ServiceArn)
	prefix := arn[:strings.Index(arn, ":service/")+1]
	n := max(sv.S.DesiredCount, sv.S.RunningCount+sv.S.PendingCount)
	out := make([]api.NetworkInterface, 0, n)
	for i := range int(n) {
		key := fmt.Sprintf("%s/task/%d", arn, i)
		out = append(out, api.NetworkInterface{
			Key: key, SubnetID: cfg.Subnets[i%len(cfg.Subnets)], SecurityGroups: cfg.SecurityGroups,
			Description: prefix + "attachment/" + uuidOf(key), InterfaceType: "interface", RequesterID: "amazon-ecs",
		})
	}
	return out
}

// uuidOf derives a UUID-shaped id from s, the same for the same s.
func uuidOf(s string) string {
	h := sha256.Sum256([]byte(s))
	x := hex.EncodeToString(h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
