package omsim

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// patchOp is one RFC 6902 operation.
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	From  string          `json:"from"`
	Value json.RawMessage `json:"value"`
}

// applyPatch applies an RFC 6902 JSON Patch to a copy of doc. Any failing
// operation fails the whole patch, as the standard requires.
func applyPatch(doc object, ops []patchOp) (object, error) {
	root := any(copyObject(doc))
	for i, op := range ops {
		var err error
		switch op.Op {
		case "add", "replace", "test":
			if len(op.Value) == 0 {
				return nil, fmt.Errorf("operation %d (%s %s) has no value", i, op.Op, op.Path)
			}
			var v any
			if v, err = decodeValue(op.Value); err != nil {
				return nil, fmt.Errorf("operation %d: %w", i, err)
			}
			switch op.Op {
			case "add":
				root, err = pointerAdd(root, op.Path, v)
			case "replace":
				if _, err = pointerGet(root, op.Path); err == nil {
					root, err = pointerRemove(root, op.Path)
					if err == nil {
						root, err = pointerAdd(root, op.Path, v)
					}
				}
			case "test":
				var cur any
				if cur, err = pointerGet(root, op.Path); err == nil && !sameJSON(cur, v) {
					err = fmt.Errorf("test failed at %s", op.Path)
				}
			}
		case "remove":
			root, err = pointerRemove(root, op.Path)
		case "move", "copy":
			var v any
			if v, err = pointerGet(root, op.From); err == nil {
				v = deepCopy(v)
				if op.Op == "move" {
					root, err = pointerRemove(root, op.From)
				}
				if err == nil {
					root, err = pointerAdd(root, op.Path, v)
				}
			}
		default:
			err = fmt.Errorf("unknown op %q", op.Op)
		}
		if err != nil {
			return nil, fmt.Errorf("operation %d (%s %s): %w", i, op.Op, op.Path, err)
		}
	}
	out, ok := root.(object)
	if !ok {
		return nil, fmt.Errorf("the patch replaced the document with a non-object")
	}
	return out, nil
}

func decodeValue(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

func splitPointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("path %q is not a JSON pointer", p)
	}
	parts := strings.Split(p[1:], "/")
	for i := range parts {
		parts[i] = unescapePointer(parts[i])
	}
	return parts, nil
}

func pointerGet(root any, p string) (any, error) {
	parts, err := splitPointer(p)
	if err != nil {
		return nil, err
	}
	cur := root
	for _, k := range parts {
		switch c := cur.(type) {
		case object:
			v, ok := c[k]
			if !ok {
				return nil, fmt.Errorf("no field %q", k)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("no element %q", k)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%q is not inside an object or array", k)
		}
	}
	return cur, nil
}

// pointerAdd adds v at p and returns the (possibly new) root.
func pointerAdd(root any, p string, v any) (any, error) {
	parent, parentPath, last, whole, err := locate(root, p)
	if err != nil {
		return nil, err
	}
	if whole {
		return v, nil
	}
	switch c := parent.(type) {
	case object:
		c[last] = v
		return root, nil
	case []any:
		i := len(c)
		if last != "-" {
			if i, err = strconv.Atoi(last); err != nil || i < 0 || i > len(c) {
				return nil, fmt.Errorf("bad array index %q", last)
			}
		}
		grown := append(c[:i:i], append([]any{v}, c[i:]...)...)
		return replaceAt(root, parentPath, grown)
	default:
		return nil, fmt.Errorf("parent of %q is not an object or array", p)
	}
}

func pointerRemove(root any, p string) (any, error) {
	parent, parentPath, last, whole, err := locate(root, p)
	if err != nil {
		return nil, err
	}
	if whole {
		return nil, fmt.Errorf("cannot remove the whole document")
	}
	switch c := parent.(type) {
	case object:
		if _, ok := c[last]; !ok {
			return nil, fmt.Errorf("no field %q", last)
		}
		delete(c, last)
		return root, nil
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(c) {
			return nil, fmt.Errorf("no element %q", last)
		}
		shrunk := append(c[:i:i], c[i+1:]...)
		return replaceAt(root, parentPath, shrunk)
	default:
		return nil, fmt.Errorf("parent of %q is not an object or array", p)
	}
}

// replaceAt stores v at p (an existing location) and returns the root.
func replaceAt(root any, p string, v any) (any, error) {
	parent, _, last, whole, err := locate(root, p)
	if err != nil {
		return nil, err
	}
	if whole {
		return v, nil
	}
	switch c := parent.(type) {
	case object:
		c[last] = v
	case []any:
		i, _ := strconv.Atoi(last)
		c[i] = v
	}
	return root, nil
}

// locate finds where pointer p points in root: the parent value, its
// pointer and the last reference token; whole says p is the root itself.
func locate(root any, p string) (parent any, parentPath, last string, whole bool, err error) {
	parts, err := splitPointer(p)
	if err != nil || len(parts) == 0 {
		return nil, "", "", err == nil, err
	}
	if len(parts) > 1 {
		parentPath = "/" + strings.Join(escapeAll(parts[:len(parts)-1]), "/")
	}
	parent, err = pointerGet(root, parentPath)
	return parent, parentPath, parts[len(parts)-1], false, err
}

func escapeAll(parts []string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = escapePointer(p)
	}
	return out
}
