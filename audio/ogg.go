package audio

import (
	"errors"
	"io"

	"github.com/ringside/ringside/audio/internal/vorbis"
)

// DecodeOGG reads an Ogg Vorbis stream with this package's own Vorbis I
// decoder (audio/internal/vorbis; no pure-Go decoder is available as a
// module here), up to 8 channels. Opus, Speex or FLAC in Ogg are refused as
// unsupported. Samples are handed to the sink a packet at a time, so the
// duration limit and WithMono apply while decoding.
func DecodeOGG(name string, r io.Reader, opts ...DecodeOption) (b *Buffer, err error) {
	c := newDecodeConfig(opts)
	s := newSink(name, FormatOGG)
	defer recoverInto(&err, name, FormatOGG)
	cr := &byteCounter{r: r}
	started := false
	_, err = vorbis.Decode(cr, c.maxDuration.Seconds()+1, func(d *vorbis.Decoder, x []float32) error {
		if !started {
			started = true
			if err := s.start(c, d.Rate, d.Channels, 0); err != nil {
				return err
			}
		}
		for i, v := range x {
			x[i] = sanitize(v) // a hostile stream can make NaN or huge values
		}
		return s.add(x)
	})
	var fe *FileError
	switch {
	case err == nil:
	case errors.As(err, &fe):
		return nil, err
	case cr.n == 0:
		return nil, s.fail(ErrEmpty, "the file has no bytes")
	case errors.Is(err, vorbis.ErrTooLong):
		return nil, s.tooLong(c.maxDuration, 0)
	case errors.Is(err, vorbis.ErrTruncated):
		return nil, s.fail(ErrTruncated, "the last Ogg page is cut off")
	case errors.Is(err, vorbis.ErrUnsupported):
		return nil, s.fail(ErrUnsupported, err.Error())
	default:
		return nil, s.fail(ErrCorrupt, err.Error())
	}
	if !started {
		return nil, s.fail(ErrEmpty, "no audio packets")
	}
	return s.buffer()
}

type byteCounter struct {
	r io.Reader
	n int64
}

func (c *byteCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
