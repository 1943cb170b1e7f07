package store

import (
	"errors"
	"fmt"
	"strings"
)

// ErrDamaged means the database file is damaged (not a database, malformed,
// failing its integrity check) and could not be restored from a backup. Open
// returns it wrapped in a *DamagedError, having changed nothing on disk.
var ErrDamaged = errors.New("settings database is damaged")

// ErrNewerSchema means the database was written by a newer Ringside, whose
// schema version this one does not know; Open refuses it rather than guess.
var ErrNewerSchema = errors.New("database schema is newer than this Ringside knows")

// ErrBusy means the damaged database could not be restored because another
// Ringside process has it open.
var ErrBusy = errors.New("database is in use by another Ringside process")

// DamagedError reports a damaged database that Open could not restore. Its
// message names the file, the damage, the state of the backup and what the
// user can do.
type DamagedError struct {
	Path  string // the damaged database file
	Cause error  // what is wrong with it

	// Backup is the backup file's path, and BackupCause why it could not be
	// used: nil when no backup exists.
	Backup      string
	BackupCause error
}

// Error says what is damaged, why, and what the user can do about it.
func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the settings database %s is damaged (%v)", e.Path, e.Cause)
	if e.BackupCause == nil {
		fmt.Fprintf(&b, " and no backup exists (%s is missing)", e.Backup)
	} else {
		fmt.Fprintf(&b, " and its backup %s cannot be used (%v)", e.Backup, e.BackupCause)
	}
	fmt.Fprintf(&b, "; nothing was changed. To start with default settings, move the damaged file aside"+
		" (with its -wal and -shm files, if any), e.g. mv %s %s.old, then start Ringside again;"+
		" to keep your settings, put back a copy of %s from your own backups", e.Path, e.Path, e.Path)
	return b.String()
}

// Unwrap returns ErrDamaged and the cause, so errors.Is matches both.
func (e *DamagedError) Unwrap() []error { return []error{ErrDamaged, e.Cause} }
