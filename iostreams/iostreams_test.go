package iostreams

import "testing"

func TestCanPrompt(t *testing.T) {
	tests := []struct {
		name             string
		stdinTTY, errTTY bool
		want             bool
	}{
		{"both terminals", true, true, true},
		{"stdin piped", false, true, false},
		{"stderr redirected", true, false, false},
		{"neither", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.stdinTTY, ios.stderrTTY = tt.stdinTTY, tt.errTTY
			if got := ios.CanPrompt(); got != tt.want {
				t.Fatalf("CanPrompt() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestColorEnabled(t *testing.T) {
	tests := []struct {
		name             string
		stdinTTY, errTTY bool
		env              map[string]string
		want             bool
	}{
		{"terminal", true, true, nil, true},
		{"terminal, stdin piped", false, true, map[string]string{"TERM": "xterm-256color"}, true},
		{"NO_COLOR set", true, true, map[string]string{"NO_COLOR": "1"}, false},
		{"NO_COLOR set to anything", true, true, map[string]string{"NO_COLOR": "false"}, false},
		{"TERM=dumb", true, true, map[string]string{"TERM": "dumb"}, false},
		{"stderr not a terminal", true, false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.stdinTTY, ios.stderrTTY = tt.stdinTTY, tt.errTTY
			ios.SetEnv(func(k string) string { return tt.env[k] })
			if got := ios.ColorEnabled(); got != tt.want {
				t.Fatalf("ColorEnabled() = %v, want %v", got, tt.want)
			}
		})
	}
}

// Test streams are not terminals until SetTTY says so, for both streams.
func TestTestStreams(t *testing.T) {
	ios, _, _, _ := Test()
	if ios.CanPrompt() || ios.ColorEnabled() || ios.IsStdinTTY() || ios.IsStderrTTY() {
		t.Fatal("test streams claim a terminal")
	}
	ios.SetTTY(true)
	if !ios.IsStdinTTY() || !ios.IsStderrTTY() || !ios.CanPrompt() || !ios.ColorEnabled() {
		t.Fatal("SetTTY(true) did not mark stdin and stderr as terminals")
	}
	if got := (&IOStreams{}).Getenv("HOME"); got != "" {
		t.Fatalf("Getenv without an environment = %q", got)
	}
}
