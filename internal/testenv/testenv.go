// Package testenv tells tests which real components (keyring, PulseAudio,
// Kamailio, X server, Chromium, espeak-ng) the test scripts started, and turns a
// missing one into a failure under CI (CI=true) and a skip elsewhere.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run in CI, where every component must exist.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing fails the test under CI and skips it elsewhere, saying what is missing
// and how to get it (usually: run the tests through `make test`).
func Missing(t testing.TB, what string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is missing; CI must provide it (make test starts it)", what)
	}
	t.Skipf("%s is missing; run the suite with `make test` to start it", what)
}

// Env returns the value of the environment variable name that the test scripts
// set when they start a component, or fails/skips the test when it is unset.
func Env(t testing.TB, name, what string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Missing(t, what+" ($"+name+" unset)")
	}
	return v
}

// Program returns the path of an executable on PATH, or fails/skips the test.
func Program(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "program "+name)
	}
	return p
}
