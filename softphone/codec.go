package softphone

import (
	"fmt"
	"strings"

	"gopkg.in/hraban/opus.v2"
)

// Audio frame format exchanged with Source and Sink.
const (
	// SampleRate is the rate of every frame given to a Sink or taken from a Source.
	SampleRate = 48000
	// FrameSamples is the number of mono int16 samples in one 20 ms frame.
	FrameSamples = SampleRate / 50
)

// Codec names for WithCodecs.
const (
	CodecOpus = "opus"
	CodecPCMU = "PCMU"
	CodecPCMA = "PCMA"
)

// encoder turns one 48 kHz frame into a payload.
type encoder interface {
	encode(pcm []int16, out []byte) (int, error)
	clockRate() uint32
}

// decoder turns a payload into one 48 kHz frame, or conceals a lost one.
type decoder interface {
	decode(payload []byte, pcm []int16) error
	conceal(pcm []int16)
}

func newEncoder(name string) (encoder, error) {
	switch strings.ToLower(name) {
	case "opus":
		e, err := opus.NewEncoder(SampleRate, 1, opus.AppVoIP)
		if err != nil {
			return nil, fmt.Errorf("opus encoder: %w", err)
		}
		_ = e.SetComplexity(5)
		_ = e.SetInBandFEC(true)
		_ = e.SetPacketLossPerc(5)
		return &opusEnc{e: e}, nil
	case "pcmu":
		return g711Enc{alaw: false}, nil
	case "pcma":
		return g711Enc{alaw: true}, nil
	}
	return nil, fmt.Errorf("%w: codec %s", ErrBadSDP, name)
}

func newDecoder(name string) (decoder, error) {
	switch strings.ToLower(name) {
	case "opus":
		d, err := opus.NewDecoder(SampleRate, 1)
		if err != nil {
			return nil, fmt.Errorf("opus decoder: %w", err)
		}
		return &opusDec{d: d}, nil
	case "pcmu":
		return &g711Dec{alaw: false}, nil
	case "pcma":
		return &g711Dec{alaw: true}, nil
	}
	return nil, fmt.Errorf("%w: codec %s", ErrBadSDP, name)
}

type opusEnc struct{ e *opus.Encoder }

func (o *opusEnc) encode(pcm []int16, out []byte) (int, error) { return o.e.Encode(pcm, out) }
func (o *opusEnc) clockRate() uint32                           { return 48000 }

type opusDec struct{ d *opus.Decoder }

func (o *opusDec) decode(payload []byte, pcm []int16) error {
	n, err := o.d.Decode(payload, pcm)
	if err != nil {
		return err
	}
	clear(pcm[n:])
	return nil
}

func (o *opusDec) conceal(pcm []int16) {
	if err := o.d.DecodePLC(pcm); err != nil {
		clear(pcm)
	}
}

// g711Enc encodes PCMU (mu-law) or PCMA (A-law) at 8 kHz: 48 kHz frames are
// low-pass filtered and decimated by 6.
type g711Enc struct{ alaw bool }

func (g g711Enc) clockRate() uint32 { return 8000 }

func (g g711Enc) encode(pcm []int16, out []byte) (int, error) {
	n := len(pcm) / 6
	if len(out) < n {
		return 0, fmt.Errorf("g711: output buffer too small")
	}
	for i := 0; i < n; i++ {
		var s int32
		for _, v := range pcm[i*6 : i*6+6] {
			s += int32(v)
		}
		v := int16(s / 6)
		if g.alaw {
			out[i] = linearToAlaw(v)
		} else {
			out[i] = linearToUlaw(v)
		}
	}
	return n, nil
}

// g711Dec decodes to 48 kHz by linear interpolation.
type g711Dec struct {
	alaw bool
	last int16
}

func (g *g711Dec) decode(payload []byte, pcm []int16) error {
	n := len(payload)
	if n*6 > len(pcm) {
		n = len(pcm) / 6
	}
	prev := int32(g.last)
	for i := 0; i < n; i++ {
		var cur int32
		if g.alaw {
			cur = int32(alawToLinear(payload[i]))
		} else {
			cur = int32(ulawToLinear(payload[i]))
		}
		for k := int32(0); k < 6; k++ {
			pcm[i*6+int(k)] = int16(prev + (cur-prev)*(k+1)/6)
		}
		prev = cur
	}
	g.last = int16(prev)
	clear(pcm[n*6:])
	return nil
}

func (g *g711Dec) conceal(pcm []int16) {
	clear(pcm)
	g.last = 0
}

// G.711 conversions (ITU-T G.711, as in Sun's public domain g711.c).

func linearToUlaw(s int16) byte {
	const bias, clip = 0x84, 32635
	v := int32(s)
	sign := byte(0)
	if v < 0 {
		v = -v
		sign = 0x80
	}
	if v > clip {
		v = clip
	}
	v += bias
	exp := byte(7)
	for mask := int32(0x4000); v&mask == 0 && exp > 0; mask >>= 1 {
		exp--
	}
	mant := byte(v>>(exp+3)) & 0x0f
	return ^(sign | exp<<4 | mant)
}

func ulawToLinear(u byte) int16 {
	u = ^u
	sign := u & 0x80
	exp := (u >> 4) & 0x07
	mant := u & 0x0f
	v := (int32(mant)<<3 + 0x84) << exp
	v -= 0x84
	if sign != 0 {
		return int16(-v)
	}
	return int16(v)
}

func linearToAlaw(s int16) byte {
	v := int32(s)
	mask := byte(0xd5)
	if v < 0 {
		mask = 0x55
		v = -v - 1
	}
	if v > 32767 {
		v = 32767
	}
	var out byte
	switch {
	case v < 256:
		out = byte(v >> 4)
	default:
		exp := byte(1)
		for t := v >> 8; t > 1; t >>= 1 {
			exp++
		}
		out = exp<<4 | byte(v>>(exp+3))&0x0f
	}
	return out ^ mask
}

func alawToLinear(a byte) int16 {
	a ^= 0x55
	sign := a & 0x80
	exp := (a >> 4) & 0x07
	mant := int32(a & 0x0f)
	var v int32
	if exp == 0 {
		v = mant<<4 + 8
	} else {
		v = (mant<<4 + 0x108) << (exp - 1)
	}
	if sign != 0 {
		return int16(v)
	}
	return int16(-v)
}
