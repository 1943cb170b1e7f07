// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "encoding/binary"

// bitReader reads MSB first from a byte slice. It keeps go-mp3's behaviour at
// the end of the data, which decides how a corrupt stream decodes: bits past
// the end read as zeros, and a read that starts at or past the end does not
// move the position.
type bitReader struct {
	buf []byte
	pos int // in bits
	end int // len(buf) * 8
}

func (b *bitReader) reset(buf []byte) {
	b.buf, b.pos, b.end = buf, 0, len(buf)*8
}

// peek returns the next 32 bits, zeros past the end.
func (b *bitReader) peek() uint32 {
	i := b.pos >> 3
	var v uint64
	if i+8 <= len(b.buf) {
		v = binary.BigEndian.Uint64(b.buf[i:])
	} else {
		for k := range 8 {
			v <<= 8
			if i+k < len(b.buf) {
				v |= uint64(b.buf[i+k])
			}
		}
	}
	return uint32(v << uint(b.pos&7) >> 32)
}

// bits reads n (0 to 24) bits as go-mp3's Bits does.
func (b *bitReader) bits(n int) int {
	if n == 0 || b.pos >= b.end {
		return 0
	}
	v := b.peek() >> (32 - uint(n))
	b.pos += n
	return int(v)
}

// bit reads one bit.
func (b *bitReader) bit() int {
	if b.pos >= b.end {
		return 0
	}
	v := b.buf[b.pos>>3] >> (7 - uint(b.pos&7)) & 1
	b.pos++
	return int(v)
}

// skipSerial moves past n bits that go-mp3 read one at a time: the position
// stops at the end of the data.
func (b *bitReader) skipSerial(n int) {
	if b.pos+n <= b.end {
		b.pos += n
	} else if b.pos < b.end {
		b.pos = b.end
	}
}

// peek64 returns the bits from the position on, MSB first, of which at
// least 57 are valid; the caller makes sure that pos+64 <= end, so that none
// of them is past the end and the 8 bytes are there.
func (b *bitReader) peek64() uint64 {
	i := b.pos >> 3
	return binary.BigEndian.Uint64(b.buf[i:i+8]) << uint(b.pos&7)
}
