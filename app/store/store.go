// Package store keeps Ringside's data in one SQLite database (modernc.org/sqlite,
// WAL mode, synchronous=FULL): preferences, the account, the status timeline,
// call history and the audio library, with schema migrations tracked in a
// version table. Every change runs in one transaction.
//
// Open checks the database (header, PRAGMA quick_check, version table) every
// time, keeps a backup of the last good database beside it and, when the
// database is damaged, restores that backup and says so (Notice), or refuses
// with a *DamagedError that changes nothing on disk.
//
// The data directory (0700) holds, all owner-only (0600):
//
//	ringside.db, -wal, -shm           the database
//	ringside.db.bak                   the last good database: copied, checked, by the last Store
//	                                  to close it after a change, or (after a crash) by the next
//	                                  Open with VACUUM INTO; it carries the database's time
//	ringside.db.damaged-<UTC time>    a damaged database set aside when its backup was restored
//	ringside.lock                     shared by open Stores; exclusive while checking alone or restoring
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// FileName is the database's file name inside the data directory.
const FileName = "ringside.db"

// Store is an open Ringside database.
type Store struct {
	db     *sql.DB
	path   string
	log    *slog.Logger
	notice string
	lock   *dirLock
}

// Option changes how Open works.
type Option func(*options)

type options struct {
	log *slog.Logger
	now func() time.Time
}

// WithLogger sets the logger for backups and restores (default: discard).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// withClock sets the clock used to name damaged files (tests).
func withClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// Open opens (creating it if needed) the database in dir and brings its schema
// up to date. The directory is created owner-only (0700) and the database
// files are owner-only (0600).
//
// A damaged database is restored from the last good backup, which Notice then
// describes; without a usable backup Open returns a *DamagedError (matching
// ErrDamaged) and changes nothing on disk. A database written by a newer
// Ringside is refused with ErrNewerSchema.
func Open(ctx context.Context, dir string, opts ...Option) (*Store, error) {
	o := options{log: slog.New(slog.DiscardHandler), now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	// Alone with the database (no other Store open), this Open may restore
	// it, and checks it without leaving -wal or -shm files behind.
	lock, alone, err := lockDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	s := &Store{path: path, log: o.log, lock: lock}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	stale := backupStale(path)
	if err := s.checkOrRestore(ctx, o, alone); err != nil {
		return nil, err
	}
	if err := createOwnerOnly(path); err != nil {
		return nil, err
	}
	if s.db, err = openDB(path); err != nil {
		return nil, err
	}
	applied, err := s.migrate(ctx)
	if err != nil {
		return nil, err
	}
	if stale || applied > 0 || s.notice != "" {
		if err := s.refreshBackup(ctx); err != nil {
			// The database itself is fine; the next Open tries again.
			s.log.Warn("store: backup not refreshed", "path", path+backupSuffix, "err", err)
		}
	}
	if alone {
		if err := lock.shared(); err != nil {
			return nil, fmt.Errorf("lock file %s: %w", filepath.Join(dir, LockFileName), err)
		}
	}
	ok = true
	return s, nil
}

// createOwnerOnly creates the database file empty and owner-only, or makes an
// existing one owner-only. SQLite gives the -wal and -shm files the database
// file's permissions.
func createOwnerOnly(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("database %s: %w", path, err)
	}
	if fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" {
		if err := f.Chmod(0o600); err != nil {
			return fmt.Errorf("database %s: %w", path, err)
		}
	}
	return nil
}

// fileURI turns a path into an SQLite URI, escaping what a URI would read as
// a query or fragment.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" {
		p = "/" + p
	}
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

func openDB(path string) (*sql.DB, error) {
	dsn := fileURI(path) + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// Notice describes what Open had to do to the database that the user must be
// told about (a damaged database restored from its backup), or is empty.
func (s *Store) Notice() string { return s.notice }

// DB returns the underlying database for packages that keep their own tables
// (their schema lives in this package's migrations).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database. The last Store to close a changed database
// copies it as the backup, so the backup holds the settings as they were
// left, and the next Open has no backup to refresh.
func (s *Store) Close() error {
	if s.db == nil {
		if s.lock != nil {
			s.lock.release()
			s.lock = nil
		}
		return nil
	}
	// Alone with a changed database and it checks out: after closing, SQLite
	// has checkpointed everything into the file, which can be copied as it
	// is. An unchanged database costs no check.
	good := false
	if s.lock != nil && backupStale(s.path) {
		if alone, err := s.lock.try(true); err == nil && alone {
			good = quickCheck(context.Background(), s.db) == nil
		}
	}
	err := s.db.Close()
	if s.lock != nil {
		if err == nil && good {
			if berr := s.backupClosed(); berr != nil {
				// The database is fine; the next Open refreshes the backup.
				s.log.Warn("store: backup not refreshed", "path", s.path+backupSuffix, "err", berr)
			}
		}
		s.lock.release()
		s.lock = nil
	}
	return err
}

// Tx runs fn in one transaction, committing when it returns nil and rolling
// back otherwise.
func (s *Store) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
