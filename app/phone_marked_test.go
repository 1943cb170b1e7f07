package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v4"
)

// rawPBX plays the PBX side of click-to-call: it sends INVITEs with or
// without auto-answer marks through Kamailio over its own WebSocket, as a
// PBX would (the Ringside softphone has no API to add such headers, and
// should not have one for users).
type rawPBX struct {
	t    *testing.T
	ws   *websocket.Conn
	in   chan sip.Message
	done chan struct{}
}

func newRawPBX(t *testing.T, wsURL string) *rawPBX {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"sip"}, HandshakeTimeout: 10 * time.Second}
	ws, _, err := d.Dial(wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rawPBX{t: t, ws: ws, in: make(chan sip.Message, 32), done: make(chan struct{})}
	go func() {
		defer close(r.done)
		for {
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			m, err := sip.ParseMessage(b)
			if err != nil {
				continue
			}
			if req, ok := m.(*sip.Request); ok && req.Method == sip.BYE {
				res := sip.NewResponseFromRequest(req, 200, "OK", nil)
				_ = ws.WriteMessage(websocket.TextMessage, []byte(res.String()))
			}
			select {
			case r.in <- m:
			default:
			}
		}
	}()
	t.Cleanup(func() { ws.Close(); <-r.done })
	return r
}

// offerSDP is a complete WebRTC audio offer from pion.
func offerSDP(t *testing.T) string {
	t.Helper()
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gathered:
	case <-time.After(phoneWait):
		t.Fatal("ICE gathering did not finish")
	}
	return pc.LocalDescription().SDP
}

func token() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// invite sends an INVITE to target with extra header lines and returns a
// function that cancels it.
func (r *rawPBX) invite(target, sdp string, extra ...string) (cancel func()) {
	r.t.Helper()
	callID, branch, tag := token(), "z9hG4bK"+token(), token()
	head := func(method string) string {
		return fmt.Sprintf("%s %s SIP/2.0\r\nVia: SIP/2.0/WS pbx.invalid;branch=%s;rport\r\nMax-Forwards: 70\r\n"+
			"From: \"Click to call\" <sip:c2c@pbx.invalid>;tag=%s\r\nTo: <%s>\r\nCall-ID: %s\r\nCSeq: 1 %s\r\n",
			method, target, branch, tag, target, callID, method)
	}
	msg := head("INVITE") + "Contact: <sip:c2c@pbx.invalid;transport=ws>\r\n" + strings.Join(extra, "")
	msg += fmt.Sprintf("Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s", len(sdp), sdp)
	if err := r.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		r.t.Fatal(err)
	}
	return func() {
		_ = r.ws.WriteMessage(websocket.TextMessage, []byte(head("CANCEL")+"Content-Length: 0\r\n\r\n"))
	}
}

// response waits for a response with one of codes to the INVITE.
func (r *rawPBX) response(codes ...int) int {
	r.t.Helper()
	deadline := time.After(phoneWait)
	for {
		select {
		case m := <-r.in:
			res, ok := m.(*sip.Response)
			if !ok || res.CSeq().MethodName != sip.INVITE {
				continue
			}
			for _, c := range codes {
				if res.StatusCode == c {
					return c
				}
			}
			if res.StatusCode >= 200 {
				r.t.Fatalf("INVITE answered %d %s, want one of %v", res.StatusCode, res.Reason, codes)
			}
		case <-deadline:
			r.t.Fatalf("no response %v to the INVITE", codes)
		}
	}
}

func TestClickToCallAutoAnswerThroughKamailio(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	a, _ := openTest(t)
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	bob := env.Users[1]
	pw := bob.Password
	if _, err := a.SetAccount(ctx, Account{Server: env.WS + "/ws", User: bob.Name, Domain: env.Domain}, &pw); err != nil {
		t.Fatal(err)
	}
	setPrefs(t, a, "call.auto_answer", "click_to_call")
	startAgent(t, a)
	pbx := newRawPBX(t, env.WS+"/ws")
	bobURI := "sip:" + bob.Name + "@" + env.Domain
	sdp := offerSDP(t)

	// Unmarked: it rings (180) and is not answered.
	cancel := pbx.invite(bobURI, sdp)
	pbx.response(180) // a Ring plan: an auto answer sends 200 without 180
	if cs := a.Calls(); len(cs) != 1 || cs[0].State != "ringing" || cs[0].Origin != "direct" {
		t.Fatalf("unmarked call: %+v", cs)
	}
	cancel()
	pbx.response(487)
	until(t, "the unmarked call to end", func() bool { return len(a.Calls()) == 0 })

	// Marked (Call-Info answer-after=0, as Asterisk and FreeSWITCH send it): answered at once.
	pbx.invite(bobURI, sdp, "Call-Info: <sip:pbx.invalid>;answer-after=0\r\n")
	pbx.response(200)
	var cs []LiveCall
	until(t, "the marked call active", func() bool { // the state follows the 200 by a moment
		cs = a.Calls()
		return len(cs) == 1 && cs[0].State == "active"
	})
	if cs[0].Origin != "click_to_call" || !cs[0].AutoAnswered {
		t.Fatalf("marked call: %+v", cs)
	}
	hctx, hcancel := context.WithTimeout(ctx, phoneWait)
	defer hcancel()
	if _, err := a.Hangup(hctx, ""); err != nil {
		t.Fatal(err)
	}
	h := lastHistory(t, a, 2)
	if h[0].Origin != "click_to_call" || h[0].Result != ResultAnswered || h[1].Result != ResultMissed || h[1].Missed != true {
		t.Fatalf("history: %+v", h[:2])
	}
}
