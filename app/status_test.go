package app

import (
	"context"
	"testing"
	"time"

	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
)

func TestStatusWithoutEngine(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	snap, running, err := a.Status(ctx)
	if err != nil || running || snap.Status != status.Available {
		t.Fatalf("fresh: %+v running=%v err=%v", snap, running, err)
	}
	if err := a.SetStatus(ctx, status.DoNotDisturb, status.ReasonCLI); err != nil {
		t.Fatal(err)
	}
	if snap, _, _ := a.Status(ctx); snap.Status != status.DoNotDisturb {
		t.Errorf("after SetStatus: %s", snap.Status)
	}
	if a.StatusEngine() != nil || a.CallEnded(ctx) != nil || a.StopStatus() != nil {
		t.Error("no engine: StatusEngine, CallEnded, StopStatus")
	}
	// The engine starts in the stored status.
	e, err := a.StartStatus(ctx, status.WithClock(statustest.NewClock(time.Now())))
	if err != nil {
		t.Fatal(err)
	}
	if e.Current() != status.DoNotDisturb || a.StatusEngine() != e {
		t.Errorf("engine %s", e.Current())
	}
	if again, _ := a.StartStatus(ctx); again != e {
		t.Error("second StartStatus started another engine")
	}
}

// TestStatusFollowsSettings: status.after_call_work_seconds from the settings
// at start, and changed at once by a settings change.
func TestStatusFollowsSettings(t *testing.T) {
	ctx := context.Background()
	a, _ := openTest(t)
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "status.after_call_work_seconds", Value: "45"}); err != nil {
		t.Fatal(err)
	}
	clock := statustest.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	e, err := a.StartStatus(ctx, status.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	if e.Snapshot().AfterCallWorkSeconds != 45 {
		t.Fatalf("after-call work %d s, want 45", e.Snapshot().AfterCallWorkSeconds)
	}
	if _, err := a.SetPrefs(ctx, prefs.Change{Key: "status.after_call_work_seconds", Value: "0"}); err != nil {
		t.Fatal(err)
	}
	a.CallEnded(ctx)
	if e.Current() != status.Available {
		t.Errorf("after-call work ran after the setting went to 0: %s", e.Current())
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if a.StatusEngine() != nil {
		t.Error("Close left the engine running")
	}
}

// TestStatusMetricsAfterCrash: a report read while no app runs ends a crashed
// run's open stint at its last heartbeat.
func TestStatusMetricsAfterCrash(t *testing.T) {
	ctx := context.Background()
	a, kr := openTest(t)
	t0 := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := statustest.NewClock(t0)
	if _, err := a.StartStatus(ctx, status.WithClock(clock), status.WithHeartbeat(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	clock.Advance(75 * time.Second) // heartbeats at 30 s and 60 s
	// Another process reads the same data while that engine is "dead".
	b, err := Open(ctx, a.Dir(), WithKeyring(kr))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	m, err := b.StatusMetrics(ctx, t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Of(status.Available).Total; got != 60*time.Second {
		t.Errorf("available %s, want 60s (up to the last heartbeat)", got)
	}
	if m.Agent.ID == "" || m.Agent.Name == "" {
		t.Errorf("agent %+v", m.Agent)
	}
	tl, end, err := b.StatusTimeline(ctx, time.Time{}, time.Time{})
	if err != nil || len(tl.Stints) != 1 || !end.Equal(t0.Add(60*time.Second)) {
		t.Errorf("timeline %+v end %s err %v", tl, end, err)
	}
}
