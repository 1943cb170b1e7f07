package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// openT opens the store in dir and closes it when the test ends.
func openT(t *testing.T, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func integrityOK(t *testing.T, s *Store) {
	t.Helper()
	var res string
	if err := s.DB().QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check = %q, %v", res, err)
	}
}

func TestAccount(t *testing.T) {
	ctx := context.Background()
	s := openT(t, t.TempDir())
	if a, ok, err := s.Account(ctx); err != nil || ok || a != (Account{}) {
		t.Fatalf("Account on a new store = %+v, %v, %v; want none", a, ok, err)
	}
	for _, want := range []Account{
		{Server: "wss://pbx.example.com/ws", User: "alice", Domain: "example.com"},
		{Server: "wss://pbx2.example.com:8443/ws", User: "bob", AuthUser: "bob-auth", Domain: "example.org",
			DisplayName: "Bob Ébène ☎", VoicemailURI: "sip:*97@example.org"},
		{},
	} {
		if err := s.SetAccount(ctx, want); err != nil {
			t.Fatalf("SetAccount(%+v): %v", want, err)
		}
		got, ok, err := s.Account(ctx)
		if err != nil || !ok || got != want {
			t.Fatalf("Account = %+v, %v, %v; want %+v", got, ok, err, want)
		}
	}
}

func TestPermissions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ringside")
	s := openT(t, dir)
	if err := s.SavePrefs(context.Background(), map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]os.FileMode{
		"":                      0o700 | os.ModeDir,
		FileName:                0o600,
		FileName + "-wal":       0o600,
		FileName + "-shm":       0o600,
		FileName + backupSuffix: 0o600,
		LockFileName:            0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got := fi.Mode() & (os.ModePerm | os.ModeDir); got != want {
			t.Errorf("%s: mode %v, want %v", name, got, want)
		}
	}
}

func TestExistingFileMadeOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	s := openT(t, dir)
	s.Close()
	if err := os.Chmod(filepath.Join(dir, FileName), 0o644); err != nil {
		t.Fatal(err)
	}
	openT(t, dir)
	fi, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("database mode after Open = %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

func TestPrefsPersist(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openT(t, dir)
	if err := s.SavePrefs(ctx, map[string]string{"call.ring_time": "25", "ui.theme": "dark"}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openT(t, dir)
	got, err := s.LoadPrefs(ctx)
	if err != nil || got["call.ring_time"] != "25" || got["ui.theme"] != "dark" || len(got) != 2 {
		t.Fatalf("LoadPrefs = %v, %v", got, err)
	}
	if s.Notice() != "" {
		t.Errorf("Notice = %q, want none", s.Notice())
	}
}
