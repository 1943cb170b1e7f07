package audio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// MaxDuration is the longest audio Decode accepts unless told otherwise.
const MaxDuration = 10 * time.Minute

// DecodeOption changes how a file is decoded.
type DecodeOption func(*decodeConfig)

type decodeConfig struct {
	maxDuration time.Duration
	mono        bool
	bandLimit   int         // Hz; 0 keeps the whole band
	source      *sourceInfo // if not nil, told the file's own rate and channels
}

// sourceInfo is what a file holds, which the decoded buffer may not show
// (after WithMono, or at a lower rate after WithBandLimit).
type sourceInfo struct {
	rate, channels int
}

// withSourceInfo asks the decoder to fill in src.
func withSourceInfo(src *sourceInfo) DecodeOption {
	return func(c *decodeConfig) { c.source = src }
}

// WithMaxDuration sets the longest audio accepted (default MaxDuration); longer
// audio is refused with ErrTooLong before it is all decoded.
func WithMaxDuration(d time.Duration) DecodeOption {
	return func(c *decodeConfig) { c.maxDuration = d }
}

// WithMono downmixes to one channel while decoding, which halves the memory a
// stereo file needs.
func WithMono() DecodeOption {
	return func(c *decodeConfig) { c.mono = true }
}

// WithBandLimit lets the decoder drop what lies above hz where that saves
// work, for audio that is resampled to a lower rate afterwards. Only the MP3
// decoder uses it: it skips whole subbands above the limit and, when what
// is left fits, synthesises at half the file's rate (the buffer's Rate says
// so; it stays above 2*hz). Content above hz is then missing or attenuated,
// up to about hz + 2 kHz; below hz the audio is what a full decode gives.
// The other decoders decode the whole band.
func WithBandLimit(hz int) DecodeOption {
	return func(c *decodeConfig) { c.bandLimit = max(hz, 0) }
}

func newDecodeConfig(opts []DecodeOption) decodeConfig {
	c := decodeConfig{maxDuration: MaxDuration}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// DecodeFile opens and decodes the audio file at path, whatever its format.
// Errors are *FileError naming the file (its base name) and the problem.
func DecodeFile(path string, opts ...DecodeOption) (*Buffer, Format, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, FormatUnknown, &FileError{File: filepath.Base(path), Err: err}
	}
	defer f.Close()
	return Decode(filepath.Base(path), f, opts...)
}

// Decode reads a whole WAV, MP3, FLAC or Ogg Vorbis stream from r, telling
// the format from its first bytes. name is used in error messages only.
// Other codecs in Ogg (Opus, Speex) are refused with ErrUnsupported. Errors are *FileError; a decoder library that
// panics on bad input is recovered and reported as ErrCorrupt.
func Decode(name string, r io.Reader, opts ...DecodeOption) (*Buffer, Format, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(16)
	if err != nil && len(head) == 0 {
		if errors.Is(err, io.EOF) {
			return nil, FormatUnknown, &FileError{File: name, Err: ErrEmpty, Detail: "the file has no bytes"}
		}
		return nil, FormatUnknown, &FileError{File: name, Err: err}
	}
	f := Sniff(head)
	var b *Buffer
	switch f {
	case FormatWAV:
		b, err = DecodeWAV(name, br, opts...)
	case FormatMP3:
		b, err = DecodeMP3(name, br, opts...)
	case FormatFLAC:
		b, err = DecodeFLAC(name, br, opts...)
	case FormatOGG:
		codec := oggCodec(br)
		if codec == "" {
			err = &FileError{File: name, Format: FormatOGG, Err: ErrTruncated, Detail: "the first Ogg page is cut short"}
			break
		}
		if codec != "Vorbis" {
			err = &FileError{File: name, Format: FormatOGG, Err: ErrUnsupported,
				Detail: codec + " in Ogg (allowed: WAV, MP3, FLAC, Ogg Vorbis)"}
			break
		}
		b, err = DecodeOGG(name, br, opts...)
	default:
		err = &FileError{File: name, Err: ErrNotAudio}
	}
	return b, f, err
}

// oggCodec names the codec of an Ogg stream from its first packet, which
// starts right after the first page's header and segment table; "" if the
// first page is cut short.
func oggCodec(br *bufio.Reader) string {
	head, _ := br.Peek(27 + 255 + 8)
	if len(head) < 27 || len(head) < 27+int(head[26])+8 {
		return ""
	}
	first := head[27+int(head[26]):]
	switch {
	case bytes.HasPrefix(first, []byte("\x01vorbis")):
		return "Vorbis"
	case bytes.HasPrefix(first, []byte("OpusHead")):
		return "Opus"
	case bytes.HasPrefix(first, []byte("\x7fFLAC")):
		return "FLAC"
	case bytes.HasPrefix(first, []byte("Speex")):
		return "Speex"
	}
	return "audio"
}

// sink collects decoded frames, downmixing if asked and refusing audio longer
// than the limit.
type sink struct {
	name      string
	format    Format
	rate      int
	inCh      int // channels in the file
	outCh     int // channels kept
	maxFrames int
	frames    int
	data      []float32
	src       *sourceInfo
}

// source notes the file's own rate and channels for withSourceInfo (start
// takes its arguments for them; a decoder whose output differs from the
// file calls it again).
func (s *sink) source(rate, channels int) {
	if s.src != nil {
		*s.src = sourceInfo{rate: rate, channels: channels}
	}
}

func newSink(name string, f Format) *sink {
	return &sink{name: name, format: f}
}

// start validates the stream parameters; expectFrames may be 0 (unknown).
func (s *sink) start(c decodeConfig, rate, channels int, expectFrames int64) error {
	if rate < 1000 || rate > 768000 {
		return s.fail(ErrUnsupported, fmt.Sprintf("sample rate %d Hz (allowed: 1000 to 768000)", rate))
	}
	if channels < 1 || channels > 32 {
		return s.fail(ErrUnsupported, fmt.Sprintf("%d channels (allowed: 1 to 32)", channels))
	}
	s.rate, s.inCh = rate, channels
	s.outCh = channels
	if c.mono {
		s.outCh = 1
	}
	s.src = c.source
	s.source(rate, channels)
	s.maxFrames = int(c.maxDuration.Seconds() * float64(rate))
	if expectFrames > int64(s.maxFrames) {
		return s.tooLong(c.maxDuration, time.Duration(float64(expectFrames)/float64(rate)*float64(time.Second)))
	}
	if expectFrames > 0 {
		// Trust a header only so far: a lying one must not allocate gigabytes.
		s.data = make([]float32, 0, int(min(expectFrames, 1<<20))*s.outCh)
	}
	return nil
}

func (s *sink) tooLong(limit, got time.Duration) error {
	d := "longer than " + limit.String()
	if got > 0 {
		d = fmt.Sprintf("%s long (allowed: up to %s)", got.Round(time.Second), limit)
	} else {
		d += " (allowed: up to " + limit.String() + ")"
	}
	return s.fail(ErrTooLong, d)
}

// add appends frames of interleaved samples (len(v) is a multiple of inCh).
func (s *sink) add(v []float32) error {
	n := len(v) / s.inCh
	if s.frames+n > s.maxFrames {
		return s.tooLong(time.Duration(float64(s.maxFrames)/float64(s.rate)*float64(time.Second)), 0)
	}
	s.frames += n
	if s.outCh == s.inCh {
		s.data = append(s.data, v[:n*s.inCh]...)
		return nil
	}
	inv := 1 / float32(s.inCh)
	for i := range n {
		var sum float32
		for _, x := range v[i*s.inCh : (i+1)*s.inCh] {
			sum += x
		}
		s.data = append(s.data, sum*inv)
	}
	return nil
}

func (s *sink) buffer() (*Buffer, error) {
	if s.frames == 0 {
		return nil, s.fail(ErrEmpty, "no audio frames")
	}
	return &Buffer{Rate: s.rate, Channels: s.outCh, Data: s.data}, nil
}

func (s *sink) fail(err error, detail string) error {
	return &FileError{File: s.name, Format: s.format, Err: err, Detail: detail}
}

// recoverInto turns a panic in a decoder library into a FileError.
func recoverInto(errp *error, name string, f Format) {
	if r := recover(); r != nil {
		*errp = &FileError{File: name, Format: f, Err: ErrCorrupt, Detail: fmt.Sprintf("decoder failed: %v", r)}
	}
}
