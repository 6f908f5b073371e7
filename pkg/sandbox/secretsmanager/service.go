package secretsmanager

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of Secrets Manager.
const ServiceName = "secretsmanager"

// Service returns the Secrets Manager emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateSecret":      {Fn: createSecret},
			"DescribeSecret":    {Fn: describeSecret},
			"GetSecretValue":    {Fn: getSecretValue},
			"PutSecretValue":    {Fn: putSecretValue},
			"ListSecrets":       {Fn: listSecrets},
			"DeleteSecret":      {Fn: deleteSecret},
			"RestoreSecret":     {Fn: restoreSecret},
			"GetRandomPassword": {Fn: getRandomPassword},
			"UpdateSecret":      {Fn: updateSecret},
			"TagResource":       {Fn: tagResource},
			"UntagResource":     {Fn: untagResource},
		},
	}
}
