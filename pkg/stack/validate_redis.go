package stack

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const redisPath = "spec.redis"

// Bounds of ElastiCache kcstack checks beyond the schema.
const (
	// maxRedisReplicas is ElastiCache's most replicas per shard.
	maxRedisReplicas = 5
	// maxCacheID is the length of ElastiCache identifiers: kcstack keeps
	// the user ids it derives (<stack>-<name>-<environment>) to it too.
	maxCacheID = 40
	// maxRedisSnapshotDays is the longest snapshot retention.
	maxRedisSnapshotDays = 35
	// minWindow is the shortest maintenance or snapshot window, minutes.
	minWindow = 60
	// maxRedisIngress is the default quota of inbound rules of a
	// security group.
	maxRedisIngress = 60
)

// checkRedis checks spec.redis: node type, replicas, parameter group,
// windows, snapshots, subnets and the applications.
func checkRedis(s *Stack) Diagnostics {
	r := s.Spec.Redis
	if r == nil {
		return nil
	}
	var ds Diagnostics
	if !slices.Contains(RedisEngineVersions, r.EngineVersion) {
		ds = append(ds, errorf(redisPath+".engineVersion", didYouMean(r.EngineVersion, RedisEngineVersions),
			"%q is not a Redis OSS version with role-based access control", r.EngineVersion))
	}
	if !slices.Contains(redisNodeTypes, r.NodeType) {
		hint := "did you mean " + quote(suggest(r.NodeType, redisNodeTypes)) + "?"
		if suggest(r.NodeType, redisNodeTypes) == "" {
			hint = "use a current-generation node type such as " + DefaultRedisNodeType + ", cache.m7g.large or cache.t4g.medium"
		}
		ds = append(ds, errorf(redisPath+".nodeType", hint, "%q is not a current-generation ElastiCache node type", r.NodeType))
	}
	switch {
	case r.Replicas < 1:
		ds = append(ds, errorf(redisPath+".replicas", minimumHints[redisPath+".replicas"], "must be at least 1, not %d", r.Replicas))
	case r.Replicas > maxRedisReplicas:
		ds = append(ds, errorf(redisPath+".replicas", "use 1 to 5", "ElastiCache gives a writer at most %d replicas, not %d", maxRedisReplicas, r.Replicas))
	}
	if want := DefaultRedisParameterGroup(r.EngineVersion); strings.HasPrefix(r.ParameterGroup, "default.") && r.ParameterGroup != want &&
		slices.Contains(RedisEngineVersions, r.EngineVersion) {
		ds = append(ds, errorf(redisPath+".parameterGroup", "use "+want+", or remove parameterGroup to get it",
			"%s is not the default parameter group of Redis OSS %s", r.ParameterGroup, r.EngineVersion))
	}
	ds = append(ds, checkRedisWindows(r)...)
	if d := r.SnapshotRetentionDays; d != nil && (*d < 0 || *d > maxRedisSnapshotDays) {
		ds = append(ds, errorf(redisPath+".snapshotRetentionDays", "use 0 (no snapshots) to 35", "ElastiCache keeps snapshots 0 to %d days, not %d", maxRedisSnapshotDays, *d))
	}
	if r.SkipFinalSnapshot && r.FinalSnapshotIdentifier != "" && r.FinalSnapshotIdentifier != RedisGroupID(s)+"-final" {
		ds = append(ds, errorf(redisPath+".finalSnapshotIdentifier", "remove it, or set skipFinalSnapshot: false",
			"a final snapshot identifier is set but skipFinalSnapshot is true"))
	}
	ds = append(ds, checkRedisSubnets(s)...)
	return append(ds, checkRedisApplications(s)...)
}

// window is a time range in minutes from the start of its period (a day
// or a week); End may pass the period's end.
type window struct{ start, end int }

const (
	minutesPerDay  = 24 * 60
	minutesPerWeek = 7 * minutesPerDay
)

var weekdays = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// parseClock reads hh24:mi as minutes of the day.
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || len(h) != 2 || len(m) != 2 || hh > 23 || mm > 59 || hh < 0 || mm < 0 {
		return 0, false
	}
	return hh*60 + mm, true
}

// parseWeekly reads ddd:hh24:mi as minutes of the week.
func parseWeekly(s string) (int, bool) {
	day, clock, ok := strings.Cut(s, ":")
	d := slices.Index(weekdays, day)
	m, ok2 := parseClock(clock)
	if !ok || d < 0 || !ok2 {
		return 0, false
	}
	return d*minutesPerDay + m, true
}

// parseWindow reads from-to with parse, wrapping past the period's end.
func parseWindow(s string, parse func(string) (int, bool), period int) (window, bool) {
	a, b, ok := strings.Cut(s, "-")
	start, ok1 := parse(a)
	end, ok2 := parse(b)
	if !ok || !ok1 || !ok2 {
		return window{}, false
	}
	if end <= start {
		end += period
	}
	return window{start, end}, true
}

func checkRedisWindows(r *Redis) Diagnostics {
	maint, ds := checkWindow(redisPath+".maintenanceWindow", r.MaintenanceWindow, parseWeekly, minutesPerWeek,
		"weekly window", "ddd:hh24:mi-ddd:hh24:mi in UTC, such as "+DefaultRedisMaintenanceWindow)
	snap, more := checkWindow(redisPath+".snapshotWindow", r.SnapshotWindow, parseClock, minutesPerDay,
		"daily window", "hh24:mi-hh24:mi in UTC, such as "+DefaultRedisSnapshotWindow)
	if len(ds)+len(more) == 0 && windowsOverlap(maint, snap) {
		more = append(more, errorf(redisPath+".snapshotWindow", "move one of the two windows",
			"the daily snapshot window %s overlaps the maintenance window %s; ElastiCache refuses that", r.SnapshotWindow, r.MaintenanceWindow))
	}
	return append(ds, more...)
}

// checkWindow reads the window at path (what it is, written as form) and
// checks that it lasts at least minWindow.
func checkWindow(path, value string, parse func(string) (int, bool), period int, what, form string) (window, Diagnostics) {
	w, ok := parseWindow(value, parse, period)
	switch {
	case !ok:
		return w, Diagnostics{errorf(path, "write "+form, "%q is not a %s", value, what)}
	case w.end-w.start < minWindow:
		return w, Diagnostics{errorf(path, "make it at least an hour long",
			"the window is %d minutes; ElastiCache needs at least %d", w.end-w.start, minWindow)}
	}
	return w, nil
}

// windowsOverlap reports whether the daily window snap, on any day of the
// week, overlaps the weekly window maint (both may wrap).
func windowsOverlap(maint, snap window) bool {
	for day := -1; day <= 7; day++ {
		s := window{snap.start + day*minutesPerDay, snap.end + day*minutesPerDay}
		for _, shift := range []int{-minutesPerWeek, 0, minutesPerWeek} {
			if s.start < maint.end+shift && maint.start+shift < s.end {
				return true
			}
		}
	}
	return false
}

// checkRedisSubnets checks subnets of its own: zone and cidr inside a
// database VPC kcstack creates, apart from the database's subnets; ids in
// an existing one; two zones or more either way.
func checkRedisSubnets(s *Stack) Diagnostics {
	r, a := s.Spec.Redis, s.Spec.Database.Aurora
	path := redisPath + ".subnets"
	if len(r.Subnets) == 0 {
		return nil
	}
	if a.VPC.CIDR == "" {
		return checkExistingSubnets(path, r.Subnets)
	}
	vpc, err := parseCIDR(a.VPC.CIDR)
	if err != nil {
		return nil // reported on the VPC
	}
	zones := zonesFromSubnets(r.Subnets)
	ds := checkZones(path, uniqueZones(zones), s.Spec.Region, "a Multi-AZ replication group")
	ds = append(ds, checkNewSubnets(path, r.Subnets, vpc, zones)...)
	for i, sn := range r.Subnets {
		p, err := parseCIDR(sn.CIDR)
		if err != nil {
			continue
		}
		for _, db := range a.Subnets {
			if q, err := parseCIDR(db.CIDR); err == nil && overlaps(p, q) {
				ds = append(ds, errorf(index(path, i)+".cidr", "choose a range of the VPC the database's subnets leave free",
					"%s overlaps the database subnet %s in %s", p, q, db.Zone))
			}
		}
	}
	return ds
}

func uniqueZones(zones []string) []string {
	var out []string
	for _, z := range zones {
		if !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	return out
}

// checkRedisApplications checks that every application has its own user
// and key space, and that its sources exist.
func checkRedisApplications(s *Stack) Diagnostics {
	var ds Diagnostics
	apps := s.Spec.Redis.Applications
	keys := map[string]int{}
	var sources []string
	for i, a := range apps {
		path := index(redisPath+".applications", i)
		if j, dup := keys[a.Key()]; dup {
			other := index(redisPath+".applications", j)
			if b := apps[j]; b.Name == a.Name && b.Environment == a.Environment {
				ds = append(ds, errorf(path+".name", "list each application and environment once",
					"application %s in environment %s is listed twice (also %s)", a.Name, a.Environment, other))
			} else {
				ds = append(ds, errorf(path+".name", "rename one of them: names and environments are joined with a hyphen",
					"%s in %s and %s in %s (%s) would both be the Redis user %q", a.Name, a.Environment, b.Name, b.Environment, other, a.Key()))
			}
		}
		keys[a.Key()] = i
		if id := a.UserID(s); len(id) > maxCacheID && len(a.Name) <= maxCacheID {
			ds = append(ds, errorf(path+".name", fmt.Sprintf("shorten metadata.name, the name or the environment so that <stack>-<name>-<environment> has at most %d characters", maxCacheID),
				"the ElastiCache user id would be %q (%d characters); kcstack keeps ElastiCache identifiers to %d", id, len(id), maxCacheID))
		}
		for j := range i {
			if b := apps[j]; sharesKeys(a.KeyPrefix, b.KeyPrefix) && a.KeyPrefix != "" {
				ds = append(ds, errorf(path+".keyPrefix", "give each application a key prefix of its own that does not start with another's followed by a colon",
					"%s and %s (%s) would share keys: %s:* and %s:* overlap, so each user could read and overwrite the other's sessions",
					a.Key(), b.Key(), index(redisPath+".applications", j), a.KeyPrefix, b.KeyPrefix))
			}
		}
		for k, f := range a.From {
			d, ok := checkRedisSource(s, index(path+".from", k), f)
			ds = append(ds, d...)
			if ok && !slices.Contains(sources, f) {
				sources = append(sources, f)
			}
		}
	}
	if len(sources) > maxRedisIngress {
		ds = append(ds, errorf(redisPath+".applications", "list fewer distinct targets and CIDRs in from",
			"the Redis security group would need %d inbound rules; a group holds %d by default", len(sources), maxRedisIngress))
	}
	return ds
}

// sharesKeys reports whether the key patterns a:* and b:* overlap: the
// prefixes are equal, or one is the other followed by a colon and more.
func sharesKeys(a, b string) bool {
	return strings.HasPrefix(a+":", b+":") || strings.HasPrefix(b+":", a+":")
}

// checkRedisSource checks one from entry: a target of the stack or an
// IPv4 CIDR.
func checkRedisSource(s *Stack, path, f string) (Diagnostics, bool) {
	if strings.Contains(f, "/") {
		p, err := parseCIDR(f)
		if err != nil {
			return Diagnostics{errorf(path, "write the network address, such as 10.20.0.0/16", "%v", err)}, false
		}
		if !p.Addr().Is4() {
			return Diagnostics{errorf(path, "use an IPv4 CIDR", "%s is not IPv4", p)}, false
		}
		return nil, true
	}
	var names []string
	for _, t := range s.Spec.Targets {
		if t.Name == f {
			return nil, true
		}
		names = append(names, t.Name)
	}
	hint := didYouMean(f, names)
	if strings.HasPrefix(hint, "expected one of") {
		hint = "name a target of spec.targets (" + strings.Join(names, ", ") + ") or write a CIDR"
	}
	return Diagnostics{errorf(path, hint, "%q is not a target of this stack", f)}, false
}
