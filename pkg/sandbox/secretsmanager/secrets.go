package secretsmanager

import (
	"bytes"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

func createSecret(c *api.Call, in *secretsmanager.CreateSecretInput) (*secretsmanager.CreateSecretOutput, error) {
	name := aws.ToString(in.Name)
	if err := validateName(name); err != nil {
		return nil, err
	}
	if err := validateValue(in.SecretString, in.SecretBinary); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	r := state(c).Region(c.Region)
	if old, ok := r.Secrets[name]; ok {
		if retry, err := old.retriedCreate(in); retry != nil || err != nil {
			return retry, err
		}
		if old.deleted() {
			return nil, api.Errorf(codeInvalidReq, "You can't create this secret because a secret with this name is already scheduled for deletion.")
		}
		return nil, api.Errorf(codeExists, "The operation failed because the secret %s already exists.", name)
	}
	sec := &Secret{
		ARN: secretARN(c, name), Name: name, Description: aws.ToString(in.Description),
		KmsKeyID: aws.ToString(in.KmsKeyId), Tags: tagset.Copy(in.Tags),
		CreatedDate: c.Now, LastChangedDate: c.Now,
	}
	r.Secrets[name] = sec
	out := &secretsmanager.CreateSecretOutput{ARN: aws.String(sec.ARN), Name: aws.String(name)}
	if in.SecretString != nil || in.SecretBinary != nil {
		v := sec.addVersion(versionID(in.ClientRequestToken), in.SecretString, in.SecretBinary, nil, c.Now)
		out.VersionId = aws.String(v.ID)
	}
	return out, nil
}

func describeSecret(c *api.Call, in *secretsmanager.DescribeSecretInput) (*secretsmanager.DescribeSecretOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	out := &secretsmanager.DescribeSecretOutput{
		ARN:                aws.String(sec.ARN),
		Name:               aws.String(sec.Name),
		Description:        optional(sec.Description),
		KmsKeyId:           optional(sec.KmsKeyID),
		OwningService:      optional(sec.OwningService),
		CreatedDate:        aws.Time(sec.CreatedDate),
		LastChangedDate:    aws.Time(sec.LastChangedDate),
		LastAccessedDate:   copyTime(sec.LastAccessedDate),
		DeletedDate:        copyTime(sec.DeletedDate),
		Tags:               tagset.Copy(sec.Tags),
		VersionIdsToStages: sec.versionStages(),
	}
	out.RotationEnabled, out.RotationRules = sec.rotation()
	return out, nil
}

// retriedCreate answers a CreateSecret whose ClientRequestToken names a
// version of the existing secret: the same answer when the value is the
// same (an idempotent retry), ResourceExistsException when it differs.
// It returns nil, nil when the request is no retry.
func (sec *Secret) retriedCreate(in *secretsmanager.CreateSecretInput) (*secretsmanager.CreateSecretOutput, error) {
	token := aws.ToString(in.ClientRequestToken)
	if token == "" || sec.deleted() || sec.Versions[token] == nil {
		return nil, nil
	}
	if aws.ToString(in.Description) != sec.Description {
		return nil, api.Errorf(codeExists, "The operation failed because the secret %s already exists with another description.", sec.Name)
	}
	v, err := sec.existingVersion(token, in.SecretString, in.SecretBinary)
	if err != nil {
		return nil, err
	}
	return &secretsmanager.CreateSecretOutput{ARN: aws.String(sec.ARN), Name: aws.String(sec.Name), VersionId: aws.String(v.ID)}, nil
}

// rotation reports a managed secret's rotation settings.
func (sec *Secret) rotation() (*bool, *types.RotationRulesType) {
	if sec.RotationDays <= 0 {
		return nil, nil
	}
	return aws.Bool(true), &types.RotationRulesType{AutomaticallyAfterDays: aws.Int64(sec.RotationDays)}
}

func getSecretValue(c *api.Call, in *secretsmanager.GetSecretValueInput) (*secretsmanager.GetSecretValueOutput, error) {
	sec, err := lookup(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	if sec.deleted() {
		return nil, errMarkedForDeletion()
	}
	v, err := sec.pick(in.VersionId, in.VersionStage)
	if err != nil {
		return nil, err
	}
	day := c.Now.UTC().Truncate(24 * time.Hour)
	sec.LastAccessedDate = &day
	return &secretsmanager.GetSecretValueOutput{
		ARN: aws.String(sec.ARN), Name: aws.String(sec.Name), CreatedDate: aws.Time(v.Created),
		VersionId: aws.String(v.ID), VersionStages: append([]string(nil), v.Stages...),
		SecretString: copyString(v.String), SecretBinary: bytes.Clone(v.Binary),
	}, nil
}

// lookupChangeable returns the secret id when a caller may change it:
// neither scheduled for deletion nor managed by another service.
func lookupChangeable(c *api.Call, id *string) (*Secret, error) {
	sec, err := lookup(c, id)
	if err != nil {
		return nil, err
	}
	if sec.deleted() {
		return nil, errMarkedForDeletion()
	}
	if sec.OwningService != "" {
		return nil, errManaged(sec, "update")
	}
	return sec, nil
}

func putSecretValue(c *api.Call, in *secretsmanager.PutSecretValueInput) (*secretsmanager.PutSecretValueOutput, error) {
	sec, err := lookupChangeable(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	if in.SecretString == nil && in.SecretBinary == nil {
		return nil, api.Errorf(codeInvalidParam, "You must provide either SecretString or SecretBinary.")
	}
	if err := validateValue(in.SecretString, in.SecretBinary); err != nil {
		return nil, err
	}
	id := versionID(in.ClientRequestToken)
	v, err := sec.existingVersion(id, in.SecretString, in.SecretBinary)
	if err != nil {
		return nil, err
	}
	if v == nil {
		v = sec.addVersion(id, in.SecretString, in.SecretBinary, in.VersionStages, c.Now)
		sec.LastChangedDate = c.Now
	}
	return &secretsmanager.PutSecretValueOutput{
		ARN: aws.String(sec.ARN), Name: aws.String(sec.Name),
		VersionId: aws.String(v.ID), VersionStages: append([]string(nil), v.Stages...),
	}, nil
}

// existingVersion returns the version id when it exists with the same
// value (an idempotent retry), nil when it does not exist, and
// ResourceExistsException when it exists with another value.
func (sec *Secret) existingVersion(id string, str *string, bin []byte) (*Version, error) {
	v, ok := sec.Versions[id]
	if !ok {
		return nil, nil
	}
	if aws.ToString(v.String) == aws.ToString(str) && bytes.Equal(v.Binary, bin) && (v.String == nil) == (str == nil) {
		return v, nil
	}
	return nil, api.Errorf(codeExists, "You can't modify an existing version, you can only create a new version.")
}

// addVersion stores a new version carrying stages (AWSCURRENT when
// empty), moving the labels off older versions; the version that loses
// AWSCURRENT gets AWSPREVIOUS. Versions left without labels are dropped.
func (sec *Secret) addVersion(id string, str *string, bin []byte, stages []string, now time.Time) *Version {
	if len(stages) == 0 {
		stages = []string{stageCurrent}
	}
	previous := sec.current()
	for _, st := range stages {
		sec.removeStage(st)
	}
	if previous != nil && contains(stages, stageCurrent) {
		sec.removeStage(stagePrevious)
		previous.Stages = append(previous.Stages, stagePrevious)
	}
	v := &Version{ID: id, String: copyString(str), Binary: bytes.Clone(bin), Stages: append([]string(nil), stages...), Created: now}
	if sec.Versions == nil {
		sec.Versions = map[string]*Version{}
	}
	sec.Versions[id] = v
	for vid, old := range sec.Versions {
		if len(old.Stages) == 0 {
			delete(sec.Versions, vid)
		}
	}
	return v
}

func (sec *Secret) removeStage(stage string) {
	for _, v := range sec.Versions {
		kept := v.Stages[:0]
		for _, st := range v.Stages {
			if st != stage {
				kept = append(kept, st)
			}
		}
		v.Stages = kept
	}
}

// pick returns the version a GetSecretValue asks for: by id, by stage, or
// AWSCURRENT.
func (sec *Secret) pick(id, stage *string) (*Version, error) {
	if id != nil {
		v, ok := sec.Versions[*id]
		if !ok || (stage != nil && !contains(v.Stages, *stage)) {
			return nil, api.Errorf(codeNotFound, "Secrets Manager can't find the specified secret value for VersionId: %s", *id)
		}
		return v, nil
	}
	label := stageCurrent
	if stage != nil {
		label = *stage
	}
	v := sec.versionWithStage(label)
	if v == nil {
		return nil, api.Errorf(codeNotFound, "Secrets Manager can't find the specified secret value for staging label: %s", label)
	}
	return v, nil
}

// validateName checks a secret name against AWS's rules.
func validateName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 512 {
		return api.Errorf(codeInvalidParam, "Invalid name. The name must be 1 to 512 characters long.")
	}
	for _, r := range name {
		if !nameRune(r) {
			return api.Errorf(codeInvalidParam, "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!")
		}
	}
	return nil
}

func nameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	for _, ok := range "-/_+=.@!" {
		if r == ok {
			return true
		}
	}
	return false
}

func validateValue(str *string, bin []byte) error {
	if str != nil && bin != nil {
		return api.Errorf(codeInvalidParam, "You can't specify both a binary secret value and a string secret value in the same secret.")
	}
	if len(aws.ToString(str)) > 65536 || len(bin) > 65536 {
		return api.Errorf(codeInvalidParam, "The secret value can't exceed 65536 bytes.")
	}
	return nil
}

// versionID is the client's token, or a new UUID when it sent none.
func versionID(token *string) string {
	if t := aws.ToString(token); t != "" {
		return t
	}
	return NewUUID()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func copyString(s *string) *string {
	if s == nil {
		return nil
	}
	return aws.String(*s)
}

func copyTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	return aws.Time(*t)
}
