// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

// sideInfo is a frame's side information, indexed [granule][channel].
type sideInfo struct {
	mainDataBegin     int
	scfsi             [2][4]int
	part23Length      [2][2]int
	bigValues         [2][2]int
	globalGain        [2][2]int
	scalefacCompress  [2][2]int
	winSwitchFlag     [2][2]int
	blockType         [2][2]int
	mixedBlockFlag    [2][2]int
	tableSelect       [2][2][3]int
	subblockGain      [2][2][3]int
	region0Count      [2][2]int
	region1Count      [2][2]int
	preflag           [2][2]int
	scalefacScale     [2][2]int
	count1TableSelect [2][2]int
	count1            [2][2]int // not in the stream: set by the Huffman decoder
}

// short reports a granule of short blocks (possibly mixed).
func (si *sideInfo) short(gr, ch int) bool {
	return si.winSwitchFlag[gr][ch] == 1 && si.blockType[gr][ch] == 2
}

// readSideInfo parses the side information (go-mp3's sideinfo.Read).
func readSideInfo(si *sideInfo, h Header, buf []byte) {
	*si = sideInfo{}
	var s bitReader
	s.reset(buf)
	nch := h.Channels()
	mpeg1 := h.lsf() == 0
	if mpeg1 {
		si.mainDataBegin = s.bits(9)
		if nch == 1 {
			s.bits(5)
		} else {
			s.bits(3)
		}
		for ch := range nch {
			for band := range 4 {
				si.scfsi[ch][band] = s.bits(1)
			}
		}
	} else {
		si.mainDataBegin = s.bits(8)
		if nch == 1 {
			s.bits(1)
		} else {
			s.bits(2)
		}
	}
	compressBits := 4
	if !mpeg1 {
		compressBits = 9
	}
	for gr := range h.Granules() {
		for ch := range nch {
			si.part23Length[gr][ch] = s.bits(12)
			si.bigValues[gr][ch] = s.bits(9)
			si.globalGain[gr][ch] = s.bits(8)
			si.scalefacCompress[gr][ch] = s.bits(compressBits)
			si.winSwitchFlag[gr][ch] = s.bits(1)
			if si.winSwitchFlag[gr][ch] == 1 {
				si.blockType[gr][ch] = s.bits(2)
				si.mixedBlockFlag[gr][ch] = s.bits(1)
				for r := range 2 {
					si.tableSelect[gr][ch][r] = s.bits(5)
				}
				for w := range 3 {
					si.subblockGain[gr][ch][w] = s.bits(3)
				}
				if si.blockType[gr][ch] == 2 && si.mixedBlockFlag[gr][ch] == 0 {
					si.region0Count[gr][ch] = 8
				} else {
					si.region0Count[gr][ch] = 7
				}
				si.region1Count[gr][ch] = 20 - si.region0Count[gr][ch]
			} else {
				for r := range 3 {
					si.tableSelect[gr][ch][r] = s.bits(5)
				}
				si.region0Count[gr][ch] = s.bits(4)
				si.region1Count[gr][ch] = s.bits(3)
				si.blockType[gr][ch] = 0
			}
			if mpeg1 {
				si.preflag[gr][ch] = s.bits(1)
			}
			si.scalefacScale[gr][ch] = s.bits(1)
			si.count1TableSelect[gr][ch] = s.bits(1)
		}
	}
}
