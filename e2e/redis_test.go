package e2e

import (
	"slices"
	"strings"
	"testing"
)

// searchApp is a third Redis application for examples/ecs-redis.yaml.
var searchApp = []string{"        from: [ecs-main, 10.40.0.0/16]", "        from: [ecs-main, 10.40.0.0/16]\n" +
	"      - name: search\n        environment: prod\n        keyPrefix: search\n        from: [ecs-main]"}

type cacheUser struct {
	UserID       string `json:"UserId"`
	UserName     string
	AccessString string
	Status       string
}

// redisUsers returns the stack's ElastiCache users by user name.
func redisUsers(t *testing.T, e *env) map[string]cacheUser {
	t.Helper()
	var out struct{ Users []cacheUser }
	decode(t, "describe-users", awsJSON(t, e, "elasticache", "describe-users"), &out)
	users := map[string]cacheUser{}
	for _, u := range out.Users {
		if strings.HasPrefix(u.UserID, "sso-prod-") {
			users[u.UserName] = u
		}
	}
	return users
}

// redisSecretNames returns the names of the stack's Redis secrets not
// scheduled for deletion.
func redisSecretNames(t *testing.T, e *env) []string {
	t.Helper()
	var out struct {
		SecretList []struct {
			Name        string
			DeletedDate any
		}
	}
	decode(t, "list-secrets", awsJSON(t, e, "secretsmanager", "list-secrets"), &out)
	var names []string
	for _, s := range out.SecretList {
		if strings.HasPrefix(s.Name, "kcstack/sso-prod/redis/") && s.DeletedDate == nil {
			names = append(names, s.Name)
		}
	}
	slices.Sort(names)
	return names
}

// TestRedis proves issue 15 on examples/ecs-redis.yaml on the sandbox:
// apply from empty makes a replication group encrypted in transit and at
// rest, failing over, whose user group holds a disabled default user and
// one user per application confined to its prefix, behind a group that
// admits 6379 only from the target's tasks and the listed CIDR; the next
// plan is No changes.; adding an application adds exactly its user and
// secret, removing it deletes them; destroy removes everything; no
// generated password appears in any output.
func TestRedis(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-redis.yaml", unprotectedECS...)
	var outputs []string
	run := func(what string, code int, args []string, wants ...string) {
		t.Helper()
		r := e.kcstack(t, args...)
		outputs = append(outputs, r.Stdout+r.Stderr)
		mustRun(t, what, r, code, wants...)
	}
	run("apply from empty", 0, []string{"apply", "-f", file, "--auto-approve"}, "Apply complete!", "redis.primary_endpoint")

	users := redisUsers(t, e)
	want := map[string]string{
		"default":      "off -@all",
		"shop-prod":    "on ~shop:* &shop:* +@all -@dangerous",
		"billing-prod": "on ~billing:* &billing:* +@all -@dangerous",
	}
	if len(users) != len(want) {
		t.Errorf("users %v, want %v", users, want)
	}
	for name, access := range want {
		if u := users[name]; u.AccessString != access {
			t.Errorf("user %s: access string %q, want %q", name, u.AccessString, access)
		}
	}

	var groups struct {
		ReplicationGroups []struct {
			TransitEncryptionEnabled bool
			AtRestEncryptionEnabled  bool
			AutomaticFailover        string
			MultiAZ                  string
			UserGroupIDs             []string `json:"UserGroupIds"`
			MemberClusters           []string
		}
	}
	decode(t, "describe-replication-groups", awsJSON(t, e, "elasticache", "describe-replication-groups", "--replication-group-id", "sso-prod-redis"), &groups)
	if len(groups.ReplicationGroups) != 1 {
		t.Fatalf("replication groups: %+v", groups)
	}
	g := groups.ReplicationGroups[0]
	if !g.TransitEncryptionEnabled || !g.AtRestEncryptionEnabled || g.AutomaticFailover != "enabled" || g.MultiAZ != "enabled" ||
		!slices.Equal(g.UserGroupIDs, []string{"sso-prod-redis"}) || len(g.MemberClusters) != 2 {
		t.Errorf("replication group: %+v; want encrypted in transit and at rest, failing over across zones, a writer and a replica, user group sso-prod-redis", g)
	}

	var sgs struct{ SecurityGroups []securityGroup }
	decode(t, "describe-security-groups", awsJSON(t, e, "ec2", "describe-security-groups"), &sgs)
	var redis, tasks securityGroup
	for _, sg := range sgs.SecurityGroups {
		switch sg.address() {
		case "redis.security-group":
			redis = sg
		case "targets.ecs-main.task-security-group":
			tasks = sg
		}
	}
	var sources []string
	for _, p := range redis.IPPermissions {
		if p.FromPort != 6379 || p.ToPort != 6379 {
			t.Errorf("the Redis group admits ports %d-%d", p.FromPort, p.ToPort)
		}
		for _, r := range p.IPRanges {
			sources = append(sources, r.CidrIP)
		}
		for _, pair := range p.UserIDGroupPairs {
			sources = append(sources, pair.GroupID)
		}
	}
	slices.Sort(sources)
	if tasks.GroupID == "" || !slices.Equal(sources, []string{"10.40.0.0/16", tasks.GroupID}) {
		t.Errorf("the Redis group admits 6379 from %v, want only 10.40.0.0/16 and the tasks' group %s", sources, tasks.GroupID)
	}

	if p, code := e.planJSON(t, file); code != 0 {
		t.Errorf("plan after apply: exit %d, changes %v; want No changes.", code, p.actions())
	}

	added := e.stackFile(t, "ecs-redis.yaml", append(append([]string(nil), unprotectedECS...), searchApp...)...)
	p, _ := e.planJSON(t, added)
	var creates []string
	for addr, action := range p.actions() {
		if action == "create" {
			creates = append(creates, addr)
		}
	}
	slices.Sort(creates)
	if !slices.Equal(creates, []string{"redis.secret[search-prod]", "redis.user[search-prod]"}) {
		t.Errorf("adding an application creates %v, want its secret and user only", creates)
	}
	run("apply with a third application", 0, []string{"apply", "-f", added, "--auto-approve"}, "Apply complete! Resources: 2 added")
	if names := redisSecretNames(t, e); len(names) != 3 || len(redisUsers(t, e)) != 4 {
		t.Errorf("after adding an application: secrets %v, users %v", names, redisUsers(t, e))
	}

	run("apply without it", 0, []string{"apply", "-f", file, "--auto-approve", "--allow-delete"}, "2 destroyed")
	if _, ok := redisUsers(t, e)["search-prod"]; ok || slices.Contains(redisSecretNames(t, e), "kcstack/sso-prod/redis/search-prod") {
		t.Error("the removed application's user or secret is left")
	}

	var passwords []string
	for _, name := range redisSecretNames(t, e) {
		var v struct{ SecretString string }
		decode(t, "get-secret-value", awsJSON(t, e, "secretsmanager", "get-secret-value", "--secret-id", name), &v)
		var pw struct{ Password string }
		decode(t, "secret "+name, v.SecretString, &pw)
		if len(pw.Password) != 32 {
			t.Errorf("secret %s: a password of %d characters, want 32", name, len(pw.Password))
		}
		passwords = append(passwords, pw.Password)
	}
	run("output", 0, []string{"output", "-f", file}, "redis.shop-prod.secret_arn")
	run("destroy", 0, []string{"destroy", "-f", file, "--auto-approve"}, "Destroy complete!")
	for _, out := range outputs {
		for _, pw := range passwords {
			if pw != "" && strings.Contains(out, pw) {
				t.Fatal("a generated Redis password appears in kcstack's output")
			}
		}
	}
	if users := redisUsers(t, e); len(users) != 0 {
		t.Errorf("after destroy: users %v", users)
	}
	if names := redisSecretNames(t, e); len(names) != 0 {
		t.Errorf("after destroy: secrets %v", names)
	}
	for _, describe := range []string{"describe-replication-groups", "describe-user-groups", "describe-cache-subnet-groups"} {
		if out := awsJSON(t, e, "elasticache", describe); strings.Contains(out, "sso-prod-redis") {
			t.Errorf("after destroy, %s still lists sso-prod-redis:\n%s", describe, out)
		}
	}
}
