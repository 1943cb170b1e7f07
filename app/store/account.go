package store

import (
	"context"
	"database/sql"
	"errors"
)

// Account is the stored SIP account. Passwords are never part of it: they
// live in the OS keyring (package secrets). The store does not validate the
// fields; the app layer does.
type Account struct {
	Server       string // registrar or WebSocket URI
	User         string // SIP user name
	AuthUser     string // authentication user, when it differs from User
	Domain       string // SIP domain
	DisplayName  string // name shown to the people called
	VoicemailURI string // URI that no-answer calls go to for voicemail
}

// Account returns the stored account, and false when none was ever set.
func (s *Store) Account(ctx context.Context) (Account, bool, error) {
	var a Account
	err := s.db.QueryRowContext(ctx, `SELECT server, user, auth_user, domain, display_name, voicemail_uri
		FROM account WHERE id = 1`).Scan(&a.Server, &a.User, &a.AuthUser, &a.Domain, &a.DisplayName, &a.VoicemailURI)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, false, nil
	}
	if err != nil {
		return Account{}, false, err
	}
	return a, true, nil
}

// SetAccount stores a as the account, replacing the previous one, in one
// transaction.
func (s *Store) SetAccount(ctx context.Context, a Account) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO account(id, server, user, auth_user, domain, display_name, voicemail_uri)
			VALUES (1, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET server = excluded.server, user = excluded.user,
				auth_user = excluded.auth_user, domain = excluded.domain,
				display_name = excluded.display_name, voicemail_uri = excluded.voicemail_uri`,
			a.Server, a.User, a.AuthUser, a.Domain, a.DisplayName, a.VoicemailURI)
		return err
	})
}
