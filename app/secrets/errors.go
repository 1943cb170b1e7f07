package secrets

import "errors"

// ErrNotFound means the keyring holds no secret under that key.
var ErrNotFound = errors.New("no such secret in the OS keyring")

// ErrUnavailable means no OS keyring could be used (none running, none
// reachable, or locked); the wrapping error says what is missing and how to
// get it. Nothing was stored anywhere else.
var ErrUnavailable = errors.New("OS keyring unavailable")

// ErrTooLarge means the secret is larger than the OS keyring accepts.
var ErrTooLarge = errors.New("secret too large for the OS keyring")

// ErrEmptyKey means a secret was asked for or given without a key.
var ErrEmptyKey = errors.New("secret key is empty")
