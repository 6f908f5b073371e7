package secretsmanager

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// defaultRecoveryDays is the recovery window when DeleteSecret names none.
const defaultRecoveryDays = 30

func deleteSecret(c *api.Call, in *secretsmanager.DeleteSecretInput) (*secretsmanager.DeleteSecretOutput, error) {
	force := aws.ToBool(in.ForceDeleteWithoutRecovery)
	days, err := recoveryDays(force, in.RecoveryWindowInDays)
	if err != nil {
		return nil, err
	}
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		if force {
			// AWS does not answer not-found to a forced delete, so that
			// retries succeed.
			return &secretsmanager.DeleteSecretOutput{Name: in.SecretId, DeletionDate: aws.Time(c.Now)}, nil
		}
		return nil, err
	}
	if sec.OwningService != "" {
		return nil, errManaged(sec, "delete")
	}
	if sec.deleted() && !force {
		return nil, errMarkedForDeletion()
	}
	when := scheduleDeletion(c, sec, days)
	return &secretsmanager.DeleteSecretOutput{ARN: aws.String(sec.ARN), Name: aws.String(sec.Name), DeletionDate: aws.Time(when)}, nil
}

// recoveryDays validates the recovery window; 0 means delete now.
func recoveryDays(force bool, window *int64) (int64, error) {
	switch {
	case force && window != nil:
		return 0, api.Errorf(codeInvalidParam, "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.")
	case force:
		return 0, nil
	case window == nil:
		return defaultRecoveryDays, nil
	case *window < 7 || *window > 30:
		return 0, api.Errorf(codeInvalidParam, "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
	}
	return *window, nil
}

// scheduleDeletion marks sec deleted and returns when it goes for good;
// with no recovery window it goes now.
func scheduleDeletion(c *api.Call, sec *Secret, days int64) time.Time {
	when := c.Now.Add(time.Duration(days) * 24 * time.Hour)
	if days == 0 {
		delete(state(c).Region(c.Region).Secrets, sec.Name)
		return when
	}
	sec.DeletedDate = aws.Time(c.Now)
	sec.DeletionDate = aws.Time(when)
	return when
}

func restoreSecret(c *api.Call, in *secretsmanager.RestoreSecretInput) (*secretsmanager.RestoreSecretOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	sec.DeletedDate, sec.DeletionDate = nil, nil
	sec.LastChangedDate = c.Now
	return &secretsmanager.RestoreSecretOutput{ARN: aws.String(sec.ARN), Name: aws.String(sec.Name)}, nil
}

// errManaged refuses a change to a secret another service owns.
func errManaged(sec *Secret, verb string) *api.Error {
	return api.Errorf(codeInvalidReq, "You can't %s secret %s because it's managed by %s. Use %s to change or delete it.", verb, sec.Name, sec.OwningService, sec.OwningService)
}
