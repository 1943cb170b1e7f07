// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "errors"

// Errors for frames this decoder does not take; the audio package names
// them to the user.
var (
	// ErrMPEG25 is a frame of MPEG-2.5 (8 to 12 kHz), which go-mp3 never
	// decoded and this fork does not either.
	ErrMPEG25 = errors.New("mp3: MPEG version 2.5 is not supported")
	// ErrLayer is a frame of Layer I or II.
	ErrLayer = errors.New("mp3: only Layer III is supported")
	// ErrFreeFormat is a frame with the free bit rate (index 0).
	ErrFreeFormat = errors.New("mp3: free bit rate format is not supported")
	// ErrTruncated is a frame that runs past the end of the data.
	ErrTruncated = errors.New("mp3: frame cut off")
)

// Header is an MPEG audio frame header (the 32 bits after and including the
// sync word).
type Header uint32

// Version bits of a header.
const (
	version25 = 0
	version2  = 2
	version1  = 3
)

// ParseHeader reads the header at the start of b; ok is false if b is too
// short or the bits are not a valid header (go-mp3's IsValid: sync, no
// reserved version, layer or rate, bit rate index not 15, emphasis not 2).
func ParseHeader(b []byte) (h Header, ok bool) {
	if len(b) < 4 {
		return 0, false
	}
	h = Header(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
	return h, h.valid()
}

func (h Header) valid() bool {
	return h&0xffe00000 == 0xffe00000 && h.version() != 1 && h.bitrateIndex() != 15 &&
		h.rateIndex() != 3 && h.layer() != 0 && h&3 != 2
}

func (h Header) version() int      { return int(h>>19) & 3 }
func (h Header) layer() int        { return int(h>>17) & 3 } // 1 is Layer III
func (h Header) hasCRC() bool      { return h&0x10000 == 0 }
func (h Header) bitrateIndex() int { return int(h>>12) & 15 }
func (h Header) rateIndex() int    { return int(h>>10) & 3 }
func (h Header) padding() int      { return int(h>>9) & 1 }
func (h Header) mode() int         { return int(h>>6) & 3 } // 1 joint stereo, 3 mono
func (h Header) modeExt() int      { return int(h>>4) & 3 }

// lsf is 0 for MPEG-1 and 1 for MPEG-2 (low sampling frequencies).
func (h Header) lsf() int {
	if h.version() == version1 {
		return 0
	}
	return 1
}

// Check reports why a valid header cannot be decoded: ErrFreeFormat,
// ErrMPEG25 or ErrLayer, in go-mp3's order; nil if it can.
func (h Header) Check() error {
	switch {
	case h.bitrateIndex() == 0:
		return ErrFreeFormat
	case h.version() == version25:
		return ErrMPEG25
	case h.layer() != 1:
		return ErrLayer
	}
	return nil
}

// SampleRate returns the frame's sample rate in Hz.
func (h Header) SampleRate() int {
	return [3]int{44100, 48000, 32000}[h.rateIndex()%3] >> h.lsf()
}

// Channels returns 1 for a mono frame, 2 otherwise.
func (h Header) Channels() int {
	if h.mode() == 3 {
		return 1
	}
	return 2
}

// Granules returns 2 for MPEG-1 and 1 for MPEG-2.
func (h Header) Granules() int { return 2 >> h.lsf() }

// Samples returns the samples per channel in the frame (1152 or 576).
func (h Header) Samples() int { return 576 * h.Granules() }

var bitrates = [2][15]int{
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
}

// Size returns the frame's length in bytes, header included, for a Layer III
// header that passes Check. (go-mp3 computed (144*rate/f+padding)>>1 for
// MPEG-2, which is one byte short for some padded frames at 22.05 kHz.)
func (h Header) Size() int {
	br := bitrates[h.lsf()][h.bitrateIndex()] * 1000
	return 144*br/h.SampleRate()>>h.lsf() + h.padding()
}

// sideInfoSize returns the side information's length in bytes.
func (h Header) sideInfoSize() int {
	mono := h.mode() == 3
	switch {
	case h.lsf() == 1 && mono:
		return 9
	case h.lsf() == 1:
		return 17
	case mono:
		return 17
	}
	return 32
}

func (h Header) msStereo() bool        { return h.mode() == 1 && h.modeExt()&2 != 0 }
func (h Header) intensityStereo() bool { return h.mode() == 1 && h.modeExt()&1 != 0 }
