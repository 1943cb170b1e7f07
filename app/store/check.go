package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// damage describes what is wrong with a database file.
type damage struct{ reason string }

func (d *damage) Error() string { return d.reason }

// checkFile opens path read-only (so nothing is checkpointed or rewritten)
// and runs PRAGMA quick_check. It returns a *damage when the file is not a
// database or is malformed, and another error when it could not be checked
// at all (permissions, I/O).
//
// When alone (no other process has the database open), it leaves no -wal or
// -shm file behind: without a WAL to read, it opens the file as immutable,
// which creates none.
func checkFile(ctx context.Context, path string, alone bool) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	params := "?mode=ro&_pragma=busy_timeout(5000)"
	if alone {
		if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() == 0 {
			params += "&immutable=1"
		} else if !exists(path + "-shm") {
			defer os.Remove(path + "-shm")
		}
	}
	db, err := sql.Open("sqlite", fileURI(path)+params)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	return quickCheck(ctx, db)
}

// quickCheck runs SQLite's quick_check and the version-table check on db.
func quickCheck(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return classify(err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(&msg); err != nil {
			return classify(err)
		}
		if msg != "ok" {
			problems = append(problems, msg)
		}
	}
	if err := rows.Err(); err != nil {
		return classify(err)
	}
	if len(problems) > 0 {
		return &damage{reason: "integrity check failed: " + strings.Join(problems, "; ")}
	}
	return checkVersions(ctx, db)
}

// checkVersions checks what quick_check cannot: that a database with tables
// records the migrations that made them, with no gap, so that migrate never
// runs a migration twice on a damaged version table.
func checkVersions(ctx context.Context, db *sql.DB) error {
	var hasVersions, tables int
	err := db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'),
		(SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'sqlite_sequence'))`).
		Scan(&hasVersions, &tables)
	if err != nil {
		return schemaErr(err)
	}
	if tables == 0 {
		return nil // nothing migrated yet
	}
	if hasVersions == 0 {
		return &damage{reason: "the schema_version table is missing although the database has tables"}
	}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_version`)
	if err != nil {
		return schemaErr(err)
	}
	defer rows.Close()
	have := map[int]bool{}
	last := 0
	for rows.Next() {
		var v sql.NullInt64
		if err := rows.Scan(&v); err != nil {
			return schemaErr(err)
		}
		if !v.Valid || v.Int64 <= 0 {
			return &damage{reason: "the schema_version table holds an invalid version"}
		}
		have[int(v.Int64)] = true
		last = max(last, int(v.Int64))
	}
	if err := rows.Err(); err != nil {
		return schemaErr(err)
	}
	if last == 0 {
		return &damage{reason: "the schema_version table is empty although the database has tables"}
	}
	ms, err := loadMigrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= last && !have[m.version] {
			return &damage{reason: fmt.Sprintf("the schema_version table lacks migration %s although it records later ones", m.name)}
		}
	}
	return nil
}

// classify turns SQLite's "not a database", "malformed" and plain SQL errors
// into a *damage and leaves the others (cannot open, I/O, permissions, busy,
// out of memory) as they are: they say nothing about the file's content.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return &damage{reason: "file is not a database"}
		case sqlite3.SQLITE_CORRUPT:
			return &damage{reason: "database disk image is malformed"}
		case sqlite3.SQLITE_ERROR:
			// Reading our own schema fails: it is not what was written
			// (unsupported file format, no such table or column...).
			return &damage{reason: sqliteMessage(se)}
		}
	}
	return fmt.Errorf("cannot check it: %w", err)
}

// schemaErr classifies an error reading the version table: besides what
// classify finds, values of the wrong type mean the table is damaged.
func schemaErr(err error) error {
	if strings.Contains(err.Error(), "converting") {
		return &damage{reason: "the schema_version table is unreadable: " + err.Error()}
	}
	return classify(err)
}

// sqliteMessage is SQLite's message without the driver's decoration
// ("SQL logic error: no such table: x (1)" becomes "no such table: x").
func sqliteMessage(se *sqlite.Error) string {
	msg := se.Error()
	if _, after, ok := strings.Cut(msg, ": "); ok {
		msg = after
	}
	if i := strings.LastIndex(msg, " ("); i > 0 {
		msg = msg[:i]
	}
	return msg
}
