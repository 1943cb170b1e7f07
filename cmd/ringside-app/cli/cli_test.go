package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/app/secrets"
	"github.com/ringside/ringside/internal/testenv"
)

type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeyring) Get(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if v, ok := k.m[key]; ok {
		return v, nil
	}
	return "", secrets.ErrNotFound
}
func (k *memKeyring) Set(key, v string) error { k.mu.Lock(); k.m[key] = v; k.mu.Unlock(); return nil }
func (k *memKeyring) Delete(key string) error {
	k.mu.Lock()
	delete(k.m, key)
	k.mu.Unlock()
	return nil
}

type runner struct {
	t    *testing.T
	home string
	kr   *memKeyring
}

func newRunner(t *testing.T) *runner {
	return &runner{t: t, home: t.TempDir(), kr: &memKeyring{m: map[string]string{}}}
}

func (r *runner) run(stdin string, args ...string) (code int, stdout, stderr string) {
	r.t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), Options{Home: r.home, Args: args}, strings.NewReader(stdin), &out, &errb, app.WithKeyring(r.kr))
	return code, out.String(), errb.String()
}

func TestPrefsCommands(t *testing.T) {
	r := newRunner(t)
	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"prefs", "get", "call.ring_time"}, 0, "20\n", ""},
		{[]string{"prefs", "set", "call.ring_time", "45"}, 0, "call.ring_time = 45\n", ""},
		{[]string{"prefs", "get", "call.ring_time"}, 0, "45\n", ""},
		{[]string{"prefs", "set", "call.ring_time", "121"}, 1, "", `call.ring_time: "121" is not allowed; allowed: a whole number of seconds from 5 to 120`},
		{[]string{"prefs", "get", "call.ring_time"}, 0, "45\n", ""},
		{[]string{"prefs", "set", "call.call_waiting", "maybe"}, 1, "", "allowed: on or off"},
		{[]string{"prefs", "set", "call.no_answer_destination", "queue"}, 1, "", "call.no_answer_target: a target (SIP URI or extension) is required"},
		{[]string{"prefs", "set", "recording.enabled", "on"}, 1, "", "recording.enabled is managed by your administrator and is read-only for the agent role"},
		{[]string{"prefs", "set", "call.ringtime", "30"}, 1, "", "did you mean call.ring_time"},
		{[]string{"prefs", "set", "general.location", "London", "3rd", "floor"}, 0, "general.location = London 3rd floor\n", ""},
		{[]string{"prefs", "set", "call.ring_time"}, 2, "", "prefs set needs KEY VALUE"},
		{[]string{"prefs", "frobnicate"}, 2, "", "unknown prefs command"},
		{[]string{"prefs"}, 2, "", "usage: ringside prefs"},
		{[]string{"nonsense"}, 2, "", `unknown command "nonsense"`},
		{[]string{"provision", "/nonexistent/prov.json"}, 1, "", "no such file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := r.run("", tt.args...)
			if code != tt.code || out != tt.out && tt.out != "" || !strings.Contains(errs, tt.err) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q", code, out, errs, tt.code, tt.out, tt.err)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Fatalf("stack trace printed: %s", errs)
			}
		})
	}
}

func TestExportImport(t *testing.T) {
	r := newRunner(t)
	r.run("", "prefs", "set", "call.ring_time", "33")
	file := filepath.Join(t.TempDir(), "prefs.json")
	if code, _, errs := r.run("", "prefs", "export", file); code != 0 {
		t.Fatal(errs)
	}
	var doc map[string]any
	data, _ := os.ReadFile(file)
	if err := json.Unmarshal(data, &doc); err != nil || doc["call.ring_time"] != float64(33) {
		t.Fatalf("export: %v %v", err, doc["call.ring_time"])
	}
	other := newRunner(t)
	if code, _, errs := other.run("", "prefs", "import", file); code != 0 {
		t.Fatalf("import of a fresh export refused: %s", errs)
	}
	if _, out, _ := other.run("", "prefs", "get", "call.ring_time"); out != "33\n" {
		t.Errorf("after import ring time %q", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"call.ring_time": 50, "forwarding.ring_strategy": "random"}`), 0o600)
	code, _, errs := other.run("", "prefs", "import", bad)
	if code != 1 || !strings.Contains(errs, "forwarding.ring_strategy") || !strings.Contains(errs, "nothing changed") {
		t.Fatalf("bad import: %d %s", code, errs)
	}
	if _, out, _ := other.run("", "prefs", "get", "call.ring_time"); out != "33\n" {
		t.Errorf("refused import changed ring time to %q", out)
	}
}

func TestAccountCommands(t *testing.T) {
	r := newRunner(t)
	code, _, errs := r.run("", "account", "show")
	if code != 1 || !strings.Contains(errs, "no account is set up yet") {
		t.Fatalf("show before set: %d %s", code, errs)
	}
	code, _, errs = r.run("", "account", "set", "--server", "wss://pbx.example.com/ws", "--user", "ada", "hunter2")
	if code != 2 || !strings.Contains(errs, "passwords are never arguments") || strings.Contains(errs, "hunter2\"") && !strings.Contains(errs, "unexpected") {
		t.Fatalf("password as argument: %d %s", code, errs)
	}
	code, out, errs := r.run("pa55word\n", "account", "set", "--server", "wss://pbx.example.com/ws", "--user", "ada", "--password-stdin")
	if code != 0 || !strings.Contains(out, "ada@pbx.example.com") {
		t.Fatalf("set: %d %s %s", code, out, errs)
	}
	if r.kr.m["sip:ada@pbx.example.com"] != "pa55word" {
		t.Errorf("password not in keyring: %v", r.kr.m)
	}
	code, out, _ = r.run("", "account", "show")
	if code != 0 || !strings.Contains(out, "set (in the OS keyring)") || strings.Contains(out, "pa55word") {
		t.Fatalf("show: %s", out)
	}
	if code, _, errs := r.run("12\n", "account", "mailbox-password"); code != 1 || !strings.Contains(errs, "4 to 10 digits") {
		t.Errorf("short mailbox password: %d %s", code, errs)
	}
	if code, _, errs := r.run("", "account", "mailbox-password"); code != 1 || !strings.Contains(errs, "standard input") {
		t.Errorf("no mailbox password: %d %s", code, errs)
	}
	if code, _, _ := r.run("730215\n", "account", "mailbox-password"); code != 0 || r.kr.m["mailbox:ada@pbx.example.com"] != "730215" {
		t.Errorf("mailbox password not stored")
	}
	if code, _, errs := r.run("pa55word\n", "account", "set", "--server", "http://x", "--password-stdin"); code != 1 || !strings.Contains(errs, "account server") || strings.Contains(errs, "pa55word") {
		t.Errorf("bad server: %d %s", code, errs)
	}
}

// TestRunningAppServesTheCLI checks the one-instance path across two
// processes: this test serves the data directory as the running app does,
// and a child process runs `ringside prefs set` against it.
func TestRunningAppServesTheCLI(t *testing.T) {
	if os.Getenv("RINGSIDE_CLI_CHILD") != "" {
		return
	}
	r := newRunner(t)
	a, err := app.Open(context.Background(), r.home, app.WithKeyring(r.kr))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	shown := make(chan struct{}, 1)
	srv, err := instance.Listen(r.home, Handler(a, func() { shown <- struct{}{} }), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	child := exec.Command(os.Args[0], "-test.run=TestChildCLI$")
	child.Env = append(os.Environ(), "RINGSIDE_CLI_CHILD=1", "RINGSIDE_HOME="+r.home)
	out, err := child.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	v, _ := a.Prefs(context.Background())
	if v["call.ring_time"] != "77" {
		t.Errorf("running app's ring time %q after the child's set; output:\n%s", v["call.ring_time"], out)
	}
	// A second launch with no verb brings the window forward.
	if _, err := instance.Call(context.Background(), r.home, nil, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-shown:
	default:
		t.Error("window not brought forward")
	}
}

func TestChildCLI(t *testing.T) {
	if os.Getenv("RINGSIDE_CLI_CHILD") == "" {
		return
	}
	var out, errb bytes.Buffer
	// No keyring option: if this ran locally it would need the OS keyring;
	// it must reach the parent's running app instead.
	code := Run(context.Background(), Options{Args: []string{"prefs", "set", "call.ring_time", "77"}}, strings.NewReader(""), &out, &errb)
	if code != 0 || out.String() != "call.ring_time = 77\n" {
		t.Fatalf("child run: %d %q %q", code, out.String(), errb.String())
	}
}

func TestAudioCommands(t *testing.T) {
	testenv.Program(t, "espeak-ng")
	r := newRunner(t)
	code, out, errs := r.run("", "audio", "tts", "Hello, this is Ada.", "--name", "Hello", "--kind", "message")
	if code != 0 {
		t.Fatalf("tts: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	id := lines[len(lines)-1]
	if !strings.HasPrefix(id, "message-") {
		t.Fatalf("last line %q is not the new id", id)
	}
	if _, out, _ := r.run("", "audio", "list", "--format", "json"); !strings.Contains(out, `"id": "`+id+`"`) || !strings.Contains(out, `"source": "tts"`) {
		t.Errorf("list: %s", out)
	}
	wav := filepath.Join(t.TempDir(), "hello.wav")
	if code, _, errs := r.run("", "audio", "export", id, wav); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	if code, out, errs := r.run("", "audio", "import", wav, "--name", "Hello again"); code != 0 || !strings.HasPrefix(strings.Split(strings.TrimSpace(out), "\n")[1], "greeting-") {
		t.Fatalf("import of the export: %d %q %s", code, out, errs)
	}
	bad := filepath.Join(t.TempDir(), "notes.wav")
	os.WriteFile(bad, []byte("not audio"), 0o600)
	if code, _, errs := r.run("", "audio", "import", bad, "--name", "x"); code != 1 || !strings.Contains(errs, "notes.wav") {
		t.Errorf("bad file: %d %s", code, errs)
	}
	if code, _, errs := r.run("", "audio", "import", bad); code != 2 || !strings.Contains(errs, "--name") {
		t.Errorf("no name: %d %s", code, errs)
	}
	r.run("", "prefs", "set", "forwarding.outgoing_message", id)
	if code, _, errs := r.run("", "audio", "remove", id); code != 1 || !strings.Contains(errs, "forwarding message") {
		t.Errorf("remove in use: %d %s", code, errs)
	}
}

// TestAudioRecordFromPulseAudio records from the test PulseAudio's 440 Hz
// source (the default source) through `ringside audio record`.
func TestAudioRecordFromPulseAudio(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_PULSE", "PulseAudio")
	r := newRunner(t)
	code, out, errs := r.run("", "audio", "devices")
	if code != 0 || !strings.Contains(out, "capture") {
		t.Fatalf("devices: %d %q %s", code, out, errs)
	}
	code, out, errs = r.run("", "audio", "record", "--seconds", "2", "--name", "My name", "--kind", "name")
	if code != 0 {
		t.Fatalf("record: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	id := lines[len(lines)-1]
	_, out, _ = r.run("", "audio", "list", "--format", "json")
	var items []struct {
		ID      string  `json:"id"`
		Seconds float64 `json:"duration_seconds"`
		Source  string  `json:"source"`
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil || len(items) != 1 || items[0].ID != id || items[0].Source != "recorded" {
		t.Fatalf("list after record: %v %s", err, out)
	}
	if s := items[0].Seconds; s < 1.5 || s > 2.2 {
		t.Errorf("recorded %.2f s, want about 2", s)
	}
	if code, _, errs := r.run("", "audio", "record", "--seconds", "2", "--name", "x", "--device", "No Such Mic"); code != 1 || !strings.Contains(errs, "No Such Mic") {
		t.Errorf("unknown device: %d %s", code, errs)
	}
}
