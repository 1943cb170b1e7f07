package softphone_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// rawClient speaks raw SIP over WebSocket to Kamailio, as an outside caller
// that needs no account (calls to local users are accepted unauthenticated).
type rawClient struct {
	t      testing.TB
	ws     *websocket.Conn
	mu     sync.Mutex
	finals map[string]int // Call-ID -> final status
	notify chan struct{}
	done   chan struct{}
}

func dialRaw(t testing.TB, env softphonetest.KamailioEnv) *rawClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"sip"}}
	ws, _, err := d.Dial(env.WS, nil)
	if err != nil {
		t.Fatalf("raw dial: %v", err)
	}
	rc := &rawClient{t: t, ws: ws, finals: map[string]int{}, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(rc.done)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			msg := string(data)
			if !strings.HasPrefix(msg, "SIP/2.0 ") {
				continue
			}
			code, _ := strconv.Atoi(msg[8:11])
			if code < 200 {
				continue
			}
			cid := headerOf(msg, "Call-ID")
			rc.mu.Lock()
			rc.finals[cid] = code
			rc.mu.Unlock()
			select {
			case rc.notify <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() { ws.Close(); <-rc.done })
	return rc
}

func headerOf(msg, name string) string {
	for _, line := range strings.Split(msg, "\r\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

const goodSDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=fingerprint:sha-256 " +
	"AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n" +
	"a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\na=mid:0\r\na=sendrecv\r\n"

// invite sends an INVITE from an outside caller to user with the given body.
func (rc *rawClient) invite(env softphonetest.KamailioEnv, user, callID, ctype, body string) {
	rc.t.Helper()
	msg := fmt.Sprintf("INVITE sip:%[1]s@%[2]s SIP/2.0\r\n"+
		"Via: SIP/2.0/WS raw.invalid;branch=z9hG4bK%[3]s\r\n"+
		"Max-Forwards: 70\r\n"+
		"From: <sip:flood@outside.example>;tag=%[3]s\r\n"+
		"To: <sip:%[1]s@%[2]s>\r\n"+
		"Call-ID: %[3]s\r\n"+
		"CSeq: 1 INVITE\r\n"+
		"Contact: <sip:flood@raw.invalid;transport=ws>\r\n", user, env.Domain, callID)
	if ctype != "" {
		msg += "Content-Type: " + ctype + "\r\n"
	}
	msg += fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
	if err := rc.ws.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		rc.t.Fatalf("raw write: %v", err)
	}
}

func (rc *rawClient) final(callID string) int {
	rc.t.Helper()
	ctx := ctxWait(rc.t)
	for {
		rc.mu.Lock()
		code, ok := rc.finals[callID]
		rc.mu.Unlock()
		if ok {
			return code
		}
		select {
		case <-rc.notify:
		case <-ctx.Done():
			rc.t.Fatalf("no final response for %s", callID)
		}
	}
}

func (rc *rawClient) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.finals)
}

// rejectOutsiders answers the test's outside callers 486 and everyone else
// with media, as an app policy would.
func rejectOutsiders(mk func() softphone.Media) softphone.CallHandler {
	return softphone.CallHandlerFunc(func(ctx context.Context, c *softphone.Call) softphone.Plan {
		if strings.Contains(c.Remote(), "outside.example") {
			return softphone.Reject(486)
		}
		return softphone.AnswerWith(mk())
	})
}

func TestBadInputFromNetwork(t *testing.T) {
	env := kamailio(t)
	bob := newPhone(t, env, 1, rejectOutsiders(func() softphone.Media { return softphone.Media{} }))
	bob.registered()
	rc := dialRaw(t, env)
	bob1 := env.Users[1].Name
	tests := []struct {
		name, ctype, body string
		want              int
	}{
		{"no body", "", "", 488},
		{"not SDP", "text/plain", "hello", 415},
		{"garbage SDP", "application/sdp", "this is not SDP at all\r\n", 488},
		{"no audio", "application/sdp", strings.Replace(goodSDP, "m=audio", "m=video", 1), 488},
		{"unknown codec", "application/sdp", strings.ReplaceAll(strings.ReplaceAll(goodSDP, "opus/48000/2", "G729/8000"), " 111", " 18"), 488},
		{"plain RTP", "application/sdp", strings.Replace(goodSDP, "a=fingerprint:", "a=x-fingerprint:", 1), 488},
		{"huge body", "application/sdp", goodSDP + strings.Repeat("a=x-pad:"+strings.Repeat("x", 70)+"\r\n", 500), 413},
		{"valid offer, policy says busy", "application/sdp", goodSDP, 486},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cid := fmt.Sprintf("bad%d-%d", i, len(tt.body))
			rc.invite(env, bob1, cid, tt.ctype, tt.body)
			if got := rc.final(cid); got != tt.want {
				t.Errorf("final response %d, want %d", got, tt.want)
			}
		})
	}
	// The policy's 486 ended a call; wait for its end before counting.
	bob.next("declined call ended", func(e softphone.Event) bool {
		x, ok := e.(softphone.EndedEvent)
		return ok && x.Reason == softphone.EndDeclined
	})
	if n := len(bob.Calls()); n != 0 {
		t.Errorf("bob holds %d calls after bad input, want 0", n)
	}
}

// 200 INVITEs as fast as the socket takes them, then a real call.
func TestInviteFlood(t *testing.T) {
	env := kamailio(t)
	bobEar := softphonetest.NewProbe()
	bob := newPhone(t, env, 1, rejectOutsiders(func() softphone.Media {
		return softphone.Media{Source: &softphonetest.Tone{Freq: 1000}, Sink: bobEar}
	}))
	alice := newPhone(t, env, 0, nil)
	alice.registered()
	bob.registered()
	rc := dialRaw(t, env)
	const n = 200
	for i := 0; i < n; i++ {
		body := goodSDP
		if i%4 == 3 {
			body = "garbage"
		}
		rc.invite(env, env.Users[1].Name, fmt.Sprintf("flood%d", i), "application/sdp", body)
	}
	for i := 0; i < n; i++ {
		if code := rc.final(fmt.Sprintf("flood%d", i)); code < 400 {
			t.Fatalf("flood INVITE %d answered %d", i, code)
		}
	}
	call, err := alice.Dial(ctxWait(t), env.Users[1].Name, softphone.Media{Source: &softphonetest.Tone{Freq: 440}})
	if err != nil {
		t.Fatalf("real call after the flood: %v", err)
	}
	checkTone(t, "bob", bobEar, 440, 1000)
	_ = call.Hangup(ctxWait(t))
	bob.next("real call ended", func(e softphone.Event) bool {
		x, ok := e.(softphone.EndedEvent)
		return ok && x.Reason == softphone.EndRemoteHangup
	})
	if got := len(bob.Calls()); got != 0 {
		t.Errorf("bob holds %d calls, want 0", got)
	}
}
