package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// WAV format tags (WAVEFORMATEX wFormatTag).
const (
	wavPCM        = 1
	wavFloat      = 3
	wavExtensible = 0xFFFE
)

type wavFormat struct {
	tag        uint16
	channels   int
	rate       int
	blockAlign int
	bits       int
}

// DecodeWAV reads a RIFF WAVE stream: integer PCM of 8, 16, 24 or 32 bits, or
// IEEE float of 32 or 64 bits, any rate and channel count (also as
// WAVE_FORMAT_EXTENSIBLE). A data chunk that announces more bytes than the
// file holds is refused as truncated, except for the "unknown length" sizes
// streaming writers use (0 and 0xFFFFFFFF and sizes from 0x7FFFF000 up).
func DecodeWAV(name string, r io.Reader, opts ...DecodeOption) (b *Buffer, err error) {
	c := newDecodeConfig(opts)
	s := newSink(name, FormatWAV)
	defer recoverInto(&err, name, FormatWAV)

	var hdr [12]byte
	if n, err := io.ReadFull(r, hdr[:]); err != nil {
		if n == 0 {
			return nil, s.fail(ErrEmpty, "the file has no bytes")
		}
		return nil, s.fail(ErrTruncated, "RIFF header cut short")
	}
	if string(hdr[0:4]) == "RF64" {
		return nil, s.fail(ErrUnsupported, "RF64 (WAV over 4 GB) is not supported")
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return nil, &FileError{File: name, Err: ErrNotAudio}
	}
	var fm *wavFormat
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			if fm == nil {
				return nil, s.fail(ErrTruncated, "no format (fmt ) chunk")
			}
			return nil, s.fail(ErrTruncated, "no data chunk")
		}
		id := string(ch[0:4])
		size := binary.LittleEndian.Uint32(ch[4:8])
		switch id {
		case "fmt ":
			if size < 16 || size > 1024 {
				return nil, s.fail(ErrCorrupt, fmt.Sprintf("format chunk of %d bytes", size))
			}
			buf := make([]byte, size+size&1)
			if _, err := io.ReadFull(r, buf); err != nil {
				return nil, s.fail(ErrTruncated, "format chunk cut short")
			}
			fm, err = parseWAVFormat(buf[:size])
			if err != nil {
				return nil, s.fail(ErrUnsupported, err.Error())
			}
		case "data":
			if fm == nil {
				return nil, s.fail(ErrCorrupt, "data chunk before the format chunk")
			}
			return readWAVData(r, s, c, fm, size)
		default:
			// Skip LIST, fact, cue and other chunks, and their pad byte.
			if _, err := io.CopyN(io.Discard, r, int64(size)+int64(size&1)); err != nil {
				return nil, s.fail(ErrTruncated, fmt.Sprintf("%q chunk cut short", id))
			}
		}
	}
}

func parseWAVFormat(b []byte) (*wavFormat, error) {
	f := &wavFormat{
		tag:        binary.LittleEndian.Uint16(b[0:2]),
		channels:   int(binary.LittleEndian.Uint16(b[2:4])),
		rate:       int(binary.LittleEndian.Uint32(b[4:8])),
		blockAlign: int(binary.LittleEndian.Uint16(b[12:14])),
		bits:       int(binary.LittleEndian.Uint16(b[14:16])),
	}
	if f.tag == wavExtensible {
		if len(b) < 40 {
			return nil, errors.New("extensible format chunk too short")
		}
		f.tag = binary.LittleEndian.Uint16(b[24:26]) // first two bytes of the sub-format GUID
	}
	switch f.tag {
	case wavPCM:
		if f.bits != 8 && f.bits != 16 && f.bits != 24 && f.bits != 32 {
			return nil, fmt.Errorf("%d-bit PCM (allowed: 8, 16, 24, 32)", f.bits)
		}
	case wavFloat:
		if f.bits != 32 && f.bits != 64 {
			return nil, fmt.Errorf("%d-bit float (allowed: 32, 64)", f.bits)
		}
	default:
		return nil, fmt.Errorf("WAV encoding 0x%04x (allowed: PCM, IEEE float)", f.tag)
	}
	if f.channels < 1 || f.channels > 32 {
		return nil, fmt.Errorf("%d channels (allowed: 1 to 32)", f.channels)
	}
	if f.blockAlign != f.channels*f.bits/8 {
		return nil, fmt.Errorf("block size %d does not match %d channels of %d bits", f.blockAlign, f.channels, f.bits)
	}
	return f, nil
}

func readWAVData(r io.Reader, s *sink, c decodeConfig, fm *wavFormat, size uint32) (*Buffer, error) {
	unknown := size == 0 || size >= 0x7FFFF000
	var expect int64
	if !unknown {
		expect = int64(size) / int64(fm.blockAlign)
	}
	if err := s.start(c, fm.rate, fm.channels, expect); err != nil {
		return nil, err
	}
	remaining := int64(size)
	const chunkFrames = 4096
	raw := make([]byte, chunkFrames*fm.blockAlign)
	vals := make([]float32, chunkFrames*fm.channels)
	var carry int // bytes of a partial frame kept at the start of raw
	for unknown || remaining > 0 {
		want := int64(len(raw) - carry)
		if !unknown && want > remaining {
			want = remaining
		}
		n, err := io.ReadFull(r, raw[carry:carry+int(want)])
		remaining -= int64(n)
		have := carry + n
		whole := have / fm.blockAlign * fm.blockAlign
		if whole > 0 {
			k := convertWAV(raw[:whole], vals, fm)
			if aerr := s.add(vals[:k]); aerr != nil {
				return nil, aerr
			}
		}
		carry = copy(raw, raw[whole:have])
		if err != nil {
			if unknown && (errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
				break
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, s.fail(ErrTruncated, fmt.Sprintf("data chunk announces %d bytes, the file holds %d", size, int64(size)-remaining))
			}
			return nil, s.fail(err, "")
		}
	}
	return s.buffer()
}

// convertWAV converts whole frames of raw little-endian samples to float32.
func convertWAV(raw []byte, out []float32, fm *wavFormat) int {
	bps := fm.bits / 8
	n := len(raw) / bps
	switch {
	case fm.tag == wavPCM && fm.bits == 8:
		for i := range n {
			out[i] = (float32(raw[i]) - 128) / 128
		}
	case fm.tag == wavPCM && fm.bits == 16:
		for i := range n {
			out[i] = float32(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
		}
	case fm.tag == wavPCM && fm.bits == 24:
		for i := range n {
			p := raw[3*i:]
			v := int32(uint32(p[0])<<8|uint32(p[1])<<16|uint32(p[2])<<24) >> 8
			out[i] = float32(v) / (1 << 23)
		}
	case fm.tag == wavPCM && fm.bits == 32:
		for i := range n {
			out[i] = float32(float64(int32(binary.LittleEndian.Uint32(raw[4*i:]))) / (1 << 31))
		}
	case fm.tag == wavFloat && fm.bits == 32:
		for i := range n {
			out[i] = sanitize(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
		}
	case fm.tag == wavFloat && fm.bits == 64:
		for i := range n {
			out[i] = sanitize(float32(math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))))
		}
	}
	return n
}

// sanitize maps NaN to 0 and clamps infinities and wild values to ±4, so that
// later arithmetic stays finite.
func sanitize(v float32) float32 {
	switch {
	case v != v:
		return 0
	case v > 4:
		return 4
	case v < -4:
		return -4
	}
	return v
}

// Encoding is a sample encoding for WriteWAV.
type Encoding int

// The encodings WriteWAV can write.
const (
	PCM16 Encoding = iota
	PCM8
	PCM24
	PCM32
	Float32
)

// WriteWAV writes b as a RIFF WAVE file in the given encoding. Integer
// encodings are rounded and clipped.
func WriteWAV(w io.Writer, b *Buffer, enc Encoding) error {
	if b == nil || b.Channels < 1 || b.Rate < 1 {
		return fmt.Errorf("audio: WriteWAV: invalid buffer")
	}
	bits, tag := 16, uint16(wavPCM)
	switch enc {
	case PCM8:
		bits = 8
	case PCM24:
		bits = 24
	case PCM32:
		bits = 32
	case Float32:
		bits, tag = 32, wavFloat
	}
	block := b.Channels * bits / 8
	dataSize := len(b.Data) * bits / 8
	if uint64(dataSize)+36 > math.MaxUint32 {
		return fmt.Errorf("audio: WriteWAV: %d bytes is too large for WAV", dataSize)
	}
	var h [44]byte
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+dataSize+dataSize&1))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], tag)
	binary.LittleEndian.PutUint16(h[22:], uint16(b.Channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(b.Rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(b.Rate*block))
	binary.LittleEndian.PutUint16(h[32:], uint16(block))
	binary.LittleEndian.PutUint16(h[34:], uint16(bits))
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(dataSize))
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	const chunk = 8192
	buf := make([]byte, 0, chunk*4)
	for i := 0; i < len(b.Data); i += chunk {
		buf = buf[:0]
		for _, v := range b.Data[i:min(i+chunk, len(b.Data))] {
			switch enc {
			case PCM8:
				buf = append(buf, byte(clampInt(math.Round(float64(v)*128), 128)+128))
			case PCM16:
				buf = binary.LittleEndian.AppendUint16(buf, uint16(floatToInt16(v)))
			case PCM24:
				x := clampInt(math.Round(float64(v)*(1<<23)), 1<<23)
				buf = append(buf, byte(x), byte(x>>8), byte(x>>16))
			case PCM32:
				x := clampInt(math.Round(float64(v)*(1<<31)), 1<<31)
				buf = binary.LittleEndian.AppendUint32(buf, uint32(int32(x)))
			case Float32:
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
			}
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if dataSize&1 == 1 {
		_, err := w.Write([]byte{0})
		return err
	}
	return nil
}

func clampInt(x float64, full int64) int64 {
	if x >= float64(full) {
		return full - 1
	}
	if x < -float64(full) {
		return -full
	}
	return int64(x)
}
