// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "fmt"

// scalefactors of one frame, indexed [granule][channel].
type scalefactors struct {
	l [2][2][22]int
	s [2][2][13][3]int
}

var scalefacSizesMPEG1 = [16][2]int{
	{0, 0}, {0, 1}, {0, 2}, {0, 3}, {3, 0}, {1, 1}, {1, 2}, {1, 3},
	{2, 1}, {2, 2}, {2, 3}, {3, 1}, {3, 2}, {3, 3}, {4, 2}, {4, 3},
}

var scalefacSizesMPEG2 = [3][6][4]int{
	{{6, 5, 5, 5}, {6, 5, 7, 3}, {11, 10, 0, 0}, {7, 7, 7, 0}, {6, 6, 6, 3}, {8, 8, 5, 0}},
	{{9, 9, 9, 9}, {9, 9, 12, 6}, {18, 18, 0, 0}, {12, 12, 12, 0}, {12, 9, 9, 6}, {15, 12, 9, 0}},
	{{6, 9, 9, 9}, {6, 9, 12, 6}, {15, 18, 0, 0}, {6, 15, 12, 0}, {6, 12, 9, 6}, {6, 18, 9, 0}},
}

// nSlen2 is the MPEG-2 scalefactor layout for each scalefac_compress value
// (go-mp3's table, which ignores the intensity-stereo variant).
var nSlen2 = func() (t [512]int) {
	for i := range 4 {
		for j := range 3 {
			t[j+i*3+500] = i | j<<3 | 2<<12 | 1<<15
		}
	}
	for i := range 5 {
		for j := range 5 {
			for k := range 4 {
				for l := range 4 {
					t[l+k*4+j*16+i*80] = i | j<<3 | k<<6 | l<<9
				}
			}
		}
	}
	for i := range 5 {
		for j := range 5 {
			for k := range 4 {
				t[k+j*4+i*20+400] = i | j<<3 | k<<6 | 1<<12
			}
		}
	}
	return
}()

// readScalefactorsMPEG2 reads granule 0's scalefactors of channel ch.
func (d *Decoder) readScalefactorsMPEG2(m *bitReader, ch int) {
	si := &d.si
	slen := nSlen2[si.scalefacCompress[0][ch]]
	si.preflag[0][ch] = slen >> 15 & 1
	n := 0
	if si.blockType[0][ch] == 2 {
		n++
		if si.mixedBlockFlag[0][ch] != 0 {
			n++
		}
	}
	var sf [64]int // go-mp3 appended to a slice; zeros past what was read
	k := 0
	dd := slen >> 12 & 7
	for i := range 4 {
		num := slen & 7
		slen >>= 3
		for range scalefacSizesMPEG2[n][dd][i] {
			sf[k] = m.bits(num)
			k++
		}
	}
	k += n<<1 + 1
	if k == 22 {
		copy(d.sf.l[0][ch][:], sf[:22])
		return
	}
	// go-mp3 indexed past the end of its slice here for MPEG-2 mixed
	// blocks (and panicked); the missing scalefactors are zeros.
	for x := range 13 {
		for i := range 3 {
			d.sf.s[0][ch][x][i] = sf[x*3+i]
		}
	}
}

// readScalefactorsMPEG1 reads the scalefactors of granule gr, channel ch.
func (d *Decoder) readScalefactorsMPEG1(m *bitReader, gr, ch int) {
	si := &d.si
	slen1 := scalefacSizesMPEG1[si.scalefacCompress[gr][ch]][0]
	slen2 := scalefacSizesMPEG1[si.scalefacCompress[gr][ch]][1]
	if si.short(gr, ch) {
		first := 0
		if si.mixedBlockFlag[gr][ch] != 0 {
			for sfb := range 8 {
				d.sf.l[gr][ch][sfb] = m.bits(slen1)
			}
			first = 3
		}
		for sfb := first; sfb < 12; sfb++ {
			n := slen2
			if sfb < 6 {
				n = slen1
			}
			for win := range 3 {
				d.sf.s[gr][ch][sfb][win] = m.bits(n)
			}
		}
		return
	}
	bands := [5]int{0, 6, 11, 16, 21}
	for b := range 4 {
		n := slen1
		if b >= 2 {
			n = slen2
		}
		if si.scfsi[ch][b] == 0 || gr == 0 {
			for sfb := bands[b]; sfb < bands[b+1]; sfb++ {
				d.sf.l[gr][ch][sfb] = m.bits(n)
			}
		} else {
			for sfb := bands[b]; sfb < bands[b+1]; sfb++ {
				d.sf.l[1][ch][sfb] = d.sf.l[0][ch][sfb]
			}
		}
	}
}

// readHuffman decodes the spectral values of granule gr, channel ch into
// d.is[gr][ch] (go-mp3's readHuffman). It decodes lines below limit only
// (576 for a full decode) and then moves to the end of the part, as the
// next part's position is known.
func (d *Decoder) readHuffman(m *bitReader, part2Start, gr, ch, limit int) error {
	si := &d.si
	is := &d.is[gr][ch]
	if si.part23Length[gr][ch] == 0 {
		*is = [576]float32{}
		si.count1[gr][ch] = 0
		return nil
	}
	end := part2Start + si.part23Length[gr][ch] - 1
	var r1, r2 int
	if si.short(gr, ch) {
		r1, r2 = 36, 576
	} else {
		l := &sfBandLong[d.h.lsf()][d.h.rateIndex()]
		i := si.region0Count[gr][ch] + 1
		if i >= len(l) {
			return fmt.Errorf("mp3: readHuffman failed: invalid index i: %d", i)
		}
		r1 = l[i]
		j := si.region0Count[gr][ch] + si.region1Count[gr][ch] + 2
		if j >= len(l) {
			return fmt.Errorf("mp3: readHuffman failed: invalid index j: %d", j)
		}
		r2 = l[j]
	}
	pos := 0
	big := si.bigValues[gr][ch] * 2
	for pos < big && pos < limit {
		if pos >= 576 {
			return fmt.Errorf("mp3: is_pos was too big: %d", pos)
		}
		t := si.tableSelect[gr][ch][2]
		if pos < r1 {
			t = si.tableSelect[gr][ch][0]
		} else if pos < r2 {
			t = si.tableSelect[gr][ch][1]
		}
		lk := huffLookups[t]
		if lk == nil {
			is[pos], is[pos+1] = 0, 0
			pos += 2
			continue
		}
		linbits := huffmanTrees[t].linbits
		if m.pos+64 <= m.end {
			// Fast path: a pair takes at most 19+2*(13+1) = 47 bits, all
			// within the data, read from one 64-bit word.
			w := m.peek64()
			e := lk.lookup(uint32(w >> 32))
			if e&hlError != 0 {
				return fmt.Errorf("%w (table %d)", errHuffman, t)
			}
			used := uint(e>>8) & 31
			x, y := int(e>>4&15), int(e&15)
			if linbits != 0 && x == 15 {
				x += int(w << used >> (64 - uint(linbits)))
				used += uint(linbits)
			}
			x, used = signed(x, w, used)
			if linbits != 0 && y == 15 {
				y += int(w << used >> (64 - uint(linbits)))
				used += uint(linbits)
			}
			y, used = signed(y, w, used)
			m.pos += int(used)
			is[pos], is[pos+1] = float32(x), float32(y)
			pos += 2
			continue
		}
		xy, err := lk.decode(m)
		if err != nil {
			return fmt.Errorf("%w (table %d)", err, t)
		}
		x, y := int(xy>>4), int(xy&15)
		if linbits != 0 && x == 15 {
			x += m.bits(linbits)
		}
		if x != 0 && m.bit() == 1 {
			x = -x
		}
		if linbits != 0 && y == 15 {
			y += m.bits(linbits)
		}
		if y != 0 && m.bit() == 1 {
			y = -y
		}
		is[pos], is[pos+1] = float32(x), float32(y)
		pos += 2
	}
	lk := huffLookups[si.count1TableSelect[gr][ch]+32]
	for pos <= 572 && pos < limit && m.pos <= end {
		if m.pos+64 <= m.end {
			// Fast path: a quadruple takes at most 6+4 bits.
			w := m.peek64()
			e := lk.lookup(uint32(w >> 32))
			if e&hlError != 0 {
				return fmt.Errorf("%w (table %d)", errHuffman, si.count1TableSelect[gr][ch]+32)
			}
			used := uint(e>>8) & 31
			// Each nonzero value is followed by its sign bit; no branches,
			// as signs are random.
			for k := range 4 {
				nz := uint(e>>(3-k)) & 1
				sign := uint(w<<used>>63) & nz
				is[pos+k] = float32(int(nz) - 2*int(sign))
				used += nz
			}
			m.pos += int(used)
			pos += 4
			continue
		}
		xy, err := lk.decode(m)
		if err != nil {
			return fmt.Errorf("%w (table %d)", err, si.count1TableSelect[gr][ch]+32)
		}
		var q [4]int
		for k := range 4 {
			if xy>>(3-k)&1 != 0 {
				q[k] = 1
				if m.bit() == 1 {
					q[k] = -1
				}
			}
		}
		is[pos], is[pos+1], is[pos+2], is[pos+3] = float32(q[0]), float32(q[1]), float32(q[2]), float32(q[3])
		pos += 4
	}
	if m.pos > end+1 {
		pos -= 4
	}
	pos = max(pos, 0)
	si.count1[gr][ch] = pos
	clear(is[pos:])
	m.pos = end + 1
	return nil
}

// signed applies the sign bit at bit used of w (MSB first) to v, which has
// one only if it is not zero, without a branch on the (random) sign.
func signed(v int, w uint64, used uint) (int, uint) {
	nz := uint(0)
	if v != 0 {
		nz = 1
	}
	sign := int(w<<used>>63) & int(nz)
	return v * (1 - 2*sign), used + nz
}
