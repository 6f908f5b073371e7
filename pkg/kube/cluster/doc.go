// Package cluster reads and changes the in-cluster objects of ROSA targets
// (pkg/kube's kinds) through the Kubernetes API: one resource.Handler per
// kind, generic over the object the desired props describe, and one
// Observer per stack reading every kind in one list call per kind per
// namespace. Former reads the objects of ROSA targets no longer in the
// file, found through the tags of the peering the stack still owns for
// them (kube.TagContext, kube.TagNamespace), so that the plan deletes them
// before that peering.
//
// Rules the handlers keep:
//
//   - Create and Update are one server-side apply under the field manager
//     kcstack with force on. kcstack sends only the fields it manages (the
//     desired manifest, its ownership labels and annotations), so force
//     takes back exactly those: a hand edit of one of them is planned and
//     applied back; fields another manager added are never sent, so they
//     stay, and the diff never looks at them (Observe projects the live
//     object onto the paths the desired object sets).
//   - Ownership is the labels app.kubernetes.io/managed-by=kcstack,
//     kcstack.io/stack=<stack> and kcstack.io/address=<address>; objects
//     without them are never read as the stack's, never changed, never
//     deleted. A Namespace that exists without them, or that another
//     kcstack stack owns, is adopted for use (Observation.Found, the other
//     stack in AttrOwnerStack for the plan's note): never labeled, never
//     deleted. Sharing a namespace is allowed; sharing an object is not.
//   - Force would take over any object of the name, so Create, Update and
//     Delete re-read the object by name (one GET) at the moment of acting
//     and refuse unless it is absent or carries this stack's labels with
//     this address (or, for an object moving from a renamed target, the
//     address it was observed at); the error names the object and its
//     owner (another stack, or nobody: made by hand).
//   - The plan sees most such conflicts first, at no extra call: the
//     observer lists every kcstack stack's objects (selector
//     app.kubernetes.io/managed-by=kcstack, one list call per kind per
//     namespace as before), keeps this stack's and fails on an object of
//     another stack whose kind, namespace and name the stack wants. Objects
//     made by hand without labels are not listed (listing everything would
//     read other people's Secrets): the re-read at apply refuses them.
//   - A Secret's values come from Secrets Manager at apply time (the
//     sources its kcstack.io/sources annotation names) and never travel in
//     props, observations or plans. The annotation kcstack.io/source-digest
//     holds a SHA-256 of the values applied; Observe compares it with the
//     values Secrets Manager holds now, so a rotation plans an update of
//     the Secret's data shown as a sensitive value.
//   - Delete of a missing object is success.
package cluster
