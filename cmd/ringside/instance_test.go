package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/internal/testenv"
)

// TestCLIDrivesTheRunningApp starts the real app under Xvfb and changes its
// status from other processes, as an agent's script would: the running app
// answers through its socket, a second launch only brings it forward, and
// after quitting the CLI reads the data directory directly.
func TestCLIDrivesTheRunningApp(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_X", "Xvfb")
	testenv.Env(t, "DBUS_SESSION_BUS_ADDRESS", "a session D-Bus")
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	app := exec.CommandContext(ctx, bin, "--home", home)
	app.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=")
	var appErr bytes.Buffer
	app.Stderr = &appErr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer app.Process.Kill()
	for !instance.Running(home) {
		if ctx.Err() != nil {
			t.Fatalf("the app never opened its socket:\n%s", appErr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, out, errs := ringside(t, home, "", "status", "set", "on_break"); code != 0 {
		t.Fatalf("status set: %d %s %s", code, out, errs)
	}
	if _, out, _ := ringside(t, home, "", "status"); !strings.HasPrefix(out, "On break") {
		t.Fatalf("running app's status: %q", out)
	}
	if code, _, errs := ringside(t, home, "", "status", "set", "lunch"); code == 0 || !strings.Contains(errs, "do_not_disturb") {
		t.Errorf("unknown status: %d %q", code, errs)
	}
	// A second launch brings the window forward and exits at once.
	code, _, errs := ringside(t, home, "")
	if code != 0 || !strings.Contains(errs, "already running") {
		t.Errorf("second launch: %d %q", code, errs)
	}
	// The socket and its token are owner-only.
	for _, name := range []string{instance.SocketName, instance.TokenName} {
		if st, err := os.Stat(filepath.Join(home, name)); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", name, st.Mode().Perm(), err)
		}
	}
	app.Process.Signal(syscall.SIGTERM)
	if err := app.Wait(); err != nil || strings.Contains(appErr.String(), "panic") {
		t.Fatalf("app on SIGTERM: %v\n%s", err, appErr.String())
	}
	// With the app gone, the CLI reads the stored status.
	if code, out, errs := ringside(t, home, "", "status"); code != 0 || !strings.Contains(out, "On break") {
		t.Errorf("status after quit: %d %q %q", code, out, errs)
	}
}
