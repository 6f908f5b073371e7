package output

import (
	"encoding/json"
	"fmt"
	"io"
)

// document is the JSON form (json.md).
type document struct {
	FormatVersion string                `json:"format_version"`
	Stack         string                `json:"stack"`
	Region        string                `json:"region"`
	Outputs       map[string]jsonOutput `json:"outputs"`
	Notes         []string              `json:"notes"`
}

type jsonOutput struct {
	Value       *string `json:"value"`
	Missing     string  `json:"missing"`
	Description string  `json:"description"`
	Address     string  `json:"address"`
}

// JSON writes o in its versioned JSON form.
func JSON(w io.Writer, o *Outputs) error {
	doc := document{FormatVersion: FormatVersion, Stack: o.Stack, Region: o.Region, Outputs: map[string]jsonOutput{}, Notes: append([]string{}, o.Notes...)}
	for _, v := range o.Values {
		doc.Outputs[v.Name] = jsonOutput{Value: v.Value, Missing: v.Missing, Description: v.Description, Address: v.Address}
	}
	return encode(w, doc)
}

// JSONValue writes v's value alone as JSON: a string, or null.
func JSONValue(w io.Writer, v Value) error {
	return encode(w, v.Value)
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode outputs: %w", err)
	}
	return nil
}
