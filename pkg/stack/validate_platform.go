package stack

// checkPlatformFields refuses fields that mean nothing for the stack's
// target kinds, naming each: every field either works or is refused.
// (kube-ping on ECS is refused by checkKubePing.)
func checkPlatformFields(s *Stack) Diagnostics {
	ds := checkS3PingOnROSA(s)
	ds = append(ds, checkCloudMapWithoutECS(s)...)
	ds = append(ds, checkDiscoveryServiceName(s)...)
	return append(ds, checkBootstrapAdminOnROSA(s)...)
}

// checkS3PingOnROSA refuses s3-ping with a ROSA target: the bucket's access
// goes through the IAM task role kcstack makes for ECS tasks only.
func checkS3PingOnROSA(s *Stack) Diagnostics {
	if s.Spec.Discovery.Mode != DiscoveryS3Ping {
		return nil
	}
	return refuseModeOn(s, TargetROSA, "s3-ping reaches its bucket through the IAM task role kcstack gives ECS tasks")
}

// checkCloudMapWithoutECS refuses the Cloud Map settings of dns-ping in a
// stack without ECS targets (SetDefaults leaves them empty there, so a
// value was written).
func checkCloudMapWithoutECS(s *Stack) Diagnostics {
	p := s.Spec.Discovery.DNSPing
	if p == nil || s.HasECS() {
		return nil
	}
	const path = discoveryPath + ".dnsPing"
	var ds Diagnostics
	if p.Namespace != "" {
		ds = append(ds, errorf(path+".namespace", "remove it: on ROSA dns-ping queries a headless Service (serviceName) in the target's namespace",
			"namespace is the Cloud Map namespace of ECS targets, and the stack has none"))
	}
	if p.TTL != 0 {
		ds = append(ds, errorf(path+".ttl", "remove it: the cluster's DNS sets the TTL of a headless Service's records",
			"ttl is the TTL of the Cloud Map records of ECS targets, and the stack has none"))
	}
	return ds
}

// Suffixes the Keycloak Operator gives the Services it makes for a Keycloak
// custom resource, which kcstack names after the stack.
var operatorServiceSuffixes = []string{"-discovery", "-service"}

// checkDiscoveryServiceName refuses a headless Service name on ROSA that the
// Keycloak Operator uses for its own Services of the stack's custom resource.
func checkDiscoveryServiceName(s *Stack) Diagnostics {
	p := s.Spec.Discovery.DNSPing
	if s.Spec.Discovery.Mode != DiscoveryDNSPing || p == nil || !s.HasROSA() {
		return nil
	}
	for _, suffix := range operatorServiceSuffixes {
		if p.ServiceName == s.Metadata.Name+suffix {
			return Diagnostics{errorf(discoveryPath+".dnsPing.serviceName", "choose another name, such as "+DefaultDNSServiceName,
				"the Keycloak Operator names a Service %s for the Keycloak custom resource %s, which kcstack names after the stack", p.ServiceName, s.Metadata.Name)}
		}
	}
	return nil
}

// checkBootstrapAdminOnROSA refuses bootstrapAdmin on ROSA before Keycloak
// 26: the Keycloak custom resource has no bootstrapAdmin field there.
func checkBootstrapAdminOnROSA(s *Stack) Diagnostics {
	v := s.KeycloakVersion()
	if s.Spec.Keycloak.BootstrapAdmin == nil || !s.HasROSA() || v.Major == 0 || v.AtLeast(26, 0) {
		return nil
	}
	return Diagnostics{errorf("spec.keycloak.bootstrapAdmin", "remove it and use the <stack>-initial-admin Secret the operator makes, or use Keycloak 26 or later",
		"the Keycloak Operator of Keycloak %s has no bootstrapAdmin setting, so a ROSA target cannot use it", v)}
}
