package secrets

import (
	"testing"

	"github.com/ringside/ringside/internal/testenv"
)

// BenchmarkOSKeyringGet measures one Get from the Secret Service through
// go-keyring, once the bus has been checked.
func BenchmarkOSKeyringGet(b *testing.B) {
	testenv.Env(b, "RINGSIDE_TEST_KEYRING", "gnome-keyring (Secret Service)")
	k := OS()
	key := "test:bench@ringside.test"
	if err := k.Set(key, "benchmark secret"); err != nil {
		b.Fatal(err)
	}
	defer k.Delete(key)
	for b.Loop() {
		if _, err := k.Get(key); err != nil {
			b.Fatal(err)
		}
	}
}
