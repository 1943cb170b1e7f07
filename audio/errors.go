package audio

import (
	"errors"
	"fmt"
)

// ErrEmpty means a file or buffer holds no audio at all.
var ErrEmpty = errors.New("empty")

// ErrTruncated means a file ends before the data its header announces.
var ErrTruncated = errors.New("truncated")

// ErrNotAudio means the data is not in any audio format this package knows.
var ErrNotAudio = errors.New("not an audio file (allowed: WAV, MP3, FLAC, Ogg Vorbis)")

// ErrUnsupported means the data is in a known audio format, or a variant of one,
// that this package cannot decode.
var ErrUnsupported = errors.New("unsupported audio encoding")

// ErrCorrupt means the data claims to be in a known format but is malformed.
var ErrCorrupt = errors.New("corrupt audio data")

// ErrTooLong means the audio is longer than the allowed maximum.
var ErrTooLong = errors.New("too long")

// ErrSilent means the audio holds nothing above the silence threshold.
var ErrSilent = errors.New("silent")

// ErrNoDevice means no audio device has the requested name.
var ErrNoDevice = errors.New("no such audio device")

// ErrDeviceLost means a device stopped, disappeared or stopped delivering
// frames while it was in use.
var ErrDeviceLost = errors.New("audio device stopped")

// ErrNoBackend means no audio system (PulseAudio, ALSA, CoreAudio, WASAPI...)
// could be opened.
var ErrNoBackend = errors.New("no audio system available")

// ErrNoTTS means no text-to-speech program is installed.
var ErrNoTTS = errors.New("no text-to-speech engine installed")

// ErrClosed means the object was used after Close.
var ErrClosed = errors.New("closed")

// ErrBadText means text given to text-to-speech was empty or too long.
var ErrBadText = errors.New("text is empty or too long")

// FileError is a problem with one audio file (or named stream): it names the
// file, the format it was read as, and the problem. Err is one of the sentinel
// errors above (ErrTruncated, ErrNotAudio...), possibly wrapping a library error.
type FileError struct {
	File   string // the file name as given by the caller
	Format Format // the detected format, FormatUnknown if none
	Err    error  // the problem; errors.Is works with the sentinels
	Detail string // extra detail for people, may be empty
}

// Error implements error.
func (e *FileError) Error() string {
	name := e.File
	if name == "" {
		name = "(unnamed)"
	}
	s := fmt.Sprintf("audio file %q", name)
	if e.Format != FormatUnknown {
		s += " (" + e.Format.String() + ")"
	}
	s += ": " + e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the underlying problem.
func (e *FileError) Unwrap() error { return e.Err }

// DeviceError is a problem with one audio device.
type DeviceError struct {
	Device string // the device name as given ("" for the system default)
	Op     string // "open", "start", "record", "play", "list"
	Err    error
}

// Error implements error.
func (e *DeviceError) Error() string {
	d := e.Device
	if d == "" {
		d = "default"
	}
	return fmt.Sprintf("audio device %q: %s: %v", d, e.Op, e.Err)
}

// Unwrap returns the underlying problem.
func (e *DeviceError) Unwrap() error { return e.Err }

// TTSMissingError says that no text-to-speech program was found and which one
// to install on this operating system.
type TTSMissingError struct {
	Program string // e.g. "espeak-ng"
	Install string // e.g. "sudo apt install espeak-ng"
}

// Error implements error.
func (e *TTSMissingError) Error() string {
	return fmt.Sprintf("%v: install %s (%s)", ErrNoTTS, e.Program, e.Install)
}

// Unwrap returns ErrNoTTS.
func (e *TTSMissingError) Unwrap() error { return ErrNoTTS }
