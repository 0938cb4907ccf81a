package render

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// yamlFile encodes v (structs with yaml tags, strings, bools, string slices
// and string maps) as a YAML document indented by two spaces, after a comment
// header.
func yamlFile(head []string, v any) ([]byte, error) {
	root, err := yamlNode(reflect.ValueOf(v))
	if err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	if len(head) > 0 {
		doc.HeadComment = "# " + strings.Join(head, "\n# ")
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode YAML: %w", err)
	}
	return b.Bytes(), nil
}

// yamlNode builds the node tree of v itself rather than with Node.Encode,
// which loses strings such as "\n" and leaves "yes" or "1:20" plain, where the
// YAML 1.1 readers of OpenMetadata (SnakeYAML) and of its ingestion (PyYAML)
// see a boolean or a number.
func yamlNode(v reflect.Value) (*yaml.Node, error) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
		}
		return yamlNode(v.Elem())
	case reflect.Struct:
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range v.NumField() {
			name, opts, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
			f := v.Field(i)
			if name == "" || name == "-" || opts == "omitempty" && f.IsZero() {
				continue
			}
			child, err := yamlNode(f)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			m.Content = append(m.Content, yamlString(name), child)
		}
		return m, nil
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("map key type %s is not string", v.Type().Key())
		}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range keys {
			child, err := yamlNode(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			m.Content = append(m.Content, yamlString(k), child)
		}
		return m, nil
	case reflect.Slice:
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range v.Len() {
			child, err := yamlNode(v.Index(i))
			if err != nil {
				return nil, err
			}
			s.Content = append(s.Content, child)
		}
		return s, nil
	case reflect.String:
		return yamlString(v.String()), nil
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool())}, nil
	}
	return nil, fmt.Errorf("cannot encode a %s", v.Type())
}

// yamlString is a string scalar: plain when yaml.v3 would write it plain as a
// value (it quotes YAML 1.1 booleans and numbers there), double-quoted
// otherwise, which reads back exactly whatever the characters.
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 || !yamlPlain(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// yamlPlain reports whether yaml.v3 writes s as a plain scalar.
func yamlPlain(s string) bool {
	out, err := yaml.Marshal(s)
	return err == nil && string(out) == s+"\n"
}
