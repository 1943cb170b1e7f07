package app

import (
	"context"
	"errors"

	"github.com/ringside/ringside/audio"
)

// speakText runs the operating system's text-to-speech engine.
var speakText = func(ctx context.Context, text string) (*audio.Buffer, error) {
	return nil, errors.New("text-to-speech is not wired in yet")
}
