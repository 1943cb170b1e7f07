package audio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// TelephonyRate is the sample rate of stored items: 16 kHz wideband speech.
const TelephonyRate = 16000

// Telephony describes the stored-item format: 16 kHz mono 16-bit PCM WAV.
// See the package documentation for why.
var Telephony = struct {
	Name     string // for metadata: "wav/pcm16/16000/mono"
	Rate     int
	Channels int
	Encoding Encoding
	MIME     string
}{"wav/pcm16/16000/mono", TelephonyRate, 1, PCM16, "audio/wav"}

// Convert returns any decoded audio as telephony-format samples: downmixed to
// mono and resampled to 16 kHz (QualityTelephony). Samples stay float32 until
// WriteTelephonyWAV quantises them to 16 bits.
func Convert(b *Buffer) (*Buffer, error) {
	if b == nil || b.Frames() == 0 {
		return nil, ErrEmpty
	}
	m := b.Mono()
	if m.Rate == TelephonyRate {
		if m == b {
			return b.Clone(), nil
		}
		return m, nil
	}
	return Resample(m, TelephonyRate)
}

// WriteTelephonyWAV writes b, which must already be in the telephony layout
// (see Convert), as a 16 kHz mono 16-bit PCM WAV file.
func WriteTelephonyWAV(w io.Writer, b *Buffer) error {
	if b.Rate != TelephonyRate || b.Channels != 1 {
		return fmt.Errorf("audio: WriteTelephonyWAV: %d Hz %d channels, want %d Hz mono (use Convert)", b.Rate, b.Channels, TelephonyRate)
	}
	return WriteWAV(w, b, PCM16)
}

// PrepareOption changes what Prepare and Import do.
type PrepareOption func(*prepareConfig)

type prepareConfig struct {
	trim      bool
	normalize bool
	target    float64
	decode    []DecodeOption
}

// WithoutTrim keeps leading and trailing silence.
func WithoutTrim() PrepareOption { return func(c *prepareConfig) { c.trim = false } }

// WithoutNormalize keeps the level as it is.
func WithoutNormalize() PrepareOption { return func(c *prepareConfig) { c.normalize = false } }

// WithTargetLUFS sets the loudness target (default TargetLUFS, -19 LUFS).
func WithTargetLUFS(lufs float64) PrepareOption { return func(c *prepareConfig) { c.target = lufs } }

// WithDecodeOptions passes options to the decoder (Import only), for example
// WithMaxDuration.
func WithDecodeOptions(o ...DecodeOption) PrepareOption {
	return func(c *prepareConfig) { c.decode = append(c.decode, o...) }
}

// Prepared is audio ready to be stored: telephony format, trimmed and
// normalised as asked, with what was done to it.
type Prepared struct {
	Audio          *Buffer // 16 kHz mono; write it with WriteTelephonyWAV
	Source         Format  // FormatUnknown for recordings and TTS
	SourceRate     int
	SourceChannels int
	SourceDuration time.Duration
	Trimmed        time.Duration   // silence removed at both ends together
	Loudness       NormalizeResult // zero if not normalised
}

// Duration returns the prepared audio's length.
func (p *Prepared) Duration() time.Duration { return p.Audio.Duration() }

// Prepare turns decoded, recorded or synthesised audio into a stored item's
// audio: Convert, trim silence at both ends (SilenceThresholdDBFS), and
// normalise to TargetLUFS. name is used in errors, which are *FileError:
// ErrEmpty, ErrSilent.
func Prepare(name string, b *Buffer, opts ...PrepareOption) (*Prepared, error) {
	c := prepareConfig{trim: true, normalize: true, target: TargetLUFS}
	for _, o := range opts {
		o(&c)
	}
	return prepare(name, FormatUnknown, b, c)
}

func prepare(name string, f Format, b *Buffer, c prepareConfig) (*Prepared, error) {
	fail := func(err error, detail string) error {
		return &FileError{File: name, Format: f, Err: err, Detail: detail}
	}
	if b == nil || b.Frames() == 0 {
		return nil, fail(ErrEmpty, "no audio frames")
	}
	p := &Prepared{Source: f, SourceRate: b.Rate, SourceChannels: b.Channels, SourceDuration: b.Duration()}
	t, err := Convert(b)
	if err != nil {
		return nil, fail(err, "")
	}
	if IsSilent(t, SilenceThresholdDBFS) {
		return nil, fail(ErrSilent, fmt.Sprintf("nothing louder than %.0f dBFS", SilenceThresholdDBFS))
	}
	if c.trim {
		d := t.Duration()
		t = TrimSilence(t, SilenceThresholdDBFS)
		t = t.Clone() // do not pin the untrimmed samples
		p.Trimmed = d - t.Duration()
	}
	if c.normalize {
		r, err := Normalize(t, c.target)
		if err != nil && !errors.Is(err, ErrSilent) {
			return nil, fail(err, "")
		}
		// Audio too short to measure (under 400 ms) keeps its level.
		p.Loudness = r
	}
	p.Audio = t
	return p, nil
}

// Import decodes a WAV, MP3 or FLAC stream (at most MaxDuration long) and
// prepares it as Prepare does. name is used in errors only; errors are
// *FileError naming it and the problem.
func Import(name string, r io.Reader, opts ...PrepareOption) (*Prepared, error) {
	c := prepareConfig{trim: true, normalize: true, target: TargetLUFS}
	for _, o := range opts {
		o(&c)
	}
	// The decoder may drop what Convert's resampler removes anyway: all
	// from its stopband edge on (an MP3's upper subbands are then neither
	// decoded nor synthesised).
	stop := int(QualityTelephony.spec().stop * TelephonyRate)
	var src sourceInfo
	b, f, err := Decode(name, r, append([]DecodeOption{WithMono(), WithBandLimit(stop), withSourceInfo(&src)}, c.decode...)...)
	if err != nil {
		return nil, err
	}
	p, err := prepare(name, f, b, c)
	if err == nil && src.rate > 0 {
		p.SourceRate, p.SourceChannels = src.rate, src.channels
	}
	return p, err
}

// ImportFile is Import on a file; errors name its base name.
func ImportFile(path string, opts ...PrepareOption) (*Prepared, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, &FileError{File: filepath.Base(path), Err: err}
	}
	defer fh.Close()
	return Import(filepath.Base(path), fh, opts...)
}
