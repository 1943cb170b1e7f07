// Package settings is the small core for reading and changing the saved
// preferences of one data directory: where the directory is, opening its
// store, loading the values, the lookups the rules need, and which changes
// need more than the store (the automatic recorded name). The App builds on it
// and so does the `ringside` command's fast path, which must start without
// the GUI, audio or SIP stacks.
package settings

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/store"
)

// DataDir returns the data directory: flag when set, else $RINGSIDE_HOME, else
// the OS's per-user config directory + "/ringside".
func DataDir(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if env := os.Getenv("RINGSIDE_HOME"); env != "" {
		return filepath.Abs(env)
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: %w; set RINGSIDE_HOME or pass --home DIR", err)
	}
	return filepath.Join(cfg, "ringside"), nil
}

// Open opens the store of data directory dir. The directory holds the
// settings and the instance token, so it is made owner-only, also when the
// user pointed RINGSIDE_HOME at an existing directory.
func Open(ctx context.Context, dir string, log *slog.Logger) (*store.Store, error) {
	if st, err := os.Stat(dir); err == nil && st.IsDir() && st.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			log.Warn("data directory is readable by others", "dir", dir, "err", err)
		}
	}
	return store.Open(ctx, dir, store.WithLogger(log))
}

// Load returns the saved settings over the defaults.
func Load(ctx context.Context, s *store.Store) (prefs.Values, error) {
	stored, err := s.LoadPrefs(ctx)
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	return prefs.FromStored(stored), nil
}

// Env returns what the rules look up in the store: whether an audio library
// item exists (for the outgoing-message settings).
func Env(s *store.Store) prefs.Env {
	return prefs.Env{ItemExists: func(id string) bool {
		var one int
		return s.DB().QueryRow(`SELECT 1 FROM audio_items WHERE id = ?`, id).Scan(&one) == nil
	}}
}

// NameText is the text the automatic recorded name speaks: first and last name.
func NameText(v prefs.Values) string {
	return strings.TrimSpace(v["general.first_name"] + " " + v["general.last_name"])
}

// NameChanged reports whether going from old to next changes what the
// automatic recorded name must say (or whether it is used), so that it has to
// be generated again with text-to-speech.
func NameChanged(old, next prefs.Values) bool {
	return NameText(old) != NameText(next) || old["personalization.name_recording"] != next["personalization.name_recording"]
}
