package keycloak

import (
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/stack"
)

func TestNotes(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   []string
		not    []string
	}{
		"s3-ping": {
			reason: "s3-ping readers learn that the image needs the jgroups-aws jar and the AWS SDK",
			st:     kc260,
			want: []string{"jgroups-aws jar and the AWS SDK for Java in /opt/keycloak/providers",
				"make sure the image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak-s3ping:26.0.8 contains them", "User sessions persist"},
		},
		"s3-ping stock image": {
			reason: "with the stock image the note says it lacks the jars",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-s3-ping.yaml", "    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak-s3ping:26.0.8\n", "")
			},
			want: []string{"the stock image quay.io/keycloak/keycloak:26.0.8 lacks them"},
		},
		"24": {
			reason: "24 rebuilds at start and keeps sessions in memory; no s3 note for dns-ping",
			st:     kc24,
			want:   []string{"never --optimized", "live only in memory", "cache-kcstack.xml"},
			not:    []string{"jgroups-aws"},
		},
		"24 relative path": {
			reason: "on 24 http-relative-path moves the health endpoint away from the checks",
			st: func(t *testing.T) *stack.Stack {
				return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`, "    hostname: https://auth.example.com",
					"    extraOptions: {http-relative-path: /auth}\n    hostname: https://auth.example.com")
			},
			want: []string{"/auth/health/ready"},
		},
		"26.4": {
			reason: "26.4 owners are options",
			st:     kc264,
			want:   []string{"KC_SPI_CACHE_EMBEDDED__DEFAULT__<CACHE>_OWNERS"},
			not:    []string{"jgroups-aws", "cache-kcstack.xml"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			notes := strings.Join(Notes(tc.st(t)), "\n")
			for _, w := range tc.want {
				if !strings.Contains(notes, w) {
					t.Errorf("%s: notes lack %q:\n%s", tc.reason, w, notes)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(notes, n) {
					t.Errorf("%s: notes mention %q:\n%s", tc.reason, n, notes)
				}
			}
		})
	}
}
