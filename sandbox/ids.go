package sandbox

import "crypto/rand"

const (
	alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	// Auth0 client secrets use the base64url alphabet
	// [REC TestClient_Update: "SaJfARfwHzBroao9DDDzUOxzJQ1alNK0eTg4AVWNgQSSVpu3Hucf-QrjxwjcVB0Y"].
	secretAlphabet = alphanumeric + "-_"
	hexDigits      = "0123456789abcdef"
)

// randomString returns n characters drawn uniformly from alphabet
// (rejection sampling over crypto/rand bytes, which never fails since Go 1.24).
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, 2*n)
	for len(out) < n {
		_, _ = rand.Read(buf)
		for _, c := range buf {
			if int(c) < limit && len(out) < n {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// newClientID is 32 alphanumerics [REC TestClient_Create: "yCaTa3Jtg6Rni9tHKgSWQPGM2Fdhmo6W"].
func newClientID() string { return randomString(32, alphanumeric) }

// newClientSecret is 64 base64url characters [REC TestClient_Update].
func newClientSecret() string { return randomString(64, secretAlphabet) }

// newGrantID is "cgr_" and 16 alphanumerics [REC TestClientGrantManager_Create: "cgr_VoablmktAIYPIFnb"].
func newGrantID() string { return "cgr_" + randomString(16, alphanumeric) }

// newResourceServerID is 24 hex digits [REC TestResourceServer_Read: "6894aa57b783a191fa65e6e1"].
func newResourceServerID() string { return randomString(24, hexDigits) }
