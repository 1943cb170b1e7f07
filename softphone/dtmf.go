package softphone

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// RFC 4733 telephone-event payloads.

const dtmfDigits = "0123456789*#ABCD"

// dtmfEvent returns the RFC 4733 event code of a digit.
func dtmfEvent(d rune) (byte, bool) {
	i := strings.IndexRune(dtmfDigits, d)
	if i < 0 {
		return 0, false
	}
	return byte(i), true
}

func dtmfDigit(ev byte) (rune, bool) {
	if int(ev) >= len(dtmfDigits) {
		return 0, false
	}
	return rune(dtmfDigits[ev]), true
}

// teEvent is one telephone-event payload (RFC 4733 section 2.3).
type teEvent struct {
	event    byte
	end      bool
	volume   byte // 0..63, as -dBm0
	duration uint16
}

func (e teEvent) marshal() []byte {
	b := make([]byte, 4)
	b[0] = e.event
	b[1] = e.volume & 0x3f
	if e.end {
		b[1] |= 0x80
	}
	binary.BigEndian.PutUint16(b[2:], e.duration)
	return b
}

func parseTE(p []byte) (teEvent, error) {
	if len(p) < 4 {
		return teEvent{}, fmt.Errorf("telephone-event payload of %d bytes", len(p))
	}
	return teEvent{event: p[0], end: p[1]&0x80 != 0, volume: p[1] & 0x3f, duration: binary.BigEndian.Uint16(p[2:])}, nil
}

// validDTMF checks a digit string for SendDTMF.
func validDTMF(digits string) error {
	if digits == "" {
		return &ConfigError{Field: "DTMF digits", Value: digits, Allow: "one or more of 0-9 * # A-D"}
	}
	for _, d := range strings.ToUpper(digits) {
		if _, ok := dtmfEvent(d); !ok {
			return &ConfigError{Field: "DTMF digits", Value: digits, Allow: "one or more of 0-9 * # A-D"}
		}
	}
	return nil
}
