package secretstest

import (
	"errors"
	"slices"
	"testing"

	"github.com/ringside/ringside/app/secrets"
)

func TestKeyring(t *testing.T) {
	k := New()
	key := secrets.SIPKey("alice", "example.com")
	if _, err := k.Get(key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get of a missing key: %v, want ErrNotFound", err)
	}
	if err := k.Delete(key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Delete of a missing key: %v, want ErrNotFound", err)
	}
	if err := k.Set("", "x"); !errors.Is(err, secrets.ErrEmptyKey) {
		t.Fatalf("Set with an empty key: %v, want ErrEmptyKey", err)
	}
	for _, v := range []string{"one", "two"} {
		if err := k.Set(key, v); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Get(key); err != nil || got != v {
			t.Fatalf("Get = %q, %v; want %q", got, err, v)
		}
	}
	if got := k.Keys(); !slices.Equal(got, []string{key}) {
		t.Fatalf("Keys = %v", got)
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(key); !errors.Is(err, secrets.ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
}

func TestUnavailable(t *testing.T) {
	k := Unavailable()
	if err := k.Set("k", "v"); !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("Set: %v, want ErrUnavailable", err)
	}
	if _, err := k.Get("k"); !errors.Is(err, secrets.ErrUnavailable) {
		t.Fatalf("Get: %v, want ErrUnavailable", err)
	}
	k.FailWith(nil)
	if err := k.Set("k", "v"); err != nil {
		t.Fatalf("Set after FailWith(nil): %v", err)
	}
}
