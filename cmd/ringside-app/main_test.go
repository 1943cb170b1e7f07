package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin is the ringside-app binary built once for the whole-process tests, with
// the tags `make build` uses.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ringside-app-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "ringside-app")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building ringside-app: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
