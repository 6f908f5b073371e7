package verify

import "github.com/kcstack/kcstack/pkg/kube"

// clusters checks the Keycloak custom resource of each ROSA target whose
// cluster was read (its status as the Keycloak Operator sets it: Ready
// true, HasErrors false), and reports those of the
// targets not read (Input.Unread, whose objects Desired leaves out) as
// skipped, with why.
func (v *verifier) clusters() {
	for _, u := range v.in.Unread {
		v.add(Check{Name: "keycloak ready", Address: "targets." + u.Target, Status: Skip,
			Message: "the in-cluster part was not read: " + u.Reason})
	}
	for _, d := range v.ofKind(kube.KindKeycloak) {
		ob := v.observed(d.Address)
		c := Check{Name: "keycloak ready", Address: d.Address, Status: Pass}
		switch st := ob.Attrs[kube.AttrStatus]; {
		case !ob.Exists:
			c.Status, c.Message, c.Hint = Fail, "the Keycloak custom resource does not exist", "run kcstack apply"
		case st != "Ready":
			c.Status, c.Message = Fail, "the Keycloak custom resource reports: "+st
			c.Hint = "kubectl describe keycloak (its status conditions), the Keycloak Operator's logs and the Keycloak pods' logs"
		default:
			c.Message = "Ready"
		}
		v.add(c)
	}
}
