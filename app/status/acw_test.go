package status_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
)

// TestAfterCallWork drives every after-call work path with a fake clock.
func TestAfterCallWork(t *testing.T) {
	const acw = 60 // seconds
	type step struct {
		at   time.Duration // clock offset from t0 at which the action runs
		do   string        // "end" (call ended), "set:<status>", "quit", "none"
		want status.Status // current status after the action
	}
	tests := []struct {
		name     string
		acw      int
		steps    []step
		timeline []stint
		resume   status.Status // status the next start takes
	}{
		{
			name: "returns to the status before the call",
			acw:  acw,
			steps: []step{
				{10 * time.Second, "set:away", status.Away},
				{20 * time.Second, "end", status.AfterCallWork},
				{79 * time.Second, "none", status.AfterCallWork},
				{80 * time.Second, "none", status.Away},
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 10 * time.Second, status.ReasonCLI},
				{status.Away, status.ReasonCLI, 10 * time.Second, 20 * time.Second, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 20 * time.Second, 80 * time.Second, status.ReasonAfterCallWork},
				{status.Away, status.ReasonAfterCallWork, 80 * time.Second, -1, ""},
			},
			resume: status.Away,
		},
		{
			name: "agent picks another status meanwhile",
			acw:  acw,
			steps: []step{
				{0, "end", status.AfterCallWork},
				{30 * time.Second, "set:on_break", status.OnBreak},
				{5 * time.Minute, "none", status.OnBreak}, // the timer does not pull the agent back
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 0, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 0, 30 * time.Second, status.ReasonCLI},
				{status.OnBreak, status.ReasonCLI, 30 * time.Second, -1, ""},
			},
			resume: status.OnBreak,
		},
		{
			name: "setting after-call work itself keeps the timer",
			acw:  acw,
			steps: []step{
				{0, "end", status.AfterCallWork},
				{30 * time.Second, "set:after_call_work", status.AfterCallWork},
				{60 * time.Second, "none", status.Available},
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 0, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 0, 60 * time.Second, status.ReasonAfterCallWork},
				{status.Available, status.ReasonAfterCallWork, 60 * time.Second, -1, ""},
			},
			resume: status.Available,
		},
		{
			name: "second call ends during after-call work",
			acw:  acw,
			steps: []step{
				{5 * time.Second, "set:away", status.Away},
				{10 * time.Second, "end", status.AfterCallWork},
				{40 * time.Second, "end", status.AfterCallWork},  // restarts the timer: due at 100 s
				{70 * time.Second, "none", status.AfterCallWork}, // the first timer's time passes
				{100 * time.Second, "none", status.Away},         // back to the status before the first call
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 5 * time.Second, status.ReasonCLI},
				{status.Away, status.ReasonCLI, 5 * time.Second, 10 * time.Second, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 10 * time.Second, 40 * time.Second, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 40 * time.Second, 100 * time.Second, status.ReasonAfterCallWork},
				{status.Away, status.ReasonAfterCallWork, 100 * time.Second, -1, ""},
			},
			resume: status.Away,
		},
		{
			name: "zero is off",
			acw:  0,
			steps: []step{
				{10 * time.Second, "end", status.Available},
				{10 * time.Minute, "none", status.Available},
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, -1, ""},
			},
			resume: status.Available,
		},
		{
			name: "app quits during after-call work",
			acw:  acw,
			steps: []step{
				{0, "set:away", status.Away},
				{10 * time.Second, "end", status.AfterCallWork},
				{20 * time.Second, "quit", status.AfterCallWork},
				{10 * time.Minute, "none", status.AfterCallWork}, // no timer runs after Close
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 0, status.ReasonCLI},
				{status.Away, status.ReasonCLI, 0, 10 * time.Second, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 10 * time.Second, 20 * time.Second, status.ReasonAppQuit},
			},
			resume: status.Away, // the next start resumes the status before the call
		},
		{
			name: "manual after-call work stays when a call ends",
			acw:  acw,
			steps: []step{
				{0, "set:after_call_work", status.AfterCallWork},
				{10 * time.Second, "end", status.AfterCallWork},
				{2 * time.Minute, "none", status.AfterCallWork},
			},
			timeline: []stint{
				{status.Available, status.ReasonAppStart, 0, 0, status.ReasonCLI},
				{status.AfterCallWork, status.ReasonCLI, 0, 10 * time.Second, status.ReasonAfterCallWork},
				{status.AfterCallWork, status.ReasonAfterCallWork, 10 * time.Second, -1, ""},
			},
			resume: status.AfterCallWork,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t, t.TempDir())
			c := statustest.NewClock(t0)
			e := newEngine(t, st, c, status.WithAfterCallWork(tt.acw), status.WithHeartbeat(time.Hour))
			for _, s := range tt.steps {
				c.Set(t0.Add(s.at))
				var err error
				switch {
				case s.do == "end":
					err = e.CallEnded(ctx)
				case s.do == "quit":
					err = e.Close()
				case len(s.do) > 4 && s.do[:4] == "set:":
					err = e.Set(ctx, status.Status(s.do[4:]), status.ReasonCLI)
				}
				if err != nil {
					t.Fatalf("at %s %s: %v", s.at, s.do, err)
				}
				if got := e.Current(); got != s.want {
					t.Fatalf("at %s after %s: status %s, want %s", s.at, s.do, got, s.want)
				}
			}
			checkTimeline(t, st, tt.timeline)
			e.Close()
			if got, _, _ := status.Stored(ctx, st); got != tt.resume {
				t.Errorf("resume status %s, want %s", got, tt.resume)
			}
			if c.Pending() != 0 {
				t.Errorf("%d timers pending after Close", c.Pending())
			}
		})
	}
}

func TestAfterCallWorkSnapshot(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, t.TempDir())
	c := statustest.NewClock(t0)
	e := newEngine(t, st, c, status.WithAfterCallWork(30))
	ch, _ := e.Subscribe()
	e.CallEnded(ctx)
	<-ch
	s := e.Snapshot()
	if s.Status != status.AfterCallWork || s.ReturnTo != status.Available ||
		!s.AfterCallWorkUntil.Equal(t0.Add(30*time.Second)) || s.AfterCallWorkSeconds != 30 {
		t.Fatalf("snapshot during after-call work: %+v", s)
	}
	c.Advance(30 * time.Second)
	select {
	case <-ch: // the timer's change wakes subscribers too
	default:
		t.Fatal("timer's change did not notify")
	}
	if s := e.Snapshot(); s.Status != status.Available || s.ReturnTo != "" || !s.AfterCallWorkUntil.IsZero() {
		t.Fatalf("snapshot after: %+v", s)
	}
	if err := e.SetAfterCallWork(0); err != nil {
		t.Fatal(err)
	}
	e.CallEnded(ctx)
	if e.Current() != status.Available {
		t.Error("after-call work ran after SetAfterCallWork(0)")
	}
	if err := e.SetAfterCallWork(-1); !errors.Is(err, status.ErrAfterCallWorkRange) {
		t.Errorf("SetAfterCallWork(-1) = %v", err)
	}
}
