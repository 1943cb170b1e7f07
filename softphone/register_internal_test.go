package softphone

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"
	"github.com/icholy/digest"
)

// fakeRegistrar challenges the first REGISTER, then grants a 2 s expiry, so
// the phone must refresh; it fails the test if two REGISTERs are ever in
// flight, and records what it saw.
type fakeRegistrar struct {
	t        *testing.T
	mu       sync.Mutex
	inFlight bool
	regs     []*sip.Request
	authed   int
	got      chan struct{}
}

func (f *fakeRegistrar) serve(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{Subprotocols: []string{"sip"}}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer ws.Close()
	var wmu sync.Mutex
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
		if !ok || req.Method != sip.REGISTER {
			continue
		}
		f.mu.Lock()
		if f.inFlight {
			f.t.Errorf("a second REGISTER while one is in flight")
		}
		f.inFlight = true
		f.regs = append(f.regs, req)
		f.mu.Unlock()
		go func() {
			time.Sleep(50 * time.Millisecond) // a slow registrar
			var res *sip.Response
			if auth := headerValue(req, "Authorization"); auth == "" {
				res = sip.NewResponseFromRequest(req, 401, "Unauthorized", nil)
				res.AppendHeader(sip.NewHeader("WWW-Authenticate", `Digest realm="t", nonce="abc", algorithm=MD5, qop="auth"`))
			} else {
				cred, err := digest.ParseCredentials(auth)
				if err != nil || cred.Username != "alice-auth" {
					f.t.Errorf("credentials %q: %v", auth, err)
				}
				want, _ := digest.Digest(&digest.Challenge{Realm: "t", Nonce: "abc", Algorithm: "MD5", QOP: []string{"auth"}},
					digest.Options{Method: "REGISTER", URI: cred.URI, Username: "alice-auth", Password: "secret", Cnonce: cred.Cnonce, Count: cred.Nc})
				if want == nil || want.Response != cred.Response {
					f.t.Errorf("digest response does not match the password")
				}
				f.mu.Lock()
				f.authed++
				f.mu.Unlock()
				res = sip.NewResponseFromRequest(req, 200, "OK", nil)
				ct := req.Contact().Clone()
				ct.Params.Add("expires", "2")
				res.AppendHeader(ct)
			}
			f.mu.Lock()
			f.inFlight = false
			f.mu.Unlock()
			wmu.Lock()
			_ = ws.WriteMessage(websocket.TextMessage, []byte(res.String()))
			wmu.Unlock()
			select {
			case f.got <- struct{}{}:
			default:
			}
		}()
	}
}

func TestRegisterAuthRefreshAndUnregister(t *testing.T) {
	f := &fakeRegistrar{t: t, got: make(chan struct{}, 1)}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	defer srv.Close()
	p, err := New(Account{Server: "ws" + strings.TrimPrefix(srv.URL, "http") + "/ws", User: "alice", AuthUser: "alice-auth", Domain: "t", Password: "secret"},
		WithInstanceID("urn:uuid:00000000-0000-4000-8000-000000000001"), WithRegisterExpiry(60*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var regEvents []RegistrationEvent
	evDone := make(chan struct{})
	go func() {
		defer close(evDone)
		for e := range p.Events() {
			if r, ok := e.(RegistrationEvent); ok {
				regEvents = append(regEvents, r)
			}
		}
	}()
	// Wait for three successful REGISTERs: the first and two refreshes.
	deadline := time.After(30 * time.Second)
	for {
		f.mu.Lock()
		n := f.authed
		f.mu.Unlock()
		if n >= 3 {
			break
		}
		select {
		case <-f.got:
		case <-deadline:
			t.Fatalf("%d authenticated REGISTERs, want 3", n)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	<-evDone
	f.mu.Lock()
	defer f.mu.Unlock()
	first, last := f.regs[0], f.regs[len(f.regs)-1]
	if ct := first.Contact(); ct == nil || ct.Params.GetOr("reg-id", "") != "1" ||
		ct.Params.GetOr("+sip.instance", "") != `"<urn:uuid:00000000-0000-4000-8000-000000000001>"` {
		t.Errorf("Contact %v lacks RFC 5626 reg-id/+sip.instance", first.Contact())
	}
	if !strings.Contains(first.Contact().Address.String(), "transport=ws") {
		t.Errorf("Contact %v lacks transport=ws", first.Contact())
	}
	if first.CallID().Value() != last.CallID().Value() || last.CSeq().SeqNo <= first.CSeq().SeqNo {
		t.Errorf("REGISTERs do not share the Call-ID with rising CSeq")
	}
	if headerValue(last, "Expires") != "0" {
		t.Errorf("last REGISTER has Expires %q, want 0 (un-REGISTER on Close)", headerValue(last, "Expires"))
	}
	sawRegistered := false
	for _, r := range regEvents {
		if r.State == RegRegistered && r.Expires == 2*time.Second {
			sawRegistered = true
		}
	}
	if !sawRegistered {
		t.Errorf("no RegRegistered event with the granted 2 s; events %+v", regEvents)
	}
}
