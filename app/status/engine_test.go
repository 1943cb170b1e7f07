package status_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
	"github.com/ringside/ringside/app/store"
)

var t0 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newEngine(t *testing.T, st *store.Store, c *statustest.Clock, opts ...status.Option) *status.Engine {
	t.Helper()
	e, err := status.New(context.Background(), st, append([]status.Option{status.WithClock(c)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

type stint struct {
	s         status.Status
	r         status.Reason
	from, to  time.Duration // offsets from t0; to < 0: open
	endReason status.Reason
}

func checkTimeline(t *testing.T, st *store.Store, want []stint) {
	t.Helper()
	got, err := status.Timeline(context.Background(), st, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Logf("  %s %s %s..%s %s open=%v", g.Status, g.Reason, g.Start.Sub(t0), g.End.Sub(t0), g.EndReason, g.Open)
		}
		t.Fatalf("timeline has %d stints, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		ok := g.Status == w.s && g.Reason == w.r && g.Start.Equal(t0.Add(w.from))
		if w.to < 0 {
			ok = ok && g.Open
		} else {
			ok = ok && !g.Open && g.End.Equal(t0.Add(w.to)) && g.EndReason == w.endReason
		}
		if !ok {
			t.Errorf("stint %d = %s %s %s..%s %s open=%v; want %+v", i, g.Status, g.Reason,
				g.Start.Sub(t0), g.End.Sub(t0), g.EndReason, g.Open, w)
		}
	}
}

func TestEngineSetAndTimeline(t *testing.T) {
	st := openStore(t, t.TempDir())
	c := statustest.NewClock(t0)
	e := newEngine(t, st, c)
	ctx := context.Background()
	if e.Current() != status.Available {
		t.Fatalf("first start: %s, want available", e.Current())
	}
	c.Advance(time.Minute)
	if err := e.Set(ctx, status.Away, status.ReasonTray); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if err := e.Set(ctx, status.Away, status.ReasonCLI); err != nil { // same status: no new stint
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if err := e.Set(ctx, status.OnBreak, status.ReasonManual); err != nil {
		t.Fatal(err)
	}
	snap := e.Snapshot()
	if snap.Status != status.OnBreak || !snap.Since.Equal(t0.Add(3*time.Minute)) || snap.Reason != status.ReasonManual {
		t.Fatalf("snapshot %+v", snap)
	}
	c.Advance(90 * time.Second)
	if e.Snapshot().In() != 90*time.Second {
		t.Errorf("In() = %s", e.Snapshot().In())
	}
	checkTimeline(t, st, []stint{
		{status.Available, status.ReasonAppStart, 0, time.Minute, status.ReasonTray},
		{status.Away, status.ReasonTray, time.Minute, 3 * time.Minute, status.ReasonManual},
		{status.OnBreak, status.ReasonManual, 3 * time.Minute, -1, ""},
	})
	if err := e.Set(ctx, "busy", status.ReasonCLI); !errors.Is(err, status.ErrUnknownStatus) {
		t.Errorf("Set(busy) = %v", err)
	}
	if err := e.Set(ctx, status.Away, status.ReasonAppQuit); !errors.Is(err, status.ErrUnknownReason) {
		t.Errorf("Set(reason app_quit) = %v", err)
	}
	if err := e.Set(ctx, status.Away, "whim"); !errors.Is(err, status.ErrUnknownReason) {
		t.Errorf("Set(reason whim) = %v", err)
	}
}

func TestEngineRestartResumes(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c := statustest.NewClock(t0)
	st := openStore(t, dir)
	e := newEngine(t, st, c)
	c.Advance(time.Minute)
	e.Set(ctx, status.DoNotDisturb, status.ReasonTray)
	c.Advance(time.Minute)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	if err := e.Set(ctx, status.Away, status.ReasonTray); !errors.Is(err, status.ErrClosed) {
		t.Errorf("Set after Close = %v", err)
	}
	if s, ok, err := status.Stored(ctx, st); err != nil || !ok || s != status.DoNotDisturb {
		t.Errorf("Stored = %s %v %v", s, ok, err)
	}
	c.Advance(time.Hour) // the app is not running: no stint
	e2 := newEngine(t, st, c)
	if e2.Current() != status.DoNotDisturb {
		t.Fatalf("restart: %s, want do_not_disturb", e2.Current())
	}
	checkTimeline(t, st, []stint{
		{status.Available, status.ReasonAppStart, 0, time.Minute, status.ReasonTray},
		{status.DoNotDisturb, status.ReasonTray, time.Minute, 2 * time.Minute, status.ReasonAppQuit},
		{status.DoNotDisturb, status.ReasonAppStart, 62 * time.Minute, -1, ""},
	})
}

func TestSetStoredWithoutApp(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	if _, ok, err := status.Stored(ctx, st); ok || err != nil {
		t.Fatalf("empty store: ok=%v err=%v", ok, err)
	}
	if err := status.SetStored(ctx, st, "nap"); !errors.Is(err, status.ErrUnknownStatus) {
		t.Errorf("SetStored(nap) = %v", err)
	}
	if err := status.SetStored(ctx, st, status.OnBreak); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, st, statustest.NewClock(t0))
	if e.Current() != status.OnBreak {
		t.Errorf("start after SetStored: %s", e.Current())
	}
}

func TestInitialStatusOption(t *testing.T) {
	st := openStore(t, t.TempDir())
	e := newEngine(t, st, statustest.NewClock(t0), status.WithInitialStatus(status.Unavailable))
	if e.Current() != status.Unavailable {
		t.Errorf("initial: %s", e.Current())
	}
	if _, err := status.New(context.Background(), st, status.WithInitialStatus("zzz")); !errors.Is(err, status.ErrUnknownStatus) {
		t.Errorf("bad initial: %v", err)
	}
	if _, err := status.New(context.Background(), st, status.WithAfterCallWork(601)); !errors.Is(err, status.ErrAfterCallWorkRange) {
		t.Errorf("acw 601: %v", err)
	}
}

// TestCrashClosesAtHeartbeat leaves an engine unclosed (as a crash would) and
// starts a new one later: the open stint ends at the last heartbeat.
func TestCrashClosesAtHeartbeat(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	c := statustest.NewClock(t0)
	st := openStore(t, dir)
	e, err := status.New(ctx, st, status.WithClock(c), status.WithHeartbeat(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Second)
	e.Set(ctx, status.Away, status.ReasonCLI)
	c.Advance(75 * time.Second) // heartbeats at 30 s, 60 s; 90 s never comes
	// "crash": a new engine on a new clock, as the next process would see it.
	c2 := statustest.NewClock(t0.Add(10 * time.Minute))
	st2 := openStore(t, dir)
	e2 := newEngine(t, st2, c2)
	if e2.Current() != status.Away {
		t.Errorf("resumed %s, want away", e2.Current())
	}
	checkTimeline(t, st2, []stint{
		{status.Available, status.ReasonAppStart, 0, 10 * time.Second, status.ReasonCLI},
		{status.Away, status.ReasonCLI, 10 * time.Second, 60 * time.Second, status.ReasonCrash},
		{status.Away, status.ReasonAppStart, 10 * time.Minute, -1, ""},
	})
}

func TestSubscribe(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	c := statustest.NewClock(t0)
	e, err := status.New(ctx, st, status.WithClock(c))
	if err != nil {
		t.Fatal(err)
	}
	a, cancelA := e.Subscribe()
	b, _ := e.Subscribe()
	e.Set(ctx, status.Away, status.ReasonTray)
	e.Set(ctx, status.OnBreak, status.ReasonTray) // coalesced into one wake-up
	for name, ch := range map[string]<-chan struct{}{"a": a, "b": b} {
		select {
		case <-ch:
		default:
			t.Fatalf("subscriber %s not woken", name)
		}
		select {
		case <-ch:
			t.Fatalf("subscriber %s woken twice for coalesced changes", name)
		default:
		}
	}
	cancelA()
	if _, ok := <-a; ok {
		t.Error("cancelled channel not closed")
	}
	cancelA() // twice is harmless
	e.Close()
	if _, ok := <-b; ok {
		t.Error("channel not closed by Close")
	}
	late, _ := e.Subscribe()
	if _, ok := <-late; ok {
		t.Error("Subscribe after Close: channel open")
	}
	if c.Pending() != 0 {
		t.Errorf("%d timers left after Close", c.Pending())
	}
}

func TestEngineRealClock(t *testing.T) {
	// The real clock and heartbeat: Close joins the timer goroutines.
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	before := runtime.NumGoroutine()
	e, err := status.New(ctx, st, status.WithHeartbeat(time.Millisecond), status.WithAfterCallWork(1))
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := e.Subscribe()
	if err := e.CallEnded(ctx); err != nil {
		t.Fatal(err)
	}
	<-ch
	for range 3 {
		e.Set(ctx, status.Away, status.ReasonCLI)
		e.Set(ctx, status.Available, status.ReasonCLI)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// No goroutine outlives Close (database/sql's own ones settle quickly).
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines after Close, %d before New", runtime.NumGoroutine(), before)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestClockSetBack: a clock behind the timeline never makes stints overlap.
func TestClockSetBack(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	c := statustest.NewClock(t0)
	e := newEngine(t, st, c)
	c.Advance(10 * time.Minute)
	e.Set(ctx, status.Away, status.ReasonCLI)
	c.Advance(10 * time.Minute)
	e.Close()
	c2 := statustest.NewClock(t0.Add(5 * time.Minute)) // the clock went back 15 minutes
	e2 := newEngine(t, st, c2)
	if !e2.Snapshot().Since.Equal(t0.Add(20 * time.Minute)) {
		t.Errorf("restart behind the timeline starts at %s", e2.Snapshot().Since.Sub(t0))
	}
	c2.Advance(time.Minute)
	e2.Set(ctx, status.OnBreak, status.ReasonCLI)
	checkTimeline(t, st, []stint{
		{status.Available, status.ReasonAppStart, 0, 10 * time.Minute, status.ReasonCLI},
		{status.Away, status.ReasonCLI, 10 * time.Minute, 20 * time.Minute, status.ReasonAppQuit},
		{status.Away, status.ReasonAppStart, 20 * time.Minute, 20 * time.Minute, status.ReasonCLI},
		{status.OnBreak, status.ReasonCLI, 20 * time.Minute, -1, ""},
	})
}
