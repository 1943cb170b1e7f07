package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
)

// DecodeFLAC reads a native FLAC stream through github.com/mewkiz/flac, any bit
// depth from 4 to 32 bits. A stream that ends before the sample count its
// STREAMINFO announces is refused as truncated.
func DecodeFLAC(name string, r io.Reader, opts ...DecodeOption) (b *Buffer, err error) {
	c := newDecodeConfig(opts)
	s := newSink(name, FormatFLAC)
	defer recoverInto(&err, name, FormatFLAC)

	st, err := flac.New(r)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, s.fail(ErrTruncated, "FLAC header cut short")
		}
		return nil, s.fail(ErrCorrupt, err.Error())
	}
	info := st.Info
	if info.BitsPerSample < 4 || info.BitsPerSample > 32 {
		return nil, s.fail(ErrUnsupported, fmt.Sprintf("%d bits per sample (allowed: 4 to 32)", info.BitsPerSample))
	}
	if err := s.start(c, int(info.SampleRate), int(info.NChannels), min(int64(info.NSamples), 1<<40)); err != nil {
		return nil, err
	}
	scale := 1 / float32(int64(1)<<(info.BitsPerSample-1))
	ch := int(info.NChannels)
	var vals []float32
	for {
		fr, err := st.ParseNext()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, s.fail(ErrTruncated, "the last FLAC frame is cut off")
			}
			return nil, s.fail(ErrCorrupt, err.Error())
		}
		if len(fr.Subframes) != ch {
			return nil, s.fail(ErrCorrupt, fmt.Sprintf("frame with %d channels in a %d-channel stream", len(fr.Subframes), ch))
		}
		n := len(fr.Subframes[0].Samples)
		for _, sf := range fr.Subframes[1:] {
			if len(sf.Samples) != n {
				return nil, s.fail(ErrCorrupt, "channels of unequal length in a frame")
			}
		}
		if cap(vals) < n*ch {
			vals = make([]float32, n*ch)
		}
		vals = vals[:n*ch]
		for c, sf := range fr.Subframes {
			for i, v := range sf.Samples {
				vals[i*ch+c] = float32(v) * scale
			}
		}
		if err := s.add(vals); err != nil {
			return nil, err
		}
	}
	if info.NSamples > 0 && uint64(s.frames) < info.NSamples {
		return nil, s.fail(ErrTruncated, fmt.Sprintf("%d of %d samples", s.frames, info.NSamples))
	}
	return s.buffer()
}
