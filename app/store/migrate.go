package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrations holds the schema, one file per version: NNNN_name.sql, applied in
// order, each in its own transaction together with its version row.
//
//go:embed migrations/*.sql
var migrations embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql", base)
		}
		body, err := migrations.ReadFile(n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// SchemaVersion returns the highest migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v)
	return int(v.Int64), err
}

// migrate applies the migrations the database lacks and returns how many.
func (s *Store) migrate(ctx context.Context) (int, error) {
	ms, err := loadMigrations()
	if err != nil {
		return 0, err
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("database %s: %w", s.path, err)
	}
	cur, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("database %s: %w", s.path, err)
	}
	if n := len(ms); n > 0 && cur > ms[n-1].version {
		return 0, fmt.Errorf("database %s has schema version %d, newer than this Ringside knows (%d): update Ringside (%w)",
			s.path, cur, ms[n-1].version, ErrNewerSchema)
	}
	applied := 0
	for _, m := range ms {
		if m.version <= cur {
			continue
		}
		done := false
		err := s.Tx(ctx, func(tx *sql.Tx) error {
			// Another process may have applied it since cur was read.
			var v sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil {
				return err
			}
			if done = int(v.Int64) >= m.version; done {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_version(version, name, applied_at)
				VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))`, m.version, m.name)
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("database %s: migration %s: %w", s.path, m.name, err)
		}
		if !done {
			applied++
		}
	}
	return applied, nil
}
