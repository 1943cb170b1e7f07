package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// appName is the app's binary, installed beside this one.
const appName = "ringside-app"

// appPath finds ringside-app: beside this binary (through symlinks), else on
// PATH.
func appPath() (string, error) {
	name := appName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	self, err := os.Executable()
	if err == nil {
		if real, err := filepath.EvalSymlinks(self); err == nil {
			self = real
		}
		p := filepath.Join(filepath.Dir(self), name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	where := "this program's directory"
	if self != "" {
		where = filepath.Dir(self)
	}
	return "", fmt.Errorf("%s (the app, which runs this command) is not in %s nor on PATH; install both programs together (make build puts them in bin/)", name, where)
}

// handOff runs ringside-app with the same arguments and returns its exit code
// (on Unix it replaces this process and does not return).
func handOff(args []string) int {
	p, err := appPath()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n", err)
		return exitNoApp
	}
	return execApp(p, args)
}
