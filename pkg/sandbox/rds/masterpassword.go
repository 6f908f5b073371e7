package rds

import (
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

// passwordAlphabet is what generated master passwords are made of.
const passwordAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%^&*()_+-=[]{}<>?.,:;~"

// Statuses of a managed master user secret: creating until the cluster's
// change completes, then active.
const (
	secretCreating = "creating"
	secretActive   = "active"
)

// manageMasterPassword creates the Secrets Manager secret that holds the
// master user's credentials, owned by RDS and named as AWS names it
// (rds!cluster-<uuid>), and reports it in MasterUserSecret.
func manageMasterPassword(c *api.Call, r *Region, db *types.DBCluster, kmsKeyID string) error {
	value, err := json.Marshal(map[string]string{
		"username": deref(db.MasterUsername),
		"password": randomFrom(passwordAlphabet, 32),
	})
	if err != nil {
		return err
	}
	clusterARN := deref(db.DBClusterArn)
	secretARN, err := secretsmanager.CreateManaged(c, secretsmanager.Managed{
		Name:         "rds!cluster-" + newUUID(),
		Owner:        ServiceName,
		Description:  "Secret associated with primary RDS DB cluster: " + clusterARN,
		KmsKeyID:     kmsKeyID,
		Value:        string(value),
		RotationDays: 7,
		Tags: map[string]string{
			"aws:rds:primaryDBClusterArn":      clusterARN,
			"aws:secretsmanager:owningService": ServiceName,
		},
	})
	if err != nil {
		return err
	}
	if kmsKeyID == "" {
		kmsKeyID = r.SecretsKeyARN
	}
	db.MasterUserSecret = &types.MasterUserSecret{SecretArn: ptr(secretARN), SecretStatus: ptr(secretCreating), KmsKeyId: ptr(kmsKeyID)}
	return nil
}

// rotateMasterPassword gives the cluster's managed secret a new password
// for the same user, as RotateMasterUserPassword does.
func rotateMasterPassword(c *api.Call, db *types.DBCluster) error {
	value, err := json.Marshal(map[string]string{
		"username": deref(db.MasterUsername),
		"password": randomFrom(passwordAlphabet, 32),
	})
	if err != nil {
		return err
	}
	return secretsmanager.RotateManaged(c, deref(db.MasterUserSecret.SecretArn), string(value))
}

// dropMasterSecret deletes the cluster's managed secret, if it has one.
func dropMasterSecret(c *api.Call, db *types.DBCluster) {
	if db.MasterUserSecret == nil {
		return
	}
	secretsmanager.DeleteManaged(c, deref(db.MasterUserSecret.SecretArn))
	db.MasterUserSecret = nil
}
