package softphone

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"
)

const seedSDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 AA:BB\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111 0 101\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n" +
	"a=rtpmap:101 telephone-event/8000\r\na=ice-ufrag:abcd\r\na=ice-pwd:x\r\na=sendonly\r\n"

var seedMessages = []string{
	"INVITE sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK1\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>\r\n" +
		"Call-ID: c1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@x;transport=ws>\r\nContent-Type: application/sdp\r\n" +
		"Content-Length: " + strconv.Itoa(len(seedSDP)) + "\r\n\r\n" + seedSDP,
	"INVITE sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK2\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>\r\n" +
		"Call-ID: c2\r\nCSeq: 1 INVITE\r\nContact: <sip:a@x>\r\nReplaces: c9;to-tag=1;from-tag=2\r\nContent-Type: application/sdp\r\n" +
		"Content-Length: " + strconv.Itoa(len(seedSDP)) + "\r\n\r\n" + seedSDP,
	"CANCEL sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK1\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>\r\nCall-ID: c1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n",
	"BYE sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK3\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>;tag=2\r\nCall-ID: c1\r\nCSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n",
	"REFER sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK4\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>;tag=2\r\nCall-ID: c1\r\nCSeq: 3 REFER\r\nRefer-To: <sip:c@t?Replaces=x%3Bto-tag%3D1%3Bfrom-tag%3D2>\r\nContent-Length: 0\r\n\r\n",
	"NOTIFY sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK5\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>;tag=2\r\nCall-ID: c1\r\nCSeq: 4 NOTIFY\r\nEvent: refer\r\nContent-Type: message/sipfrag\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n",
	"INFO sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK8\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>;tag=2\r\nCall-ID: c1\r\nCSeq: 5 INFO\r\nContent-Type: application/dtmf-relay\r\nContent-Length: 22\r\n\r\nSignal=5\r\nDuration=160\r\n",
	"OPTIONS sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k;branch=z9hG4bK6\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>\r\nCall-ID: o1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\nVia: SIP/2.0/WS k;branch=z9hG4bK7\r\nFrom: <sip:a@t>;tag=1\r\nTo: <sip:bob@t>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContact: <sip:b@y>\r\nContent-Length: 0\r\n\r\n",
	"MESSAGE sip:bob@t SIP/2.0\r\nVia: SIP/2.0/WS k\r\nCSeq: 1 MESSAGE\r\n\r\n",
}

// offlinePhone is a phone connected to a local WebSocket server that reads
// and drops everything: the fuzz target feeds it messages directly.
func offlinePhone(t testing.TB) (*Phone, *conn) {
	t.Helper()
	up := websocket.Upgrader{Subprotocols: []string{"sip"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	p, err := New(Account{Server: "ws" + strings.TrimPrefix(srv.URL, "http"), User: "bob", Domain: "t", Password: "x"},
		WithLoopbackICE(), WithCallHandler(CallHandlerFunc(func(context.Context, *Call) Plan { return Ring(0, nil) })))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range p.Events() {
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := p.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := p.waitConn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func FuzzHandleMessage(f *testing.F) {
	for _, s := range seedMessages {
		f.Add([]byte(s))
	}
	p, c := offlinePhone(f)
	parser := sip.NewParser()
	f.Fuzz(func(t *testing.T, data []byte) {
		msg, err := parser.ParseSIP(data)
		if err != nil {
			return
		}
		p.handleMessage(c, msg, data)
	})
}

func FuzzSDP(f *testing.F) {
	f.Add(seedSDP)
	f.Add("v=0\r\nm=audio 0 RTP/AVP 0\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		_ = checkOffer([]byte(s), []string{CodecOpus, CodecPCMU, CodecPCMA})
		_ = ptMapOf(s)
		d := sdpDirection(s)
		out := withDirection(s, "inactive", 7)
		if strings.Contains(s, "\nm=audio") && sdpDirection(out) != "inactive" {
			t.Errorf("withDirection(inactive) gave direction %q (was %q)", sdpDirection(out), d)
		}
		_ = sdpICEUfrag(s)
		_ = sdpVersion(s)
	})
}

func FuzzHeaders(f *testing.F) {
	f.Add("<sip:c@t?Replaces=x%3Bto-tag%3D1%3Bfrom-tag%3D2>", "SIP/2.0 180 Ringing\r\n", []byte{1, 0x8a, 0, 160})
	f.Fuzz(func(t *testing.T, referTo, frag string, te []byte) {
		_, rep, _ := referTarget(referTo)
		_, _, _, _ = replacesParams(rep)
		if c := parseSipfrag([]byte(frag)); c != 0 && (c < 100 || c > 699) {
			t.Errorf("parseSipfrag gave %d", c)
		}
		if e, err := parseTE(te); err == nil {
			b := e.marshal()
			e2, _ := parseTE(b)
			if e2 != e {
				t.Errorf("telephone-event round trip %+v -> %+v", e, e2)
			}
		}
		_ = splitAddrList(referTo)
		_ = addrURI(referTo)
	})
}
