package secrets

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/zalando/go-keyring"
)

func TestKeys(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{SIPKey("alice", "example.com"), "sip:alice@example.com"},
		{MailboxKey("alice", "example.com"), "mailbox:alice@example.com"},
		{AccountKey("alice", "example.com"), "account:alice@example.com"},
		{SMTPKey("alice@example.com", "smtp.example.com"), "smtp:alice@example.com@smtp.example.com"},
	} {
		if tc.got != tc.want {
			t.Errorf("key %q, want %q", tc.got, tc.want)
		}
	}
}

// testKey returns a key no other run uses and deletes it when the test ends.
func testKey(t *testing.T, name string) string {
	t.Helper()
	key := fmt.Sprintf("test:%s-%d-%d@ringside.test", name, os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() { OS().Delete(key) })
	return key
}

func TestOSKeyring(t *testing.T) {
	testenv.Env(t, "RINGSIDE_TEST_KEYRING", "gnome-keyring (Secret Service)")
	k := OS()

	t.Run("set-get-overwrite-delete", func(t *testing.T) {
		key := testKey(t, "cycle")
		for _, secret := range []string{"first secret", "second, longer secret"} {
			if err := k.Set(key, secret); err != nil {
				t.Fatalf("Set: %v", err)
			}
			if got, err := k.Get(key); err != nil || got != secret {
				t.Fatalf("Get = %q, %v; want %q", got, err, secret)
			}
		}
		// Stored under the service "ringside", keyed by the key.
		if got, err := keyring.Get(Service, key); err != nil || got != "second, longer secret" {
			t.Fatalf("go-keyring Get(%q, key) = %q, %v", Service, got, err)
		}
		if err := k.Delete(key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := k.Get(key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
		}
	})

	t.Run("not-found", func(t *testing.T) {
		key := testKey(t, "missing")
		_, err := k.Get(key)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), key) {
			t.Fatalf("Get of a missing key: %v; want ErrNotFound naming the key", err)
		}
		if err := k.Delete(key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Delete of a missing key: %v; want ErrNotFound", err)
		}
	})

	t.Run("values", func(t *testing.T) {
		for _, tc := range []struct{ name, secret string }{
			{"empty", ""},
			{"unicode", "pässwörd ☎ 電話 🔑 \u200d"},
			{"quotes-and-shell", `'"$(rm -rf /)";\n` + "\t\x01"},
			{"long-4KiB", strings.Repeat("0123456789abcdef", 256)},
			{"long-64KiB", strings.Repeat("é+ringside/", 6000)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				key := testKey(t, tc.name)
				if err := k.Set(key, tc.secret); err != nil {
					t.Fatalf("Set: %v", err)
				}
				if got, err := k.Get(key); err != nil || got != tc.secret {
					t.Fatalf("Get: %d bytes, %v; want the %d bytes set", len(got), err, len(tc.secret))
				}
			})
		}
	})

	t.Run("unicode-key", func(t *testing.T) {
		key := testKey(t, "ünïcode-user") + "/日本"
		if err := k.Set(key, "s"); err != nil {
			t.Fatal(err)
		}
		if got, err := k.Get(key); err != nil || got != "s" {
			t.Fatalf("Get = %q, %v", got, err)
		}
	})

	t.Run("empty-key", func(t *testing.T) {
		if err := k.Set("", "s"); !errors.Is(err, ErrEmptyKey) {
			t.Fatalf("Set with an empty key: %v, want ErrEmptyKey", err)
		}
	})
}

const secret = "correct horse battery staple 42"

// checkUnavailable calls every method and wants ErrUnavailable with the
// given explanation, and never the secret.
func checkUnavailable(t *testing.T, wantParts ...string) {
	t.Helper()
	k := OS()
	_, getErr := k.Get("sip:alice@example.com")
	for name, err := range map[string]error{
		"Set":    k.Set("sip:alice@example.com", secret),
		"Get":    getErr,
		"Delete": k.Delete("sip:alice@example.com"),
	} {
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s: %v; want ErrUnavailable", name, err)
			continue
		}
		msg := err.Error()
		for _, p := range wantParts {
			if !strings.Contains(msg, p) {
				t.Errorf("%s error %q\nwant it to contain %q", name, msg, p)
			}
		}
		if strings.Contains(msg, secret) {
			t.Errorf("%s error contains the secret: %q", name, msg)
		}
	}
}

func TestNoSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir()) // no $XDG_RUNTIME_DIR/bus either
	t.Setenv("DISPLAY", "")                  // nothing for dbus-launch to attach to
	checkUnavailable(t, "no session D-Bus", "DBUS_SESSION_BUS_ADDRESS is not set",
		"apt install gnome-keyring", "KeePassXC", "log in to a desktop session")
}

func TestUnreachableSessionBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "no-bus-here"))
	checkUnavailable(t, "cannot reach the session D-Bus at unix:path=", "apt install gnome-keyring")
}

// TestNoSecretService runs a private session bus on which nothing provides
// org.freedesktop.secrets and nothing can be activated (no service
// directories: a standard session bus would start gnome-keyring from its
// .service file).
func TestNoSecretService(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+filepath.Join(dir, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", startBus(t, os.Environ(), "--config-file="+conf))
	checkUnavailable(t, "no Secret Service on the session D-Bus", "org.freedesktop.secrets",
		"apt install gnome-keyring", "KeePassXC with Secret Service integration", "log in to a desktop session")
}

// startBus starts a private dbus-daemon with the given arguments and
// environment and returns its address; it is stopped when the test ends.
func startBus(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(testenv.Program(t, "dbus-daemon"), append(args, "--nofork", "--print-address=1")...)
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// TestActivatedKeyringLocked is what go-keyring meets on a session bus where
// gnome-keyring is installed but not running: the bus starts it (D-Bus
// activation from its .service file), it has no unlocked default keyring and
// no display to prompt on. The call must end, with ErrUnavailable saying so.
//
// go-keyring keeps one session bus connection per process, so the calls run
// in a child process (this test binary again) that never had another bus.
func TestActivatedKeyringLocked(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		checkUnavailable(t, "the keyring is locked, or has no default collection", "unlock or create the default keyring")
		return
	}
	testenv.Program(t, "gnome-keyring-daemon")
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_RUNTIME_DIR=" + t.TempDir(), "PATH=" + os.Getenv("PATH"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	addr := startBus(t, env, "--session")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestActivatedKeyringLocked$", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"=1", "DBUS_SESSION_BUS_ADDRESS="+addr, "DISPLAY=", "WAYLAND_DISPLAY=")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the keyring call still blocks after 60 s:\n%s", out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: TestActivatedKeyringLocked") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// childEnv marks the child process of TestActivatedKeyringLocked.
const childEnv = "RINGSIDE_SECRETS_TEST_CHILD"
