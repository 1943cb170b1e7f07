package app

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/audio"
	"github.com/ringside/ringside/internal/testenv"
)

// toneFile writes a WAV file with a 440 Hz tone of the given seconds.
func toneFile(t *testing.T, seconds float64) string {
	t.Helper()
	b := &audio.Buffer{Rate: 44100, Channels: 2}
	n := int(seconds * 44100)
	for i := 0; i < n; i++ {
		v := float32(0.3 * math.Sin(2*math.Pi*440*float64(i)/44100))
		b.Data = append(b.Data, v, v)
	}
	path := filepath.Join(t.TempDir(), "tone.wav")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := audio.WriteWAV(f, b, audio.PCM16); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLibraryImportListRemove(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	it, err := a.ImportItem(ctx, toneFile(t, 2), "Main greeting", KindGreeting)
	if err != nil {
		t.Fatal(err)
	}
	if it.Source != SourceUploaded || it.Format != ItemFormat || math.Abs(it.Seconds-2) > 0.1 {
		t.Errorf("item %+v", it)
	}
	items, err := a.Items(ctx)
	if err != nil || len(items) != 1 || items[0].ID != it.ID {
		t.Fatalf("list: %v %v", items, err)
	}
	b, err := a.ItemAudio(ctx, it.ID)
	if err != nil || b.Rate != audio.TelephonyRate || b.Channels != 1 {
		t.Fatalf("stored audio: %v %+v", err, b)
	}

	// In use: refused with where it is used.
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "voicemail.outgoing_message", Value: it.ID}); err != nil {
		t.Fatal(err)
	}
	err = a.RemoveItem(ctx, it.ID)
	if !errors.Is(err, ErrItemInUse) || !strings.Contains(err.Error(), "voicemail greeting") {
		t.Fatalf("removing an item in use: %v", err)
	}
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "voicemail.outgoing_message", Value: "none"}); err != nil {
		t.Fatal(err)
	}
	if err := a.RemoveItem(ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a.itemPath(it.ID)); !os.IsNotExist(err) {
		t.Errorf("audio file left behind: %v", err)
	}
	if err := a.RemoveItem(ctx, it.ID); !errors.Is(err, ErrNoItem) {
		t.Errorf("removing twice: %v", err)
	}
	// Settings accept only ids that exist.
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "forwarding.outgoing_message", Value: it.ID}); err == nil {
		t.Error("a removed item was accepted as the forwarding message")
	}
}

func TestLibraryRefusesBadFiles(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.wav")
	os.WriteFile(empty, nil, 0o600)
	text := filepath.Join(dir, "notes.mp3")
	os.WriteFile(text, []byte("these are my notes, not audio at all"), 0o600)
	good, _ := os.ReadFile(toneFile(t, 1))
	trunc := filepath.Join(dir, "cut.wav")
	os.WriteFile(trunc, good[:30], 0o600)
	silent := &audio.Buffer{Rate: 16000, Channels: 1, Data: make([]float32, 16000)}
	silentPath := filepath.Join(dir, "silent.wav")
	f, _ := os.Create(silentPath)
	audio.WriteTelephonyWAV(f, silent)
	f.Close()
	for _, path := range []string{empty, text, trunc, silentPath, filepath.Join(dir, "missing.wav")} {
		_, err := a.ImportItem(ctx, path, "x", KindGreeting)
		if err == nil || !strings.Contains(err.Error(), filepath.Base(path)) {
			t.Errorf("%s: %v (must name the file)", filepath.Base(path), err)
		}
	}
	if _, err := a.ImportItem(ctx, toneFile(t, 1), "", KindGreeting); err == nil {
		t.Error("empty name accepted")
	}
	if _, err := a.ImportItem(ctx, toneFile(t, 1), "x", "song"); err == nil || !strings.Contains(err.Error(), "name, greeting, message") {
		t.Errorf("bad kind: %v", err)
	}
	if items, _ := a.Items(ctx); len(items) != 0 {
		t.Errorf("library changed by refused imports: %v", items)
	}
	if entries, _ := os.ReadDir(filepath.Join(a.Dir(), "audio")); len(entries) != 0 {
		t.Errorf("files left behind: %v", entries)
	}
}

func TestDefaultNameFollowsTheName(t *testing.T) {
	ctx := context.Background()
	var spoken []string
	old := speakText
	speakText = func(ctx context.Context, text string) (*audio.Buffer, error) {
		spoken = append(spoken, text)
		b := &audio.Buffer{Rate: 16000, Channels: 1}
		for i := 0; i < 16000; i++ {
			b.Data = append(b.Data, float32(0.3*math.Sin(2*math.Pi*300*float64(i)/16000)))
		}
		return b, nil
	}
	t.Cleanup(func() { speakText = old })
	a, _ := openTest(t)
	a.SetPrefs(ctx, prefs.Change{Key: "general.first_name", Value: "Ada"})
	a.SetPrefs(ctx, prefs.Change{Key: "general.last_name", Value: "Lovelace"})
	it, err := a.Item(ctx, defaultNameID)
	if err != nil || it.Text != "Ada Lovelace" || !it.Auto || it.Source != SourceTTS {
		t.Fatalf("default name item: %+v %v (spoken %v)", it, err, spoken)
	}
	a.SetPrefs(ctx, prefs.Change{Key: "call.ring_time", Value: "30"})
	if len(spoken) != 2 {
		t.Errorf("regenerated on an unrelated change: %v", spoken)
	}
	// Replaced by the user's own item: no more regeneration.
	own, err := a.ImportItem(ctx, toneFile(t, 1), "My name", KindName)
	if err != nil {
		t.Fatal(err)
	}
	a.SetPrefs(ctx, prefs.Change{Key: "personalization.name_recording", Value: own.ID})
	a.SetPrefs(ctx, prefs.Change{Key: "general.first_name", Value: "Augusta"})
	if len(spoken) != 2 {
		t.Errorf("regenerated although replaced: %v", spoken)
	}
	if err := a.RemoveItem(ctx, own.ID); !errors.Is(err, ErrItemInUse) || !strings.Contains(err.Error(), "recorded name") {
		t.Errorf("removing the name in use: %v", err)
	}
}

// TestSpeakItemWithEspeak makes an item with the real OS engine (espeak-ng).
func TestSpeakItemWithEspeak(t *testing.T) {
	testenv.Program(t, "espeak-ng")
	ctx := context.Background()
	a, _ := openTest(t)
	it, err := a.SpeakItem(ctx, "Thank you for calling. Please leave a message after the tone.", "Voicemail greeting", KindGreeting)
	if err != nil {
		t.Fatal(err)
	}
	if it.Source != SourceTTS || it.Text == "" || it.Seconds < 1.5 || it.Seconds > 10 {
		t.Errorf("tts item %+v", it)
	}
	if _, err := a.SpeakItem(ctx, "   ", "Empty", KindGreeting); err == nil {
		t.Error("empty text accepted")
	}
}
