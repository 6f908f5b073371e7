package stack

import (
	"fmt"
	"strings"
	"testing"
)

// bigStack generates a valid stack of at least lines lines: ECS and ROSA
// targets with non-overlapping networks, peers and tags.
func bigStack(lines int) []byte {
	var b strings.Builder
	b.WriteString(`apiVersion: kcstack.io/v1alpha1
kind: Stack
metadata:
  name: bench
spec:
  region: eu-west-1
  tags:
    team: identity
  keycloak:
    version: "26.4.2"
    hostname: auth.example.com
    db: {poolSize: 30}
  database:
    aurora:
      clusterIdentifier: bench-db
      engineVersion: "16.8"
      instanceClass: db.r7g.large
      instances: 3
      vpc: {cidr: 192.168.0.0/24}
  discovery:
    mode: jdbc-ping
  caches:
    owners: 2
  targets:
`)
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, `    # target %d
    - name: ecs-%d
      ecs:
        vpc: {cidr: 10.%d.%d.0/20}
        tasks: 3
        cpu: 2048
        memory: 4096
        loadBalancer:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc-%d
          stickySessions: false
    - name: rosa-%d
      rosa:
        cluster: cluster-%d
        vpc: {tags: {Name: cluster-%d-vpc}}
        machineCidr: 172.%d.%d.0/20
        namespace: keycloak
        instances: 3
`, i, i, i/16, (i%16)*16, i, i, i, i, 16+i/16, (i%16)*16)
	}
	return []byte(b.String())
}

func TestBigStackIsValid(t *testing.T) {
	data := bigStack(2000)
	if n := strings.Count(string(data), "\n"); n < 2000 {
		t.Fatalf("generated %d lines, want 2000", n)
	}
	_, ds, err := Load("big.yaml", data)
	if err != nil || len(ds) > 0 {
		t.Fatalf("err %v\n%s", err, ds)
	}
}

// BenchmarkValidate loads, checks and defaults a 2,000-line stack: the
// acceptance bound is 20 ms per operation.
func BenchmarkValidate(b *testing.B) {
	data := bigStack(2000)
	if _, _, err := Load("big.yaml", data); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_, ds, err := Load("big.yaml", data)
		if err != nil || ds.HasErrors() {
			b.Fatalf("err %v\n%s", err, ds)
		}
	}
}
