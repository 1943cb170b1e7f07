package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

const (
	backupSuffix  = ".bak"
	damagedInfix  = ".damaged-"
	backupTmp     = FileName + ".bak.tmp-*"
	restoreTmp    = FileName + ".restore.tmp-*"
	staleTempTime = 10 * time.Minute
)

// backupStale reports whether the database changed since its backup was
// written (or has none): the backup is refreshed only then, so opening an
// unchanged database costs no copy. A backup carries the modification time
// the database had when it was copied (stampBackup); any later write to the
// database, or a write-ahead log written after it, changes that.
func backupStale(path string) bool {
	bak, err := os.Stat(path + backupSuffix)
	if err != nil {
		return true
	}
	db, err := os.Stat(path)
	if err != nil || !db.ModTime().Equal(bak.ModTime()) {
		return true
	}
	wal, err := os.Stat(path + "-wal")
	return err == nil && wal.Size() > 0 && wal.ModTime().After(bak.ModTime())
}

// stampBackup gives the backup the database's modification time from before
// it was copied (see backupStale).
func stampBackup(bak string, db time.Time) error {
	return os.Chtimes(bak, db, db)
}

// refreshBackup writes a copy of the (checked) database with VACUUM INTO to a
// temporary file, syncs it and renames it over the backup.
func (s *Store) refreshBackup(ctx context.Context) error {
	dir := filepath.Dir(s.path)
	removeStaleTemps(dir)
	tmp, err := os.CreateTemp(dir, backupTmp) // empty and 0600: VACUUM INTO accepts an empty file
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	done := false
	defer func() {
		if !done {
			os.Remove(name)
		}
	}()
	// Checkpoint first, so closing the database later writes nothing to it
	// and leaves its time older than the backup's.
	if _, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return err
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	dbTime := fi.ModTime()
	if err := s.vacuumInto(ctx, name); err != nil {
		return err
	}
	if err := syncFile(name); err != nil {
		return err
	}
	// No directory sync: if a crash loses the rename, the previous backup,
	// which is good too, is still there.
	if err := os.Rename(name, s.path+backupSuffix); err != nil {
		return err
	}
	done = true
	if err := stampBackup(s.path+backupSuffix, dbTime); err != nil {
		return err
	}
	s.log.Debug("store: backup refreshed", "path", s.path+backupSuffix)
	return nil
}

// backupClosed copies the closed database over its backup when it changed
// since. Close calls it only alone with a database that passed its check, so
// SQLite has checkpointed its write-ahead log into the file on closing and
// the file alone is the database as committed. The copy costs a fraction of
// VACUUM INTO.
func (s *Store) backupClosed() error {
	if !backupStale(s.path) {
		return nil
	}
	if fi, err := os.Stat(s.path + "-wal"); err == nil && fi.Size() > 0 {
		return nil // not checkpointed: leave it to the next Open
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	tmp, err := copyToTemp(s.path, filepath.Dir(s.path), backupTmp)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, s.path+backupSuffix); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := stampBackup(s.path+backupSuffix, fi.ModTime()); err != nil {
		return err
	}
	s.log.Debug("store: backup refreshed on close", "path", s.path+backupSuffix)
	return nil
}

// vacuumInto writes a copy of the database to the empty file name. SQLite
// would fsync the copy several times under synchronous=FULL; one fsync by
// the caller is enough, so the copy is made with synchronous=OFF on a
// connection of its own, which goes back to FULL (or is discarded) after.
func (s *Store) vacuumInto(ctx context.Context, name string) error {
	c, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `PRAGMA synchronous=OFF`); err != nil {
		return err
	}
	defer func() {
		if _, err := c.ExecContext(context.Background(), `PRAGMA synchronous=FULL`); err != nil {
			c.Raw(func(any) error { return driver.ErrBadConn }) // never reused
		}
	}()
	_, err = c.ExecContext(ctx, `VACUUM INTO ?`, name)
	return err
}

// checkOrRestore checks the database and, when it is damaged, restores the
// backup or returns a *DamagedError.
// Only a Store alone with the database (holding the exclusive lock) restores.
func (s *Store) checkOrRestore(ctx context.Context, o options, alone bool) error {
	fi, err := os.Stat(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a new database
	}
	if err != nil {
		return fmt.Errorf("database %s: %w", s.path, err)
	}
	bak := s.path + backupSuffix
	var cause error
	if fi.Size() == 0 {
		if _, err := os.Stat(bak); err != nil {
			return nil // created but never written: a new database
		}
		cause = &damage{reason: "the file is empty"}
	} else {
		cause = checkFile(ctx, s.path, alone)
	}
	var dmg *damage
	if cause == nil {
		return nil
	}
	if !errors.As(cause, &dmg) {
		return fmt.Errorf("database %s: %w", s.path, cause)
	}

	derr := &DamagedError{Path: s.path, Cause: cause, Backup: bak}
	bfi, err := os.Stat(bak)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return derr
	case err != nil:
		derr.BackupCause = err
		return derr
	case bfi.Size() == 0:
		derr.BackupCause = errors.New("the file is empty")
		return derr
	}
	if err := checkFile(ctx, bak, true); err != nil {
		derr.BackupCause = err
		return derr
	}

	if !alone {
		return fmt.Errorf("the settings database %s is damaged (%v) and another Ringside process has it open (%w); "+
			"quit Ringside everywhere and start it again to restore the backup from %s",
			s.path, cause, ErrBusy, bfi.ModTime().UTC().Format("2006-01-02 15:04 UTC"))
	}
	aside, err := restore(s.path, bak, o.now().UTC())
	if err != nil {
		return fmt.Errorf("%w; restoring the backup %s failed: %w", derr, bak, err)
	}
	s.notice = fmt.Sprintf("the settings database %s was damaged (%v); restored the backup from %s; the damaged file is kept at %s",
		s.path, cause, bfi.ModTime().UTC().Format("2006-01-02 15:04 UTC"), aside)
	s.log.Warn("store: damaged database restored from backup", "path", s.path, "cause", cause.Error(), "damaged", aside)
	return nil
}

// restore keeps the damaged database as path.damaged-<time> (with its -wal
// and -shm) and puts a copy of the backup in its place. The database path
// always holds a file: the damaged one until the restored one replaces it.
func restore(path, bak string, now time.Time) (string, error) {
	dir := filepath.Dir(path)
	aside := path + damagedInfix + now.Format("20060102T150405Z")
	for i := 2; exists(aside); i++ {
		aside = fmt.Sprintf("%s%s%s-%d", path, damagedInfix, now.Format("20060102T150405Z"), i)
	}
	tmp, err := copyToTemp(bak, dir, restoreTmp)
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp) // fails harmlessly once renamed
	if err := copyFile(path, aside); err != nil {
		return "", err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", err
	}
	syncDir(dir)
	return aside, nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// copyToTemp copies src to a new owner-only temporary file in dir, synced.
func copyToTemp(src, dir, pattern string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", err
	}
	return out.Name(), nil
}

// copyFile copies src to the new file dst (owner-only), synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a rename durable; it cannot be done on every platform, so
// failures are ignored.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// removeStaleTemps removes temporary copies left by a process killed while
// writing them.
func removeStaleTemps(dir string) {
	for _, pattern := range []string{backupTmp, restoreTmp} {
		names, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, n := range names {
			if fi, err := os.Stat(n); err == nil && time.Since(fi.ModTime()) > staleTempTime {
				os.Remove(n)
			}
		}
	}
}
