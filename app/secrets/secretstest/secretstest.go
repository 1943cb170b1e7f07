// Package secretstest provides an in-memory secrets.Keyring for tests of code
// that keeps credentials, with the same errors as the OS keyring: ErrNotFound
// for a missing key, ErrEmptyKey for an empty one, and any error a test
// injects (Unavailable makes one that fails as a machine without a keyring).
package secretstest

import (
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/ringside/ringside/app/secrets"
)

// Keyring is an in-memory secrets.Keyring, safe for concurrent use.
type Keyring struct {
	mu  sync.Mutex
	m   map[string]string
	err error
}

var _ secrets.Keyring = (*Keyring)(nil)

// New returns an empty keyring.
func New() *Keyring { return &Keyring{m: map[string]string{}} }

// Unavailable returns a keyring whose every call fails with an error
// matching secrets.ErrUnavailable, like a machine without a keyring.
func Unavailable() *Keyring {
	k := New()
	k.FailWith(fmt.Errorf("%w: no keyring in this test", secrets.ErrUnavailable))
	return k
}

// FailWith makes every later call fail with err; nil makes them work again.
func (k *Keyring) FailWith(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.err = err
}

// Get returns the secret stored under key.
func (k *Keyring) Get(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.check(key); err != nil {
		return "", err
	}
	s, ok := k.m[key]
	if !ok {
		return "", fmt.Errorf("%w (key %s)", secrets.ErrNotFound, key)
	}
	return s, nil
}

// Set stores secret under key.
func (k *Keyring) Set(key, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.check(key); err != nil {
		return err
	}
	k.m[key] = secret
	return nil
}

// Delete removes the secret stored under key.
func (k *Keyring) Delete(key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.check(key); err != nil {
		return err
	}
	if _, ok := k.m[key]; !ok {
		return fmt.Errorf("%w (key %s)", secrets.ErrNotFound, key)
	}
	delete(k.m, key)
	return nil
}

// Keys returns the keys that hold a secret, sorted.
func (k *Keyring) Keys() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Sorted(maps.Keys(k.m))
}

func (k *Keyring) check(key string) error {
	if k.err != nil {
		return k.err
	}
	if key == "" {
		return secrets.ErrEmptyKey
	}
	return nil
}
