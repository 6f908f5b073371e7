package acm

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of AWS Certificate Manager.
const ServiceName = "acm"

// Service returns the ACM emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"RequestCertificate":        {Fn: requestCertificate},
			"ImportCertificate":         {Fn: importCertificate},
			"DescribeCertificate":       {Fn: describeCertificate},
			"ListCertificates":          {Fn: listCertificates},
			"DeleteCertificate":         {Fn: deleteCertificate},
			"AddTagsToCertificate":      {Fn: addTags},
			"RemoveTagsFromCertificate": {Fn: removeTags},
			"ListTagsForCertificate":    {Fn: listTags},
		},
	}
}
