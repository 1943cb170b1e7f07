package softphone

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/pion/rtp"
)

func TestAccountValidate(t *testing.T) {
	tests := []struct {
		name   string
		acct   Account
		field  string // "" = valid
		domain string
	}{
		{"ws with path", Account{Server: "ws://127.0.0.1:8088/ws", User: "alice"}, "", "127.0.0.1"},
		{"wss with domain", Account{Server: "wss://sip.example.com/", User: "alice", Domain: "example.com"}, "", "example.com"},
		{"http refused", Account{Server: "http://x", User: "alice"}, "server", ""},
		{"no host", Account{Server: "ws:///x", User: "alice"}, "server", ""},
		{"empty user", Account{Server: "ws://x"}, "user", ""},
		{"user with @", Account{Server: "ws://x", User: "a@b"}, "user", ""},
		{"quote in name", Account{Server: "ws://x", User: "a", DisplayName: `A "B"`}, "display name", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, domain, err := tt.acct.validate()
			var ce *ConfigError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("validate: %v", err)
			case tt.field == "" && domain != tt.domain:
				t.Errorf("domain %q, want %q", domain, tt.domain)
			case tt.field != "" && (!errors.As(err, &ce) || ce.Field != tt.field):
				t.Errorf("validate: %v, want a ConfigError on %s", err, tt.field)
			}
		})
	}
}

func TestParseTarget(t *testing.T) {
	p := &Phone{domain: "example.com"}
	tests := []struct{ in, want string }{
		{"bob", "sip:bob@example.com"},
		{"bob@other.org", "sip:bob@other.org"},
		{"sip:carol@example.com", "sip:carol@example.com"},
		{"<sip:carol@example.com>", "sip:carol@example.com"},
		{"tel:+1-555-0100", "sip:+15550100@example.com"},
		{"", ""},
		{"http://x", ""},
	}
	for _, tt := range tests {
		u, err := p.parseTarget(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseTarget(%q) = %v, want an error", tt.in, u.String())
			}
			continue
		}
		if err != nil || u.String() != tt.want {
			t.Errorf("parseTarget(%q) = %q, %v; want %q", tt.in, u.String(), err, tt.want)
		}
	}
}

func TestWithDirection(t *testing.T) {
	in := "v=0\r\no=- 42 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\na=mid:0\r\n"
	for _, dir := range []string{"sendonly", "recvonly", "inactive", "sendrecv"} {
		out := withDirection(in, dir, 3)
		if got := sdpDirection(out); got != dir {
			t.Errorf("direction %q, want %q", got, dir)
		}
		if v := sdpVersion(out); v != 3 {
			t.Errorf("version %d, want 3", v)
		}
	}
	noDir := "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 RTP/AVP 0\r\n"
	if got := sdpDirection(withDirection(noDir, "inactive", 2)); got != "inactive" {
		t.Errorf("added direction %q, want inactive", got)
	}
	tests := []struct {
		offered string
		hold    bool
		want    string
	}{
		{"sendrecv", false, "sendrecv"}, {"sendonly", false, "recvonly"}, {"inactive", false, "inactive"},
		{"recvonly", false, "sendonly"}, {"sendrecv", true, "sendonly"}, {"sendonly", true, "inactive"},
	}
	for _, tt := range tests {
		if got := answerDirection(tt.offered, tt.hold); got != tt.want {
			t.Errorf("answerDirection(%s, hold=%v) = %s, want %s", tt.offered, tt.hold, got, tt.want)
		}
	}
}

func TestG711RoundTrip(t *testing.T) {
	for _, alaw := range []bool{false, true} {
		for _, v := range []int16{0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 32767, -32768} {
			var got int16
			if alaw {
				got = alawToLinear(linearToAlaw(v))
			} else {
				got = ulawToLinear(linearToUlaw(v))
			}
			tol := math.Max(float64(abs16(v))/16, 16)
			if math.Abs(float64(got)-float64(v)) > tol {
				t.Errorf("alaw=%v: %d -> %d", alaw, v, got)
			}
		}
	}
}

func abs16(v int16) int {
	if v < 0 {
		return -int(v)
	}
	return int(v)
}

func TestJitterBufferReordersAndAdapts(t *testing.T) {
	jb := newJitterBuffer(200*time.Millisecond, 48000)
	base := time.Unix(0, 0)
	push := func(seq uint16, at time.Duration) {
		jb.push(&rtp.Packet{Header: rtp.Header{SequenceNumber: seq, Timestamp: uint32(seq) * 960}}, base.Add(at))
	}
	// Arrive in order 1, 3, 2 at a steady pace: played 1, 2, 3.
	push(1, 0)
	push(3, 20*time.Millisecond)
	push(2, 21*time.Millisecond)
	for _, want := range []uint16{1, 2, 3} {
		p := jb.pop()
		if p == nil || p.SequenceNumber != want {
			t.Fatalf("pop = %v, want seq %d", p, want)
		}
	}
	if p := jb.pop(); p != nil {
		t.Fatalf("pop of an empty buffer = %v, want nil", p)
	}
	// Bursty arrival makes the target deeper.
	for i := uint16(10); i < 60; i++ {
		at := time.Duration(i) * 20 * time.Millisecond
		if i%5 == 0 {
			at += 80 * time.Millisecond
		}
		push(i, at)
	}
	if d := jb.depth(); d < 2 {
		t.Errorf("target depth %d frames after jittery arrival, want at least 2", d)
	}
}

func TestTelephoneEvent(t *testing.T) {
	for _, d := range dtmfDigits {
		ev, ok := dtmfEvent(d)
		if !ok {
			t.Fatalf("no event for %c", d)
		}
		b := teEvent{event: ev, end: true, volume: 10, duration: 800}.marshal()
		e, err := parseTE(b)
		if err != nil || !e.end || e.duration != 800 {
			t.Fatalf("parse %x: %+v %v", b, e, err)
		}
		if got, _ := dtmfDigit(e.event); got != d {
			t.Errorf("digit %c -> %c", d, got)
		}
	}
	if err := validDTMF("12#*ABCD"); err != nil {
		t.Error(err)
	}
	if err := validDTMF("12e"); err == nil {
		t.Error("validDTMF(12e) = nil, want an error")
	}
}
