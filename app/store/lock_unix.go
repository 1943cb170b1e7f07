//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package store

import (
	"errors"
	"syscall"
)

// try takes the lock without waiting; false when another process holds a
// conflicting one.
func (l *dirLock) try(exclusive bool) (bool, error) {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	for {
		err := syscall.Flock(int(l.f.Fd()), how|syscall.LOCK_NB)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.ENOSYS):
			// A file system without locks (some network ones): go on
			// without, as on platforms that have none.
			return true, nil
		default:
			return false, err
		}
	}
}

func (l *dirLock) unlock() { syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN) }
