package secretsmanager

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Managed describes a secret another service creates and owns, such as
// the master user password RDS manages for a cluster.
type Managed struct {
	// Name is the secret's name (rds!cluster-<uuid>).
	Name string
	// Owner is the owning service's name (rds).
	Owner string
	// Description is shown by DescribeSecret.
	Description string
	// KmsKeyID is the customer key, empty for aws/secretsmanager.
	KmsKeyID string
	// Value is the secret string.
	Value string
	// Tags are set on the secret.
	Tags map[string]string
	// RotationDays, when positive, reports rotation as enabled every so
	// many days (RDS rotates its secrets every 7). The sandbox never
	// rotates.
	RotationDays int64
}

// CreateManaged creates a secret owned by another service in the call's
// region and returns its ARN. Users cannot delete it through Secrets
// Manager; the owner does with DeleteManaged.
func CreateManaged(c *api.Call, m Managed) (string, error) {
	st, ok := c.World.State(ServiceName).(*State)
	if !ok {
		return "", fmt.Errorf("sandbox has no %s state", ServiceName)
	}
	r := st.Region(c.Region)
	if _, exists := r.Secrets[m.Name]; exists {
		return "", api.Errorf(codeExists, "The operation failed because the secret %s already exists.", m.Name)
	}
	sec := &Secret{
		ARN: secretARN(c, m.Name), Name: m.Name, Description: m.Description, KmsKeyID: m.KmsKeyID,
		OwningService: m.Owner, Tags: sortedTags(m.Tags), CreatedDate: c.Now, LastChangedDate: c.Now,
		RotationDays: m.RotationDays,
	}
	sec.addVersion(NewUUID(), aws.String(m.Value), nil, nil, c.Now)
	r.Secrets[m.Name] = sec
	return sec.ARN, nil
}

// DeleteManaged deletes at once the managed secret with the given ARN in
// the call's region. A secret that is already gone is not an error.
func DeleteManaged(c *api.Call, arn string) {
	st, ok := c.World.State(ServiceName).(*State)
	if !ok {
		return
	}
	r := st.Region(c.Region)
	if sec := r.find(arn); sec != nil {
		delete(r.Secrets, sec.Name)
	}
}

func sortedTags(m map[string]string) []types.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	tags := make([]types.Tag, 0, len(keys))
	for _, k := range keys {
		tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return tags
}

// RotateManaged gives the managed secret with the given ARN in the call's
// region a new current version holding value, as the owning service's
// rotation does (the version before becomes AWSPREVIOUS).
func RotateManaged(c *api.Call, arn, value string) error {
	st, ok := c.World.State(ServiceName).(*State)
	if !ok {
		return fmt.Errorf("sandbox has no %s state", ServiceName)
	}
	sec := st.Region(c.Region).find(arn)
	if sec == nil || sec.OwningService == "" {
		return fmt.Errorf("rotate %s: no managed secret", arn)
	}
	sec.addVersion(NewUUID(), aws.String(value), nil, nil, c.Now)
	sec.LastChangedDate = c.Now
	return nil
}
