package store

import (
	"context"
	"database/sql"
)

// LoadPrefs returns every stored preference (key to canonical value).
func (s *Store) LoadPrefs(ctx context.Context) (map[string]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM prefs`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		m[k] = v
	}
	return m, rows.Err()
}

// SavePrefs writes all changes in one transaction: either every key is
// stored or none is.
func (s *Store) SavePrefs(ctx context.Context, changes map[string]string) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		for k, v := range changes {
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO prefs(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
				k, v); err != nil {
				return err
			}
		}
		return nil
	})
}
