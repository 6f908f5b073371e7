package iam

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of IAM.
const ServiceName = "iam"

// Service returns the IAM emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateRole":               {Fn: createRole},
			"GetRole":                  {Fn: getRole},
			"DeleteRole":               {Fn: deleteRole},
			"ListRoles":                {Fn: listRoles},
			"UpdateRole":               {Fn: updateRole},
			"UpdateAssumeRolePolicy":   {Fn: updateAssumeRolePolicy},
			"PutRolePolicy":            {Fn: putRolePolicy},
			"GetRolePolicy":            {Fn: getRolePolicy},
			"DeleteRolePolicy":         {Fn: deleteRolePolicy},
			"ListRolePolicies":         {Fn: listRolePolicies},
			"AttachRolePolicy":         {Fn: attachRolePolicy},
			"DetachRolePolicy":         {Fn: detachRolePolicy},
			"ListAttachedRolePolicies": {Fn: listAttachedRolePolicies},
			"TagRole":                  {Fn: tagRole},
			"UntagRole":                {Fn: untagRole},
			"ListRoleTags":             {Fn: listRoleTags},
		},
	}
}
