package audio

import (
	"bytes"
)

// Format is a container/codec this package recognises.
type Format int

// The recognised formats.
const (
	FormatUnknown Format = iota
	FormatWAV
	FormatMP3
	FormatFLAC
	FormatOGG // recognised, refused: no pure-Go Vorbis decoder is available
)

// String returns the format's usual name.
func (f Format) String() string {
	switch f {
	case FormatWAV:
		return "WAV"
	case FormatMP3:
		return "MP3"
	case FormatFLAC:
		return "FLAC"
	case FormatOGG:
		return "OGG"
	}
	return "unknown"
}

// Sniff tells the format of a file from its first bytes (16 or more are best).
func Sniff(head []byte) Format {
	switch {
	case len(head) >= 12 && (bytes.Equal(head[:4], []byte("RIFF")) || bytes.Equal(head[:4], []byte("RF64"))) &&
		bytes.Equal(head[8:12], []byte("WAVE")):
		return FormatWAV
	case bytes.HasPrefix(head, []byte("fLaC")):
		return FormatFLAC
	case bytes.HasPrefix(head, []byte("OggS")):
		return FormatOGG
	case bytes.HasPrefix(head, []byte("ID3")):
		// ID3v2 tags are used by MP3 and, rarely, by FLAC; MP3 is the norm.
		return FormatMP3
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 && head[1]&0x06 != 0:
		// MPEG audio frame sync with a layer set.
		return FormatMP3
	}
	return FormatUnknown
}
