package acm

import (
	"crypto/x509"
	"encoding/pem"
	"maps"
	"regexp"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// Error codes ACM answers with (all HTTP 400).
const (
	codeNotFound   = "ResourceNotFoundException"
	codeInvalidARN = "InvalidArnException"
	codeInUse      = "ResourceInUseException"
	codeValidation = "ValidationException"
	codeInvalidArg = "InvalidParameterException"
	codeTooManyTag = "TooManyTagsException"
)

// maxTags is how many tags a certificate can have.
const maxTags = 50

// certificateARN is the form of an ACM certificate ARN.
var certificateARN = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-zA-Z-]+$`)

// domainName is ACM's rule for a requested domain: labels of letters,
// digits and hyphens, an optional leading wildcard.
var domainName = regexp.MustCompile(`^(\*\.)?(([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9])\.)+[a-zA-Z0-9-]{2,63}$`)

func requestCertificate(c *api.Call, in *acm.RequestCertificateInput) (*acm.RequestCertificateOutput, error) {
	domain := aws.ToString(in.DomainName)
	if len(domain) > 253 || !domainName.MatchString(domain) {
		return nil, api.Errorf(codeValidation, "1 validation error detected: Value '%s' at 'domainName' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])", domain)
	}
	certs := certificates(c)
	if token := aws.ToString(in.IdempotencyToken); token != "" {
		for _, cert := range certs {
			if cert.Token == token && cert.DomainName == domain && regionOf(cert.ARN) == c.Region {
				return &acm.RequestCertificateOutput{CertificateArn: aws.String(cert.ARN)}, nil
			}
		}
	}
	sans := append([]string{domain}, in.SubjectAlternativeNames...)
	cert := &Certificate{
		ARN: c.ARN("acm", "certificate/"+uuid()), DomainName: domain, SANs: slices.Compact(sans), Type: typeAmazon,
		Status: StatusPending, CreatedAt: c.Now, Token: aws.ToString(in.IdempotencyToken), Tags: tagMap(in.Tags),
	}
	certs[cert.ARN] = cert
	return &acm.RequestCertificateOutput{CertificateArn: aws.String(cert.ARN)}, nil
}

func importCertificate(c *api.Call, in *acm.ImportCertificateInput) (*acm.ImportCertificateOutput, error) {
	block, _ := pem.Decode(in.Certificate)
	if block == nil || len(in.PrivateKey) == 0 {
		return nil, api.Errorf(codeValidation, "The certificate field must contain exactly 1 certificate in PEM format, and the private key must be given.")
	}
	x, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, api.Errorf(codeValidation, "Could not parse the certificate: %v", err)
	}
	cert := &Certificate{ARN: c.ARN("acm", "certificate/"+uuid()), CreatedAt: c.Now, Tags: tagMap(in.Tags)}
	if arn := aws.ToString(in.CertificateArn); arn != "" {
		if cert, err = find(c, arn); err != nil {
			return nil, err
		}
	}
	cert.DomainName, cert.SANs = x.Subject.CommonName, x.DNSNames
	if cert.DomainName == "" && len(x.DNSNames) > 0 {
		cert.DomainName = x.DNSNames[0]
	}
	cert.Type, cert.Status, cert.IssuedAt = typeImported, StatusIssued, c.Now
	cert.NotBefore, cert.NotAfter = x.NotBefore.UTC(), x.NotAfter.UTC()
	certificates(c)[cert.ARN] = cert
	return &acm.ImportCertificateOutput{CertificateArn: aws.String(cert.ARN)}, nil
}

func describeCertificate(c *api.Call, in *acm.DescribeCertificateInput) (*acm.DescribeCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	d := &types.CertificateDetail{
		CertificateArn: aws.String(cert.ARN), DomainName: aws.String(cert.DomainName), SubjectAlternativeNames: slices.Clone(cert.SANs),
		Status: types.CertificateStatus(cert.Status), Type: types.CertificateType(cert.Type), CreatedAt: aws.Time(cert.CreatedAt),
		KeyAlgorithm: types.KeyAlgorithmRsa2048, InUseBy: usersOf(c, cert.ARN),
	}
	if !cert.IssuedAt.IsZero() {
		d.NotBefore, d.NotAfter = aws.Time(cert.NotBefore), aws.Time(cert.NotAfter)
		if cert.Type == typeImported {
			d.ImportedAt = aws.Time(cert.IssuedAt)
		} else {
			d.IssuedAt = aws.Time(cert.IssuedAt)
		}
	}
	return &acm.DescribeCertificateOutput{Certificate: d}, nil
}

func listCertificates(c *api.Call, in *acm.ListCertificatesInput) (*acm.ListCertificatesOutput, error) {
	start, ok := page.Offset(aws.ToString(in.NextToken))
	if !ok {
		return nil, api.Errorf(codeInvalidArg, "The nextToken is not valid.")
	}
	size := 1000
	if in.MaxItems != nil {
		size = int(*in.MaxItems)
	}
	var found []*Certificate
	for _, arn := range slices.Sorted(maps.Keys(certificates(c))) {
		cert := certificates(c)[arn]
		if regionOf(arn) == c.Region && (len(in.CertificateStatuses) == 0 || slices.Contains(in.CertificateStatuses, types.CertificateStatus(cert.Status))) {
			found = append(found, cert)
		}
	}
	list, next := page.Window(found, start, size)
	out := &acm.ListCertificatesOutput{CertificateSummaryList: []types.CertificateSummary{}}
	for _, cert := range list {
		out.CertificateSummaryList = append(out.CertificateSummaryList, types.CertificateSummary{
			CertificateArn: aws.String(cert.ARN), DomainName: aws.String(cert.DomainName), Status: types.CertificateStatus(cert.Status),
			Type: types.CertificateType(cert.Type), CreatedAt: aws.Time(cert.CreatedAt), InUse: aws.Bool(len(usersOf(c, cert.ARN)) > 0),
		})
	}
	if next != "" {
		out.NextToken = aws.String(next)
	}
	return out, nil
}

func deleteCertificate(c *api.Call, in *acm.DeleteCertificateInput) (*acm.DeleteCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	if users := usersOf(c, cert.ARN); len(users) > 0 {
		return nil, api.Errorf(codeInUse, "Certificate %s in account %s is in use.", cert.ARN, c.AccountID)
	}
	delete(certificates(c), cert.ARN)
	return &acm.DeleteCertificateOutput{}, nil
}

// find returns the certificate arn names in the call's region.
func find(c *api.Call, arn string) (*Certificate, error) {
	if !certificateARN.MatchString(arn) {
		return nil, api.Errorf(codeInvalidARN, "String '%s' is not a valid ARN.", arn)
	}
	cert, ok := certificates(c)[arn]
	if !ok || regionOf(arn) != c.Region {
		return nil, api.Errorf(codeNotFound, "Could not find certificate with arn %s in account %s", arn, c.AccountID)
	}
	return cert, nil
}

// CertificateUsers is implemented by the states of services whose
// resources use certificates (load balancer listeners): the ARNs of those
// that use the certificate arn in region.
type CertificateUsers interface {
	CertificateUsers(region, arn string) []string
}

func usersOf(c *api.Call, arn string) []string {
	var out []string
	for _, name := range c.World.Services() {
		if u, ok := c.World.State(name).(CertificateUsers); ok {
			out = append(out, u.CertificateUsers(c.Region, arn)...)
		}
	}
	sort.Strings(out)
	return out
}

// uuid returns a random version-4 style id, the form of certificate ids.
func uuid() string {
	h := api.RandomHex(32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-" + h[16:20] + "-" + h[20:32]
}

func listTags(c *api.Call, in *acm.ListTagsForCertificateInput) (*acm.ListTagsForCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	out := &acm.ListTagsForCertificateOutput{Tags: []types.Tag{}}
	for _, k := range slices.Sorted(maps.Keys(cert.Tags)) {
		out.Tags = append(out.Tags, types.Tag{Key: aws.String(k), Value: aws.String(cert.Tags[k])})
	}
	return out, nil
}

// tagMap is ACM's tag list as a map, nil when empty.
func tagMap(tags []types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	return tagset.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
