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
	if len(contexts) == 0 {
		return errors.New("write kubeconfig: no context name")
	}
	cfg := clientcmdapi.NewConfig()
	cluster, user := "kcstack-test", "kcstack-test-admin"
	cfg.Clusters[cluster] = &clientcmdapi.Cluster{Server: s.Host, CertificateAuthorityData: s.CAData}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: s.token}
	for _, name := range contexts {
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: cluster, AuthInfo: user}
	}
	cfg.CurrentContext = contexts[0]
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return fmt.Errorf("write kubeconfig %s: %w", path, err)
	}
	return nil
}
