package softphone_test

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/internal/testenv"
	"github.com/ringside/ringside/softphone"
	"github.com/ringside/ringside/softphone/softphonetest"
)

// wait is the generous bound of every wait in these tests: they wait on
// events, never on the clock.
const wait = 20 * time.Second

func kamailio(t testing.TB) softphonetest.KamailioEnv {
	t.Helper()
	testenv.Env(t, "RINGSIDE_TEST_KAMAILIO_WS", "Kamailio (scripts/services/40-kamailio.sh)")
	env, ok := softphonetest.FromEnv()
	if !ok {
		testenv.Missing(t, "Kamailio test users ($RINGSIDE_TEST_SIP_USERS)")
	}
	return env.Group(1)
}

func testLogger(name string) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("RINGSIDE_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})).With("phone", name)
}

// tphone is a softphone with its events recorded for the test.
type tphone struct {
	*softphone.Phone
	t    testing.TB
	name string

	mu     sync.Mutex
	events []softphone.Event
	taken  []bool
	notify chan struct{}
	done   chan struct{}
}

func newPhone(t testing.TB, env softphonetest.KamailioEnv, user int, h softphone.CallHandler, opts ...softphone.Option) *tphone {
	t.Helper()
	u := env.Users[user]
	opts = append([]softphone.Option{
		softphone.WithLoopbackICE(),
		softphone.WithLogger(testLogger(u.Name)),
		softphone.WithCallHandler(h),
		softphone.WithReconnectBackoff(100*time.Millisecond, time.Second),
		softphone.WithLevelInterval(0),
	}, opts...)
	p, err := softphone.New(softphone.Account{
		Server:      env.WS + "/ws",
		User:        u.Name,
		Domain:      env.Domain,
		DisplayName: "Test " + u.Name,
		Password:    u.Password,
	}, opts...)
	if err != nil {
		t.Fatalf("New(%s): %v", u.Name, err)
	}
	tp := &tphone{Phone: p, t: t, name: u.Name, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(tp.done)
		for e := range p.Events() {
			tp.mu.Lock()
			tp.events = append(tp.events, e)
			tp.taken = append(tp.taken, false)
			tp.mu.Unlock()
			select {
			case tp.notify <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := p.Close(ctx); err != nil {
			t.Errorf("Close(%s): %v", u.Name, err)
		}
		<-tp.done
	})
	return tp
}

// next returns the first event not yet taken that matches, waiting for it.
func (tp *tphone) next(what string, match func(softphone.Event) bool) softphone.Event {
	tp.t.Helper()
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		tp.mu.Lock()
		for i, e := range tp.events {
			if !tp.taken[i] && match(e) {
				tp.taken[i] = true
				tp.mu.Unlock()
				return e
			}
		}
		tp.mu.Unlock()
		select {
		case <-tp.notify:
		case <-deadline.C:
			tp.mu.Lock()
			var seen []string
			for _, e := range tp.events {
				seen = append(seen, describe(e))
			}
			tp.mu.Unlock()
			tp.t.Fatalf("%s: no %s event within %v; events: %v", tp.name, what, wait, seen)
		}
	}
}

func describe(e softphone.Event) string {
	switch e := e.(type) {
	case softphone.RegistrationEvent:
		return "reg:" + e.State.String()
	case softphone.EndedEvent:
		return "ended:" + string(e.Reason)
	case softphone.DTMFEvent:
		return "dtmf:" + string(e.Digit)
	}
	return slogType(e)
}

func slogType(e any) string {
	switch e.(type) {
	case softphone.IncomingCallEvent:
		return "incoming"
	case softphone.RingingEvent:
		return "ringing"
	case softphone.AnsweredEvent:
		return "answered"
	case softphone.HeldEvent:
		return "held"
	case softphone.TransferEvent:
		return "transfer"
	case softphone.ErrorEvent:
		return "error"
	case softphone.AudioLevelEvent:
		return "level"
	}
	return "?"
}

func (tp *tphone) registered() {
	tp.t.Helper()
	tp.next("registered", func(e softphone.Event) bool {
		r, ok := e.(softphone.RegistrationEvent)
		return ok && r.State == softphone.RegRegistered
	})
}

func (tp *tphone) incoming() *softphone.Call {
	tp.t.Helper()
	return tp.next("incoming call", func(e softphone.Event) bool {
		_, ok := e.(softphone.IncomingCallEvent)
		return ok
	}).(softphone.IncomingCallEvent).Call
}

func (tp *tphone) ended(c *softphone.Call) softphone.EndedEvent {
	tp.t.Helper()
	return tp.next("call ended", func(e softphone.Event) bool {
		x, ok := e.(softphone.EndedEvent)
		return ok && (c == nil || x.Call == c)
	}).(softphone.EndedEvent)
}

func (tp *tphone) answered(c *softphone.Call) *softphone.Call {
	tp.t.Helper()
	return tp.next("answered", func(e softphone.Event) bool {
		x, ok := e.(softphone.AnsweredEvent)
		return ok && (c == nil || x.Call == c)
	}).(softphone.AnsweredEvent).Call
}

// answerWith is a handler that answers every call at once with the media
// made for it.
func answerWith(mk func() softphone.Media) softphone.CallHandler {
	return softphone.CallHandlerFunc(func(ctx context.Context, c *softphone.Call) softphone.Plan {
		return softphone.AnswerWith(mk())
	})
}

func plan(p softphone.Plan) softphone.CallHandler {
	return softphone.CallHandlerFunc(func(context.Context, *softphone.Call) softphone.Plan { return p })
}

func ctxWait(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

// checkTone waits until the probe hears freq as the dominant tone (and
// more than other). On a loaded machine a window may hold a gap or a
// concealed frame, so it waits for a clean window rather than judging one.
func checkTone(t testing.TB, who string, p *softphonetest.Probe, freq, other float64) {
	t.Helper()
	if !p.WaitLoud(25, wait) {
		t.Fatalf("%s heard %d loud frames, want 25", who, p.LoudFrames())
	}
	deadline := time.Now().Add(wait)
	for {
		f, share := p.Dominant(freq, other)
		if f == freq && share >= 0.5 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s hears %v Hz (share %.2f; %v Hz share %.2f), want %v Hz", who, f, share, freq, p.Level(freq), freq)
		}
		p.WaitLoud(p.LoudFrames()+5, time.Second)
	}
}
