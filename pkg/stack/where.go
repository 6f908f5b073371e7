package stack

import "fmt"

// source is the file a Stack was loaded from, kept so that what later
// stages find about a field (plan's checks against AWS) can say where the
// field is written.
type source struct {
	name string
	tree *tree
}

// Where returns "file:line:column" of the field at path (a path as
// diagnostics write it, spec.targets[0].ecs.loadBalancer.certificateArn)
// in the file the stack was loaded from, or of its nearest ancestor
// written there. It returns "" for a stack not loaded by Load.
func (s *Stack) Where(path string) string {
	if s.src == nil {
		return ""
	}
	p, ok := s.src.tree.position(path)
	if !ok {
		return s.src.name
	}
	return fmt.Sprintf("%s:%d:%d", s.src.name, p.line, p.column)
}
