// Package schema holds the JSON Schema (2020-12) of the kcstack stack file,
// embedded in the binary, and checks documents against it. The schema is
// what editors see through yaml-language-server and what `kcstack schema`
// prints; pkg/stack maps its errors back to positions in the YAML file.
package schema
