package cache

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the stack's cache subnet groups, users, user groups and
// replication groups, a part of the shared tagging observer: the tagging
// API says which are the stack's, one paginated describe per kind (and
// one of the cache clusters, for what only a replication group's member
// reports) reads them in parallel. A resource at a desired id that the
// tagging API did not list costs one ListTagsForResource: an untagged
// look-alike, or a tagging API that lags behind a create.
type Observer struct{ API API }

var _ clients.TaggedObserver = (*Observer)(nil)

// kinds are the kinds Observer reads.
var kinds = []resource.Kind{resource.KindCacheSubnetGroup, resource.KindCacheUser, resource.KindCacheUserGroup, resource.KindReplicationGroup}

// ObserveTagged reads the four kinds; it describes only the kinds the
// stack desires or owns, and makes no ElastiCache call without Redis.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, listed map[string]map[string]string) ([]resource.Observation, error) {
	if !ownership.Wanted(q, listed, ":elasticache:", kinds...) {
		return ownership.Complete(q, nil, kinds...), nil
	}
	l, err := o.read(ctx, q, listed)
	if err != nil {
		return nil, err
	}
	r := reader{api: o.API, q: q, listed: listed}
	var obs []resource.Observation
	for _, g := range l.subnetGroups {
		obs, err = r.add(ctx, obs, resource.KindCacheSubnetGroup, propName, aws.ToString(g.CacheSubnetGroupName), aws.ToString(g.ARN),
			func(tags map[string]string, addr string) resource.Observation {
				return subnetGroupObservation(g, tags, addr, q.Stack)
			})
		if err != nil {
			return nil, err
		}
	}
	for _, u := range l.users {
		obs, err = r.add(ctx, obs, resource.KindCacheUser, propUserID, aws.ToString(u.UserId), aws.ToString(u.ARN),
			func(tags map[string]string, addr string) resource.Observation {
				return userObservation(u, tags, addr, q.Stack)
			})
		if err != nil {
			return nil, err
		}
	}
	for _, g := range l.userGroups {
		obs, err = r.add(ctx, obs, resource.KindCacheUserGroup, propUserGroupID, aws.ToString(g.UserGroupId), aws.ToString(g.ARN),
			func(tags map[string]string, addr string) resource.Observation {
				return userGroupObservation(g, tags, addr, q.Stack)
			})
		if err != nil {
			return nil, err
		}
	}
	for _, g := range l.replicationGroups {
		obs, err = r.add(ctx, obs, resource.KindReplicationGroup, propReplicationGroupID, aws.ToString(g.ReplicationGroupId), aws.ToString(g.ARN),
			func(tags map[string]string, addr string) resource.Observation {
				return replicationGroupObservation(g, clusterOf(l, g), tags, addr, q.Stack)
			})
		if err != nil {
			return nil, err
		}
	}
	return ownership.Complete(q, obs, kinds...), nil
}

// read makes the describes in parallel, of the kinds the stack desires
// or the tagging API listed (and of the cache clusters with the
// replication groups).
func (o *Observer) read(ctx context.Context, q resource.Query, listed map[string]map[string]string) (live, error) {
	var l live
	g, ctx := errgroup.WithContext(ctx)
	wanted := func(arnPart string, k resource.Kind) bool { return ownership.Wanted(q, listed, arnPart, k) }
	if wanted(":subnetgroup:", resource.KindCacheSubnetGroup) {
		g.Go(func() (err error) { l.subnetGroups, err = listSubnetGroups(ctx, o.API); return err })
	}
	if wanted(":user:", resource.KindCacheUser) {
		g.Go(func() (err error) { l.users, err = listUsers(ctx, o.API); return err })
	}
	if wanted(":usergroup:", resource.KindCacheUserGroup) {
		g.Go(func() (err error) { l.userGroups, err = listUserGroups(ctx, o.API); return err })
	}
	if wanted(":replicationgroup:", resource.KindReplicationGroup) {
		g.Go(func() (err error) { l.replicationGroups, err = listReplicationGroups(ctx, o.API); return err })
		g.Go(func() (err error) { l.clusters, err = listClusters(ctx, o.API); return err })
	}
	return l, g.Wait()
}

// clusterOf is the cache cluster of g's primary, nil when not listed.
func clusterOf(l live, g types.ReplicationGroup) *types.CacheCluster {
	c, ok := l.clusters[primaryID(g)]
	if !ok {
		return nil
	}
	return &c
}

// reader places the described resources of one observation.
type reader struct {
	api    API
	q      resource.Query
	listed map[string]map[string]string
}

// add appends the observation of the resource id (arn) of kind when it
// is the stack's or at a desired id (idProp of a desired resource);
// observe builds it from its tags at its address.
func (r reader) add(ctx context.Context, obs []resource.Observation, kind resource.Kind, idProp, id, arn string,
	observe func(tags map[string]string, address string) resource.Observation) ([]resource.Observation, error) {
	tags, ok := r.listed[arn]
	if !ok {
		if !r.desired(kind, idProp, id) {
			return obs, nil
		}
		var err error
		if tags, err = listTags(ctx, r.api, arn); err != nil {
			return nil, err
		}
	}
	addr, ok := ownership.Address(r.q, kind, idProp, id, tags)
	if !ok {
		return obs, nil
	}
	return append(obs, observe(tags, addr)), nil
}

// desired reports whether a desired resource of kind has idProp id.
func (r reader) desired(kind resource.Kind, idProp, id string) bool {
	for _, d := range ownership.DesiredOfKind(r.q, kind) {
		if resource.Read(d.Props).OptString(idProp) == id {
			return true
		}
	}
	return false
}
