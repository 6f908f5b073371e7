package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
)

// SecretsAPI is the Secrets Manager call that fills Secrets.
type SecretsAPI interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

// propSourcesCurrent is the observed prop of a Secret that is true when
// its source digest matches what Secrets Manager holds now.
const propSourcesCurrent = "sources_current"

// sourcesOf returns the sources annotation of a Secret (key to source).
func sourcesOf(annotations map[string]string) (map[string]string, error) {
	text, ok := annotations[kube.AnnotationSources]
	if !ok {
		return nil, nil
	}
	var sources map[string]string
	if err := json.Unmarshal([]byte(text), &sources); err != nil {
		return nil, fmt.Errorf("annotation %s: %w", kube.AnnotationSources, err)
	}
	return sources, nil
}

// sourceValues reads the value of every source from Secrets Manager. A
// source is a secret's ARN, whose whole string is the value, or the ARN
// followed by :<json-key>:: (the form of an ECS valueFrom), which picks one
// key of a JSON secret.
func sourceValues(ctx context.Context, api SecretsAPI, sources map[string]string) (map[string]string, error) {
	read := map[string]string{}
	out := map[string]string{}
	for _, key := range resource.SortedKeys(sources) {
		arn, jsonKey := splitSource(sources[key])
		text, ok := read[arn]
		if !ok {
			got, err := api.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
			if err != nil {
				return nil, fmt.Errorf("read secret %s for key %s: %w", arn, key, err)
			}
			text = aws.ToString(got.SecretString)
			read[arn] = text
		}
		v, err := pick(text, jsonKey)
		if err != nil {
			return nil, fmt.Errorf("secret %s for key %s: %w", arn, key, err)
		}
		out[key] = v
	}
	return out, nil
}

// splitSource splits a source into the secret's ARN and the JSON key, ""
// for the whole secret. A Secrets Manager ARN has seven colon-separated
// parts; an eighth is the JSON key.
func splitSource(src string) (arn, jsonKey string) {
	parts := strings.Split(src, ":")
	if len(parts) < 8 {
		return src, ""
	}
	return strings.Join(parts[:7], ":"), parts[7]
}

// pick returns the value of key in the JSON object text, or text for "".
func pick(text, key string) (string, error) {
	if key == "" {
		return text, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		return "", fmt.Errorf("not a JSON object, so key %s cannot be read", key)
	}
	v, ok := m[key].(string)
	if !ok {
		return "", fmt.Errorf("no string key %s", key)
	}
	return v, nil
}

// sourceDigest is the SHA-256 of values (key=value lines in key order):
// it tells whether the values changed without holding them.
func sourceDigest(values map[string]string) string {
	h := sha256.New()
	for _, k := range resource.SortedKeys(values) {
		fmt.Fprintf(h, "%s=%s\n", k, values[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// fillSecret puts into Secret u the values of its sources and its plain
// stringData, all as data, and the digest of the sourced values.
func fillSecret(ctx context.Context, api SecretsAPI, u *unstructured.Unstructured) error {
	sources, err := sourcesOf(u.GetAnnotations())
	if err != nil {
		return err
	}
	values, err := sourceValues(ctx, api, sources)
	if err != nil {
		return err
	}
	data := map[string]any{}
	plain, _, _ := unstructured.NestedStringMap(u.Object, "stringData")
	for k, v := range plain {
		data[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	for k, v := range values {
		data[k] = base64.StdEncoding.EncodeToString([]byte(v))
	}
	unstructured.RemoveNestedField(u.Object, "stringData")
	u.Object["data"] = data
	annotations := u.GetAnnotations()
	annotations[AnnotationSourceDigest] = sourceDigest(values)
	u.SetAnnotations(annotations)
	return nil
}

// sourcesCurrent reports whether live Secret u holds what Secrets Manager
// holds now: its digest annotation is the digest of the current values.
func sourcesCurrent(ctx context.Context, api SecretsAPI, u *unstructured.Unstructured) (bool, error) {
	sources, err := sourcesOf(u.GetAnnotations())
	if err != nil {
		return false, err
	}
	values, err := sourceValues(ctx, api, sources)
	if err != nil {
		return false, err
	}
	return u.GetAnnotations()[AnnotationSourceDigest] == sourceDigest(values), nil
}

// plainData returns the keys of live Secret u that desired stringData
// names, decoded: values that are no secret (a user name).
func plainData(u *unstructured.Unstructured, want map[string]any) map[string]any {
	data, _, _ := unstructured.NestedStringMap(u.Object, "data")
	out := map[string]any{}
	for k := range want {
		if b, err := base64.StdEncoding.DecodeString(data[k]); err == nil && data[k] != "" {
			out[k] = string(b)
		}
	}
	return out
}
