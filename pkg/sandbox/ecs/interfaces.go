package ecs

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var _ api.Interfaces = (*State)(nil)

// NetworkInterfaces lists the interface of every awsvpc task in region
// that is not stopped, with the task's address. As in AWS, an interface's
// description is the task's attachment ARN.
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
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return nil
	}
	arn := aws.ToString(sv.S.ServiceArn)
	prefix := arn[:strings.Index(arn, ":service/")+1]
	var out []api.NetworkInterface
	for _, t := range sv.Tasks {
		if t.Subnet == "" || t.stopped() {
			continue
		}
		out = append(out, api.NetworkInterface{
			Key: aws.ToString(t.T.TaskArn), SubnetID: t.Subnet, SecurityGroups: nc.AwsvpcConfiguration.SecurityGroups,
			Description: prefix + "attachment/" + aws.ToString(t.T.Attachments[0].Id), InterfaceType: "interface",
			RequesterID: "amazon-ecs", PrivateIP: t.IP,
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
