package app

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/secrets"
)

// memKeyring is an in-memory keyring for tests of the app layer.
type memKeyring struct {
	mu sync.Mutex
	m  map[string]string
}

func (k *memKeyring) Get(key string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[key]
	if !ok {
		return "", notFound
	}
	return v, nil
}

func (k *memKeyring) Set(key, v string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[key] = v
	return nil
}

func (k *memKeyring) Delete(key string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, key)
	return nil
}

func openTest(t *testing.T, opts ...Option) (*App, *memKeyring) {
	t.Helper()
	kr := &memKeyring{m: map[string]string{}}
	a, err := Open(context.Background(), t.TempDir(), append([]Option{WithKeyring(kr)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, kr
}

func TestSetPrefsPersists(t *testing.T) {
	ctx := context.Background()
	kr := &memKeyring{m: map[string]string{}}
	dir := t.TempDir()
	a, err := Open(ctx, dir, WithKeyring(kr))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "call.ring_time", Value: "45"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "call.ring_time", Value: "500"}); err == nil {
		t.Fatal("ring time 500 accepted")
	}
	a.Close()
	a, err = Open(ctx, dir, WithKeyring(kr))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	v, _ := a.Prefs(ctx)
	if v["call.ring_time"] != "45" {
		t.Errorf("ring time after reopen = %s, want 45", v["call.ring_time"])
	}
}

func TestAgentCannotChangeAdminKeys(t *testing.T) {
	a, _ := openTest(t)
	_, err := a.SetPrefs(context.Background(), prefs.Change{Key: "recording.enabled", Value: "on"})
	if !errors.Is(err, prefs.ErrReadOnly) {
		t.Fatalf("agent changed recording.enabled: %v", err)
	}
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	_, err := a.ImportPrefs(ctx, []byte(`{"call.ring_time": 30, "call.call_waiting": "sometimes"}`))
	if err == nil || !strings.Contains(err.Error(), "call.call_waiting") {
		t.Fatalf("bad import: %v", err)
	}
	v, _ := a.Prefs(ctx)
	if v["call.ring_time"] != "20" {
		t.Errorf("part of a refused import was applied")
	}
	if _, err := a.ImportPrefs(ctx, []byte(`{"call.ring_time": 30, "call.call_waiting": "off"}`)); err != nil {
		t.Fatal(err)
	}
	doc, err := a.ExportPrefs(ctx)
	if err != nil || !strings.Contains(string(doc), `"call.ring_time": 30`) || !strings.Contains(string(doc), `"call.call_waiting": "off"`) {
		t.Errorf("export after import: %v\n%s", err, doc)
	}
}

const provDoc = `{"profile.roles": ["agent", "supervisor"], "general.email": "ada@example.com",
	"profile.numbers": ["+442079460000"], "recording.enabled": true}`

func TestProvisionFromFileAndHTTPS(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "prov.json")
	os.WriteFile(file, []byte(provDoc), 0o600)

	a, _ := openTest(t)
	if _, err := a.Provision(ctx, file); err != nil {
		t.Fatal(err)
	}
	v, _ := a.Prefs(ctx)
	if v.Role() != prefs.RoleSupervisor || v["recording.enabled"] != "on" {
		t.Errorf("file provisioning not applied: role %s", v.Role())
	}

	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok.json":
			w.Write([]byte(strings.Replace(provDoc, "ada@", "lovelace@", 1)))
		case "/bad.json":
			w.Write([]byte(`{"general.email": "x@example.com", "call.ring_time": 1}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	b, _ := openTest(t, WithHTTPClient(srv.Client()))
	if _, err := b.Provision(ctx, srv.URL+"/ok.json?token=secret123"); err != nil {
		t.Fatal(err)
	}
	v, _ = b.Prefs(ctx)
	if v["general.email"] != "lovelace@example.com" {
		t.Errorf("https provisioning not applied")
	}
	_, err := b.Provision(ctx, srv.URL+"/bad.json")
	if err == nil || !strings.Contains(err.Error(), "call.ring_time") || !strings.Contains(err.Error(), "nothing applied") {
		t.Errorf("bad document: %v", err)
	}
	if v, _ := b.Prefs(ctx); v["general.email"] != "lovelace@example.com" {
		t.Errorf("refused document applied in part")
	}
	_, err = b.Provision(ctx, srv.URL+"/missing.json?token=secret123")
	if err == nil || !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "secret123") {
		t.Errorf("missing document: %v (must not echo the token)", err)
	}
	if _, err := b.Provision(ctx, strings.Replace(srv.URL, "https", "http", 1)+"/ok.json"); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("plain http accepted: %v", err)
	}
	// Refresh re-applies the last source that was applied, not a refused one.
	if _, err := b.RefreshProvisioning(ctx); err != nil {
		t.Errorf("refresh: %v", err)
	}
}

func TestAccount(t *testing.T) {
	ctx := context.Background()
	a, kr := openTest(t)
	if _, err := a.Account(ctx); !errors.Is(err, ErrNoAccount) {
		t.Fatalf("fresh app has an account: %v", err)
	}
	bad := []Account{
		{Server: "http://pbx.example.com", User: "ada"},
		{Server: "wss://pbx.example.com/ws", User: "ada lovelace"},
		{Server: "wss://pbx.example.com/ws", User: ""},
		{Server: "wss://user:pw@pbx.example.com/ws", User: "ada"},
		{Server: "wss://pbx.example.com/ws", User: "ada", DisplayName: `Ada "the" Lovelace`},
		{Server: "wss://pbx.example.com/ws", User: "ada", VoicemailURI: "tel:123"},
	}
	for _, acct := range bad {
		pw := "s3cret"
		if _, err := a.SetAccount(ctx, acct, &pw); err == nil {
			t.Errorf("account %+v accepted", acct)
		} else if strings.Contains(err.Error(), pw) {
			t.Errorf("error shows the password: %v", err)
		}
	}
	if len(kr.m) != 0 {
		t.Errorf("a refused account stored a password")
	}
	pw := "s3cret-pw"
	acct, err := a.SetAccount(ctx, Account{Server: "wss://pbx.example.com:8443/ws", User: "ada", DisplayName: "Ada"}, &pw)
	if err != nil {
		t.Fatal(err)
	}
	if acct.Domain != "pbx.example.com" || kr.m["sip:ada@pbx.example.com"] != pw {
		t.Errorf("account %+v, keyring %v", acct, kr.m)
	}
	// The password never reaches the database file.
	data, _ := os.ReadFile(filepath.Join(a.Dir(), "ringside.db"))
	wal, _ := os.ReadFile(filepath.Join(a.Dir(), "ringside.db-wal"))
	if strings.Contains(string(data)+string(wal), pw) {
		t.Error("SIP password found in the database")
	}

	for _, bad := range []string{"123", "12345678901", "12a4", ""} {
		if err := a.SetMailboxPassword(ctx, bad); err == nil {
			t.Errorf("mailbox password %q accepted", bad)
		}
	}
	if err := a.SetMailboxPassword(ctx, "482916"); err != nil || kr.m["mailbox:ada@pbx.example.com"] != "482916" {
		t.Errorf("mailbox password: %v", err)
	}

	if err := a.ChangeAccountPassword(ctx, "", "weak"); err == nil {
		t.Error("weak account password accepted")
	}
	if err := a.ChangeAccountPassword(ctx, "", "Correct-Horse-9"); err != nil {
		t.Fatal(err)
	}
	if err := a.ChangeAccountPassword(ctx, "wrong", "Another-Horse-10"); err == nil {
		t.Error("wrong current password accepted")
	}
	if err := a.ChangeAccountPassword(ctx, "Correct-Horse-9", "ada-Horse-10!"); err == nil {
		t.Error("password containing the user name accepted")
	}
	if err := a.ChangeAccountPassword(ctx, "Correct-Horse-9", "Another-Horse-10"); err != nil {
		t.Error(err)
	}
}

var notFound = secrets.ErrNotFound
