package present

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/tenant"
)

// unquote is a test's own POSIX shell-word splitter: the arguments a shell
// passes for line (quotes removed, backslash-newline joined), and whether
// the quotes close.
func unquote(line string) ([]string, bool) {
	var args []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch {
			case r == '"':
				quote = 0
			case r == '\\' && i+1 < len(rs) && strings.ContainsRune("\"\\$`", rs[i+1]):
				i++
				cur.WriteRune(rs[i])
			default:
				cur.WriteRune(r)
			}
		case r == '\\' && i+1 < len(rs):
			i++
			if rs[i] != '\n' { // a line continuation is no character
				cur.WriteRune(rs[i])
				inWord = true
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, quote == 0
}

// commandsOf is the commands of next-steps text, each as the shell reads
// it: a line indented by two spaces beyond the text's own indent, with the
// lines it continues on (" \" ends a line that goes on).
func commandsOf(text, indent string) []string {
	var cmds []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, indent+"  ") || strings.TrimSpace(l) == "" {
			continue
		}
		cmd := l
		for strings.HasSuffix(lines[i], " \\") && i+1 < len(lines) {
			i++
			cmd += "\n" + lines[i]
		}
		cmds = append(cmds, cmd)
	}
	return cmds
}

// TestCommandsSurviveCopy: at every width ≥ 60, each command of every
// target's next steps and of the ingestion steps, printed as the wizard and a script print them, is
// read by a shell as the same arguments as the unbroken command, and no
// printed line is wider than the width unless it holds a single word (a
// long output folder's path).
func TestCommandsSurviveCopy(t *testing.T) {
	out := "/home/operator/projects/acme-data-platform/deployments/production-eu-west-1/openmetadata-auth0 (sso)"
	for _, version := range []string{"1.0.2", "1.6.4", "2.0.2"} {
		for _, ct := range []openmetadata.ClientType{openmetadata.Public, openmetadata.Confidential} {
			v, err := openmetadata.ParseVersion(version)
			if err != nil {
				t.Fatal(err)
			}
			if ct == openmetadata.Confidential && !v.AtLeast(1, 5) {
				continue
			}
			in := render.Input{Tenant: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://openmetadata.acme.internal",
				Version: v, ClientType: ct, AdminPrincipals: []string{"alice"}, PrincipalDomain: "acme.com"}
			parts := []NextStep{{What: "ingestion", Text: render.IngestionNextSteps(in)}}
			for _, spec := range render.Targets {
				parts = append(parts, NextStep{What: string(spec.Name), Text: render.NextStepsIn(in, spec.Name, out)})
			}
			for _, part := range parts {
				original := part.Text
				want := commandsOf(original, "")
				for _, width := range []int{60, 80, 100, 200} {
					t.Run(fmt.Sprintf("%s-%s-%s-%d", version, ct, part.What, width), func(t *testing.T) {
						printed := NextSteps(Plain(true), width, []NextStep{part})
						got := commandsOf(printed, "  ")
						if len(got) != len(want) {
							t.Fatalf("%d commands printed, want %d:\n%s", len(got), len(want), printed)
						}
						for i := range want {
							wantArgs, ok1 := unquote(want[i])
							gotArgs, ok2 := unquote(got[i])
							if !ok1 || !ok2 || strings.Join(gotArgs, "\x00") != strings.Join(wantArgs, "\x00") {
								t.Errorf("printed command reads as %q, want %q:\n%s", gotArgs, wantArgs, got[i])
							}
							if fits := ansi.StringWidth(want[i])+2 <= width; fits && got[i] != "  "+want[i] {
								t.Errorf("a command that fits is broken:\n%s", got[i])
							}
						}
						for _, l := range strings.Split(printed, "\n") {
							if words, _ := unquote(strings.TrimSuffix(l, " \\")); ansi.StringWidth(l) > width && len(words) > 1 {
								t.Errorf("line of %d cells, wider than %d, with more than one word:\n%s", ansi.StringWidth(l), width, l)
							}
						}
					})
				}
			}
		}
	}
}

// TestCommand: breaks between words only, a flag kept with its value, the
// continuation indented, a word too wide for any line kept whole.
func TestCommand(t *testing.T) {
	for _, tt := range []struct {
		name  string
		width int
		line  string
		want  []string
	}{
		{"fits", 40, "docker restart openmetadata_server", []string{"docker restart openmetadata_server"}},
		{"no limit", 0, "a b c", []string{"a b c"}},
		{"flag with its value", 40, "helm upgrade --install om chart --values /a/b/values.yaml",
			[]string{"helm upgrade --install om chart \\", "    --values /a/b/values.yaml"}},
		{"quoted word whole", 40, "kubectl apply -f '/a b/c d/oidc-secrets.yaml'",
			[]string{"kubectl apply \\", "    -f '/a b/c d/oidc-secrets.yaml'"}},
		{"word wider than the line", 20, "docker compose --env-file /a/very/long/path/openmetadata_auth0.env up -d",
			[]string{"docker compose \\", "    --env-file \\", "    /a/very/long/path/openmetadata_auth0.env \\", "    up -d"}},
		{"escaped quote", 22, `echo 'it'\''s here' now and then`,
			[]string{`echo 'it'\''s here' \`, "    now and then"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Command(tt.width, tt.line)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Command(%d, %q) =\n%s\nwant\n%s", tt.width, tt.line, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestStepsProse: a paragraph wider than the width is wrapped at spaces
// only, a word wider than it kept whole; one that fits is left as written.
func TestStepsProse(t *testing.T) {
	for _, tt := range []struct {
		name, text, want string
	}{
		{"fits", "one two\nthree", "one two\nthree"},
		{"rewrapped", "one two three four\nfive", "one two\nthree four\nfive"},
		{"long word whole", "see /a/very/long/path/file.yaml now", "see\n/a/very/long/path/file.yaml\nnow"},
		{"command ends a paragraph", "run this one please:\n  metadata ingest -c x.yaml", "run this one\nplease:\n  metadata \\\n      ingest \\\n      -c \\\n      x.yaml"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Steps(12, tt.text); got != tt.want {
				t.Errorf("Steps(12, %q) =\n%s\nwant\n%s", tt.text, got, tt.want)
			}
		})
	}
}

// TestSummaryCommands: the Again and Check rows hold their command alone,
// broken to the summary's width so that a copy of the rows runs it.
func TestSummaryCommands(t *testing.T) {
	answers := "/home/operator/projects/acme/production/openmetadata-auth0/answers.yaml"
	check := render.CommandLine("om-auth0", "doctor", "--om-url", "https://om.acme.com/?a=b&c=d", "--answers", answers)
	for _, width := range []int{0, 60, 80, 100, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			got := Summary{Tenant: "acme", Out: "out", AnswersPath: answers, CheckCommand: check, Width: width}.Text(Plain(true))
			for label, want := range map[string][]string{
				"Again": {"om-auth0", "setup", "--answers", answers},
				"Check": {"om-auth0", "doctor", "--om-url", "https://om.acme.com/?a=b&c=d", "--answers", answers},
			} {
				_, rest, ok := strings.Cut(got, "  "+label+" ")
				if !ok {
					t.Fatalf("no %s row:\n%s", label, got)
				}
				lines := strings.Split(rest, "\n")
				cmd := lines[0]
				for i := 0; strings.HasSuffix(lines[i], " \\"); i++ {
					cmd += "\n" + lines[i+1]
				}
				if args, ok := unquote(cmd); !ok || strings.Join(args, "\x00") != strings.Join(want, "\x00") {
					t.Errorf("%s row reads as %q, want %q:\n%s", label, args, want, got)
				}
			}
			for _, l := range strings.Split(got, "\n") {
				if words, _ := unquote(strings.TrimSuffix(l, " \\")); width > 0 && ansi.StringWidth(l) > width && len(words) > 1 && strings.Contains(l, "om-auth0") {
					t.Errorf("command row wider than %d:\n%s", width, l)
				}
			}
			if !strings.Contains(got, "\n            (once OpenMetadata runs with these settings)\n") {
				t.Errorf("the Check row's remark is not on its own line:\n%s", got)
			}
		})
	}
}
