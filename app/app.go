// Package app is Ringside's engine: one App owns the store, the OS keyring,
// the preferences and, as they are wired in, the status engine, the softphone
// and the audio devices. It holds every rule; it knows nothing of Fyne, malgo
// or SIP types. The UI and the command line both drive it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/settings"
	"github.com/ringside/ringside/app/store"
)

// Keyring keeps secrets in the OS keyring (package secrets provides the real one).
type Keyring interface {
	Get(key string) (string, error)
	Set(key, secret string) error
	Delete(key string) error
}

// App is one running Ringside data directory.
type App struct {
	dir     string
	store   *store.Store
	keyring Keyring
	log     *slog.Logger
	http    *http.Client
	now     func() time.Time

	mu sync.Mutex // serialises read-modify-write of settings

	audio audioDevices
	phone phoneState

	ringMu  sync.Mutex
	ringing string // the tone the ringer plays now

	bg     sync.WaitGroup // background work started by the App
	stopBg []context.CancelFunc

	hooksMu sync.Mutex
	hooks   []func(prefs.Values)
}

// OnPrefsChanged calls fn, on the goroutine that saved them, after every
// saved change of settings (the window and tray refresh from it).
func (a *App) OnPrefsChanged(fn func(prefs.Values)) {
	a.hooksMu.Lock()
	a.hooks = append(a.hooks, fn)
	a.hooksMu.Unlock()
}

func (a *App) prefsChanged(ctx context.Context, old, v prefs.Values) {
	a.ApplyStatusPrefs(v)
	if settings.NameChanged(old, v) {
		a.refreshDefaultName(ctx, v)
	}
	a.hooksMu.Lock()
	hooks := append([](func(prefs.Values)){}, a.hooks...)
	a.hooksMu.Unlock()
	for _, fn := range hooks {
		fn(v)
	}
}

// Option changes how Open builds the App.
type Option func(*App)

// WithKeyring replaces the OS keyring (tests use an in-memory one).
func WithKeyring(k Keyring) Option { return func(a *App) { a.keyring = k } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(a *App) { a.log = l } }

// WithHTTPClient sets the client used to fetch provisioning documents.
func WithHTTPClient(c *http.Client) Option { return func(a *App) { a.http = c } }

// DataDir returns the data directory: flag when set, else $RINGSIDE_HOME, else
// the OS's per-user config directory + "/ringside".
func DataDir(flag string) (string, error) { return settings.DataDir(flag) }

// Open opens the data directory dir.
func Open(ctx context.Context, dir string, opts ...Option) (*App, error) {
	a := &App{
		dir:  dir,
		log:  slog.New(slog.DiscardHandler),
		http: &http.Client{Timeout: 20 * time.Second},
		now:  time.Now,
	}
	for _, o := range opts {
		o(a)
	}
	if a.keyring == nil {
		a.keyring = osKeyring()
	}
	s, err := settings.Open(ctx, dir, a.log)
	if err != nil {
		return nil, err
	}
	a.store = s
	return a, nil
}

// Dir returns the data directory.
func (a *App) Dir() string { return a.dir }

// Store returns the database, for the engines wired into the App.
func (a *App) Store() *store.Store { return a.store }

// Notice returns what the user must be told about opening the data, such as
// a damaged database restored from its backup; "" when all is well.
func (a *App) Notice() string { return a.store.Notice() }

// Close stops everything the App started and closes the store.
func (a *App) Close() error {
	for _, stop := range a.stopBg {
		stop()
	}
	a.bg.Wait()
	a.stopPhone()
	serr := a.StopStatus()
	a.closeAudio()
	if err := a.store.Close(); err != nil {
		return err
	}
	return serr
}

// Prefs returns the current settings.
func (a *App) Prefs(ctx context.Context) (prefs.Values, error) {
	return settings.Load(ctx, a.store)
}

func (a *App) env() prefs.Env { return settings.Env(a.store) }

// SetPrefs applies changes with the user's own role: all of them, or none
// with every problem reported.
func (a *App) SetPrefs(ctx context.Context, changes ...prefs.Change) (prefs.Values, error) {
	return a.update(ctx, func(cur prefs.Values) (prefs.Values, map[string]string, error) {
		return prefs.Apply(cur, cur.Role(), changes, a.env())
	})
}

func (a *App) update(ctx context.Context, fn func(prefs.Values) (prefs.Values, map[string]string, error)) (prefs.Values, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	cur, err := a.Prefs(ctx)
	if err != nil {
		return nil, err
	}
	next, diff, err := fn(cur)
	if err != nil {
		return nil, err
	}
	if len(diff) > 0 {
		if err := a.store.SavePrefs(ctx, diff); err != nil {
			return nil, fmt.Errorf("save settings: %w", err)
		}
		a.log.Info("settings changed", "keys", len(diff))
		a.prefsChanged(ctx, cur, next)
	}
	return next, nil
}

// ExportPrefs returns every setting as a JSON document (no secrets).
func (a *App) ExportPrefs(ctx context.Context) ([]byte, error) {
	v, err := a.Prefs(ctx)
	if err != nil {
		return nil, err
	}
	return v.MarshalJSON()
}

// ImportPrefs checks a settings document whole, then applies all of it with
// the user's role, or nothing.
func (a *App) ImportPrefs(ctx context.Context, doc []byte) (prefs.Values, error) {
	changes, err := prefs.ParseDocument(doc)
	if err != nil {
		return nil, err
	}
	return a.SetPrefs(ctx, changes...)
}

// ErrNoAccount means no SIP account has been set up yet.
var ErrNoAccount = errors.New("no account is set up yet; set one with: ringside account set --server URI --user NAME --password-stdin")
