package app

import (
	"errors"

	"github.com/ringside/ringside/app/secrets"
)

func osKeyring() Keyring { return secrets.OS() }

func isNotFound(err error) bool { return errors.Is(err, secrets.ErrNotFound) }
