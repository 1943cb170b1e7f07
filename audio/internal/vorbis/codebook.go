package vorbis

import (
	"math"
)

// codebook is a Huffman code and, optionally, its vector lookup table.
type codebook struct {
	dims    int
	entries int
	tree    []int32   // pairs of children; a leaf is -(entry+1); 0 is "none"
	vq      []float32 // entries*dims values, nil without a lookup
}

// maxVQ bounds a codebook's vector table (entries x dimensions).
const maxVQ = 1 << 22

func readCodebook(b *bitReader) (*codebook, error) {
	if b.read(24) != 0x564342 {
		return nil, formatErr("codebook sync")
	}
	c := &codebook{dims: int(b.read(16)), entries: int(b.read(24))}
	if c.dims == 0 || c.entries == 0 || c.entries > maxTotalEntries {
		return nil, formatErr("codebook of %d entries", c.entries)
	}
	lengths := make([]uint8, c.entries)
	if b.flag() { // ordered
		cur := 0
		length := int(b.read(5)) + 1
		for cur < c.entries {
			n := int(b.read(ilog(c.entries - cur)))
			if cur+n > c.entries || length > 32 {
				return nil, formatErr("codebook lengths")
			}
			for i := cur; i < cur+n; i++ {
				lengths[i] = uint8(length)
			}
			cur += n
			length++
		}
	} else {
		sparse := b.flag()
		for i := range lengths {
			if !sparse || b.flag() {
				lengths[i] = uint8(b.read(5) + 1)
			}
		}
	}
	if b.eop {
		return nil, formatErr("setup header cut short")
	}
	if err := c.build(lengths); err != nil {
		return nil, err
	}
	switch lt := b.read(4); lt {
	case 0:
	case 1, 2:
		min := unpackFloat(b.read(32))
		delta := unpackFloat(b.read(32))
		bits := uint(b.read(4)) + 1
		seq := b.flag()
		var n int
		if lt == 1 {
			n = lookup1Values(c.entries, c.dims)
		} else {
			n = c.entries * c.dims
		}
		if n <= 0 || n > maxVQ || c.entries*c.dims > maxVQ {
			return nil, formatErr("codebook lookup table of %d values", n)
		}
		mult := make([]float32, n)
		for i := range mult {
			mult[i] = float32(b.read(bits))
		}
		if b.eop {
			return nil, formatErr("setup header cut short")
		}
		c.vq = make([]float32, c.entries*c.dims)
		for e := 0; e < c.entries; e++ {
			var last float32
			div := 1
			for i := 0; i < c.dims; i++ {
				var m float32
				if lt == 1 {
					m = mult[(e/div)%n]
					div *= n
				} else {
					m = mult[e*c.dims+i]
				}
				v := m*delta + min + last
				if seq {
					last = v
				}
				c.vq[e*c.dims+i] = v
			}
		}
	default:
		return nil, formatErr("codebook lookup type %d", lt)
	}
	return c, nil
}

// build assigns codewords (Vorbis I section 3.2.1) and makes the decoding tree.
func (c *codebook) build(lengths []uint8) error {
	var marker [33]uint32
	c.tree = make([]int32, 2, 64)
	used := 0
	for e, l := range lengths {
		if l == 0 {
			continue
		}
		used++
		entry := marker[l]
		if l < 32 && entry>>l != 0 {
			return formatErr("overspecified Huffman code")
		}
		// Insert entry into the tree, MSB first.
		node := int32(0)
		for i := int(l) - 1; i >= 0; i-- {
			bit := int32(entry>>uint(i)) & 1
			idx := node*2 + bit
			if i == 0 {
				if c.tree[idx] != 0 {
					return formatErr("Huffman code collision")
				}
				c.tree[idx] = -int32(e + 1)
				break
			}
			if c.tree[idx] < 0 {
				return formatErr("Huffman code collision")
			}
			if c.tree[idx] == 0 {
				c.tree = append(c.tree, 0, 0)
				c.tree[idx] = int32(len(c.tree)/2 - 1)
			}
			node = c.tree[idx]
		}
		for j := l; j > 0; j-- {
			if marker[j]&1 != 0 {
				if j == 1 {
					marker[1]++
				} else {
					marker[j] = marker[j-1] << 1
				}
				break
			}
			marker[j]++
		}
		for j := l + 1; j < 33; j++ {
			if marker[j]>>1 == entry {
				entry = marker[j]
				marker[j] = marker[j-1] << 1
			} else {
				break
			}
		}
	}
	if used == 1 {
		// A single codeword: libvorbis reads one bit (the 0) for it.
		for i, l := range lengths {
			if l != 0 {
				c.tree = []int32{-int32(i + 1), -int32(i + 1)}
			}
		}
	}
	return nil
}

// decode reads one entry number, or -1 at the end of the packet.
func (c *codebook) decode(b *bitReader) int {
	node := int32(0)
	for {
		next := c.tree[node*2+int32(b.read1())]
		if b.eop || next == 0 {
			b.eop = true
			return -1
		}
		if next < 0 {
			return int(-next - 1)
		}
		node = next
	}
}

// vector returns the lookup vector of an entry read from b, nil at the end.
func (c *codebook) vector(b *bitReader) []float32 {
	e := c.decode(b)
	if e < 0 || c.vq == nil {
		return nil
	}
	return c.vq[e*c.dims : (e+1)*c.dims]
}

func unpackFloat(x uint32) float32 {
	mant := float64(x & 0x1fffff)
	exp := int((x & 0x7fe00000) >> 21)
	if x&0x80000000 != 0 {
		mant = -mant
	}
	return float32(math.Ldexp(mant, exp-788))
}

// lookup1Values is the largest r with r^dims <= entries.
func lookup1Values(entries, dims int) int {
	r := int(math.Floor(math.Pow(float64(entries), 1/float64(dims))))
	for pow(r+1, dims) <= entries {
		r++
	}
	for r > 0 && pow(r, dims) > entries {
		r--
	}
	return r
}

func pow(b, e int) int {
	v := 1
	for range e {
		v *= b
		if v > 1<<30 {
			return v
		}
	}
	return v
}
