package app

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// These tests run the call settings end to end: a Ringside App (user bob)
// with its softphone registered at the real Kamailio of the test scripts,
// and plain softphones for the caller (alice) and the no-answer target
// (carol). Every wait is on an event, bounded by phoneWait.
const phoneWait = 20 * time.Second

func kamailioEnv(t *testing.T) softphonetest.KamailioEnv {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	return env
}

func testLog(name string) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("RINGSIDE_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("who", name)
}

// peer is a plain softphone with its events kept for the test.
type peer struct {
	*softphone.Phone
	t      *testing.T
	name   string
	mu     sync.Mutex
	events []softphone.Event
	taken  []bool
	notify chan struct{}
}

func newPeer(t *testing.T, env softphonetest.KamailioEnv, user int, h softphone.CallHandler) *peer {
	t.Helper()
	u := env.Users[user]
	p, err := softphone.New(softphone.Account{Server: env.WS + "/ws", User: u.Name, Domain: env.Domain,
		DisplayName: "Test " + u.Name, Password: u.Password},
		softphone.WithLoopbackICE(), softphone.WithLogger(testLog(u.Name)), softphone.WithCallHandler(h),
		softphone.WithReconnectBackoff(100*time.Millisecond, time.Second), softphone.WithLevelInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	pr := &peer{Phone: p, t: t, name: u.Name, notify: make(chan struct{}, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range p.Events() {
			pr.mu.Lock()
			pr.events = append(pr.events, e)
			pr.taken = append(pr.taken, false)
			pr.mu.Unlock()
			select {
			case pr.notify <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), phoneWait)
		defer cancel()
		_ = p.Close(ctx)
		<-done
	})
	pr.next("registered", func(e softphone.Event) bool {
		r, ok := e.(softphone.RegistrationEvent)
		return ok && r.State == softphone.RegRegistered
	})
	return pr
}

func (p *peer) next(what string, match func(softphone.Event) bool) softphone.Event {
	p.t.Helper()
	deadline := time.NewTimer(phoneWait)
	defer deadline.Stop()
	for {
		p.mu.Lock()
		for i, e := range p.events {
			if !p.taken[i] && match(e) {
				p.taken[i] = true
				p.mu.Unlock()
				return e
			}
		}
		p.mu.Unlock()
		select {
		case <-p.notify:
		case <-deadline.C:
			p.t.Fatalf("%s: no %s within %v", p.name, what, phoneWait)
		}
	}
}

func (p *peer) incoming() *softphone.Call {
	p.t.Helper()
	return p.next("incoming call", func(e softphone.Event) bool {
		_, ok := e.(softphone.IncomingCallEvent)
		return ok
	}).(softphone.IncomingCallEvent).Call
}

// dial calls target in the background; the result arrives on the channel.
func (p *peer) dial(ctx context.Context, target string) <-chan error {
	ch := make(chan error, 1)
	go func() {
		_, err := p.Dial(ctx, target, softphone.Media{})
		ch <- err
	}()
	return ch
}

func waitErr(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(phoneWait):
		t.Fatal("the call did not end")
		return nil
	}
}

func sipCode(err error) int {
	var se *softphone.StatusError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// until polls cond (app state has no events of its own to wait on).
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(phoneWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func setPrefs(t *testing.T, a *App, kv ...string) {
	t.Helper()
	var ch []prefs.Change
	for i := 0; i+1 < len(kv); i += 2 {
		ch = append(ch, prefs.Change{Key: kv[i], Value: kv[i+1]})
	}
	if _, err := a.SetPrefs(context.Background(), ch...); err != nil {
		t.Fatal(err)
	}
}

func lastHistory(t *testing.T, a *App, n int) []HistoryEntry {
	t.Helper()
	var h []HistoryEntry
	until(t, "history entries", func() bool {
		var err error
		h, err = a.History(context.Background(), HistoryQuery{})
		return err == nil && len(h) >= n
	})
	return h
}

// answerRinging waits until exactly one call rings at the agent (and ok, when
// given, accepts it), answers it and returns its id.
func answerRinging(t *testing.T, a *App, who string, ok func(LiveCall) bool) string {
	t.Helper()
	var id string
	until(t, who+"'s call ringing at the agent", func() bool {
		cs := a.Calls()
		if len(cs) == 1 && cs[0].State == "ringing" {
			id = cs[0].ID
			return ok == nil || ok(cs[0])
		}
		return false
	})
	if err := a.Answer(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	return id
}

func startAgent(t *testing.T, a *App) {
	t.Helper()
	ctx := context.Background()
	if err := a.StartPhone(ctx, WithSoftphoneOptions(softphone.WithLoopbackICE(), softphone.WithLevelInterval(0),
		softphone.WithLogger(testLog("bob-app")), softphone.WithReconnectBackoff(100*time.Millisecond, time.Second))); err != nil {
		t.Fatal(err)
	}
	until(t, "the agent's registration", a.Registered)
}

func TestCallSettingsThroughKamailio(t *testing.T) {
	env := kamailioEnv(t)
	ctx := context.Background()
	a, _ := openTest(t)
	t.Cleanup(func() { a.StopPhone(context.Background()) })
	bob := env.Users[1]
	pw := bob.Password
	if _, err := a.SetAccount(ctx, Account{Server: env.WS + "/ws", User: bob.Name, Domain: env.Domain, DisplayName: "Bob Agent"}, &pw); err != nil {
		t.Fatal(err)
	}
	if got := a.RegistrationState(); got != "not registered (the softphone runs only in the open app)" {
		t.Fatalf("before start: %q", got)
	}
	startAgent(t, a)
	if got := a.RegistrationState(); got != "registered as "+bob.Name+"@"+env.Domain {
		t.Fatalf("RegistrationState = %q", got)
	}
	alice := newPeer(t, env, 0, nil)
	carol := newPeer(t, env, 2, softphone.CallHandlerFunc(func(context.Context, *softphone.Call) softphone.Plan {
		return softphone.Ring(0, nil)
	}))
	bobURI := "sip:" + bob.Name + "@" + env.Domain
	carolURI := "sip:" + env.Users[2].Name + "@" + env.Domain
	setPrefs(t, a, "call.no_answer_destination", "agent", "call.no_answer_target", carolURI)
	missedCh := make(chan MissedCall, 16)
	a.OnMissedCall(func(m MissedCall) { missedCh <- m })
	count := func() int {
		h, err := a.History(ctx, HistoryQuery{})
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}

	t.Run("DND sends a direct call to the no-answer target", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		if err := a.SetStatus(ctx, status.DoNotDisturb, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithCancel(ctx)
		defer cancel()
		res := alice.dial(dctx, bobURI)
		c := carol.incoming() // the target softphone rings
		carol.next("ringing", func(e softphone.Event) bool {
			r, ok := e.(softphone.RingingEvent)
			return ok && r.Call == c
		})
		cancel() // alice gives up
		waitErr(t, res)
		calls++
		h := lastHistory(t, a, calls)
		if e := h[0]; e.Result != ResultRedirected || e.Target != carolURI || e.Direction != "incoming" || e.Origin != "direct" || !e.Missed {
			t.Fatalf("history: %+v", e)
		}
		select { // the desktop notification hook heard of it
		case m := <-missedCh:
			if m.CallID != h[0].CallID || m.Title() != "Missed call from Test alice <"+m.Peer+">" {
				t.Fatalf("missed-call notification: %+v %q", m, m.Title())
			}
		case <-time.After(phoneWait):
			t.Fatal("no missed-call notification")
		}
	})

	t.Run("ring time expiry redirects", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		setPrefs(t, a, "call.ring_time", "5")
		if err := a.SetStatus(ctx, status.Available, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithCancel(ctx)
		defer cancel()
		start := time.Now()
		res := alice.dial(dctx, bobURI)
		until(t, "the agent's phone ringing", func() bool {
			cs := a.Calls()
			return len(cs) == 1 && cs[0].State == "ringing" && cs[0].Direction == "incoming" && cs[0].Tone == "ringtone"
		})
		carol.incoming()
		if d := time.Since(start); d < 4500*time.Millisecond {
			t.Fatalf("redirected after %v, before the 5 s ring time", d)
		}
		cancel()
		waitErr(t, res)
		calls++
		h := lastHistory(t, a, calls)
		if e := h[0]; e.Result != ResultMissed || e.Target != carolURI || e.EndedBy != EndedBySystem || e.Ring < 4500*time.Millisecond || !e.Missed {
			t.Fatalf("history: %+v", e)
		}
	})

	t.Run("call waiting off gives the busy path while a call is up", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		setPrefs(t, a, "call.call_waiting", "off", "call.no_answer_destination", "hangup", "status.after_call_work_seconds", "30")
		if _, err := a.StartStatus(ctx); err != nil {
			t.Fatal(err)
		}
		defer a.StopStatus()
		if err := a.SetStatus(ctx, status.Available, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		// carol calls bob and bob answers in the app.
		cctx, ccancel := context.WithCancel(ctx)
		defer ccancel()
		first := make(chan *softphone.Call, 1)
		go func() {
			c, _ := carol.Dial(cctx, bobURI, softphone.Media{})
			first <- c
		}()
		answerRinging(t, a, "carol", nil)
		cc := <-first
		if cc == nil {
			t.Fatal("carol's call was not answered")
		}
		err := waitErr(t, alice.dial(ctx, bobURI))
		if sipCode(err) != 486 {
			t.Fatalf("second call while on a call: %v, want 486 Busy Here", err)
		}
		until(t, "only the answered call left", func() bool { return len(a.Calls()) == 1 }) // the busy one ends a moment after its 486
		if n, err := a.Hangup(ctx, ""); err != nil || n != 1 {
			t.Fatalf("Hangup all: %d %v", n, err)
		}
		calls += 2
		h := lastHistory(t, a, calls)
		var busy, answered *HistoryEntry
		for i := range h[:2] {
			switch h[i].Result {
			case ResultBusy:
				busy = &h[i]
			case ResultAnswered:
				answered = &h[i]
			}
		}
		if busy == nil || answered == nil || busy.Code != 486 || answered.EndedBy != EndedByLocal || answered.Talk <= 0 {
			t.Fatalf("history: %+v", h[:2])
		}
		// The end of the answered call started after-call work.
		until(t, "after-call work", func() bool {
			s, _, _ := a.Status(ctx)
			return s.Status == status.AfterCallWork
		})
	})

	t.Run("auto answer click-to-call does not answer an unmarked call; all does", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		setPrefs(t, a, "call.call_waiting", "on", "call.auto_answer", "click_to_call", "call.ring_time", "20")
		if err := a.SetStatus(ctx, status.Available, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		dctx, cancel := context.WithCancel(ctx)
		res := alice.dial(dctx, bobURI)
		until(t, "the unmarked call ringing", func() bool {
			cs := a.Calls()
			return len(cs) == 1 && cs[0].State == "ringing"
		})
		cancel()
		waitErr(t, res)
		until(t, "the unmarked call to end", func() bool { return len(a.Calls()) == 0 })
		setPrefs(t, a, "call.auto_answer", "all")
		if err := waitErr(t, alice.dial(ctx, bobURI)); err != nil {
			t.Fatalf("auto answer all: %v", err)
		}
		if n, err := a.Hangup(ctx, ""); err != nil || n != 1 {
			t.Fatalf("Hangup: %d %v", n, err)
		}
		setPrefs(t, a, "call.auto_answer", "disabled")
		h := lastHistory(t, a, calls+2)
		if h[0].Result != ResultAnswered || h[1].Result != ResultMissed || h[1].EndedBy != EndedByRemote {
			t.Fatalf("history: %+v", h[:2])
		}
	})

	t.Run("an outgoing call placed and hung up by the app", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		setPrefs(t, a, "call.dynamic_caller_id", "on")
		c, err := a.Call(ctx, carolURI)
		if err != nil {
			t.Fatal(err)
		}
		if c.Direction != "outgoing" || (c.State != "alerting" && c.State != "active") || c.ID == "" {
			t.Fatalf("Call: %+v", c)
		}
		carol.incoming()
		if n, err := a.Hangup(ctx, c.ID); err != nil || n != 1 {
			t.Fatalf("Hangup(%s): %d %v", c.ID, n, err)
		}
		h := lastHistory(t, a, calls+1)
		if e := h[0]; e.Direction != "outgoing" || e.Result != ResultCancelled || e.EndedBy != EndedByLocal || e.Peer != carolURI {
			t.Fatalf("history: %+v", e)
		}
		if _, err := a.Hangup(ctx, "nope"); !errors.Is(err, ErrNoSuchCall) {
			t.Fatalf("Hangup(nope): %v", err)
		}
	})

	t.Run("blind transfer from the app", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		setPrefs(t, a, "call.blind_transfer_caller_id", "remote")
		if err := a.SetStatus(ctx, status.Available, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		res := alice.dial(ctx, bobURI)
		id := answerRinging(t, a, "alice", nil)
		if err := waitErr(t, res); err != nil {
			t.Fatal(err)
		}
		if err := a.Transfer(ctx, id, carolURI); err != nil {
			t.Fatal(err)
		}
		c := carol.incoming() // alice now calls carol
		if c.Remote() != "sip:"+env.Users[0].Name+"@"+env.Domain {
			t.Fatalf("carol sees %s", c.Remote())
		}
		// When carol answers, the agent's call ends as transferred.
		actx, acancel := context.WithTimeout(ctx, phoneWait)
		defer acancel()
		if err := c.Answer(actx, softphone.Media{}); err != nil {
			t.Fatal(err)
		}
		h := lastHistory(t, a, calls+1)
		if e := h[0]; e.Result != ResultAnswered || e.EndedBy != EndedByLocal {
			t.Fatalf("history: %+v", e)
		}
		hctx, cancel := context.WithTimeout(ctx, phoneWait)
		defer cancel()
		for _, ac := range alice.Calls() {
			ac.Hangup(hctx)
		}
	})

	t.Run("a queue call to an agent on break gets 480", func(t *testing.T) {
		until(t, "no calls at the agent", func() bool { return len(a.Calls()) == 0 })
		calls := count()
		// The account's origin rules: calls from alice come from a queue.
		rules := "From: <sip:" + env.Users[0].Name + "@ => queue\n"
		if err := os.WriteFile(filepath.Join(a.Dir(), OriginRulesFile), []byte(rules), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := a.StopPhone(ctx); err != nil {
			t.Fatal(err)
		}
		startAgent(t, a)
		if err := a.SetStatus(ctx, status.OnBreak, status.ReasonCLI); err != nil {
			t.Fatal(err)
		}
		err := waitErr(t, alice.dial(ctx, bobURI))
		if sipCode(err) != 480 {
			t.Fatalf("queue call on break: %v, want 480", err)
		}
		calls++
		h := lastHistory(t, a, calls)
		if e := h[0]; e.Origin != "queue" || e.Result != ResultRejected || e.Code != 480 || e.Missed {
			t.Fatalf("history: %+v", e)
		}
	})
}
