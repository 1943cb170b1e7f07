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
	return nil
}

// classify turns SQLite's "not a database" and "malformed" errors into a
// *damage and leaves the others as they are.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return &damage{reason: "file is not a database"}
		case sqlite3.SQLITE_CORRUPT:
			return &damage{reason: "database disk image is malformed"}
		}
	}
	return fmt.Errorf("cannot check it: %w", err)
}
