package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSpeechText is the longest text, in characters, text-to-speech accepts.
const MaxSpeechText = 2000

// Speaker turns text into speech with an operating system engine.
type Speaker interface {
	// Speak synthesises text. The text reaches the engine on its standard
	// input, never through a shell or the command line.
	Speak(ctx context.Context, text string) (*Buffer, error)
	// Name names the engine, e.g. "espeak-ng".
	Name() string
}

// SpeakerOption configures FindSpeaker.
type SpeakerOption func(*speakerConfig)

type speakerConfig struct {
	voice    string
	goos     string
	lookPath func(string) (string, error)
}

// WithVoice picks a voice by the engine's own name for it (espeak-ng: "en-gb",
// say: "Daniel", SAPI: "Microsoft Zira Desktop"). Default: the engine's.
func WithVoice(v string) SpeakerOption { return func(c *speakerConfig) { c.voice = v } }

// withPlatform makes FindSpeaker look as if on another system, for tests.
func withPlatform(goos string, lookPath func(string) (string, error)) SpeakerOption {
	return func(c *speakerConfig) { c.goos, c.lookPath = goos, lookPath }
}

// FindSpeaker finds this system's text-to-speech engine at run time:
// espeak-ng (or espeak) on Linux and the BSDs, say on macOS, SAPI through
// PowerShell on Windows. Where none is installed the error is a
// *TTSMissingError saying what to install.
func FindSpeaker(opts ...SpeakerOption) (Speaker, error) {
	c := speakerConfig{goos: runtime.GOOS, lookPath: exec.LookPath}
	for _, o := range opts {
		o(&c)
	}
	switch c.goos {
	case "darwin":
		if p, err := c.lookPath("say"); err == nil {
			return &Say{Path: p, Voice: c.voice}, nil
		}
		return nil, &TTSMissingError{Program: "say", Install: "it is part of macOS: check /usr/bin/say"}
	case "windows":
		for _, name := range []string{"powershell.exe", "pwsh.exe"} {
			if p, err := c.lookPath(name); err == nil {
				return &SAPI{PowerShell: p, Voice: c.voice}, nil
			}
		}
		return nil, &TTSMissingError{Program: "Windows PowerShell", Install: "it is part of Windows; SAPI voices are under Settings > Time & language > Speech"}
	default:
		for _, name := range []string{"espeak-ng", "espeak"} {
			if p, err := c.lookPath(name); err == nil {
				return &Espeak{Path: p, Voice: c.voice}, nil
			}
		}
		return nil, &TTSMissingError{Program: "espeak-ng", Install: "Debian/Ubuntu: sudo apt install espeak-ng; Fedora: sudo dnf install espeak-ng"}
	}
}

// cleanText checks and tidies text for an engine: control characters become
// spaces; empty or over-long text is refused with ErrBadText.
func cleanText(text string) (string, error) {
	if !utf8.ValidString(text) {
		return "", fmt.Errorf("%w: not valid UTF-8", ErrBadText)
	}
	text = strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, text)
	text = strings.TrimSpace(text)
	if text == "" {
		return "", fmt.Errorf("%w: nothing to say", ErrBadText)
	}
	if n := utf8.RuneCountInString(text); n > MaxSpeechText {
		return "", fmt.Errorf("%w: %d characters (allowed: up to %d)", ErrBadText, n, MaxSpeechText)
	}
	return text, nil
}

// runEngine runs an engine with text on stdin and returns its stdout.
func runEngine(ctx context.Context, name string, cmd *exec.Cmd, text string) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd.Stdin = strings.NewReader(text)
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		msg := strings.TrimSpace(errb.String())
		if len(msg) > 300 {
			msg = msg[:300] + "..."
		}
		return nil, fmt.Errorf("audio: text-to-speech with %s failed: %v: %s", name, err, msg)
	}
	return out.Bytes(), nil
}

// Espeak speaks with espeak-ng (or espeak).
type Espeak struct {
	Path  string // the program
	Voice string // -v; empty for the default
}

// Name returns the program's base name.
func (e *Espeak) Name() string { return filepath.Base(e.Path) }

// Speak implements Speaker: mono 22050 Hz from espeak-ng's WAV on stdout.
func (e *Espeak) Speak(ctx context.Context, text string) (*Buffer, error) {
	text, err := cleanText(text)
	if err != nil {
		return nil, err
	}
	args := []string{"--stdout", "-b", "1"} // text is UTF-8, read from stdin
	if e.Voice != "" {
		args = append(args, "-v", e.Voice)
	}
	out, err := runEngine(ctx, e.Name(), exec.CommandContext(ctx, e.Path, args...), text)
	if err != nil {
		return nil, err
	}
	return DecodeWAV(e.Name()+" output", bytes.NewReader(out))
}

// Say speaks with macOS's say.
type Say struct {
	Path  string
	Voice string
}

// Name returns "say".
func (s *Say) Name() string { return "say" }

// Speak implements Speaker: say writes 16-bit 22050 Hz WAV to a temporary file.
func (s *Say) Speak(ctx context.Context, text string) (*Buffer, error) {
	text, err := cleanText(text)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ringside-tts-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "speech.wav")
	args := []string{"-o", out, "--file-format=WAVE", "--data-format=LEI16@22050", "-f", "-"}
	if s.Voice != "" {
		args = append(args, "-v", s.Voice)
	}
	if _, err := runEngine(ctx, "say", exec.CommandContext(ctx, s.Path, args...), text); err != nil {
		return nil, err
	}
	b, _, err := DecodeFile(out)
	return b, err
}

// SAPI speaks with Windows' Speech API through PowerShell.
type SAPI struct {
	PowerShell string
	Voice      string
}

// Name returns "SAPI".
func (s *SAPI) Name() string { return "SAPI" }

// sapiScript reads the text from stdin and the output path and voice from
// the environment, so that nothing the user typed becomes code.
const sapiScript = `$ErrorActionPreference = 'Stop'
[Console]::InputEncoding = [Text.Encoding]::UTF8
Add-Type -AssemblyName System.Speech
$s = New-Object System.Speech.Synthesis.SpeechSynthesizer
if ($env:RINGSIDE_TTS_VOICE) { $s.SelectVoice($env:RINGSIDE_TTS_VOICE) }
$f = New-Object System.Speech.AudioFormat.SpeechAudioFormatInfo 22050, ([System.Speech.AudioFormat.AudioBitsPerSample]::Sixteen), ([System.Speech.AudioFormat.AudioChannel]::Mono)
$s.SetOutputToWaveFile($env:RINGSIDE_TTS_OUT, $f)
$s.Speak([Console]::In.ReadToEnd())
$s.Dispose()`

// Speak implements Speaker.
func (s *SAPI) Speak(ctx context.Context, text string) (*Buffer, error) {
	text, err := cleanText(text)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ringside-tts-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "speech.wav")
	cmd := exec.CommandContext(ctx, s.PowerShell, "-NoProfile", "-NonInteractive", "-Command", sapiScript)
	cmd.Env = append(os.Environ(), "RINGSIDE_TTS_OUT="+out, "RINGSIDE_TTS_VOICE="+s.Voice)
	if _, err := runEngine(ctx, "SAPI", cmd, text); err != nil {
		return nil, err
	}
	b, _, err := DecodeFile(out)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("audio: text-to-speech with SAPI wrote nothing")
	}
	return b, err
}
