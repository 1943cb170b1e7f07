package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emiago/sipgo/sip"
	"github.com/gorilla/websocket"

	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// TestAttendedTransferThroughKamailio runs attended transfers with three
// real Apps through Kamailio: the caller (alice) calls the agent (bob), who
// answers, talks first to the target (carol) and completes the transfer:
// once carol answered (REFER with Replaces), and while carol's phone still
// rings (the consultation is cancelled and alice is sent to carol with a
// blind REFER). Then what goes wrong: carol declining before the agent
// completes, carol declining alice's transferred call, and the REFER refused
// (by a relay in front of the agent that answers every REFER with 403).
// Then blind transfers (Transfer): carol declines alice's call (it stays
// with the agent, TransferCode 603), carol answers (the agent's call ends),
// and the REFER refused (a *softphone.StatusError naming 403).
// Uses the app's Kamailio users (group 0).
func TestAttendedTransferThroughKamailio(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	relay := newReferRelay(t, env.WS+"/ws")
	agent := transferApp(t, env, 1, relay.url, "Bob Agent")
	caller := transferApp(t, env, 0, env.WS+"/ws", "Alice Caller")
	target := transferApp(t, env, 2, env.WS+"/ws", "Carol Target")
	agentURI := "sip:" + env.Users[1].Name + "@" + env.Domain
	callerURI := "sip:" + env.Users[0].Name + "@" + env.Domain
	targetURI := "sip:" + env.Users[2].Name + "@" + env.Domain

	// talking sets up the caller's call to the agent and returns its id at
	// the agent and at the caller.
	talking := func(t *testing.T) (held, callerCall string) {
		t.Helper()
		for _, a := range []*App{agent, caller, target} {
			until(t, "no calls left from the previous case", func() bool { return len(a.Calls()) == 0 })
		}
		go caller.Call(ctx, agentURI)
		held = answerRinging(t, agent, "alice", nil)
		until(t, "alice's call to be answered", func() bool {
			cs := caller.Calls()
			if len(cs) == 1 && cs[0].State == "active" {
				callerCall = cs[0].ID
				return true
			}
			return false
		})
		return held, callerCall
	}
	// consult puts held on hold and calls carol, whose phone rings.
	consult := func(t *testing.T, held string) (consultID, atTarget string) {
		t.Helper()
		lc, err := agent.Consult(ctx, held, targetURI)
		if err != nil {
			t.Fatalf("Consult: %v", err)
		}
		if lc.State != "alerting" {
			t.Fatalf("the consultation is %s, want alerting", lc.State)
		}
		until(t, "carol's phone to ring", func() bool {
			cs := target.Calls()
			if len(cs) == 1 && cs[0].State == "ringing" {
				atTarget = cs[0].ID
				return true
			}
			return false
		})
		if !onHold(agent, held) {
			t.Fatal("the caller is not on hold during the consultation")
		}
		return lc.ID, atTarget
	}
	// connected waits until the caller and carol talk to each other and
	// the agent has no call left.
	connected := func(t *testing.T, callerCall, consultAtTarget string) {
		t.Helper()
		until(t, "the agent to leave both calls", func() bool { return len(agent.Calls()) == 0 })
		until(t, "alice to talk to carol", func() bool {
			cs := caller.Calls()
			return len(cs) == 1 && cs[0].State == "active" && cs[0].Peer == targetURI && cs[0].ID != callerCall
		})
		until(t, "carol to talk to alice", func() bool {
			cs := target.Calls()
			return len(cs) == 1 && cs[0].State == "active" && cs[0].Peer == callerURI && cs[0].ID != consultAtTarget
		})
		if _, err := caller.Hangup(ctx, ""); err != nil {
			t.Fatal(err)
		}
		until(t, "carol's call to end", func() bool { return len(target.Calls()) == 0 })
	}

	t.Run("complete once the target answered", func(t *testing.T) {
		held, callerCall := talking(t)
		consultID, atTarget := consult(t, held)
		if err := target.Answer(ctx, atTarget); err != nil {
			t.Fatal(err)
		}
		until(t, "the consultation to be answered", func() bool { return state(agent, consultID) == "active" })
		if err := agent.CompleteTransfer(ctx, held, consultID); err != nil {
			t.Fatalf("CompleteTransfer: %v", err)
		}
		connected(t, callerCall, atTarget)
		checkHistory(t, agent, map[string][2]string{
			held:      {ResultAnswered, EndedByLocal},
			consultID: {ResultAnswered, EndedByRemote}, // carol's phone hangs up the replaced call
		})
	})

	t.Run("complete while the target still rings, then the target answers", func(t *testing.T) {
		held, callerCall := talking(t)
		consultID, atTarget := consult(t, held)
		start := time.Now()
		if err := agent.CompleteTransfer(ctx, held, consultID); err != nil {
			t.Fatalf("CompleteTransfer while carol rings: %v", err)
		}
		t.Logf("CompleteTransfer while ringing took %v (CANCEL, 487, REFER, 202)", time.Since(start).Round(time.Millisecond))
		// The consultation is cancelled; alice's call now rings at carol.
		if lc, ok := call(agent, consultID); ok {
			t.Errorf("the consultation is still there: %+v", lc)
		}
		var fromCaller string
		until(t, "alice's call to ring at carol", func() bool {
			cs := target.Calls()
			if len(cs) == 1 && cs[0].State == "ringing" && cs[0].Peer == callerURI {
				fromCaller = cs[0].ID
				return true
			}
			return false
		})
		if fromCaller == atTarget {
			t.Fatal("carol's ringing call is still the agent's")
		}
		if lc, ok := call(agent, held); !ok || !lc.Held || lc.TransferCode < 100 || lc.TransferDone {
			t.Errorf("while carol rings the agent's call with alice is %+v (%v)", lc, ok)
		}
		if err := target.Answer(ctx, fromCaller); err != nil {
			t.Fatal(err)
		}
		connected(t, callerCall, atTarget)
		checkHistory(t, agent, map[string][2]string{
			held:      {ResultAnswered, EndedByLocal},
			consultID: {ResultCancelled, EndedByLocal},
		})
		checkHistory(t, target, map[string][2]string{
			atTarget:   {ResultMissed, EndedByRemote},
			fromCaller: {ResultAnswered, EndedByRemote},
		})
	})

	t.Run("the target answers just as the agent completes", func(t *testing.T) {
		// The relay keeps the agent's CANCEL back until carol has
		// answered: her 200 OK crosses the CANCEL, the consultation is
		// active, and the transfer goes the Replaces way.
		relay.holdCancel.Store(true)
		defer relay.holdCancel.Store(false)
		held, callerCall := talking(t)
		consultID, atTarget := consult(t, held)
		done := make(chan error, 1)
		go func() { done <- agent.CompleteTransfer(ctx, held, consultID) }()
		select {
		case <-relay.held:
		case <-time.After(phoneWait):
			t.Fatal("no CANCEL from the agent")
		}
		if err := target.Answer(ctx, atTarget); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("CompleteTransfer with carol's answer crossing the CANCEL: %v", err)
			}
		case <-time.After(phoneWait):
			t.Fatal("CompleteTransfer did not return")
		}
		relay.release() // Kamailio answers the late CANCEL; carol's call is not touched
		connected(t, callerCall, atTarget)
		checkHistory(t, agent, map[string][2]string{
			held:      {ResultAnswered, EndedByLocal},
			consultID: {ResultAnswered, EndedByRemote}, // replaced at carol's phone
		})
		checkHistory(t, target, map[string][2]string{atTarget: {ResultAnswered, EndedByLocal}})
	})

	t.Run("the target declines before the agent completes", func(t *testing.T) {
		held, _ := talking(t)
		consultID, atTarget := consult(t, held)
		if _, err := target.Hangup(ctx, atTarget); err != nil { // 603 Decline
			t.Fatal(err)
		}
		until(t, "the consultation to end", func() bool { _, ok := call(agent, consultID); return !ok })
		err := agent.CompleteTransfer(ctx, held, consultID)
		var te *TransferError
		if !errors.As(err, &te) || !errors.Is(err, ErrNoSuchCall) || !strings.Contains(err.Error(), "is on hold") {
			t.Fatalf("CompleteTransfer after carol declined: %v", err)
		}
		t.Logf("the agent reads: %v", err)
		stillOnHold(t, agent, caller, held)
	})

	// ringsAtCarol waits for alice's transferred call to ring at carol and
	// returns its id there.
	ringsAtCarol := func(t *testing.T) (atTarget string) {
		t.Helper()
		until(t, "alice's call to ring at carol", func() bool {
			cs := target.Calls()
			if len(cs) == 1 && cs[0].State == "ringing" && cs[0].Peer == callerURI {
				atTarget = cs[0].ID
				return true
			}
			return false
		})
		return atTarget
	}
	// declined: carol declines alice's transferred call; it stays with the
	// agent, on hold.
	declined := func(t *testing.T, held, callerCall, atTarget string) {
		t.Helper()
		if _, err := target.Hangup(ctx, atTarget); err != nil { // 603 Decline
			t.Fatal(err)
		}
		until(t, "the transfer's failure at the agent", func() bool {
			lc, ok := call(agent, held)
			return ok && lc.TransferDone && lc.TransferCode == 603
		})
		if cs := caller.Calls(); len(cs) != 1 || cs[0].ID != callerCall {
			t.Fatalf("alice's calls after carol declined: %+v", cs)
		}
		stillOnHold(t, agent, caller, held)
	}

	t.Run("the target declines the transferred caller", func(t *testing.T) {
		held, callerCall := talking(t)
		consultID, _ := consult(t, held)
		if err := agent.CompleteTransfer(ctx, held, consultID); err != nil {
			t.Fatalf("CompleteTransfer while carol rings: %v", err)
		}
		declined(t, held, callerCall, ringsAtCarol(t))
	})

	t.Run("the REFER is refused", func(t *testing.T) {
		relay.refuse.Store(true)
		defer relay.refuse.Store(false)
		held, callerCall := talking(t)
		consultID, atTarget := consult(t, held)
		err := agent.CompleteTransfer(ctx, held, consultID)
		var se *softphone.StatusError
		if !errors.As(err, &se) || se.Code != 403 || se.Method != "REFER" {
			t.Fatalf("CompleteTransfer with the REFER refused: %v", err)
		}
		msg := err.Error()
		for _, want := range []string{"refused the transfer", "403 Forbidden", "was cancelled", "is on hold"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the message does not say %q: %s", want, msg)
			}
		}
		t.Logf("the agent reads: %v", err)
		until(t, "carol's phone to stop ringing", func() bool { return len(target.Calls()) == 0 })
		checkHistory(t, target, map[string][2]string{atTarget: {ResultMissed, EndedByRemote}})
		if cs := caller.Calls(); len(cs) != 1 || cs[0].ID != callerCall {
			t.Fatalf("alice's calls after the refusal: %+v", cs)
		}
		stillOnHold(t, agent, caller, held)
	})

	// Blind transfers (Transfer, "Transfer now" in the window): alice is
	// sent to carol at once; the agent's call follows her call to carol.
	blind := func(t *testing.T, held string) (atTarget string) {
		t.Helper()
		if err := agent.Transfer(ctx, held, targetURI); err != nil {
			t.Fatalf("Transfer: %v", err)
		}
		if lc, ok := call(agent, held); !ok || lc.TransferCode < 100 {
			t.Fatalf("the agent's call once the REFER was accepted: %+v", lc)
		}
		return ringsAtCarol(t)
	}

	t.Run("blind transfer the target declines", func(t *testing.T) {
		held, callerCall := talking(t)
		if err := agent.Hold(ctx, held, true); err != nil {
			t.Fatal(err)
		}
		declined(t, held, callerCall, blind(t, held))
	})

	t.Run("blind transfer the target answers", func(t *testing.T) {
		held, callerCall := talking(t)
		atTarget := blind(t, held)
		if err := target.Answer(ctx, atTarget); err != nil {
			t.Fatal(err)
		}
		connected(t, callerCall, "")
		checkHistory(t, agent, map[string][2]string{held: {ResultAnswered, EndedByLocal}})
	})

	t.Run("blind transfer refused", func(t *testing.T) {
		relay.refuse.Store(true)
		defer relay.refuse.Store(false)
		held, _ := talking(t)
		err := agent.Transfer(ctx, held, targetURI)
		var se *softphone.StatusError
		if !errors.As(err, &se) || se.Code != 403 || se.Method != "REFER" {
			t.Fatalf("Transfer with the REFER refused: %v", err)
		}
		msg := (&TransferError{Caller: "alice", Target: targetURI, Err: err}).Error()
		if !strings.Contains(msg, "refused the transfer") || !strings.Contains(msg, "403 Forbidden") {
			t.Errorf("the message does not name the refusal: %s", msg)
		}
		t.Logf("the agent reads: %s", msg)
		if lc, ok := call(agent, held); !ok || lc.State != "active" || lc.Held || lc.TransferCode != 0 {
			t.Fatalf("the agent's call after the refusal: %+v", lc)
		}
		if len(target.Calls()) != 0 {
			t.Errorf("carol was called: %+v", target.Calls())
		}
		if _, err := agent.Hangup(ctx, held); err != nil {
			t.Fatal(err)
		}
	})
}

// transferApp opens an App for the Kamailio user n and starts its
// softphone through server.
func transferApp(t *testing.T, env softphonetest.KamailioEnv, n int, server, name string) *App {
	t.Helper()
	a, _ := openTest(t)
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	u := env.Users[n]
	pw := u.Password
	if _, err := a.SetAccount(context.Background(), Account{Server: server, User: u.Name, Domain: env.Domain, DisplayName: name}, &pw); err != nil {
		t.Fatal(err)
	}
	if err := a.StartPhone(context.Background(), WithSoftphoneOptions(softphone.WithLoopbackICE(), softphone.WithLevelInterval(0),
		softphone.WithLogger(testLog(u.Name+"-app")), softphone.WithReconnectBackoff(100*time.Millisecond, time.Second))); err != nil {
		t.Fatal(err)
	}
	until(t, u.Name+"'s registration", a.Registered)
	return a
}

func call(a *App, id string) (LiveCall, bool) {
	for _, c := range a.Calls() {
		if c.ID == id {
			return c, true
		}
	}
	return LiveCall{}, false
}

func state(a *App, id string) string {
	c, _ := call(a, id)
	return c.State
}

func onHold(a *App, id string) bool {
	c, ok := call(a, id)
	return ok && c.Held && c.State == "active"
}

// stillOnHold checks that the agent's only call is held, on hold, still
// connected to the caller; then takes it off hold and hangs up.
func stillOnHold(t *testing.T, agent, caller *App, held string) {
	t.Helper()
	if cs := agent.Calls(); len(cs) != 1 || cs[0].ID != held || !cs[0].Held || cs[0].State != "active" {
		t.Fatalf("the agent's calls: %+v, want only the call with alice, on hold", cs)
	}
	if cs := caller.Calls(); len(cs) != 1 || cs[0].State != "active" {
		t.Fatalf("alice's calls: %+v", cs)
	}
	if err := agent.Hold(context.Background(), held, false); err != nil {
		t.Fatalf("Resume: %v", err)
	}
	if onHold(agent, held) {
		t.Error("still on hold after Resume")
	}
	if _, err := agent.Hangup(context.Background(), held); err != nil {
		t.Fatal(err)
	}
}

// checkHistory waits for the history entries of the calls given and checks
// their result and who ended them.
func checkHistory(t *testing.T, a *App, want map[string][2]string) {
	t.Helper()
	got := map[string]HistoryEntry{}
	until(t, "the calls' history entries", func() bool {
		h, err := a.History(context.Background(), HistoryQuery{})
		if err != nil {
			return false
		}
		for _, e := range h {
			if _, ok := want[e.CallID]; ok {
				got[e.CallID] = e
			}
		}
		return len(got) == len(want)
	})
	for id, w := range want {
		if e := got[id]; e.Result != w[0] || e.EndedBy != w[1] {
			t.Errorf("history of %s (%s %s): %s, ended by %s; want %s, ended by %s", id, e.Direction, e.Peer, e.Result, e.EndedBy, w[0], w[1])
		}
	}
}

// referRelay sits between a phone and Kamailio, passing every WebSocket
// message on, except that while refuse is set it answers the phone's REFERs
// itself with 403 Forbidden (a PBX that forbids transfers), and while
// holdCancel is set it keeps the phone's CANCELs back until release (so
// that the far end's answer crosses them).
type referRelay struct {
	url        string
	refuse     atomic.Bool
	holdCancel atomic.Bool
	held       chan struct{} // receives when a CANCEL is kept back

	mu      sync.Mutex
	up      *websocket.Conn // to Kamailio
	pending [][]byte        // CANCELs kept back
}

// release sends the CANCELs kept back on to Kamailio.
func (r *referRelay) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range r.pending {
		if r.up != nil {
			_ = r.up.WriteMessage(websocket.TextMessage, b)
		}
	}
	r.pending = nil
}

func (r *referRelay) sendUp(typ int, b []byte) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.up.WriteMessage(typ, b)
}

func newReferRelay(t *testing.T, upstream string) *referRelay {
	t.Helper()
	r := &referRelay{held: make(chan struct{}, 4)}
	var wg sync.WaitGroup
	up := websocket.Upgrader{Subprotocols: []string{"sip"}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		down, err := up.Upgrade(w, req, nil)
		if err != nil {
			return
		}
		defer down.Close()
		d := websocket.Dialer{Subprotocols: []string{"sip"}, HandshakeTimeout: 5 * time.Second}
		u, _, err := d.Dial(upstream, nil)
		if err != nil {
			return
		}
		defer u.Close()
		r.mu.Lock()
		r.up = u
		r.mu.Unlock()
		var downMu sync.Mutex
		write := func(typ int, b []byte) error {
			downMu.Lock()
			defer downMu.Unlock()
			return down.WriteMessage(typ, b)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer down.Close()
			for {
				typ, b, err := u.ReadMessage()
				if err != nil || write(typ, b) != nil {
					return
				}
			}
		}()
		for {
			typ, b, err := down.ReadMessage()
			if err != nil {
				return
			}
			if m, err := sip.ParseMessage(b); err == nil {
				q, ok := m.(*sip.Request)
				switch {
				case ok && q.Method == sip.REFER && r.refuse.Load():
					_ = write(websocket.TextMessage, []byte(sip.NewResponseFromRequest(q, 403, "Forbidden", nil).String()))
					continue
				case ok && q.Method == sip.CANCEL && r.holdCancel.Load():
					r.mu.Lock()
					r.pending = append(r.pending, b)
					r.mu.Unlock()
					r.held <- struct{}{}
					continue
				}
			}
			if r.sendUp(typ, b) != nil {
				return
			}
		}
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		wg.Wait()
	})
	r.url = "ws" + strings.TrimPrefix(srv.URL, "http")
	return r
}

// TestTransferErrorMessage: what the agent reads when a transfer does not
// take place, for the causes the Kamailio test cannot bring about at will.
func TestTransferErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *TransferError
		want string
	}{
		{"the target refused as the CANCEL went out",
			&TransferError{Caller: "Alice", Target: "carol",
				Err: fmt.Errorf("cancelling the call to carol: %w", &softphone.StatusError{Method: "INVITE", Code: 486, Reason: "Busy Here"}),
				Now: "Alice is on hold: choose Resume to talk to them again"},
			"Alice was not transferred to carol: the target did not take the call (SIP 486 Busy Here) just as you completed the transfer. Now Alice is on hold: choose Resume to talk to them again."},
		{"the REFER refused after the target answered as we cancelled",
			&TransferError{Caller: "Alice", Target: "carol",
				Err: &softphone.StatusError{Method: "REFER", Code: 501, Reason: "Not Implemented"},
				Now: "carol answered just as you completed the transfer: you are still talking to carol"},
			"Alice was not transferred to carol: the caller's phone or the PBX refused the transfer request (SIP REFER answered 501 Not Implemented). Now carol answered just as you completed the transfer: you are still talking to carol."},
		{"the caller hung up", &TransferError{Target: "carol",
			Err: &stepError{"the call on hold has ended (the caller hung up)", ErrNoSuchCall}},
			"the caller was not transferred to carol: the call on hold has ended (the caller hung up)."},
		{"not connected", &TransferError{Caller: "Alice", Target: "carol", Err: softphone.ErrNotConnected},
			"Alice was not transferred to carol: the softphone is not connected to the SIP server."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
			if !errors.Is(tc.err, tc.err.Err) {
				t.Error("Unwrap does not reach the cause")
			}
		})
	}
}
