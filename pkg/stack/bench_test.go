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
		third := (i % 16) * 16
		fmt.Fprintf(&b, `    # target %d, with every setting written out
    - name: ecs-%d
      ecs:
        vpc:
          cidr: 10.%d.%d.0/20
        zones:
          - eu-west-1a
          - eu-west-1b
        subnets:
          private:
            - zone: eu-west-1a
              cidr: 10.%[3]d.%[5]d.0/23
            - zone: eu-west-1b
              cidr: 10.%[3]d.%[6]d.0/23
          public:
            - zone: eu-west-1a
              cidr: 10.%[3]d.%[7]d.0/23
            - zone: eu-west-1b
              cidr: 10.%[3]d.%[8]d.0/23
        tasks: 3
        cpu: 2048
        memory: 4096
        logRetentionDays: 30
        loadBalancer:
          certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc-%[1]d
          stickySessions: false
          internal: false
    - name: rosa-%[1]d
      rosa:
        cluster: cluster-%[1]d
        vpc:
          tags:
            Name: cluster-%[1]d-vpc
        machineCidr: 172.%[9]d.%[10]d.0/20
        namespace: keycloak
        instances: 3
`, i, i, i/16, third, third, third+2, third+8, third+10, 16+i/16, third)
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
