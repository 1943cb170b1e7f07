//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// execApp replaces this process with the app, keeping its PID, standard
// streams and signals.
func execApp(path string, args []string) int {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "ringside: cannot start %s: %v\n", path, err)
	return exitNoApp
}
