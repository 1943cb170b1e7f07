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

// A proxy that challenges the INVITE (407), then redirects it (302), then
// rejects the call at the new target (486): the phone answers the
// challenge, follows the redirect itself, ACKs each final response, and
// reports the rejection.
func TestInviteAuthRedirectReject(t *testing.T) {
	var mu sync.Mutex
	var seen []*sip.Request
	up := websocket.Upgrader{Subprotocols: []string{"sip"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer ws.Close()
		invites := 0
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
			mu.Lock()
			seen = append(seen, req)
			mu.Unlock()
			var res *sip.Response
			switch req.Method {
			case sip.REGISTER:
				res = sip.NewResponseFromRequest(req, 200, "OK", nil)
			case sip.INVITE:
				invites++
				switch invites {
				case 1:
					res = sip.NewResponseFromRequest(req, 407, "Proxy Authentication Required", nil)
					res.AppendHeader(sip.NewHeader("Proxy-Authenticate", `Digest realm="t", nonce="n1", algorithm=MD5`))
				case 2:
					if headerValue(req, "Proxy-Authorization") == "" {
						t.Errorf("second INVITE without Proxy-Authorization")
					}
					_ = ws.WriteMessage(websocket.TextMessage, []byte(sip.NewResponseFromRequest(req, 100, "Trying", nil).String()))
					res = sip.NewResponseFromRequest(req, 302, "Moved Temporarily", nil)
					res.AppendHeader(sip.NewHeader("Contact", "<sip:carol@t>"))
				default:
					res = sip.NewResponseFromRequest(req, 486, "Busy Here", nil)
				}
			}
			if res != nil {
				_ = ws.WriteMessage(websocket.TextMessage, []byte(res.String()))
			}
		}
	}))
	defer srv.Close()
	p, err := New(Account{Server: "ws" + strings.TrimPrefix(srv.URL, "http"), User: "alice", Domain: "t", Password: "pw"}, WithLoopbackICE())
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
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = p.Dial(ctx, "bob", Media{})
	var se *StatusError
	if !errors.As(err, &se) || se.Code != 486 {
		t.Fatalf("Dial: %v, want 486 from the redirect target", err)
	}
	var got []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		got = got[:0]
		for _, r := range seen {
			if r.Method != sip.REGISTER {
				got = append(got, string(r.Method)+" "+r.Recipient.String())
			}
		}
		mu.Unlock()
		if len(got) >= 6 || time.Now().After(deadline) { // the last ACK may still be on its way
			break
		}
	}
	want := []string{"INVITE sip:bob@t", "ACK sip:bob@t", "INVITE sip:bob@t", "ACK sip:bob@t", "INVITE sip:carol@t", "ACK sip:carol@t"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
