package app

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/settings"
	"github.com/ringside/ringside/audio"
)

// MaxSpeechText is the longest text accepted for text-to-speech, in characters.
const MaxSpeechText = 2000

// SpeakItem makes an item from text with the operating system's
// text-to-speech engine.
func (a *App) SpeakItem(ctx context.Context, text, name, kind string) (Item, error) {
	if _, err := checkItemName(name); err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	p, err := a.speak(ctx, text)
	if err != nil {
		return Item{}, err
	}
	return a.AddItem(ctx, name, kind, SourceTTS, strings.TrimSpace(text), p)
}

func (a *App) speak(ctx context.Context, text string) (*audio.Prepared, error) {
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n == 0 || n > MaxSpeechText || strings.ContainsFunc(text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
		return nil, fmt.Errorf("text-to-speech text is not allowed; allowed: 1 to %d characters without control characters", MaxSpeechText)
	}
	b, err := speakText(ctx, text)
	if err != nil {
		return nil, err
	}
	return audio.Prepare("text-to-speech", b)
}

// refreshDefaultName regenerates the default recorded name (text-to-speech
// of first and last name) when the name changed and the user has not
// replaced it. Failures are logged: the setting itself was saved.
func (a *App) refreshDefaultName(ctx context.Context, v prefs.Values) {
	if v["personalization.name_recording"] != "default" {
		return
	}
	text := settings.NameText(v)
	if cur, err := a.Item(ctx, defaultNameID); err == nil && cur.Text == text || text == "" {
		return
	}
	p, err := a.speak(ctx, text)
	if err != nil {
		a.log.Warn("default recorded name not regenerated", "err", err)
		return
	}
	if _, err := a.storeItem(ctx, Item{ID: defaultNameID, Name: "Your name (automatic)", Kind: KindName, Source: SourceTTS, Text: text, Auto: true}, p); err != nil {
		a.log.Warn("default recorded name not saved", "err", err)
	}
}
