package app

import (
	"context"

	"github.com/ringside/ringside/audio"
)

// speakText runs the operating system's text-to-speech engine, found at each
// use so that installing one needs no restart. Where none is installed the
// error names the program to install.
var speakText = func(ctx context.Context, text string) (*audio.Buffer, error) {
	sp, err := audio.FindSpeaker()
	if err != nil {
		return nil, err
	}
	return sp.Speak(ctx, text)
}
