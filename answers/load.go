package answers

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"
	"syscall"

	"gopkg.in/yaml.v3"
)

// Error is a problem in an answers file, located by file, line and key.
type Error struct {
	File string // path of the answers file; empty when parsed from bytes
	Line int    // 1-based; 0 when the problem is not on one line
	Key  string // the key at fault; empty when the problem is not one key's
	Msg  string
}

// Error renders "file:line: key "k": msg".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	if e.Key != "" {
		fmt.Fprintf(&b, "key %q: ", e.Key)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// secretKeys are keys someone might be tempted to put in an answers file,
// with where the secret belongs instead.
var secretKeys = map[string]string{
	"client_secret": "AUTH0_CLIENT_SECRET or --client-secret -",
	"api_token":     "AUTH0_API_TOKEN or --api-token -",
	"ingestion_jwt": "OM_INGESTION_BOT_JWT or --ingestion-jwt -",
}

// Keys lists the keys an answers file may hold, in the order answers.yaml writes them.
func Keys() []string {
	t := reflect.TypeFor[Answers]()
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		keys = append(keys, yamlKey(t.Field(i)))
	}
	return keys
}

func yamlKey(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// MaxFileSize is the largest answers file Load reads. A real one is a few
// hundred bytes; the limit keeps a wrong path (a log, an image) from being
// read whole.
const MaxFileSize = 1 << 20

// Load reads the answers file at path strictly: an unknown key, a secret, a
// repeated key or a value of the wrong type is an *Error naming the key and
// its line. The file must be a regular file of at most MaxFileSize bytes: a
// directory, a named pipe or a device (/dev/zero) is refused without reading it.
func Load(path string) (Answers, error) {
	data, err := readFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Answers{}, &Error{File: path, Msg: "cannot read the answers file: " + err.Error()}
	}
	a, err := Parse(data)
	var e *Error
	if errors.As(err, &e) {
		e.File = path
	}
	return a, err
}

// readFile reads the regular file at path, at most MaxFileSize bytes of it.
// The file is looked at before it is opened, as opening a named pipe waits
// for a writer; it is opened without blocking and looked at again, in case
// it was replaced in between.
func readFile(path string) ([]byte, error) {
	before, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkFile(before); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkFile(fi); err != nil {
		return nil, err
	}
	if !os.SameFile(before, fi) {
		return nil, errors.New("the file was replaced while it was being read: try again")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge
	}
	return data, nil
}

// checkFile refuses what is not a regular file of at most MaxFileSize bytes.
func checkFile(fi fs.FileInfo) error {
	m := fi.Mode()
	switch {
	case m.IsDir():
		return errors.New("it is a directory: give the path of the answers file, like ./openmetadata-auth0/answers.yaml")
	case m&fs.ModeNamedPipe != 0:
		return errors.New("it is a named pipe, not a regular file: save the answers to a file and give its path")
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return errors.New("it is a device, not a regular file: give the path of the answers file, like ./openmetadata-auth0/answers.yaml")
	case !m.IsRegular():
		return fmt.Errorf("it is not a regular file (%s): give the path of the answers file, like ./openmetadata-auth0/answers.yaml", m.Type())
	case fi.Size() > MaxFileSize:
		return errTooLarge
	}
	return nil
}

// errTooLarge: the size is not in the message, as a file still growing has none.
var errTooLarge = errors.New("it is larger than 1 MiB, and an answers file is a few hundred bytes: give the path of the answers file, like ./openmetadata-auth0/answers.yaml")

// Parse is Load for the file's contents.
func Parse(data []byte) (Answers, error) {
	var a Answers
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return a, &Error{Msg: "not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return a, nil // an empty file answers nothing
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return a, nil
	}
	if root.Kind != yaml.MappingNode {
		return a, &Error{Line: root.Line, Msg: "an answers file is a mapping of keys to values, like `domain: acme.us.auth0.com`"}
	}

	v := reflect.ValueOf(&a).Elem()
	fields := map[string]int{}
	for i := range v.NumField() {
		fields[yamlKey(v.Type().Field(i))] = i
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		keyNode, val := root.Content[i], resolveAlias(root.Content[i+1])
		key := keyNode.Value
		if keyNode.Kind != yaml.ScalarNode {
			return a, &Error{Line: keyNode.Line, Msg: "a key must be a plain name, like `domain`"}
		}
		if first, dup := seen[key]; dup {
			return a, &Error{Line: keyNode.Line, Key: key, Msg: fmt.Sprintf("given twice (first on line %d)", first)}
		}
		seen[key] = keyNode.Line
		if where, secret := secretKeys[key]; secret {
			return a, &Error{Line: keyNode.Line, Key: key, Msg: "is a secret, and answers files never hold secrets: give it with " + where}
		}
		idx, known := fields[key]
		if !known {
			return a, &Error{Line: keyNode.Line, Key: key, Msg: "unknown key" + suggest(key) + " (known keys: " + strings.Join(Keys(), ", ") + ")"}
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			continue
		}
		f := v.Field(idx)
		switch f.Kind() {
		case reflect.String:
			if val.Kind != yaml.ScalarNode {
				return a, &Error{Line: val.Line, Key: key, Msg: "must be a single value, not " + kindName(val)}
			}
			f.SetString(strings.TrimSpace(val.Value))
		case reflect.Slice:
			if val.Kind != yaml.SequenceNode {
				return a, &Error{Line: val.Line, Key: key, Msg: "must be a list, like [" + exampleList(key) + "], not " + kindName(val)}
			}
			list := make([]string, 0, len(val.Content))
			for _, item := range val.Content {
				item = resolveAlias(item)
				if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
					return a, &Error{Line: item.Line, Key: key, Msg: "every item must be a single value, not " + kindName(item)}
				}
				list = append(list, strings.TrimSpace(item.Value))
			}
			f.Set(reflect.ValueOf(list))
		case reflect.Pointer: // *bool, the one pointer field
			var b bool
			if val.Kind != yaml.ScalarNode || val.Tag != "!!bool" || val.Decode(&b) != nil {
				got := kindName(val)
				if val.Kind == yaml.ScalarNode {
					got = strconv.Quote(val.Value)
				}
				return a, &Error{Line: val.Line, Key: key, Msg: "must be true or false, not " + got}
			}
			f.Set(reflect.ValueOf(&b))
		}
	}
	return a, nil
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "an empty value"
		}
		return "a single value"
	}
	return "a YAML node"
}

func exampleList(key string) string {
	switch key {
	case "targets":
		return "docker, kubernetes"
	case "scopes":
		return "read:clients"
	}
	return "alice, bob"
}

// suggest names the known key closest to a mistyped one, when there is one.
func suggest(key string) string {
	norm := func(s string) string { return strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(s)) }
	for _, k := range Keys() {
		if norm(k) == norm(key) || norm(k) == norm(key)+"s" || norm(k)+"s" == norm(key) {
			return fmt.Sprintf(" (did you mean %q?)", k)
		}
	}
	return ""
}
