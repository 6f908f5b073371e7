package kube

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// files are the credentials a test API server is started with, all in one
// temporary directory.
type files struct {
	servingCert, servingKey string // the self-signed serving certificate and its key
	caPEM                   []byte // the serving certificate, which is its own CA
	saKey, saPub            string // the service-account token signing key pair
	tokenFile               string // the static token file
	token                   string // the admin token, in group system:masters
}

// writeFiles generates the credentials into dir.
func writeFiles(dir string) (files, error) {
	f := files{
		servingCert: filepath.Join(dir, "serving.crt"),
		servingKey:  filepath.Join(dir, "serving.key"),
		saKey:       filepath.Join(dir, "sa.key"),
		saPub:       filepath.Join(dir, "sa.pub"),
		tokenFile:   filepath.Join(dir, "tokens.csv"),
	}
	var err error
	if f.caPEM, err = writeServingCert(f.servingCert, f.servingKey); err != nil {
		return f, fmt.Errorf("serving certificate: %w", err)
	}
	if err := writeServiceAccountKey(f.saKey, f.saPub); err != nil {
		return f, fmt.Errorf("service-account key: %w", err)
	}
	if f.token, err = writeTokenFile(f.tokenFile); err != nil {
		return f, fmt.Errorf("token file: %w", err)
	}
	return f, nil
}

// writeServingCert writes a self-signed certificate for 127.0.0.1 and
// localhost, and returns it in PEM as the CA clients trust.
func writeServingCert(certPath, keyPath string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "kcstack-test-kube-apiserver"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := writePEM(keyPath, "EC PRIVATE KEY", keyDER); err != nil {
		return nil, err
	}
	if err := writePEM(certPath, "CERTIFICATE", der); err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// writeServiceAccountKey writes an RSA key pair for signing and checking
// service-account tokens.
func writeServiceAccountKey(keyPath, pubPath string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := writePEM(keyPath, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key)); err != nil {
		return err
	}
	return writePEM(pubPath, "PUBLIC KEY", pub)
}

// writeTokenFile writes a static token file with one random admin token
// in group system:masters, and returns the token.
func writeTokenFile(path string) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := hex.EncodeToString(b)
	line := token + `,kcstack-test-admin,kcstack-test-admin,"system:masters"` + "\n"
	return token, os.WriteFile(path, []byte(line), 0o600)
}

// writePEM writes one PEM block to path, readable only by its owner.
func writePEM(path, typ string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600)
}
