// Package secrets keeps Ringside's credentials (account, SIP, mailbox and SMTP
// passwords) in the OS keyring through zalando/go-keyring, under the service
// name "ringside": the Secret Service on Linux, the Keychain on macOS, the
// Credential Manager on Windows. Nothing is ever stored anywhere else.
package secrets

import (
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name of every Ringside secret.
const Service = "ringside"

// ErrNotFound means the keyring holds no secret under that key.
var ErrNotFound = errors.New("no such secret in the OS keyring")

// ErrUnavailable means no OS keyring could be reached; the wrapping error says
// what is missing and how to get it.
var ErrUnavailable = errors.New("OS keyring unavailable")

// Keyring stores secrets by key.
type Keyring interface {
	Get(key string) (string, error)
	Set(key, secret string) error
	Delete(key string) error
}

type osKeyring struct{}

// OS returns the operating system's keyring.
func OS() Keyring { return osKeyring{} }

func (osKeyring) Get(key string) (string, error) {
	s, err := keyring.Get(Service, key)
	return s, wrap(err, key)
}

func (osKeyring) Set(key, secret string) error { return wrap(keyring.Set(Service, key, secret), key) }

func (osKeyring) Delete(key string) error { return wrap(keyring.Delete(Service, key), key) }

func wrap(err error, key string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return fmt.Errorf("%w: %v; %s", ErrUnavailable, err, unavailableHint)
}
