package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bin is the ringside binary built once for the whole-process tests, with
// ringside-app beside it as installed.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ringside-bin")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "ringside")
	for _, b := range [][]string{{"-o", bin, "."}, {"-tags", "migrated_fynedo", "-o", filepath.Join(dir, "ringside-app"), "../ringside-app"}} {
		build := exec.Command("go", append([]string{"build"}, b...)...)
		build.Stderr = os.Stderr
		if b[0] == "-o" { // the command is static, as make build makes it
			build.Env = append(os.Environ(), "CGO_ENABLED=0")
		}
		if err := build.Run(); err != nil {
			os.RemoveAll(dir)
			panic("building " + b[len(b)-1] + ": " + err.Error())
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func ringside(t testing.TB, home, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return run(t, bin, stdin, append([]string{"--home", home}, args...)...)
}

func run(t testing.TB, bin, stdin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
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

// TestQuickVerbsMatchTheApp runs the verbs `ringside` answers itself and the
// same through ringside-app: same output, same exit code, same effect.
func TestQuickVerbsMatchTheApp(t *testing.T) {
	app := filepath.Join(filepath.Dir(bin), "ringside-app")
	cases := [][]string{
		{"prefs", "set", "call.ring_time", "35"},
		{"prefs", "get", "call.ring_time"},
		{"prefs", "set", "call.ring_time", "500"},
		{"prefs", "set", "call.no_answer_destination", "ivr"},
		{"prefs", "set", "no.such", "1"},
		{"prefs", "get", "no.such"},
		{"prefs", "set", "voicemail.outgoing_message", "nosuchitem"},
		{"prefs", "set", "voicemail.email_recipients", "a@example.com,", "b@example.com"},
		{"prefs", "get", "voicemail.email_recipients"},
	}
	front, back := t.TempDir(), t.TempDir()
	for _, args := range cases {
		c1, o1, e1 := ringside(t, front, "", args...)
		c2, o2, e2 := run(t, app, "", append([]string{"--home", back}, args...)...)
		if c1 != c2 || o1 != o2 || e1 != e2 {
			t.Errorf("%v:\n ringside     %d %q %q\n ringside-app %d %q %q", args, c1, o1, e1, c2, o2, e2)
		}
	}
}

// TestFrontHandsOff checks what `ringside` leaves to ringside-app: other
// verbs and flags, and a name change, which regenerates the automatic
// recorded name; without ringside-app beside it, it says so.
func TestFrontHandsOff(t *testing.T) {
	home := t.TempDir()
	if code, out, errs := ringside(t, home, "", "prefs", "export"); code != 0 || !strings.Contains(out, "call.ring_time") {
		t.Errorf("prefs export: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, bin, "", "--help"); code != 0 || !strings.Contains(out, "ringside audio devices") {
		t.Errorf("--help: %d %q", code, out)
	}
	// The name change goes to the app, which tries text-to-speech for the
	// automatic recorded name (and warns when no engine is installed).
	if code, out, errs := ringside(t, home, "", "prefs", "set", "general.first_name", "Ada"); code != 0 || out != "general.first_name = Ada\n" {
		t.Errorf("name: %d %q %q", code, out, errs)
	}
	alone := filepath.Join(t.TempDir(), "ringside")
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", "/usr/bin:/bin")
	code, _, errs := run(t, alone, "", "account", "show")
	if code == 0 || !strings.Contains(errs, "ringside-app (the app, which runs this command) is not in") {
		t.Errorf("without ringside-app: %d %q", code, errs)
	}
	// The quick verbs still work alone.
	if code, out, errs := run(t, alone, "", "--home", home, "prefs", "get", "general.first_name"); code != 0 || out != "Ada\n" {
		t.Errorf("alone, prefs get: %d %q %q", code, out, errs)
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
