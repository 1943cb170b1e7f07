// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

// SkipID3v2 returns where the audio starts: after an ID3v2 tag at the start
// of data (and its footer), or 0.
func SkipID3v2(data []byte) int {
	if len(data) < 10 || string(data[:3]) != "ID3" {
		return 0
	}
	size := int(data[6]&0x7F)<<21 | int(data[7]&0x7F)<<14 | int(data[8]&0x7F)<<7 | int(data[9]&0x7F)
	pos := 10 + size
	if data[5]&0x10 != 0 {
		pos += 10
	}
	return min(pos, len(data))
}

// NextFrame finds the next frame at or after pos the way go-mp3 did: the
// first 4 bytes that form a valid header, skipping anything else byte by
// byte. It returns the frame's start and header; ok is false when no header
// is left (trailing bytes are not an error). err is the header's Check
// error, or ErrTruncated when the frame runs past the end of data.
func NextFrame(data []byte, pos int) (start int, h Header, ok bool, err error) {
	for ; pos+4 <= len(data); pos++ {
		if data[pos] != 0xFF {
			continue
		}
		h, valid := ParseHeader(data[pos:])
		if !valid {
			continue
		}
		if err := h.Check(); err != nil {
			return pos, h, true, err
		}
		if pos+h.Size() > len(data) {
			return pos, h, true, ErrTruncated
		}
		return pos, h, true, nil
	}
	return len(data), 0, false, nil
}
