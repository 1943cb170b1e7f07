// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "errors"

// errHuffman is an illegal code word (go-mp3: "illegal Huff code").
var errHuffman = errors.New("mp3: illegal Huffman code in data")

// A lookup table replaces go-mp3's bit-by-bit tree walk. Its first level is
// indexed by the next primary bits; an entry is a leaf (value, length), a
// link to a second-level table indexed by the bits after those, or an error
// (a path that leaves the tree, which go-mp3 reports as an illegal code).
type huffLookup struct {
	primary uint // bits indexing the first level
	entries []uint32
}

const (
	hlLink  = 1 << 30 // entries[i] & 0xffff is the offset, >>16 & 31 the bits
	hlError = 1 << 31
)

// huffLookups is indexed by table number; nil for tables 0, 4 and 14, which
// decode as zeros without reading bits.
var huffLookups [34]*huffLookup

func init() {
	byTree := map[*uint16]*huffLookup{}
	for i, t := range huffmanTrees {
		if t.treelen == 0 {
			continue
		}
		if l, ok := byTree[&t.tree[0]]; ok {
			huffLookups[i] = l
			continue
		}
		l := buildLookup(t.tree, t.treelen)
		byTree[&t.tree[0]] = l
		huffLookups[i] = l
	}
}

// huffCode is one code word: its bits (right-aligned), length, and value
// (xy), or err for a path leaving the tree.
type huffCode struct {
	bits   uint32
	length uint
	value  uint8
	err    bool
}

// walkTree enumerates the code words of a tree exactly as go-mp3's Decode
// walks it.
func walkTree(tree []uint16, treelen int, point int, bits uint32, depth uint, out *[]huffCode) {
	if tree[point]&0xff00 == 0 {
		*out = append(*out, huffCode{bits: bits, length: depth, value: uint8(tree[point])})
		return
	}
	for bit := range 2 {
		p := point
		if bit == 1 {
			for tree[p]&0xff >= 250 {
				p += int(tree[p]) & 0xff
			}
			p += int(tree[p]) & 0xff
		} else {
			for tree[p]>>8 >= 250 {
				p += int(tree[p]) >> 8
			}
			p += int(tree[p]) >> 8
		}
		if depth+1 >= 32 || p >= treelen {
			*out = append(*out, huffCode{bits: bits<<1 | uint32(bit), length: depth + 1, err: true})
			continue
		}
		walkTree(tree, treelen, p, bits<<1|uint32(bit), depth+1, out)
	}
}

func buildLookup(tree []uint16, treelen int) *huffLookup {
	var codes []huffCode
	walkTree(tree, treelen, 0, 0, 0, &codes)
	maxLen := uint(0)
	for _, c := range codes {
		maxLen = max(maxLen, c.length)
	}
	l := &huffLookup{primary: min(maxLen, 8)}
	p := l.primary
	l.entries = make([]uint32, 1<<p)
	leaf := func(c huffCode) uint32 {
		if c.err {
			return hlError
		}
		return uint32(c.length)<<8 | uint32(c.value)
	}
	// Longest code under each primary prefix, for the second-level sizes.
	subLen := make([]uint, 1<<p)
	for _, c := range codes {
		if c.length > p {
			pre := c.bits >> (c.length - p)
			subLen[pre] = max(subLen[pre], c.length-p)
		}
	}
	for pre, n := range subLen {
		if n > 0 {
			l.entries[pre] = hlLink | uint32(n)<<16 | uint32(len(l.entries))
			l.entries = append(l.entries, make([]uint32, 1<<n)...)
		}
	}
	for _, c := range codes {
		if c.length <= p {
			shift := p - c.length
			for k := range uint32(1) << shift {
				l.entries[c.bits<<shift|k] = leaf(c)
			}
			continue
		}
		link := l.entries[c.bits>>(c.length-p)]
		n := uint(link>>16) & 31
		off := link & 0xffff
		rest := c.bits & (1<<(c.length-p) - 1)
		shift := n - (c.length - p)
		for k := range uint32(1) << shift {
			l.entries[off+(rest<<shift|k)] = leaf(c)
		}
	}
	return l
}

// lookup returns the leaf (or error) entry for the code word at the top of
// v: value in bits 0-7, length in bits 8-12.
func (l *huffLookup) lookup(v uint32) uint32 {
	e := l.entries[v>>(32-l.primary)]
	if e&hlLink != 0 {
		n := uint(e>>16) & 31
		e = l.entries[e&0xffff+(v<<l.primary)>>(32-n)]
	}
	return e
}

// decode reads one code word and returns its value (xy).
func (l *huffLookup) decode(b *bitReader) (uint8, error) {
	e := l.lookup(b.peek())
	if e&hlError != 0 {
		return 0, errHuffman
	}
	b.skipSerial(int(e>>8) & 31)
	return uint8(e), nil
}
