//go:build windows

package instance

import (
	"os"
)

// lockFile on Windows relies on exclusive sharing: a second open fails while
// the first process holds the file.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if os.IsExist(err) {
			os.Remove(path)
			f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		}
		if err != nil {
			return nil, ErrRunning
		}
	}
	return f, nil
}
