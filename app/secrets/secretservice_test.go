//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package secrets

import (
	"testing"

	"github.com/ringside/ringside/internal/testenv"
)

// BenchmarkCheckSecretService measures the check that a session bus and a
// Secret Service exist, done once per process before the first keyring call.
func BenchmarkCheckSecretService(b *testing.B) {
	testenv.Env(b, "RINGSIDE_TEST_KEYRING", "gnome-keyring (Secret Service)")
	for b.Loop() {
		if err := check(); err != nil {
			b.Fatal(err)
		}
	}
}
