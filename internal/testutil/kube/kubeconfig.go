package kube

import (
	"errors"
	"fmt"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// WriteKubeconfig writes a kubeconfig file to path with one context per
// name in contexts, each reaching this server as an admin; the first is
// the current context. Tests of kcstack's per-target contexts name theirs.
func (s *Server) WriteKubeconfig(path string, contexts ...string) error {
	servers := map[string]*Server{}
	for _, name := range contexts {
		servers[name] = s
	}
	return WriteKubeconfig(path, contexts, servers)
}

// WriteKubeconfig writes a kubeconfig file to path with one context per
// name in contexts, reaching servers[name] as an admin; the first is the
// current context. Contexts of one server share its cluster and user
// entries.
func WriteKubeconfig(path string, contexts []string, servers map[string]*Server) error {
	if len(contexts) == 0 {
		return errors.New("write kubeconfig: no context name")
	}
	cfg := clientcmdapi.NewConfig()
	entries := map[*Server]string{}
	for _, name := range contexts {
		s := servers[name]
		if s == nil {
			return fmt.Errorf("write kubeconfig: no server for context %s", name)
		}
		cluster, ok := entries[s]
		if !ok {
			cluster = fmt.Sprintf("kcstack-test-%d", len(entries)+1)
			if len(entries) == 0 {
				cluster = "kcstack-test"
			}
			entries[s] = cluster
			cfg.Clusters[cluster] = &clientcmdapi.Cluster{Server: s.Host, CertificateAuthorityData: s.CAData}
			cfg.AuthInfos[cluster+"-admin"] = &clientcmdapi.AuthInfo{Token: s.token}
		}
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: cluster, AuthInfo: cluster + "-admin"}
	}
	cfg.CurrentContext = contexts[0]
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return fmt.Errorf("write kubeconfig %s: %w", path, err)
	}
	return nil
}
