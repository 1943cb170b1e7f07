// Package vorbis decodes Ogg Vorbis (Vorbis I in an Ogg container, RFC 3533)
// to float32 samples, written from the Vorbis I specification. It decodes
// floor type 1 only (floor 0 has not been written by encoders since 2001),
// and refuses anything malformed with an error; it never trusts a header for
// an allocation without a bound.
package vorbis

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// ErrTruncated means the stream ends inside a page.
var ErrTruncated = errors.New("truncated")

// ErrFormat means the stream is not a valid Ogg Vorbis stream.
var ErrFormat = errors.New("malformed")

// ErrUnsupported means a valid but unsupported feature (floor type 0, chained
// streams with another layout).
var ErrUnsupported = errors.New("unsupported")

func formatErr(f string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(f, a...))
}

// packetReader assembles the packets of the first logical stream.
type packetReader struct {
	r       *bufio.Reader
	serial  uint32
	started bool
	segs    []byte // lacing values left on the current page
	body    []byte // body bytes left on the current page
	granule int64  // granule position of the current page
	eos     bool
	pending []byte // a packet continued across pages
}

func newPacketReader(r io.Reader) *packetReader {
	return &packetReader{r: bufio.NewReaderSize(r, 64<<10), granule: -1}
}

// page reads the next page of our stream, skipping other streams' pages.
func (p *packetReader) page() error {
	for {
		var h [27]byte
		if n, err := io.ReadFull(p.r, h[:]); err != nil {
			if n == 0 && errors.Is(err, io.EOF) {
				return io.EOF
			}
			return ErrTruncated
		}
		if !bytes.Equal(h[:4], []byte("OggS")) || h[4] != 0 {
			return formatErr("bad Ogg page header")
		}
		nseg := int(h[26])
		segs := make([]byte, nseg)
		if _, err := io.ReadFull(p.r, segs); err != nil {
			return ErrTruncated
		}
		size := 0
		for _, s := range segs {
			size += int(s)
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(p.r, body); err != nil {
			return ErrTruncated
		}
		serial := uint32(h[14]) | uint32(h[15])<<8 | uint32(h[16])<<16 | uint32(h[17])<<24
		if !p.started {
			p.started, p.serial = true, serial
		} else if serial != p.serial {
			continue
		}
		var g uint64
		for i := 13; i >= 6; i-- {
			g = g<<8 | uint64(h[i])
		}
		p.granule = int64(g)
		p.eos = h[5]&4 != 0
		p.segs, p.body = segs, body
		return nil
	}
}

// packet returns the next whole packet, or io.EOF after the last.
func (p *packetReader) packet() ([]byte, error) {
	for {
		for len(p.segs) > 0 {
			n := int(p.segs[0])
			p.segs = p.segs[1:]
			p.pending = append(p.pending, p.body[:n]...)
			p.body = p.body[n:]
			if n < 255 {
				pk := p.pending
				p.pending = nil
				return pk, nil
			}
		}
		if p.eos {
			return nil, io.EOF
		}
		if err := p.page(); err != nil {
			if errors.Is(err, io.EOF) {
				if len(p.pending) > 0 {
					return nil, ErrTruncated
				}
				return nil, io.EOF
			}
			return nil, err
		}
	}
}
