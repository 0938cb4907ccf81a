package render

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// OpenMetadata reads its environment through conf/openmetadata.yaml: the server
// pastes each variable's text into that file (key: ${VAR:-default}) and only
// then parses the file as YAML. So a value travelling through an environment
// variable must be YAML text that reads back as the value. Ordinary values
// (URLs, client ids, domains) are plain YAML already and pass unchanged;
// anything else becomes a double-quoted YAML scalar. The chart does the same
// with Helm's quote function.

// serverText is s as YAML scalar text that OpenMetadata reads back as s.
func serverText(s string) string {
	if plainYAML(s) {
		return s
	}
	return quoteYAML(s)
}

// serverList is a YAML flow sequence of items, e.g. [admin,jane], as
// AUTHENTICATION_PUBLIC_KEYS and AUTHORIZER_ADMIN_PRINCIPALS take it.
func serverList(items []string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = serverText(it)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// plainYAML reports whether s can stand unquoted both as a block value and as
// an item of a flow sequence, and still read back as the same string.
func plainYAML(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r):
		case i > 0 && strings.ContainsRune("_./:@+%=~-$#", r):
		case i == 0 && strings.ContainsRune("_/", r):
		default:
			return false
		}
	}
	// A trailing ":" would start a mapping; "${" is OpenMetadata's variable syntax.
	if strings.HasSuffix(s, ":") || strings.Contains(s, "${") {
		return false
	}
	// yaml.v3 quotes every string YAML 1.1 or 1.2 would read as something else.
	return yamlPlain(s)
}

// quoteYAML is s as a double-quoted YAML scalar on one line, written only with
// characters that need no quoting in an env file's single quotes: ' and $ are
// escaped too.
func quoteYAML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\'':
			b.WriteString(`\x27`)
		case '$':
			b.WriteString(`\x24`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			switch {
			case r >= 0x20 && r < 0x7f, r > 0xa0 && unicode.IsPrint(r) && r != 0xfeff:
				b.WriteRune(r)
			case r <= 0xff:
				fmt.Fprintf(&b, `\x%02x`, r)
			case r <= 0xffff:
				fmt.Fprintf(&b, `\u%04x`, r)
			default:
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// envVar is one line of an env file: Value is exactly what the container's
// environment must hold.
type envVar struct {
	Key, Value string
}

// envFile writes vars as KEY=value lines after a comment header, in a form
// that docker compose's env-file parser reads back unchanged: bare when the
// value has only harmless characters, else in single quotes, inside which
// nothing is expanded or unescaped.
func envFile(head []string, vars []envVar) ([]byte, error) {
	var b bytes.Buffer
	for _, l := range head {
		b.WriteString(strings.TrimRight("# "+l, " "))
		b.WriteByte('\n')
	}
	for _, v := range vars {
		val, err := envValue(v.Value)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", v.Key, err)
		}
		fmt.Fprintf(&b, "%s=%s\n", v.Key, val)
	}
	return b.Bytes(), nil
}

// envValue quotes v for an env file.
func envValue(v string) (string, error) {
	bare := true
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_./:@+%=~,[]-", r)) {
			bare = false
			break
		}
	}
	if bare {
		return v, nil
	}
	// Single quotes cannot hold a quote or a line break, and a trailing
	// backslash would escape the closing quote; serverText produces none.
	if strings.ContainsAny(v, "'\n\r") || strings.HasSuffix(v, `\`) {
		return "", fmt.Errorf("value cannot be written to an env file: it holds a single quote, a line break or a trailing backslash")
	}
	return "'" + v + "'", nil
}
