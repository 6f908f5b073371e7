package aurora

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the DB subnet groups, clusters and instances a stack
// desires or owns, in parallel, with one paginated call per kind (plus
// one tagging API call, as subnet group descriptions carry no tags; a
// desired group the tagging API does not list yet costs one
// ListTagsForResource).
type Observer struct {
	api  API
	tags TaggingAPI
}

var _ resource.Observer = (*Observer)(nil)

// newObserver returns the observer of the three RDS kinds.
func newObserver(api API, tags TaggingAPI) *Observer {
	return &Observer{api: api, tags: tags}
}

// Round is 1: the RDS kinds need nothing observed before them.
func (o *Observer) Round() int { return 1 }

// live is what one Observe read from AWS.
type live struct {
	groups    []types.DBSubnetGroup
	tagged    map[string]map[string]string
	clusters  []types.DBCluster
	instances []types.DBInstance
}

// Observe returns an observation for every desired resource of the three
// kinds (Exists false when absent) and for every resource tagged for
// q.Stack that is not desired, under its kcstack:address tag. Untagged
// look-alikes are never returned as owned; a subnet group the tagging API
// lists but RDS does not describe is ignored.
func (o *Observer) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	ids, err := desiredIDs(q)
	if err != nil {
		return nil, err
	}
	l, err := o.read(ctx, q.Stack)
	if err != nil {
		return nil, err
	}
	if err := o.tagsOfUnlisted(ctx, q, ids, &l); err != nil {
		return nil, err
	}
	var out []resource.Observation
	out = append(out, match(q, resource.KindDBSubnetGroup, ids, subnetGroupItems(l, q.Stack))...)
	out = append(out, match(q, resource.KindDBCluster, ids, clusterItems(l, q.Stack))...)
	out = append(out, match(q, resource.KindDBInstance, ids, instanceItems(l, q.Stack))...)
	return out, nil
}

// read makes the four calls in parallel.
func (o *Observer) read(ctx context.Context, stack string) (live, error) {
	var l live
	var wg sync.WaitGroup
	errs := make([]error, 4)
	wg.Go(func() { l.groups, errs[0] = listSubnetGroups(ctx, o.api) })
	wg.Go(func() {
		l.tagged, errs[1] = taggedSubnetGroups(ctx, o.tags, map[string]string{resource.TagStack: stack})
	})
	wg.Go(func() { l.clusters, errs[2] = listClusters(ctx, o.api) })
	wg.Go(func() { l.instances, errs[3] = listInstances(ctx, o.api) })
	wg.Wait()
	return l, errors.Join(errs...)
}

// Observations of live resources, before addresses are assigned.
func subnetGroupItems(l live, stack string) []resource.Observation {
	out := make([]resource.Observation, 0, len(l.groups))
	for _, g := range l.groups {
		out = append(out, subnetGroupObservation(g, l.tagged[deref(g.DBSubnetGroupArn)], stack, ""))
	}
	return out
}

func clusterItems(l live, stack string) []resource.Observation {
	out := make([]resource.Observation, 0, len(l.clusters))
	for _, c := range l.clusters {
		out = append(out, clusterObservation(c, stack, ""))
	}
	return out
}

func instanceItems(l live, stack string) []resource.Observation {
	out := make([]resource.Observation, 0, len(l.instances))
	for _, i := range l.instances {
		out = append(out, instanceObservation(i, stack, ""))
	}
	return out
}

// idProps name the prop holding the identifier of each kind.
var idProps = map[resource.Kind]string{
	resource.KindDBSubnetGroup: propName, resource.KindDBCluster: propIdentifier, resource.KindDBInstance: propIdentifier,
}

// desiredIDs returns the identifiers of the desired resources of the
// three kinds, in lower case (as RDS keeps them), by address.
func desiredIDs(q resource.Query) (map[string]string, error) {
	ids := map[string]string{}
	for _, d := range q.Desired {
		prop, ok := idProps[d.Kind]
		if !ok || d.Lookup != nil {
			continue
		}
		r := resource.Read(d.Props)
		ids[d.Address] = strings.ToLower(r.String(prop))
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Address, err)
		}
	}
	return ids, nil
}

// match pairs the desired resources of kind with live ones: by identifier
// (ids, by address) first, then an owned one carrying the desired address
// (its identifier changed in the file, so the plan replaces it). Desired
// ones left are absent; owned live ones left are returned for deletion.
func match(q resource.Query, kind resource.Kind, ids map[string]string, live []resource.Observation) []resource.Observation {
	desired := desiredOf(q.Desired, kind)
	byID := map[string]int{}
	for j, o := range live {
		byID[strings.ToLower(o.ID)] = j
	}
	used := make([]bool, len(live))
	out := make([]resource.Observation, len(desired))
	for i, d := range desired {
		out[i] = missing(d)
		if j, ok := byID[ids[d.Address]]; ok && !used[j] {
			out[i], used[j] = at(live[j], d.Address), true
		}
	}
	for i, d := range desired {
		if out[i].Exists {
			continue
		}
		for j, o := range live {
			if !used[j] && o.Owned && o.Tags[resource.TagAddress] == d.Address {
				out[i], used[j] = at(o, d.Address), true
				break
			}
		}
	}
	return append(out, undesired(out, live, used)...)
}

// undesired returns the owned live resources no desired one matched, under
// their address tag (made unique with the id when already taken).
func undesired(taken []resource.Observation, live []resource.Observation, used []bool) []resource.Observation {
	addrs := map[string]bool{}
	for _, o := range taken {
		addrs[o.Address] = true
	}
	var out []resource.Observation
	for j, o := range live {
		if used[j] || !o.Owned {
			continue
		}
		addr := o.Address
		if addr == "" || addrs[addr] {
			addr = string(o.Kind) + "#" + o.ID
			if o.Address != "" {
				addr = o.Address + "#" + o.ID
			}
		}
		addrs[addr] = true
		out = append(out, at(o, addr))
	}
	return out
}

func at(o resource.Observation, address string) resource.Observation {
	o.Address = address
	return o
}

func desiredOf(all []resource.Desired, kind resource.Kind) []resource.Desired {
	var out []resource.Desired
	for _, d := range all {
		if d.Kind == kind && d.Lookup == nil {
			out = append(out, d)
		}
	}
	return out
}

// tagsOfUnlisted reads the tags of desired subnet groups that exist but
// that the tagging API did not list: it lags behind creates (and some
// emulators never list subnet groups), and a desired group must not look
// unowned for that. It makes no call when the tagging API listed them all.
func (o *Observer) tagsOfUnlisted(ctx context.Context, q resource.Query, ids map[string]string, l *live) error {
	want := map[string]bool{}
	for _, d := range desiredOf(q.Desired, resource.KindDBSubnetGroup) {
		want[ids[d.Address]] = true
	}
	for _, g := range l.groups {
		arn := deref(g.DBSubnetGroupArn)
		if _, listed := l.tagged[arn]; listed || !want[strings.ToLower(deref(g.DBSubnetGroupName))] {
			continue
		}
		out, err := o.api.ListTagsForResource(ctx, &rds.ListTagsForResourceInput{ResourceName: &arn})
		if err != nil {
			return fmt.Errorf("list tags of DB subnet group %s: %w", deref(g.DBSubnetGroupName), err)
		}
		l.tagged[arn] = tagMap(out.TagList)
	}
	return nil
}
