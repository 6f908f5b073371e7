package ssm

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/api/apitest"
)

func put(t *testing.T, w *apitest.World, name, value string, typ types.ParameterType, tags ...types.Tag) {
	t.Helper()
	if _, err := putParameter(w.Call("PutParameter"), &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: typ, Tags: tags}); err != nil {
		t.Fatalf("put %s: %v", name, err)
	}
}

func TestPutParameter(t *testing.T) {
	cases := map[string]struct {
		reason  string
		in      *ssm.PutParameterInput
		code    string
		version int64
	}{
		"New": {
			reason: "a new name is version 1",
			in:     &ssm.PutParameterInput{Name: aws.String("/new"), Value: aws.String("v"), Type: types.ParameterTypeString}, version: 1,
		},
		"ExistsWithoutOverwrite": {
			reason: "an existing name without Overwrite is ParameterAlreadyExists (the apply lock relies on it)",
			in:     &ssm.PutParameterInput{Name: aws.String("/lock"), Value: aws.String("me"), Type: types.ParameterTypeString},
			code:   codeExists,
		},
		"Overwrite": {
			reason: "Overwrite replaces the value and bumps the version",
			in:     &ssm.PutParameterInput{Name: aws.String("/lock"), Value: aws.String("me"), Overwrite: aws.Bool(true)}, version: 2,
		},
		"OverwriteWithTags": {
			reason: "tags and overwrite can't be used together",
			in:     &ssm.PutParameterInput{Name: aws.String("/lock"), Value: aws.String("me"), Overwrite: aws.Bool(true), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}},
			code:   codeValidation,
		},
		"NoType": {
			reason: "a new parameter needs a type",
			in:     &ssm.PutParameterInput{Name: aws.String("/untyped"), Value: aws.String("v")},
			code:   codeValidation,
		},
		"NotQualified": {
			reason: "hierarchical names begin with /",
			in:     &ssm.PutParameterInput{Name: aws.String("a/b"), Value: aws.String("v"), Type: types.ParameterTypeString},
			code:   codeValidation,
		},
		"ReservedPrefix": {
			reason: "names can't start with aws or ssm",
			in:     &ssm.PutParameterInput{Name: aws.String("/aws/x"), Value: aws.String("v"), Type: types.ParameterTypeString},
			code:   codeValidation,
		},
		"TooDeep": {
			reason: "at most 15 levels",
			in:     &ssm.PutParameterInput{Name: aws.String("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16"), Value: aws.String("v"), Type: types.ParameterTypeString},
			code:   codeHierarchy,
		},
		"PatternMismatch": {
			reason: "the value must match AllowedPattern",
			in:     &ssm.PutParameterInput{Name: aws.String("/num"), Value: aws.String("abc"), Type: types.ParameterTypeString, AllowedPattern: aws.String(`^\d+$`)},
			code:   codePattern,
		},
		"TooLarge": {
			reason: "standard parameters hold 4096 characters",
			in:     &ssm.PutParameterInput{Name: aws.String("/big"), Value: aws.String(string(make([]byte, 4097))), Type: types.ParameterTypeString},
			code:   codeValidation,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			put(t, w, "/lock", "other", types.ParameterTypeString)
			out, err := putParameter(w.Call("PutParameter"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err == nil && out.Version != tc.version {
				t.Errorf("%s: version: want %d, got %d", tc.reason, tc.version, out.Version)
			}
			if err != nil && *tc.in.Name == "/lock" {
				if got := params(w.Call(""))["/lock"].current().Value; got != "other" {
					t.Errorf("%s: a failed put changed the value", tc.reason)
				}
			}
		})
	}
}

func TestGetParameter(t *testing.T) {
	w := newWorld()
	put(t, w, "/app/plain", "one", types.ParameterTypeString)
	if _, err := putParameter(w.Call("PutParameter"), &ssm.PutParameterInput{Name: aws.String("/app/plain"), Value: aws.String("two"), Overwrite: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	put(t, w, "/app/secure", "hidden", types.ParameterTypeSecureString)
	cases := map[string]struct {
		reason  string
		in      *ssm.GetParameterInput
		value   string
		version int64
		code    string
	}{
		"Current":   {reason: "the latest version", in: &ssm.GetParameterInput{Name: aws.String("/app/plain")}, value: "two", version: 2},
		"Selector":  {reason: "name:version picks a version", in: &ssm.GetParameterInput{Name: aws.String("/app/plain:1")}, value: "one", version: 1},
		"ByARN":     {reason: "an ARN names the parameter", in: &ssm.GetParameterInput{Name: aws.String("arn:aws:ssm:eu-west-1:123456789012:parameter/app/plain")}, value: "two", version: 2},
		"Decrypted": {reason: "WithDecryption shows a SecureString", in: &ssm.GetParameterInput{Name: aws.String("/app/secure"), WithDecryption: aws.Bool(true)}, value: "hidden", version: 1},
		"Missing":   {reason: "unknown names are ParameterNotFound", in: &ssm.GetParameterInput{Name: aws.String("/nope")}, code: codeNotFound},
		"NoVersion": {reason: "unknown versions are ParameterVersionNotFound", in: &ssm.GetParameterInput{Name: aws.String("/app/plain:9")}, code: codeVersionNotFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := getParameter(w.Call("GetParameter"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			if aws.ToString(out.Parameter.Value) != tc.value || out.Parameter.Version != tc.version {
				t.Errorf("%s: got version %d and another value than expected", tc.reason, out.Parameter.Version)
			}
		})
	}
	out, err := getParameter(w.Call("GetParameter"), &ssm.GetParameterInput{Name: aws.String("/app/secure")})
	if err != nil || aws.ToString(out.Parameter.Value) == "hidden" || aws.ToString(out.Parameter.Value) == "" {
		t.Errorf("a SecureString without WithDecryption must show a ciphertext, err %v", err)
	}
}

func TestGetAndDeleteParameters(t *testing.T) {
	w := newWorld()
	put(t, w, "/a", "1", types.ParameterTypeString)
	put(t, w, "/b", "2", types.ParameterTypeStringList)
	got, err := getParameters(w.Call("GetParameters"), &ssm.GetParametersInput{Names: []string{"/a", "/missing", "/b"}})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, p := range got.Parameters {
		names = append(names, *p.Name)
	}
	if diff := cmp.Diff([]string{"/a", "/b"}, names); diff != "" {
		t.Errorf("GetParameters: -want +got:\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/missing"}, got.InvalidParameters); diff != "" {
		t.Errorf("GetParameters invalid: -want +got:\n%s", diff)
	}
	del, err := deleteParameters(w.Call("DeleteParameters"), &ssm.DeleteParametersInput{Names: []string{"/a", "/missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&ssm.DeleteParametersOutput{DeletedParameters: []string{"/a"}, InvalidParameters: []string{"/missing"}}, del, apitest.SDKOpts); diff != "" {
		t.Errorf("DeleteParameters: -want +got:\n%s", diff)
	}
	if _, err := deleteParameter(w.Call("DeleteParameter"), &ssm.DeleteParameterInput{Name: aws.String("/a")}); apitest.ErrCode(t, err) != codeNotFound {
		t.Errorf("DeleteParameter of a deleted parameter: want %s, got %v", codeNotFound, err)
	}
	if _, err := deleteParameter(w.Call("DeleteParameter"), &ssm.DeleteParameterInput{Name: aws.String("/b")}); err != nil {
		t.Errorf("DeleteParameter: %v", err)
	}
}

func names(ps []types.Parameter) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, *p.Name)
	}
	return out
}

func TestGetParametersByPath(t *testing.T) {
	w := newWorld()
	for _, n := range []string{"/app/a", "/app/b", "/app/sub/c", "/other/d", "/application"} {
		put(t, w, n, "v", types.ParameterTypeString)
	}
	put(t, w, "/app/s", "v", types.ParameterTypeSecureString)
	cases := map[string]struct {
		reason string
		in     *ssm.GetParametersByPathInput
		want   []string
		code   string
	}{
		"OneLevel":  {reason: "without Recursive only direct children", in: &ssm.GetParametersByPathInput{Path: aws.String("/app")}, want: []string{"/app/a", "/app/b", "/app/s"}},
		"Recursive": {reason: "Recursive descends", in: &ssm.GetParametersByPathInput{Path: aws.String("/app/"), Recursive: aws.Bool(true)}, want: []string{"/app/a", "/app/b", "/app/s", "/app/sub/c"}},
		"Type": {reason: "Type filters", in: &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Type"), Values: []string{"SecureString"}}}},
			want: []string{"/app/s"}},
		"BadFilter": {reason: "Name is not a GetParametersByPath filter", in: &ssm.GetParametersByPathInput{Path: aws.String("/app"), ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Name"), Values: []string{"x"}}}},
			code: codeBadFilterKey},
		"NotAPath": {reason: "paths begin with /", in: &ssm.GetParametersByPathInput{Path: aws.String("app")}, code: codeValidation},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := getParametersByPath(w.Call("GetParametersByPath"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tc.want, names(out.Parameters)); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestGetParametersByPathPages(t *testing.T) {
	w := newWorld()
	var want []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		put(t, w, "/p/"+n, "v", types.ParameterTypeString)
		want = append(want, "/p/"+n)
	}
	var got []string
	in := &ssm.GetParametersByPathInput{Path: aws.String("/p")}
	for {
		out, err := getParametersByPath(w.Call("GetParametersByPath"), in)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, names(out.Parameters)...)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages of 10: -want +got:\n%s", diff)
	}
}

func TestDescribeParameters(t *testing.T) {
	w := newWorld()
	tag := types.Tag{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}
	put(t, w, "/kcstack/prod/lock", "v", types.ParameterTypeString, tag)
	put(t, w, "/kcstack/prod/db/password", "v", types.ParameterTypeSecureString)
	put(t, w, "/kcstack/dev/lock", "v", types.ParameterTypeString)
	put(t, w, "plain", "v", types.ParameterTypeString)
	sf := func(key, option string, values ...string) types.ParameterStringFilter {
		f := types.ParameterStringFilter{Key: aws.String(key), Values: values}
		if option != "" {
			f.Option = aws.String(option)
		}
		return f
	}
	cases := map[string]struct {
		reason string
		in     *ssm.DescribeParametersInput
		want   []string
		code   string
	}{
		"All":        {reason: "no filters lists all, by name", in: &ssm.DescribeParametersInput{}, want: []string{"/kcstack/dev/lock", "/kcstack/prod/db/password", "/kcstack/prod/lock", "plain"}},
		"NameEquals": {reason: "Name defaults to Equals", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Name", "", "/kcstack/dev/lock")}}, want: []string{"/kcstack/dev/lock"}},
		"NameBegins": {reason: "BeginsWith is a prefix", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Name", "BeginsWith", "/kcstack/prod")}}, want: []string{"/kcstack/prod/db/password", "/kcstack/prod/lock"}},
		"PathOneLevel": {reason: "Path defaults to OneLevel", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Path", "", "/kcstack/prod")}},
			want: []string{"/kcstack/prod/lock"}},
		"PathRecursive": {reason: "Recursive descends", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Path", "Recursive", "/kcstack/prod")}},
			want: []string{"/kcstack/prod/db/password", "/kcstack/prod/lock"}},
		"Tag":    {reason: "tag:<key> matches values", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("tag:kcstack:stack", "", "prod")}}, want: []string{"/kcstack/prod/lock"}},
		"Legacy": {reason: "the old Filters still work", in: &ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyType, Values: []string{"SecureString"}}}}, want: []string{"/kcstack/prod/db/password"}},
		"Both": {reason: "Filters and ParameterFilters can't be combined",
			in:   &ssm.DescribeParametersInput{Filters: []types.ParametersFilter{{Key: types.ParametersFilterKeyType, Values: []string{"String"}}}, ParameterFilters: []types.ParameterStringFilter{sf("Name", "", "x")}},
			code: codeValidation},
		"BadOption": {reason: "options are per key", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Path", "Contains", "/x")}}, code: codeBadFilterOption},
		"BadKey":    {reason: "unknown keys are refused", in: &ssm.DescribeParametersInput{ParameterFilters: []types.ParameterStringFilter{sf("Colour", "", "x")}}, code: codeBadFilterKey},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := describeParameters(w.Call("DescribeParameters"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			got := []string{}
			for _, p := range out.Parameters {
				got = append(got, *p.Name)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTags(t *testing.T) {
	w := newWorld()
	put(t, w, "/p", "v", types.ParameterTypeString, types.Tag{Key: aws.String("a"), Value: aws.String("1")})
	kind := types.ResourceTypeForTaggingParameter
	if _, err := addTagsToResource(w.Call("AddTagsToResource"), &ssm.AddTagsToResourceInput{ResourceType: kind, ResourceId: aws.String("/p"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("2")}, {Key: aws.String("b"), Value: aws.String("3")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := removeTagsFromResource(w.Call("RemoveTagsFromResource"), &ssm.RemoveTagsFromResourceInput{ResourceType: kind, ResourceId: aws.String("/p"), TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	out, err := listTagsForResource(w.Call("ListTagsForResource"), &ssm.ListTagsForResourceInput{ResourceType: kind, ResourceId: aws.String("/p")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{{Key: aws.String("a"), Value: aws.String("2")}}, out.TagList, apitest.SDKOpts); diff != "" {
		t.Errorf("tags: -want +got:\n%s", diff)
	}
	want := []api.TaggedResource{{ARN: "arn:aws:ssm:eu-west-1:123456789012:parameter/p", Type: "ssm:parameter", Region: "eu-west-1", Tags: map[string]string{"a": "2"}}}
	if diff := cmp.Diff(want, state(w.Call("")).TaggedResources()); diff != "" {
		t.Errorf("TaggedResources: -want +got:\n%s", diff)
	}
	errs := map[string]struct {
		reason string
		in     *ssm.ListTagsForResourceInput
		code   string
	}{
		"Missing":   {reason: "unknown parameters are InvalidResourceId", in: &ssm.ListTagsForResourceInput{ResourceType: kind, ResourceId: aws.String("/nope")}, code: codeBadResourceID},
		"OtherKind": {reason: "only parameters are taggable here", in: &ssm.ListTagsForResourceInput{ResourceType: types.ResourceTypeForTaggingDocument, ResourceId: aws.String("/p")}, code: codeBadResourceType},
	}
	for name, tc := range errs {
		t.Run(name, func(t *testing.T) {
			_, err := listTagsForResource(w.Call("ListTagsForResource"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Errorf("%s: want %q, got %q", tc.reason, tc.code, got)
			}
		})
	}
}

func TestStateRoundTrip(t *testing.T) {
	w := newWorld()
	put(t, w, "/p", "v", types.ParameterTypeSecureString, types.Tag{Key: aws.String("k"), Value: aws.String("v")})
	apitest.CheckRoundTrip(t, state(w.Call("")), NewState())
}

func TestServiceOps(t *testing.T) {
	apitest.CheckOps(t, Service())
}
