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

// lockDir locks the data directory: exclusively when no other Store has it
// open (alone is then true), shared otherwise, waiting while another process
// holds it exclusively (checking or restoring).
func lockDir(ctx context.Context, dir string) (l *dirLock, alone bool, err error) {
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, fmt.Errorf("lock file %s: %w", path, err)
	}
	l = &dirLock{f: f}
	for {
		for _, exclusive := range []bool{true, false} {
			ok, err := l.try(exclusive)
			if err != nil {
				f.Close()
				return nil, false, fmt.Errorf("lock file %s: %w", path, err)
			}
			if ok {
				return l, exclusive, nil
			}
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, false, fmt.Errorf("lock file %s: %w", path, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
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
