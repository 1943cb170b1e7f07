package ui

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/secrets/secretstest"
)

var discard = slog.New(slog.DiscardHandler)

func init() {
	// Work that the app runs in goroutines runs in place in tests: the test
	// driver's fyne.Do runs on the calling goroutine.
	background = func(_ *sync.WaitGroup, f func()) { f() }
}

// newTestApp opens a real App on a temporary directory with an in-memory
// keyring; changes are applied first (by the user's own role).
func newTestApp(t *testing.T, changes ...prefs.Change) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), t.TempDir(), app.WithKeyring(secretstest.New()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if len(changes) > 0 {
		if _, err := a.SetPrefs(context.Background(), changes...); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// stored returns the setting key as the store holds it now.
func stored(t *testing.T, a *app.App, key string) string {
	t.Helper()
	v, err := a.Prefs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v[key]
}

// openPrefs builds "My preferences" in a test window and waits for the
// settings to be read.
func openPrefs(t *testing.T, a *app.App) (*prefsPage, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	p := newPrefsPage(a, w, discard)
	w.SetContent(p.buildUI())
	w.Resize(fyne.NewSize(900, 700))
	p.wait()
	if !p.loaded {
		t.Fatalf("settings not loaded; banner %q", p.banner.Text)
	}
	return p, w
}

func accountForTest() app.Account {
	return app.Account{Server: "wss://pbx.example.com:8443/ws", User: "1001", DisplayName: "Ada Lovelace"}
}

func ptr[T any](v T) *T { return &v }
