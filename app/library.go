package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/ringside/ringside/audio"
)

// Audio item kinds and sources.
const (
	KindName     = "name"
	KindGreeting = "greeting"
	KindMessage  = "message"

	SourceRecorded = "recorded"
	SourceUploaded = "uploaded"
	SourceTTS      = "tts"
)

// ItemFormat is the one format every stored item has (see audio.Telephony).
const ItemFormat = "wav-pcm16-16000-mono"

// defaultNameID is the id of the recorded name generated from first and last name.
const defaultNameID = "name-default"

// ErrNoItem means no audio library item has the id.
var ErrNoItem = errors.New("no such audio item")

// ErrItemInUse means the item is chosen in a setting and cannot be removed.
var ErrItemInUse = errors.New("audio item is in use")

// Item is one audio library item.
type Item struct {
	ID       string        `json:"id"`
	Name     string        `json:"name"`
	Kind     string        `json:"kind"`
	Source   string        `json:"source"`
	Text     string        `json:"text,omitempty"` // the text of a text-to-speech item
	Duration time.Duration `json:"-"`
	Seconds  float64       `json:"duration_seconds"`
	Format   string        `json:"format"`
	Auto     bool          `json:"auto,omitempty"` // the default recorded name
	Created  time.Time     `json:"created"`
}

// itemUses lists the settings that may refer to an audio item.
var itemUses = []struct{ key, what string }{
	{"voicemail.outgoing_message", "the voicemail greeting"},
	{"forwarding.outgoing_message", "the call forwarding message"},
	{"personalization.name_recording", "your recorded name"},
}

func checkItemName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if n := len([]rune(name)); n < 1 || n > 64 || strings.ContainsFunc(name, unicode.IsControl) {
		return "", fmt.Errorf("audio item name %q is not allowed; allowed: 1 to 64 characters without control characters", name)
	}
	return name, nil
}

func checkKind(kind string) error {
	switch kind {
	case KindName, KindGreeting, KindMessage:
		return nil
	}
	return fmt.Errorf("audio item kind %q is not allowed; allowed: name, greeting, message", kind)
}

func (a *App) itemPath(id string) string { return filepath.Join(a.dir, "audio", id+".wav") }

func newItemID(kind string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return kind + "-" + hex.EncodeToString(b)
}

// AddItem stores prepared audio as a new library item and returns it. The
// file is written (and synced) before the row, so an item never lacks audio.
func (a *App) AddItem(ctx context.Context, name, kind, source, text string, p *audio.Prepared) (Item, error) {
	name, err := checkItemName(name)
	if err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	return a.storeItem(ctx, Item{ID: newItemID(kind), Name: name, Kind: kind, Source: source, Text: text}, p)
}

func (a *App) storeItem(ctx context.Context, it Item, p *audio.Prepared) (Item, error) {
	if p.Duration() > audio.MaxDuration {
		return Item{}, fmt.Errorf("audio item %q: %s is too long; at most %s", it.Name, p.Duration().Round(time.Second), audio.MaxDuration)
	}
	var buf bytes.Buffer
	if err := audio.WriteTelephonyWAV(&buf, p.Audio); err != nil {
		return Item{}, err
	}
	path := a.itemPath(it.ID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Item{}, err
	}
	if err := writeFileSync(path, buf.Bytes()); err != nil {
		return Item{}, fmt.Errorf("audio item %q: %w", it.Name, err)
	}
	it.Duration = p.Duration()
	it.Seconds = it.Duration.Seconds()
	it.Format = ItemFormat
	it.Created = a.now().UTC()
	err := a.store.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audio_items(id, name, kind, source, tts_text, duration_ms, format, auto, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET name=excluded.name, tts_text=excluded.tts_text,
				duration_ms=excluded.duration_ms, created_at=excluded.created_at`,
			it.ID, it.Name, it.Kind, it.Source, it.Text, it.Duration.Milliseconds(), it.Format, it.Auto, it.Created.Format(time.RFC3339Nano))
		return err
	})
	if err != nil {
		os.Remove(path)
		return Item{}, fmt.Errorf("audio item %q not saved: %w", it.Name, err)
	}
	return it, nil
}

func writeFileSync(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// Items lists the library, newest first.
func (a *App) Items(ctx context.Context) ([]Item, error) {
	rows, err := a.store.DB().QueryContext(ctx, `SELECT id, name, kind, source, tts_text, duration_ms, format, auto, created_at
		FROM audio_items ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanItem(r scanner) (Item, error) {
	var it Item
	var ms int64
	var created string
	if err := r.Scan(&it.ID, &it.Name, &it.Kind, &it.Source, &it.Text, &ms, &it.Format, &it.Auto, &created); err != nil {
		return it, err
	}
	it.Duration = time.Duration(ms) * time.Millisecond
	it.Seconds = it.Duration.Seconds()
	it.Created, _ = time.Parse(time.RFC3339Nano, created)
	return it, nil
}

// Item returns one item, or an error wrapping ErrNoItem that names the id.
func (a *App) Item(ctx context.Context, id string) (Item, error) {
	it, err := scanItem(a.store.DB().QueryRowContext(ctx, `SELECT id, name, kind, source, tts_text, duration_ms, format, auto, created_at
		FROM audio_items WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("%w: %q (`ringside audio list` shows the ids)", ErrNoItem, id)
	}
	return it, err
}

// ItemAudio reads an item's audio.
func (a *App) ItemAudio(ctx context.Context, id string) (*audio.Buffer, error) {
	if _, err := a.Item(ctx, id); err != nil {
		return nil, err
	}
	b, _, err := audio.DecodeFile(a.itemPath(id))
	return b, err
}

// RenameItem changes an item's name.
func (a *App) RenameItem(ctx context.Context, id, name string) error {
	name, err := checkItemName(name)
	if err != nil {
		return err
	}
	res, err := a.store.DB().ExecContext(ctx, `UPDATE audio_items SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %q", ErrNoItem, id)
	}
	return nil
}

// RemoveItem deletes an item; one chosen in a setting is refused, naming where it is used.
func (a *App) RemoveItem(ctx context.Context, id string) error {
	a.mu.Lock() // no setting may start using it meanwhile
	defer a.mu.Unlock()
	it, err := a.Item(ctx, id)
	if err != nil {
		return err
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		return err
	}
	var uses []string
	for _, u := range itemUses {
		if v[u.key] == id || u.key == "personalization.name_recording" && it.Auto && v[u.key] == "default" {
			uses = append(uses, fmt.Sprintf("%s (%s)", u.what, u.key))
		}
	}
	if len(uses) > 0 {
		return fmt.Errorf("%w: %q is used as %s; choose another there first", ErrItemInUse, it.Name, strings.Join(uses, " and "))
	}
	if _, err := a.store.DB().ExecContext(ctx, `DELETE FROM audio_items WHERE id = ?`, id); err != nil {
		return err
	}
	if err := os.Remove(a.itemPath(id)); err != nil && !os.IsNotExist(err) {
		a.log.Warn("audio file not removed", "id", id, "err", err)
	}
	return nil
}

// ImportItem decodes an audio file (WAV, MP3, FLAC), converts it to the
// telephony format, trims silence and normalises loudness, and stores it.
// A bad file is refused with a message naming it and the problem; the
// library is unchanged.
func (a *App) ImportItem(ctx context.Context, path, name, kind string) (Item, error) {
	if _, err := checkItemName(name); err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	p, err := audio.ImportFile(path)
	if err != nil {
		return Item{}, err
	}
	return a.AddItem(ctx, name, kind, SourceUploaded, "", p)
}
