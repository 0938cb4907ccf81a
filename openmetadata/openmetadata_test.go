package openmetadata

import (
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
		band              Band
		settingsInDB      bool
	}{
		{"1.6.4", "1.6.4", "", BandOIDC, false},
		{" v2.0 ", "2.0.0", "", BandOIDC, true},
		{"1.12.6-release", "1.12.6", "", BandOIDC, true},
		{"1.10", "1.10.0", "", BandOIDC, true},
		{"1.4.9", "1.4.9", "", BandJWT, false},
		{"1.1.0", "1.1.0", "", BandJWT, false},
		{"1.0.2", "1.0.2", "", BandLegacy, false},
		{"0.13.0", "0.13.0", "", BandLegacy, false},
		{"0.12.9", "", "not supported", 0, false},
		{"", "", "give it like 1.6.4", 0, false},
		{"1.2.3.4", "", "give it like 1.6.4", 0, false},
		{"1.x", "", "give it like 1.6.4", 0, false},
		{"1.-1", "", "give it like 1.6.4", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := ParseVersion(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseVersion(%q) = %v, %v; want an error with %q", tt.in, v, err, tt.wantErr)
				}
				return
			}
			if err != nil || v.String() != tt.want || v.Band() != tt.band || v.SettingsInDatabase() != tt.settingsInDB {
				t.Fatalf("ParseVersion(%q) = %v (band %v, settings in DB %v), %v; want %s (%v, %v)",
					tt.in, v, v.Band(), v.SettingsInDatabase(), err, tt.want, tt.band, tt.settingsInDB)
			}
		})
	}
	if !Newest.AtLeast(2, 0) || Newest.Less(Version{1, 99, 0}) || !(Version{1, 9, 9}).Less(Version{1, 10, 0}) {
		t.Errorf("ordering is wrong around %v", Newest)
	}
	if got := BandJWT.String(); got != "jwt-1.1" {
		t.Errorf("BandJWT = %q", got)
	}
}

func TestParseClientType(t *testing.T) {
	tests := []struct {
		in      string
		want    ClientType
		wantErr bool
	}{
		{"public", Public, false},
		{" Confidential ", Confidential, false},
		{"spa", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		got, err := ParseClientType(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseClientType(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestFileMode(t *testing.T) {
	if m := (File{Secret: true}).Mode(); m != 0o600 {
		t.Errorf("secret file mode %o", m)
	}
	if m := (File{}).Mode(); m != 0o644 {
		t.Errorf("file mode %o", m)
	}
}
