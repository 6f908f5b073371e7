package elasticache

import (
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// State is the ElastiCache state: resources by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker     = (*State)(nil)
	_ api.Tagged     = (*State)(nil)
	_ api.Interfaces = (*State)(nil)
	_ api.Dependents = (*State)(nil)
)

// Region holds one region's ElastiCache resources, keyed by their lower-
// case identifiers (ElastiCache identifiers are case-insensitive).
type Region struct {
	// EndpointID is the random label in every endpoint of the account in
	// the region (master.<id>.<EndpointID>.euw1.cache.amazonaws.com).
	EndpointID   string                       `json:"endpoint_id"`
	SubnetGroups map[string]*SubnetGroup      `json:"subnet_groups,omitempty"`
	Users        map[string]*User             `json:"users,omitempty"`
	UserGroups   map[string]*UserGroup        `json:"user_groups,omitempty"`
	Groups       map[string]*ReplicationGroup `json:"replication_groups,omitempty"`
	Snapshots    map[string]*Snapshot         `json:"snapshots,omitempty"`
}

// SubnetGroup is a cache subnet group.
type SubnetGroup struct {
	Name        string       `json:"name"`
	ARN         string       `json:"arn"`
	Description string       `json:"description"`
	VpcID       string       `json:"vpc_id"`
	Subnets     []subnetInfo `json:"subnets"`
	Tags        []types.Tag  `json:"tags,omitempty"`
}

// User is an ElastiCache (RBAC) user. Passwords are kept only as a count,
// as AWS reports them.
type User struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	ARN           string      `json:"arn"`
	Engine        string      `json:"engine"`
	AccessString  string      `json:"access_string"`
	AuthType      string      `json:"auth_type"`
	PasswordCount int32       `json:"password_count"`
	Status        string      `json:"status"`
	Since         time.Time   `json:"since"`
	Tags          []types.Tag `json:"tags,omitempty"`
}

// UserGroup is a user group; Add and Remove are the pending changes of a
// modifying group.
type UserGroup struct {
	ID      string      `json:"id"`
	ARN     string      `json:"arn"`
	Engine  string      `json:"engine"`
	UserIDs []string    `json:"user_ids"`
	Add     []string    `json:"add,omitempty"`
	Remove  []string    `json:"remove,omitempty"`
	Status  string      `json:"status"`
	Since   time.Time   `json:"since"`
	Tags    []types.Tag `json:"tags,omitempty"`
}

// ReplicationGroup is a replication group in cluster mode disabled: one
// node group whose first member is the primary.
type ReplicationGroup struct {
	ID                 string      `json:"id"`
	ARN                string      `json:"arn"`
	Description        string      `json:"description"`
	Status             string      `json:"status"`
	Since              time.Time   `json:"since"`
	Created            time.Time   `json:"created"`
	Engine             string      `json:"engine"`
	EngineVersion      string      `json:"engine_version"`
	NodeType           string      `json:"node_type"`
	Port               int32       `json:"port"`
	SubnetGroup        string      `json:"subnet_group"`
	SecurityGroupIDs   []string    `json:"security_group_ids,omitempty"`
	ParameterGroup     string      `json:"parameter_group"`
	MaintenanceWindow  string      `json:"maintenance_window"`
	SnapshotWindow     string      `json:"snapshot_window"`
	SnapshotRetention  int32       `json:"snapshot_retention"`
	AutomaticFailover  bool        `json:"automatic_failover"`
	MultiAZ            bool        `json:"multi_az"`
	TransitEncryption  bool        `json:"transit_encryption"`
	AtRestEncryption   bool        `json:"at_rest_encryption"`
	AuthToken          bool        `json:"auth_token,omitempty"`
	KmsKeyID           string      `json:"kms_key_id,omitempty"`
	AutoMinorUpgrade   bool        `json:"auto_minor_upgrade"`
	UserGroupIDs       []string    `json:"user_group_ids,omitempty"`
	UserGroupsToAdd    []string    `json:"user_groups_to_add,omitempty"`
	UserGroupsToRemove []string    `json:"user_groups_to_remove,omitempty"`
	Members            []*Member   `json:"members"`
	NextMember         int         `json:"next_member"`
	Tags               []types.Tag `json:"tags,omitempty"`
}

// Member is a cache cluster of a replication group (one node).
type Member struct {
	ID      string    `json:"id"`
	Zone    string    `json:"zone"`
	Subnet  string    `json:"subnet"`
	Primary bool      `json:"primary,omitempty"`
	Status  string    `json:"status"`
	Since   time.Time `json:"since"`
	Created time.Time `json:"created"`
}

// Snapshot is a manual snapshot of a replication group.
type Snapshot struct {
	Snap  types.Snapshot `json:"snapshot"`
	Since time.Time      `json:"since"`
	Tags  []types.Tag    `json:"tags,omitempty"`
}

// Statuses the emulation uses.
const (
	statusCreating  = "creating"
	statusAvailable = "available"
	statusActive    = "active"
	statusModifying = "modifying"
	statusDeleting  = "deleting"
)

// NewState returns an empty ElastiCache state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// region returns the call's region, with its endpoint label and the
// account's built-in "default" user made on first use.
func region(c *api.Call) *Region {
	r := c.World.State(ServiceName).(*State).Region(c.Region)
	if r.EndpointID == "" {
		r.EndpointID = randomLower(6)
	}
	if _, ok := r.Users[defaultUserName]; !ok {
		r.Users[defaultUserName] = &User{
			ID: defaultUserName, Name: defaultUserName, ARN: arn(c, "user", defaultUserName), Engine: engineRedis,
			AccessString: "on ~* +@all", AuthType: authNone, Status: statusActive, Since: c.Now,
		}
	}
	return r
}

// Tick moves resources whose transition has lasted long enough.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		lazy.Maps(r)
		r.tickGroups(now, set)
		r.tickUserGroups(now, set)
		r.tickUsers(now, set)
		for _, sn := range r.Snapshots {
			if *sn.Snap.SnapshotStatus == statusCreating && now.Sub(sn.Since) >= set.CreateDelay {
				sn.Snap.SnapshotStatus = aws.String(statusAvailable)
			}
		}
	}
}

func (r *Region) tickGroups(now time.Time, set api.Settings) {
	for id, g := range r.Groups {
		for _, m := range g.Members {
			if m.Status != statusAvailable && m.Status != statusDeleting && now.Sub(m.Since) >= set.CreateDelay {
				m.Status, m.Since = statusAvailable, now
			}
		}
		g.Members = dropDeleted(g.Members, now, set.DeleteDelay)
		switch {
		case g.Status == statusDeleting && now.Sub(g.Since) >= set.DeleteDelay:
			delete(r.Groups, id)
		case (g.Status == statusCreating || g.Status == statusModifying) && now.Sub(g.Since) >= set.CreateDelay && g.settled():
			g.UserGroupIDs = applyChanges(g.UserGroupIDs, g.UserGroupsToAdd, g.UserGroupsToRemove)
			g.UserGroupsToAdd, g.UserGroupsToRemove = nil, nil
			g.Status, g.Since = statusAvailable, now
		}
	}
}

// settled reports whether every member has finished its transition.
func (g *ReplicationGroup) settled() bool {
	for _, m := range g.Members {
		if m.Status != statusAvailable {
			return false
		}
	}
	return true
}

func dropDeleted(members []*Member, now time.Time, delay time.Duration) []*Member {
	kept := members[:0]
	for _, m := range members {
		if m.Status != statusDeleting || now.Sub(m.Since) < delay {
			kept = append(kept, m)
		}
	}
	return kept
}

func (r *Region) tickUserGroups(now time.Time, set api.Settings) {
	for id, ug := range r.UserGroups {
		switch {
		case ug.Status == statusDeleting && now.Sub(ug.Since) >= set.DeleteDelay:
			delete(r.UserGroups, id)
		case (ug.Status == statusCreating || ug.Status == statusModifying) && now.Sub(ug.Since) >= set.CreateDelay:
			ug.UserIDs = applyChanges(ug.UserIDs, ug.Add, ug.Remove)
			ug.Add, ug.Remove = nil, nil
			ug.Status, ug.Since = statusActive, now
		}
	}
}

func (r *Region) tickUsers(now time.Time, set api.Settings) {
	for id, u := range r.Users {
		switch {
		case u.Status == statusDeleting && now.Sub(u.Since) >= set.DeleteDelay:
			delete(r.Users, id)
		case u.Status == statusModifying && now.Sub(u.Since) >= set.CreateDelay:
			u.Status, u.Since = statusActive, now
		}
	}
}

// applyChanges returns the sorted set ids + add - remove.
func applyChanges(ids, add, remove []string) []string {
	out := slices.Concat(ids, add)
	slices.Sort(out)
	out = slices.Compact(out)
	return slices.DeleteFunc(out, func(id string) bool { return slices.Contains(remove, id) })
}

// TaggedResources lists every tagged ElastiCache resource, for the tagging
// API.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for _, g := range r.SubnetGroups {
			out.Add(name, g.ARN, "elasticache:subnetgroup", tagMap(g.Tags))
		}
		for _, u := range r.Users {
			out.Add(name, u.ARN, "elasticache:user", tagMap(u.Tags))
		}
		for _, ug := range r.UserGroups {
			out.Add(name, ug.ARN, "elasticache:usergroup", tagMap(ug.Tags))
		}
		for _, g := range r.Groups {
			out.Add(name, g.ARN, "elasticache:replicationgroup", tagMap(g.Tags))
		}
		for _, sn := range r.Snapshots {
			out.Add(name, aws.ToString(sn.Snap.ARN), "elasticache:snapshot", tagMap(sn.Tags))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

func tagMap(tags []types.Tag) map[string]string {
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
