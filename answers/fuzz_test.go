package answers

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzAnswersLoad feeds arbitrary bytes to the answers file parser (Load
// reads a file, then parses it with Parse): it never panics, refuses with an
// *Error, and what it accepts is written back by Marshal and read again
// unchanged.
func FuzzAnswersLoad(f *testing.F) {
	for _, seed := range []string{
		"",
		"~\n",
		"domain: acme.us.auth0.com\nom_url: https://om.acme.com\nadmins: [alice, bob]\nscopes: [read:clients]\n",
		"domain: a.auth0.com\nclient_secret: hunter2\n",
		"domain: &d a.auth0.com\nout: *d\n",
		"admins: &l [a, b]\ntargets: *l\n",
		"a: &a [*a]\n",
		"scopes:\n  - read:users\n  -\n",
		"om_version: 1.10\nclient_type: !!binary aGk=\n",
		"domain: [unclosed\n",
		"- domain\n",
		"{domain: x, domain: y}\n",
		"? [a, b]\n: c\n",
		"app_name: \"OM\\e]0;title\\a\"\n",
		"domain: \"\\xff\"\n",
		"x: &a [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n",
		"%YAML 1.2\n---\ndomain: a\n...\n---\nout: b\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse error %v (%T) is not an *Error", err, err)
			}
			return
		}
		out, err := Marshal(a)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", a, err)
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Marshal(a)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(normal(again), normal(a)) {
			t.Fatalf("round trip changed the answers:\n%+v\n%+v\n%s", a, again, out)
		}
	})
}

// normal treats an empty list as no list: Marshal leaves both out.
func normal(a Answers) Answers {
	for _, l := range []*[]string{&a.Scopes, &a.Targets, &a.Admins} {
		if len(*l) == 0 {
			*l = nil
		}
	}
	return a
}
