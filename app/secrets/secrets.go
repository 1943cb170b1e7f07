// Package secrets keeps Ringside's credentials (account, SIP, mailbox and SMTP
// passwords) in the OS keyring through zalando/go-keyring, under the service
// name "ringside": the Secret Service on the session D-Bus on Linux (for
// example gnome-keyring or KeePassXC), the Keychain on macOS, the Credential
// Manager on Windows. Nothing is ever stored anywhere else: when no keyring
// is reachable, every call fails with ErrUnavailable and a message saying
// what is missing and how to get it. Secrets never appear in errors or logs.
//
// Consumers depend on the small Keyring interface; OS returns the real one,
// and package secretstest provides an in-memory one for tests.
package secrets

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"
)

// Service is the keyring service name of every Ringside secret.
const Service = "ringside"

// Keyring stores secrets by key (see SIPKey, MailboxKey, AccountKey and
// SMTPKey). Get and Delete return an error matching ErrNotFound when the key
// holds no secret; every method returns one matching ErrUnavailable when no
// keyring can be reached.
type Keyring interface {
	Get(key string) (string, error)
	Set(key, secret string) error
	Delete(key string) error
}

type osKeyring struct{}

// OS returns the operating system's keyring.
func OS() Keyring { return osKeyring{} }

// Get returns the secret stored under key.
func (osKeyring) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if err := available(); err != nil {
		return "", err
	}
	s, err := keyring.Get(Service, key)
	if err != nil {
		return "", wrap(err, key, "")
	}
	return s, nil
}

// Set stores secret under key, replacing any previous one.
func (osKeyring) Set(key, secret string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := available(); err != nil {
		return err
	}
	return wrap(keyring.Set(Service, key, secret), key, secret)
}

// Delete removes the secret stored under key.
func (osKeyring) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := available(); err != nil {
		return err
	}
	return wrap(keyring.Delete(Service, key), key, "")
}

func checkKey(key string) error {
	if key == "" {
		return ErrEmptyKey
	}
	return nil
}

// wrap turns a go-keyring error into one of this package's, naming the key
// (never the secret, which is scrubbed from anything the keyring said).
func wrap(err error, key, secret string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%w (key %s)", ErrNotFound, key)
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%w (key %s): %s", ErrTooLarge, key, tooLargeHint)
	}
	// The keyrings do not echo secrets; scrub anyway, when the secret is long
	// enough that finding it in the text is not chance.
	msg := err.Error()
	if len(secret) >= 4 {
		msg = strings.ReplaceAll(msg, secret, "[secret]")
	}
	return fmt.Errorf("%w: %s (key %s): %s", ErrUnavailable, msg, key, hint(msg))
}
