package audio_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ringside/ringside/audio"
)

// Importing a file for the library: decoded, converted to 16 kHz mono,
// trimmed and normalised to -19 LUFS, then written as a telephony WAV.
func ExampleImportFile() {
	p, err := audio.ImportFile("testdata/tone.mp3")
	if err != nil {
		fmt.Println(err)
		return
	}
	var wav bytes.Buffer
	if err := audio.WriteTelephonyWAV(&wav, p.Audio); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Source, p.SourceRate, "Hz ->", p.Audio.Rate, "Hz mono")
	fmt.Printf("%.0f LUFS\n", p.Loudness.AfterLUFS)
	// Output:
	// MP3 22050 Hz -> 16000 Hz mono
	// -19 LUFS
}

// Bad files are refused with an error naming the file and the problem.
func ExampleDecode_badFile() {
	_, _, err := audio.Decode("notes.wav", strings.NewReader("just some text, not audio"))
	fmt.Println(err)
	// Output: audio file "notes.wav": not an audio file (allowed: WAV, MP3, FLAC, Ogg Vorbis)
}

// Recording with a live level; here from the null backend, which records
// silence at the real-time pace.
func ExampleSystem_Record() {
	sys, err := audio.Open(audio.WithBackends(audio.BackendNull))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sys.Close()
	levels := 0
	b, err := sys.Record(context.Background(), "default", 200*time.Millisecond,
		audio.WithLevels(func(l audio.Level) { levels++ }))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Frames(), "frames at", b.Rate, "Hz,", levels, "levels")
	// Output: 9600 frames at 48000 Hz, 4 levels
}

// Text-to-speech from whatever engine the system has.
func ExampleFindSpeaker() {
	sp, err := audio.FindSpeaker()
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // e.g. "... install espeak-ng (Debian/Ubuntu: sudo apt install espeak-ng ...)"
		return
	}
	b, err := sp.Speak(context.Background(), "Hello from Ringside")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	p, err := audio.Prepare("tts", b)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	_ = p.Audio // store it
}
