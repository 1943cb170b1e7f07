package vorbis

// bitReader reads a packet LSB first, as Vorbis packs it. Reading past the
// end sets eop and returns zeros.
type bitReader struct {
	data []byte
	pos  int
	bit  uint
	eop  bool
}

func (b *bitReader) read1() uint32 {
	if b.pos >= len(b.data) {
		b.eop = true
		return 0
	}
	v := uint32(b.data[b.pos]>>b.bit) & 1
	b.bit++
	if b.bit == 8 {
		b.bit = 0
		b.pos++
	}
	return v
}

func (b *bitReader) read(n uint) uint32 {
	var v uint32
	for i := uint(0); i < n; i++ {
		v |= b.read1() << i
	}
	return v
}

func (b *bitReader) flag() bool { return b.read1() == 1 }

// ilog is the number of bits needed to hold v.
func ilog(v int) uint {
	n := uint(0)
	for v > 0 {
		n++
		v >>= 1
	}
	return n
}
