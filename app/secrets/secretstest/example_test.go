package secretstest_test

import (
	"errors"
	"fmt"

	"github.com/ringside/ringside/app/secrets"
	"github.com/ringside/ringside/app/secrets/secretstest"
)

// Code that keeps credentials takes a secrets.Keyring: secrets.OS() in the
// app, an in-memory one in its tests.
func Example() {
	var k secrets.Keyring = secretstest.New()
	key := secrets.SIPKey("alice", "example.com")
	if err := k.Set(key, "s3cret"); err != nil {
		fmt.Println(err)
	}
	pw, err := k.Get(key)
	fmt.Println(key, pw, err)
	_, err = k.Get(secrets.MailboxKey("alice", "example.com"))
	fmt.Println(errors.Is(err, secrets.ErrNotFound))
	err = secretstest.Unavailable().Set(key, "s3cret")
	fmt.Println(errors.Is(err, secrets.ErrUnavailable))
	// Output:
	// sip:alice@example.com s3cret <nil>
	// true
	// true
}
