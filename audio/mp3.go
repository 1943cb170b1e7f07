package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// DecodeMP3 reads an MPEG-1/2 Layer III stream (with or without ID3 tags)
// through github.com/hajimehoshi/go-mp3. A stream whose last frame is cut off
// is refused as truncated.
func DecodeMP3(name string, r io.Reader, opts ...DecodeOption) (b *Buffer, err error) {
	c := newDecodeConfig(opts)
	s := newSink(name, FormatMP3)
	defer recoverInto(&err, name, FormatMP3)

	cr := &countingReader{r: r}
	d, err := mp3.NewDecoder(cr)
	if err != nil {
		if cr.n == 0 {
			return nil, s.fail(ErrEmpty, "the file has no bytes")
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, s.fail(ErrTruncated, "no complete MP3 frame")
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

// countingReader counts bytes and notes whether a read ended mid-request at
// EOF after some bytes (go-mp3 hides a cut-off last frame as a plain EOF).
type countingReader struct {
	r         io.Reader
	n         int64
	truncated bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := io.ReadFull(c.r, p)
	c.n += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		c.truncated = true
		err = io.EOF
	}
	return n, err
}
