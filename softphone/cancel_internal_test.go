package softphone

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"
)

// Call.Cancel, the first step of a semi-attended transfer, against a far
// end that rings, then meets our CANCEL in one of three ways: 487
// (cancelled), a 200 OK to the INVITE sent just before the CANCEL arrived
// (an answer crossing the CANCEL: the call is kept, active), or 486 sent
// just before (the far end refused first).
func TestTransferCancelCrossing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer int // the final response to the INVITE once CANCEL arrives
		want   func(error) bool
		state  CallState
		reason EndReason
		after  []string // requests after the INVITE
	}{
		{"cancelled", 487, func(err error) bool { return err == nil }, CallEnded, EndLocalHangup,
			[]string{"CANCEL", "ACK"}},
		{"answered before the CANCEL", 200, func(err error) bool { return errors.Is(err, ErrAnswered) }, CallActive, "",
			[]string{"CANCEL", "ACK", "BYE"}},
		{"refused before the CANCEL", 486, func(err error) bool {
			var se *StatusError
			return errors.As(err, &se) && se.Code == 486 && se.Method == "INVITE"
		}, CallEnded, EndRejected, []string{"CANCEL", "ACK"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p *Phone
			var mu sync.Mutex
			var seen []string
			var answerMS *mediaSession
			up := websocket.Upgrader{Subprotocols: []string{"sip"}}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ws, err := up.Upgrade(w, r, nil)
				if err != nil {
					return
				}
				defer ws.Close()
				send := func(res *sip.Response) { _ = ws.WriteMessage(websocket.TextMessage, []byte(res.String())) }
				var invite *sip.Request
				reply := func(req *sip.Request, code int, reason string, body []byte) *sip.Response {
					res := sip.NewResponseFromRequest(req, code, reason, body)
					if req.Method == sip.INVITE && code > 100 {
						res.To().Params.Add("tag", "far1")
					}
					return res
				}
				for {
					_, data, err := ws.ReadMessage()
					if err != nil {
						return
					}
					msg, err := sip.ParseMessage(data)
					if err != nil {
						continue
					}
					req, ok := msg.(*sip.Request)
					if !ok {
						continue
					}
					if req.Method != sip.REGISTER {
						mu.Lock()
						seen = append(seen, string(req.Method))
						mu.Unlock()
					}
					switch req.Method {
					case sip.REGISTER, sip.BYE:
						send(sip.NewResponseFromRequest(req, 200, "OK", nil))
					case sip.INVITE:
						invite = req
						send(reply(req, 100, "Trying", nil))
						send(reply(req, 180, "Ringing", nil))
					case sip.CANCEL:
						switch tc.answer {
						case 200:
							// The far end answered just before the CANCEL.
							c := p.newCall(Incoming)
							ms, err := p.newMediaSession(c, Media{})
							if err != nil {
								t.Error(err)
								return
							}
							mu.Lock()
							answerMS = ms
							mu.Unlock()
							ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
							sdp, err := ms.answer(ctx, string(invite.Body()))
							cancel()
							if err != nil {
								t.Error(err)
								return
							}
							res := reply(invite, 200, "OK", []byte(sdp))
							res.AppendHeader(sip.NewHeader("Content-Type", "application/sdp"))
							res.AppendHeader(sip.NewHeader("Contact", "<sip:carol@127.0.0.1;transport=ws>"))
							send(res)
							send(sip.NewResponseFromRequest(req, 200, "OK", nil))
						case 486:
							send(reply(invite, 486, "Busy Here", nil))
							send(sip.NewResponseFromRequest(req, 200, "OK", nil))
						default:
							send(sip.NewResponseFromRequest(req, 200, "OK", nil))
							send(reply(invite, 487, "Request Terminated", nil))
						}
					}
				}
			}))
			defer srv.Close()
			var err error
			p, err = New(Account{Server: "ws" + strings.TrimPrefix(srv.URL, "http"), User: "alice", Domain: "t", Password: "pw"}, WithLoopbackICE())
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				for range p.Events() {
				}
			}()
			defer func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = p.Close(ctx)
				mu.Lock()
				if answerMS != nil {
					answerMS.close()
				}
				mu.Unlock()
			}()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			type dialed struct {
				c   *Call
				err error
			}
			done := make(chan dialed, 1)
			go func() {
				c, err := p.Dial(ctx, "carol", Media{})
				done <- dialed{c, err}
			}()
			var c *Call
			for deadline := time.Now().Add(10 * time.Second); c == nil; time.Sleep(5 * time.Millisecond) {
				for _, x := range p.Calls() {
					if x.State() == CallAlerting {
						c = x
					}
				}
				if time.Now().After(deadline) {
					t.Fatal("the call did not ring")
				}
			}
			if err := c.Cancel(ctx); !tc.want(err) {
				t.Fatalf("Cancel: %v", err)
			}
			if st := c.State(); st != tc.state {
				t.Fatalf("after Cancel the call is %s, want %s", st, tc.state)
			}
			d := <-done
			if tc.state == CallActive {
				if d.err != nil || d.c != c {
					t.Errorf("Dial of the call kept active: %v %v", d.c, d.err)
				}
				if err := c.Hangup(ctx); err != nil {
					t.Fatal(err)
				}
			} else {
				if d.err == nil {
					t.Error("Dial of the cancelled call returned no error")
				}
				if e := c.Ended(); e == nil || e.Reason != tc.reason {
					t.Errorf("ended: %+v, want %q", e, tc.reason)
				}
			}
			want := append([]string{"INVITE"}, tc.after...)
			var got []string
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
				mu.Lock()
				got = append(got[:0], seen...)
				mu.Unlock()
				if len(got) >= len(want) || time.Now().After(deadline) {
					break
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("requests %v, want %v", got, want)
			}
		})
	}
}
