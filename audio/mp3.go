package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"

	"github.com/hajimehoshi/go-mp3"
)

// maxMP3Bytes is the largest MP3 file read (10 minutes at 320 kbit/s is 24 MB).
const maxMP3Bytes = 64 << 20

// DecodeMP3 reads an MPEG-1/2/2.5 Layer III stream (with or without ID3 tags)
// through github.com/hajimehoshi/go-mp3. A stream whose last frame is cut off
// is refused as truncated. When the stream is regular (one sample rate, no
// junk between frames) it is cut into pieces decoded in parallel, each piece
// starting a few frames early so that the bit reservoir and the filter banks
// are filled: the result is the same as decoding it in one go.
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
		if err := s.start(c, ix.rate, 2, int64(len(ix.offsets)*ix.spf)); err != nil {
			return nil, err
		}
		if ix.truncated {
			return nil, s.fail(ErrTruncated, "the last MP3 frame is cut off")
		}
		workers := min(runtime.GOMAXPROCS(0), 8, len(ix.offsets)/mp3MinSegment)
		if workers > 1 {
			if out, err := decodeMP3Parallel(data, ix, workers, s.outCh == 1); err == nil {
				s.data, s.frames = out, len(out)/s.outCh
				return s.buffer()
			}
			// Irregular after all: decode it in one go below.
		}
		s = newSink(name, FormatMP3)
	}
	return decodeMP3Stream(s, c, data)
}

// decodeMP3Stream decodes the whole stream on one goroutine.
func decodeMP3Stream(s *sink, c decodeConfig, data []byte) (*Buffer, error) {
	cr := &countingReader{r: bytes.NewReader(data)}
	d, err := mp3.NewDecoder(cr)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, s.fail(ErrTruncated, "no complete MP3 frame")
		}
		if strings.Contains(err.Error(), "2.5") {
			return nil, s.fail(ErrUnsupported, "MPEG-2.5 (8 to 12 kHz; allowed: MP3 at 16 kHz or more)")
		}
		return nil, s.fail(ErrCorrupt, err.Error())
	}
	// go-mp3 always produces 16-bit little-endian stereo.
	if err := s.start(c, d.SampleRate(), 2, 0); err != nil {
		return nil, err
	}
	raw := make([]byte, 4*4096)
	vals := make([]float32, 2*4096)
	for {
		n, rerr := io.ReadFull(d, raw)
		n -= n % 4
		for i := range n / 2 {
			vals[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
		}
		if aerr := s.add(vals[:n/2]); aerr != nil {
			return nil, aerr
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				if cr.truncated {
					return nil, s.fail(ErrTruncated, "the last MP3 frame is cut off")
				}
				break
			}
			return nil, s.fail(ErrCorrupt, fmt.Sprint(rerr))
		}
	}
	return s.buffer()
}

// countingReader counts bytes and notes a read cut short by the end of the
// data (go-mp3 hides a cut-off last frame as a plain EOF). It is not an
// io.Seeker, so go-mp3 does not scan the stream for its length first.
type countingReader struct {
	r         io.Reader
	n         int64
	truncated bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := io.ReadFull(c.r, p)
	c.n += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		// A short frame header read is trailing junk, not a cut-off frame.
		c.truncated = c.truncated || len(p) > 4
		err = io.EOF
	}
	return n, err
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
	if version == 1 || layer != 1 || bri == 0 || bri == 15 || sri == 3 {
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
// by an ID3v1 tag; anything else is left to go-mp3's own resynchronisation.
func scanMP3(data []byte) (ix mp3Index, ok bool) {
	pos := 0
	if len(data) >= 10 && string(data[:3]) == "ID3" {
		size := int(data[6]&0x7F)<<21 | int(data[7]&0x7F)<<14 | int(data[8]&0x7F)<<7 | int(data[9]&0x7F)
		pos = 10 + size
		if data[5]&0x10 != 0 {
			pos += 10
		}
	}
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

// mp3MinSegment is the fewest frames worth a goroutine; mp3WarmUp is how many
// frames before its piece a goroutine decodes and drops (the bit reservoir
// reaches back at most 511 bytes, which is at most 10 frames at 8 kbit/s).
const (
	mp3MinSegment = 200
	mp3WarmUp     = 12
)

// decodeMP3Parallel decodes ix's frames in pieces on several goroutines.
func decodeMP3Parallel(data []byte, ix mp3Index, workers int, mono bool) ([]float32, error) {
	n := len(ix.offsets)
	ch := 2
	if mono {
		ch = 1
	}
	out := make([]float32, n*ix.spf*ch)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		a, b := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = decodeMP3Piece(data, ix, a, b, out[a*ix.spf*ch:b*ix.spf*ch], mono)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// decodeMP3Piece decodes frames [a, b) into out, starting mp3WarmUp frames
// early and dropping those.
func decodeMP3Piece(data []byte, ix mp3Index, a, b int, out []float32, mono bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("go-mp3: %v", r)
		}
	}()
	s := max(0, a-mp3WarmUp)
	end := ix.end
	if b < len(ix.offsets) {
		end = ix.offsets[b]
	}
	d, err := mp3.NewDecoder(&countingReader{r: bytes.NewReader(data[ix.offsets[s]:end])})
	if err != nil {
		return err
	}
	skip := (a - s) * ix.spf * 4
	want := (b - a) * ix.spf * 4
	raw := make([]byte, 4*4096)
	for skip > 0 {
		k, err := io.ReadFull(d, raw[:min(skip, len(raw))])
		skip -= k
		if err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
	}
	got := 0
	for got < want {
		k, err := io.ReadFull(d, raw[:min(want-got, len(raw))])
		k -= k % 4
		for i := 0; i < k; i += 4 {
			l := float32(int16(binary.LittleEndian.Uint16(raw[i:]))) / 32768
			r := float32(int16(binary.LittleEndian.Uint16(raw[i+2:]))) / 32768
			f := (got + i) / 4
			if mono {
				out[f] = (l + r) / 2
			} else {
				out[2*f], out[2*f+1] = l, r
			}
		}
		got += k
		if err != nil {
			if got == want {
				break
			}
			return fmt.Errorf("%d of %d bytes: %w", got, want, err)
		}
	}
	if extra, _ := d.Read(raw[:4]); extra != 0 {
		return errors.New("more samples than frames")
	}
	return nil
}
