package present

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// continuation indents the lines a broken command continues on.
const continuation = "    "

// Command is a command line (its words quoted for a POSIX shell and one
// space apart, as render.CommandLine writes them) as lines of at most width
// cells that a shell reads back as the same command: it breaks only between
// words, ends every line but the last with " \" and indents the lines after
// the first by four spaces. A flag stays on the line of the word after it
// when both fit. A word wider than the width stays whole on a line of its
// own: a terminal may soft-wrap that line, but a copy of it is still one
// word. width ≤ 0 is no limit.
func Command(width int, line string) []string {
	if width <= 0 || ansi.StringWidth(line) <= width {
		return []string{line}
	}
	words := shellWords(line)
	// Units are what the line keeps together when it can: a flag and its value.
	var units [][]string
	for i := 0; i < len(words); i++ {
		u := []string{words[i]}
		if strings.HasPrefix(words[i], "-") && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			u = append(u, words[i+1])
			i++
		}
		units = append(units, u)
	}
	var out []string
	cur := ""
	put := func(text string, last bool) {
		need := ansi.StringWidth(text)
		if !last {
			need += len(" \\")
		}
		switch {
		case cur == "":
			cur = text
		case ansi.StringWidth(cur)+1+need > width:
			out = append(out, cur+" \\")
			cur = continuation + text
		default:
			cur += " " + text
		}
	}
	for i, u := range units {
		last := i == len(units)-1
		joined := strings.Join(u, " ")
		if len(u) > 1 && len(continuation)+ansi.StringWidth(joined)+len(" \\") > width {
			// Not even a line of its own holds both: each word on its own.
			for j, w := range u {
				put(w, last && j == len(u)-1)
			}
			continue
		}
		put(joined, last)
	}
	return append(out, cur)
}

// shellWords splits a command line at the spaces a POSIX shell splits it
// at (not inside quotes, not after a backslash), each word as written.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	escaped := false
	for _, r := range line {
		switch {
		case escaped:
			escaped = false
		case quote != 0:
			if r == quote {
				quote = 0
			} else if r == '\\' && quote == '"' {
				escaped = true
			}
		case r == '\\':
			escaped = true
		case r == '\'' || r == '"':
			quote = r
		case r == ' ' || r == '\t':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// commandIndent marks a command in next-steps text: a line indented by two
// spaces (render's next steps write each command so).
const commandIndent = "  "

// Steps is next-steps text fitted to width cells: a line indented by two
// spaces is a command, broken by Command and kept at its indentation; the
// other lines are sentences, and a paragraph of them (lines up to one that
// ends with "." or ":", a command or a blank line) with a line wider than
// width is wrapped again at spaces only. width ≤ 0 leaves the text as it is.
func Steps(width int, text string) string {
	if width <= 0 {
		return text
	}
	lines := strings.Split(text, "\n")
	var out, para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		wide := false
		for _, l := range para {
			wide = wide || ansi.StringWidth(l) > width
		}
		if wide {
			para = wrapWords(strings.Join(para, " "), width)
		}
		out = append(out, para...)
		para = nil
	}
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, commandIndent) && strings.TrimSpace(l) != "":
			flush()
			for _, c := range Command(width-len(commandIndent), strings.TrimSpace(l)) {
				out = append(out, commandIndent+c)
			}
		case strings.TrimSpace(l) == "":
			flush()
			out = append(out, l)
		default:
			para = append(para, l)
			if strings.HasSuffix(l, ".") || strings.HasSuffix(l, ":") {
				flush()
			}
		}
	}
	flush()
	return strings.Join(out, "\n")
}

// wrapWords breaks s into lines of at most width cells at spaces only; a
// word wider than that stays whole on a line of its own.
func wrapWords(s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case ansi.StringWidth(cur)+1+ansi.StringWidth(w) > width:
			lines = append(lines, cur)
			cur = w
		default:
			cur += " " + w
		}
	}
	return append(lines, cur)
}
