package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bin is the ringside binary built once for the whole-process tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ringside-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "ringside")
	build := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		panic("building ringside: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func ringside(t testing.TB, home, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--home", home}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	// Fyne's locale parsing complains about LANG=C at start-up.
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "LC_ALL=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// TestNeverAStackTrace runs the real binary with bad command lines: each gets
// a message and a non-zero exit, never a panic.
func TestNeverAStackTrace(t *testing.T) {
	home := t.TempDir()
	cases := [][]string{
		{"prefs", "set"}, {"prefs", "get", "no.such"}, {"prefs", "import", "/dev/null"},
		{"prefs", "import", "/nonexistent"}, {"prefs", "set", "call.ring_time", "-5"},
		{"account", "set", "--bogus"}, {"account"}, {"provision", "ftp://x"}, {"--home"},
		{"frobnicate"}, {"prefs", "export", "/nonexistent/dir/file.json"},
	}
	for _, args := range cases {
		code, _, errs := ringside(t, home, "", args...)
		if code == 0 || !strings.HasPrefix(errs, "ringside: ") || strings.Contains(errs, "goroutine ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	if code, out, _ := ringside(t, home, "", "--help"); code != 0 || !strings.Contains(out, "prefs get") {
		t.Errorf("--help: %d %q", code, out)
	}
}

func TestPrefsThroughTheBinary(t *testing.T) {
	home := t.TempDir()
	if code, out, errs := ringside(t, home, "", "prefs", "set", "call.ring_time", "35"); code != 0 || out != "call.ring_time = 35\n" {
		t.Fatalf("set: %d %q %q", code, out, errs)
	}
	if code, out, _ := ringside(t, home, "", "prefs", "get", "call.ring_time"); code != 0 || out != "35\n" {
		t.Fatalf("get: %d %q", code, out)
	}
	st, err := os.Stat(home)
	if err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("data dir mode %v, want 0700", st.Mode().Perm())
	}
}

// BenchmarkPrefsGetProcess is the whole-process time of
// `ringside prefs get call.ring_time` (target: under 30 ms on a warm cache).
func BenchmarkPrefsGetProcess(b *testing.B) {
	home := b.TempDir()
	ringside(b, home, "", "prefs", "set", "call.ring_time", "30")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, _, errs := ringside(b, home, "", "prefs", "get", "call.ring_time"); code != 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkPrefsSetProcess is the whole-process time of `ringside prefs set`
// (target: under 30 ms), each a real committed, fsynced change.
func BenchmarkPrefsSetProcess(b *testing.B) {
	home := b.TempDir()
	vals := []string{"25", "35"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, _, errs := ringside(b, home, "", "prefs", "set", "call.ring_time", vals[i%2]); code != 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkHelpProcess is the whole-process time of `ringside --help`: the
// cost of starting the binary (loading it, its shared libraries and every
// package's initialisation) that every command pays before any work.
func BenchmarkHelpProcess(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if code, _, errs := ringside(b, b.TempDir(), "", "--help"); code != 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkTrueProcess runs /bin/true: the machine's own cost of starting a
// process, printed beside the figures above to read them against.
func BenchmarkTrueProcess(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if err := exec.Command("/bin/true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}
