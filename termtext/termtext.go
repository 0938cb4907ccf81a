// Package termtext makes text that came from a server safe to print on a
// terminal. An Auth0 error message, an application's name or a scope's
// description is whatever the server (or something posing as it) sent: raw,
// "\x1b]0;…\x07" rewrites the terminal's title and "\x1b[2J" clears the
// screen. Clean removes such sequences and every other control character,
// and keeps printable text as it is.
package termtext

import (
	"strings"
	"unicode/utf8"
)

const (
	esc = 0x1b
	bel = 0x07
	// The C1 forms of the sequence introducers, as runes (U+0080–U+009F).
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
)

// Clean returns s as one line of printable text:
//   - whole escape sequences are removed: CSI (ESC [ or U+009B, through its
//     final byte), OSC, DCS, SOS, PM and APC strings (through BEL or ST, or
//     to the end of s when unterminated), and two- or three-byte ESC
//     sequences like ESC c;
//   - tab, newline, carriage return, vertical tab, form feed and the Unicode
//     line and paragraph separators become a space (the fields it cleans are
//     printed on one line);
//   - every other C0 or C1 control character and DEL is removed, and so are
//     the bidirectional formatting characters (U+061C, U+200E, U+200F,
//     U+202A–U+202E, U+2066–U+2069), which reorder what the terminal shows;
//   - a byte that is not UTF-8 becomes U+FFFD.
//
// Everything else, printable Unicode included, is kept. Text without any of
// these comes back unchanged and unallocated.
func Clean(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(utf8.RuneError)
			i += max(n, 1)
		case r == esc:
			i = skipEscape(s, i+n)
		case r == c1CSI:
			i = skipCSI(s, i+n)
		case r == c1OSC || r == c1DCS || r == c1SOS || r == c1PM || r == c1APC:
			i = skipString(s, i+n)
		case spacing(r):
			b.WriteByte(' ')
			i += n
		case dropped(r):
			i += n
		default:
			b.WriteString(s[i : i+n])
			i += n
		}
	}
	return b.String()
}

// clean reports whether s needs no change: printable ASCII, or UTF-8
// without any rune Clean removes or replaces.
func clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return false
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 || spacing(r) || dropped(r) {
			return false
		}
		i += n
	}
	return true
}

// spacing reports whether r separates words or lines: it becomes a space.
func spacing(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', '\u2028', '\u2029':
		return true
	}
	return false
}

// dropped reports whether r is a control or bidirectional formatting
// character that Clean removes.
func dropped(r rune) bool {
	switch {
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// skipEscape skips what follows an ESC at i: the rest of a CSI or of a
// control string, or the intermediate and final bytes of a short sequence.
// A lone ESC is removed and what follows it is kept.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_':
		return skipString(s, i+1)
	}
	j := i
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f { // intermediate bytes
		j++
	}
	if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e { // final byte
		return j + 1
	}
	return i
}

// skipCSI skips a control sequence's parameter and intermediate bytes and
// its final byte. A byte outside those ranges ends it early, as it does on
// a terminal, and is then cleaned like any other.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string (OSC, DCS, SOS, PM, APC) through its
// terminator: BEL, ESC \ or U+009C. An unterminated one runs to the end of
// s, because a terminal would swallow the rest too.
func skipString(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == bel, r == c1ST:
			return i + n
		case r == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			// Another sequence starts: the string ends here, unterminated.
			return i
		}
		i += n
	}
	return i
}
