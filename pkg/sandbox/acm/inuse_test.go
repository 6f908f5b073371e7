package acm

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsacm "github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// world is a fake api.World: ACM's state and one service using
// certificates.
type world struct {
	acm   *State
	users usersFn
}

type usersFn func(region, arn string) []string

func (f usersFn) CertificateUsers(region, arn string) []string { return f(region, arn) }

func (w world) State(name string) any {
	if name == ServiceName {
		return w.acm
	}
	return w.users
}
func (w world) Services() []string     { return []string{ServiceName, "elbv2"} }
func (w world) Settings() api.Settings { return api.Settings{} }

func TestDeleteRefusedWhileInUse(t *testing.T) {
	arn := "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666"
	lb := "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/kc/1"
	w := world{acm: NewState(), users: func(region, a string) []string {
		if region == "eu-west-1" && a == arn {
			return []string{lb}
		}
		return nil
	}}
	w.acm.Seed(arn, "auth.example.com", time.Now())
	c := &api.Call{Region: "eu-west-1", AccountID: "123456789012", World: w}
	d, err := describeCertificate(c, &awsacm.DescribeCertificateInput{CertificateArn: aws.String(arn)})
	if err != nil || len(d.Certificate.InUseBy) != 1 || d.Certificate.InUseBy[0] != lb {
		t.Errorf("InUseBy: %+v, %v; want [%s]", d, err, lb)
	}
	_, err = deleteCertificate(c, &awsacm.DeleteCertificateInput{CertificateArn: aws.String(arn)})
	if e, ok := err.(*api.Error); !ok || e.Code != codeInUse {
		t.Errorf("delete of a certificate in use: got %v, want %s", err, codeInUse)
	}
}
