package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// LockFileName is the lock file in the data directory. Every open Store holds
// a shared lock on it; restoring a damaged database takes it exclusively, so
// a backup is never put in place under a running Ringside.
const LockFileName = "ringside.lock"

// dirLock is an advisory lock on the data directory's lock file.
type dirLock struct {
	f *os.File
}

// lockDir takes the shared lock, waiting while another process restores.
func lockDir(ctx context.Context, dir string) (*dirLock, error) {
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file %s: %w", path, err)
	}
	l := &dirLock{f: f}
	for {
		ok, err := l.try(false)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock file %s: %w", path, err)
		}
		if ok {
			return l, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock file %s: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// exclusive trades the shared lock for an exclusive one without waiting, and
// reports false (keeping the shared lock) when another Store holds it.
func (l *dirLock) exclusive() (bool, error) {
	l.unlock()
	ok, err := l.try(true)
	if err != nil || !ok {
		if _, err2 := l.try(false); err2 != nil && err == nil {
			err = err2
		}
		return false, err
	}
	return true, nil
}

// shared trades the exclusive lock back for a shared one.
func (l *dirLock) shared() error {
	l.unlock()
	for {
		ok, err := l.try(false)
		if err != nil || ok {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *dirLock) release() {
	l.unlock()
	l.f.Close()
}
