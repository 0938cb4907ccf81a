package termtext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain ASCII":                       {"OpenMetadata", "OpenMetadata"},
		"printable Unicode kept":            {"Ünïcødé – 日本語 🚀 👩‍💻", "Ünïcødé – 日本語 🚀 👩‍💻"},
		"title and clear screen (issue 10)": {"\x1b]0;pwned\x07\x1b[2Jbad", "bad"},
		"OSC ended by ST":                   {"a\x1b]0;title\x1b\\b", "ab"},
		"OSC 8 hyperlink":                   {"\x1b]8;;https://evil.example\x07click\x1b]8;;\x07", "click"},
		"unterminated OSC swallows the end": {"name\x1b]0;title", "name"},
		"CSI colour":                        {"\x1b[31mred\x1b[0m", "red"},
		"CSI with private parameters":       {"\x1b[?1049hx", "x"},
		"CSI cursor move":                   {"a\x1b[10;20Hb", "ab"},
		"CSI cut by a control":              {"a\x1b[12\nb", "a b"},
		"C1 CSI":                            {"a\u009b2Jb", "ab"},
		"C1 OSC ended by C1 ST":             {"a\u009d0;t\u009cb", "ab"},
		"DCS":                               {"a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		"APC":                               {"a\x1b_payload\x1b\\b", "ab"},
		"reset ESC c":                       {"a\x1bcb", "ab"},
		"charset ESC ( B":                   {"a\x1b(Bb", "ab"},
		"lone ESC at the end":               {"abc\x1b", "abc"},
		"ESC then a control":                {"a\x1b\x01b", "ab"},
		"newline and tab become spaces":     {"read:users\nevil\tx\r\n", "read:users evil x  "},
		"line separator":                    {"a\u2028b", "a b"},
		"bell, backspace, DEL":              {"a\x07b\x08c\x7fd", "abcd"},
		"NUL":                               {"a\x00b", "ab"},
		"other C1 controls":                 {"a\u0085b\u0080c", "abc"},
		"bidi override (Trojan Source)":     {"admin\u202e\u2066txt.exe", "admintxt.exe"},
		"invalid UTF-8":                     {"a\xffb\xc3", "a\ufffdb\ufffd"},
		"empty":                             {"", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanKeepsCleanTextUnallocated(t *testing.T) {
	s := strings.Repeat("Sign-in for OpenMetadata at https://om.example.com – 日本語 ", 4)
	if allocs := testing.AllocsPerRun(100, func() { _ = Clean(s) }); allocs != 0 {
		t.Errorf("Clean of clean text allocated %v times, want 0", allocs)
	}
}

// FuzzClean checks what Clean promises of any input: valid UTF-8 without a
// control or bidirectional formatting character, stable when cleaned
// again, and clean text unchanged.
func FuzzClean(f *testing.F) {
	for _, seed := range []string{
		"\x1b]0;pwned\x07\x1b[2Jbad", "\x1b[31mred\x1b[0m", "\u009b2J", "\x1bP\x1b\\", "a\x1b", "\x1b\x1b[[",
		"read:users\nevil", "admin\u202etxt", "\xff\xfe", "Ünïcødé 🚀", "",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clean(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Clean(%q) = %q, not UTF-8", s, got)
		}
		for _, r := range got {
			if r != ' ' && (unicode.IsControl(r) || dropped(r) || spacing(r)) {
				t.Fatalf("Clean(%q) = %q keeps %U", s, got, r)
			}
		}
		if again := Clean(got); again != got {
			t.Fatalf("Clean(Clean(%q)) = %q, want %q", s, again, got)
		}
		if clean(s) && got != s {
			t.Fatalf("Clean(%q) = %q changed clean text", s, got)
		}
		if len(got) > len(s)*3 {
			t.Fatalf("Clean(%q) grew to %d bytes", s, len(got))
		}
	})
}
