package audio

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/ringside/ringside/audio/internal/mp3"
)

// maxMP3Bytes is the largest MP3 file read (10 minutes at 320 kbit/s is 24 MB).
const maxMP3Bytes = 64 << 20

// DecodeMP3 reads an MPEG-1/2 Layer III stream (with or without ID3 tags)
// with audio/internal/mp3, our fork of github.com/hajimehoshi/go-mp3. A
// stream whose last frame is cut off is refused as truncated. When the
// stream is regular (one sample rate, no junk between frames) it is cut
// into pieces decoded in parallel, each piece taking in the bit reservoir
// of the frames before it and decoding two granules early to fill the filter
// banks: the result is the same as decoding it in one go. WithMono adds the
// channels before the filter banks; WithBandLimit drops whole subbands
// above the limit.
func DecodeMP3(name string, r io.Reader, opts ...DecodeOption) (b *Buffer, err error) {
	c := newDecodeConfig(opts)
	s := newSink(name, FormatMP3)
	defer recoverInto(&err, name, FormatMP3)

	data, err := io.ReadAll(io.LimitReader(r, maxMP3Bytes+1))
	if err != nil {
		return nil, s.fail(err, "")
	}
	if len(data) == 0 {
		return nil, s.fail(ErrEmpty, "the file has no bytes")
	}
	if len(data) > maxMP3Bytes {
		return nil, s.fail(ErrTooLong, fmt.Sprintf("larger than %d MB (allowed: up to %s)", maxMP3Bytes>>20, c.maxDuration))
	}
	if ix, ok := scanMP3(data); ok {
		if ix.version == 0 {
			return nil, s.fail(ErrUnsupported, fmt.Sprintf("MPEG-2.5 at %d Hz (allowed: MP3 at 16 kHz or more)", ix.rate))
		}
		m := newMP3Setup(c, ix.rate)
		// The length is known: start is not told it, so that it does not
		// allocate what decodeMP3Parallel allocates.
		if err := s.start(c, m.rate, m.channels, 0); err != nil {
			return nil, err
		}
		if frames := len(ix.offsets) * ix.spf; frames > s.maxFrames*ix.rate/m.rate {
			return nil, s.tooLong(c.maxDuration, time.Duration(float64(frames)/float64(ix.rate)*float64(time.Second)))
		}
		h, _ := mp3.ParseHeader(data[ix.offsets[0]:])
		s.source(ix.rate, h.Channels())
		if ix.truncated {
			return nil, s.fail(ErrTruncated, "the last MP3 frame is cut off")
		}
		workers := min(runtime.GOMAXPROCS(0), 8, len(ix.offsets)/mp3MinSegment)
		if out, err := decodeMP3Parallel(data, ix, max(workers, 1), m); err == nil {
			s.data, s.frames = out, len(out)/s.outCh
			return s.buffer()
		}
		// Irregular after all: decode it in one go below, which names
		// the problem.
		s = newSink(name, FormatMP3)
	}
	return decodeMP3Stream(s, c, data)
}

// mp3Setup is how a stream at a given rate is decoded: the decoder's
// options, and the rate and channels it produces.
type mp3Setup struct {
	opts     []mp3.Option
	rate     int
	channels int
}

// newMP3Setup turns the decode options into the decoder's for a stream at
// rate Hz. With a band limit it keeps the subbands that reach the limit,
// and when those are at most half of them it synthesises at half the rate.
func newMP3Setup(c decodeConfig, rate int) mp3Setup {
	m := mp3Setup{rate: rate, channels: 2}
	if c.mono {
		m.opts = append(m.opts, mp3.WithMono())
		m.channels = 1
	}
	if c.bandLimit > 0 {
		n := mp3Subbands(rate, c.bandLimit)
		m.opts = append(m.opts, mp3.WithSubbands(n))
		if n <= 16 {
			m.opts = append(m.opts, mp3.WithHalfRate())
			m.rate = rate / 2
		}
	}
	return m
}

// mp3Subbands returns how many of the 32 subbands (each rate/64 Hz wide)
// to keep for audio up to limit Hz: those reaching the limit and one more,
// for the filter bank's aliasing between neighbouring subbands.
func mp3Subbands(rate, limit int) int {
	return min(32, (limit*64+rate-1)/rate+1)
}

// decodeMP3Stream decodes the whole stream on one goroutine, finding frames
// as go-mp3 did (skipping anything that is not a valid header).
func decodeMP3Stream(s *sink, c decodeConfig, data []byte) (*Buffer, error) {
	pos := mp3.SkipID3v2(data)
	if pos == 0 && len(data) >= 128 && string(data[:3]) == "TAG" {
		pos = 128
	}
	var d *mp3.Decoder
	var out []float32
	for {
		start, h, ok, err := mp3.NextFrame(data, pos)
		if !ok {
			break
		}
		switch {
		case errors.Is(err, mp3.ErrTruncated) && d == nil:
			return nil, s.fail(ErrTruncated, "no complete MP3 frame")
		case errors.Is(err, mp3.ErrTruncated):
			return nil, s.fail(ErrTruncated, "the last MP3 frame is cut off")
		case errors.Is(err, mp3.ErrMPEG25):
			return nil, s.fail(ErrUnsupported, "MPEG-2.5 (8 to 12 kHz; allowed: MP3 at 16 kHz or more)")
		case err != nil:
			return nil, s.fail(ErrCorrupt, fmt.Sprintf("at byte %d: %v", start, err))
		}
		if d == nil {
			m := newMP3Setup(c, h.SampleRate())
			d = mp3.New(m.opts...)
			if err := s.start(c, m.rate, m.channels, 0); err != nil {
				return nil, err
			}
			s.source(h.SampleRate(), h.Channels())
			out = make([]float32, 1152*d.Channels())
			// Room for as many frames as the first one's size suggests.
			est := (len(data) - start) / h.Size() * d.Samples(h) * d.Channels()
			s.data = slices.Grow(s.data, min(est, 1<<24))
		}
		n, err := d.Decode(data[start:], out)
		if err != nil {
			return nil, s.fail(ErrCorrupt, fmt.Sprintf("at byte %d: %v", start, err))
		}
		if err := s.add(out[:n*d.Channels()]); err != nil {
			return nil, err
		}
		pos = start + h.Size()
	}
	if d == nil {
		return nil, s.fail(ErrTruncated, "no complete MP3 frame")
	}
	return s.buffer()
}

// mp3Index lists the frames of a regular MP3 stream.
type mp3Index struct {
	offsets   []int // start of each complete frame
	end       int   // end of the last complete frame
	rate      int
	version   int  // header bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
	spf       int  // samples per frame and channel
	truncated bool // a frame header whose frame runs past the data
}

// Layer III tables.
var (
	mp3Bitrates1 = [15]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	mp3Bitrates2 = [15]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	mp3Rates     = [4][3]int{{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000}}
)

// mp3Frame parses a Layer III frame header at h: its length, sample rate,
// version bits and samples per frame; ok is false if it is not one.
func mp3Frame(h []byte) (length, rate, version, spf int, ok bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return
	}
	version = int(h[1]>>3) & 3
	layer := int(h[1]>>1) & 3
	bri := int(h[2] >> 4)
	sri := int(h[2]>>2) & 3
	pad := int(h[2]>>1) & 1
	if version == 1 || layer != 1 || bri == 0 || bri == 15 || sri == 3 || h[3]&3 == 2 {
		return
	}
	rate = mp3Rates[version][sri]
	if version == 3 {
		return 144000*mp3Bitrates1[bri]/rate + pad, rate, version, 1152, true
	}
	return 72000*mp3Bitrates2[bri]/rate + pad, rate, version, 576, true
}

// scanMP3 indexes the frames after any ID3v2 tag. It reports ok only for a
// stream of frames of one version and rate, back to back, optionally followed
// by an ID3v1 tag; anything else is left to decodeMP3Stream.
func scanMP3(data []byte) (ix mp3Index, ok bool) {
	pos := mp3.SkipID3v2(data)
	version := -1
	for pos < len(data) {
		length, rate, v, spf, good := mp3Frame(data[pos:])
		if !good {
			rest := data[pos:]
			if len(rest) == 128 && string(rest[:3]) == "TAG" || len(rest) < 4 && len(ix.offsets) > 0 {
				break
			}
			return ix, false
		}
		if version < 0 {
			version, ix.rate, ix.spf, ix.version = v, rate, spf, v
		} else if v != version || rate != ix.rate {
			return ix, false
		}
		if pos+length > len(data) {
			ix.truncated = true
			break
		}
		ix.offsets = append(ix.offsets, pos)
		pos += length
		ix.end = pos
	}
	return ix, len(ix.offsets) > 0
}

// mp3MinSegment is the fewest frames worth a goroutine.
const mp3MinSegment = 100

// decodeMP3Parallel decodes ix's frames in pieces on several goroutines.
func decodeMP3Parallel(data []byte, ix mp3Index, workers int, m mp3Setup) ([]float32, error) {
	n := len(ix.offsets)
	per := ix.spf * m.rate / ix.rate * m.channels // values per frame
	out := make([]float32, n*per)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		a, b := n*w/workers, n*(w+1)/workers
		wg.Go(func() {
			errs[w] = decodeMP3Piece(data, ix, a, b, out[a*per:b*per], m.opts)
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// mp3Reservoir is the most main data a frame may take from the frames
// before it (main_data_begin has 9 bits).
const mp3Reservoir = 511

// decodeMP3Piece decodes frames [a, b) into out. Before frame a it takes in
// the main data of enough earlier frames for the bit reservoir, then decodes
// the two granules before a and drops them: the filter banks' memory (one
// granule's IMDCT overlap, 16 synthesis slots) is then what decoding from
// the start gives.
func decodeMP3Piece(data []byte, ix mp3Index, a, b int, out []float32, opts []mp3.Option) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("mp3 decoder: %v", r)
		}
	}()
	d := mp3.New(opts...)
	frame := func(i int) []byte {
		end := ix.end
		if i+1 < len(ix.offsets) {
			end = ix.offsets[i+1]
		}
		return data[ix.offsets[i]:end]
	}
	if a > 0 {
		// Two granules: the synthesis memory holds the last 16 slots of
		// time samples, which take the IMDCT overlap of the granule
		// before.
		warm := max(a-1152/ix.spf, 0)
		s, bytes := warm, 0
		for s > 0 && bytes < mp3Reservoir {
			s--
			bytes += len(frame(s)) - 38 // less header and side information
		}
		for i := s; i < warm; i++ {
			if err := d.Skip(frame(i)); err != nil {
				return fmt.Errorf("frame %d: %w", i, err)
			}
		}
		for i := warm; i < a; i++ {
			if _, err := d.Decode(frame(i), out); err != nil {
				return fmt.Errorf("frame %d: %w", i, err)
			}
		}
	}
	step := len(out) / (b - a)
	for i := a; i < b; i++ {
		if _, err := d.Decode(frame(i), out[(i-a)*step:]); err != nil {
			return fmt.Errorf("frame %d: %w", i, err)
		}
	}
	return nil
}
