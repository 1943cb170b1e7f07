package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/status"
)

// statusEngines holds the status engine of each App that started one.
// TODO(lead): move into an App field; Close must call StopStatus.
var statusEngines sync.Map // *App -> *status.Engine

// StartStatus starts the availability engine: only the process that shows
// Ringside (the window and tray) does this, so that the timeline records the
// time the app runs. It resumes the last status (closing a crashed run's
// stint at its last heartbeat) and takes status.after_call_work_seconds from
// the settings. StopStatus (called by Close) ends it.
func (a *App) StartStatus(ctx context.Context, opts ...status.Option) (*status.Engine, error) {
	if e := a.StatusEngine(); e != nil {
		return e, nil
	}
	acw, err := a.afterCallWorkSeconds(ctx)
	if err != nil {
		return nil, err
	}
	base := []status.Option{status.WithLogger(a.log), status.WithAfterCallWork(acw)}
	e, err := status.New(ctx, a.store, append(base, opts...)...)
	if err != nil {
		return nil, err
	}
	if prev, loaded := statusEngines.LoadOrStore(a, e); loaded {
		e.Close()
		return prev.(*status.Engine), nil
	}
	return e, nil
}

// StopStatus ends the current stint (reason app_quit) and stops the engine;
// the next start resumes the same status. It does nothing when the engine
// does not run.
func (a *App) StopStatus() error {
	v, ok := statusEngines.LoadAndDelete(a)
	if !ok {
		return nil
	}
	return v.(*status.Engine).Close()
}

// StatusEngine returns the running status engine, or nil in a process that
// did not start it (a command line acting on the data directory).
func (a *App) StatusEngine() *status.Engine {
	v, ok := statusEngines.Load(a)
	if !ok {
		return nil
	}
	return v.(*status.Engine)
}

func (a *App) afterCallWorkSeconds(ctx context.Context) (int, error) {
	v, err := a.Prefs(ctx)
	if err != nil {
		return 0, err
	}
	return afterCallWork(v), nil
}

func afterCallWork(v prefs.Values) int {
	n, err := strconv.Atoi(v["status.after_call_work_seconds"])
	if err != nil || n < 0 || n > status.MaxAfterCallWorkSeconds {
		return 0
	}
	return n
}

// ApplyStatusPrefs passes changed settings to the running status engine
// (status.after_call_work_seconds); call it after every settings change.
func (a *App) ApplyStatusPrefs(v prefs.Values) {
	if e := a.StatusEngine(); e != nil {
		if err := e.SetAfterCallWork(afterCallWork(v)); err != nil {
			a.log.Warn("status: after-call work setting not applied", "err", err)
		}
	}
}

// Status returns the status now. running is false when no app runs in this
// process: the snapshot then holds the status the app will take on its next
// start (Since is zero).
func (a *App) Status(ctx context.Context) (snap status.Snapshot, running bool, err error) {
	if e := a.StatusEngine(); e != nil {
		return e.Snapshot(), true, nil
	}
	s, ok, err := status.Stored(ctx, a.store)
	if err != nil {
		return status.Snapshot{}, false, err
	}
	if !ok {
		s = status.Available
	}
	return status.Snapshot{Status: s, Now: time.Now()}, false, nil
}

// SetStatus changes the status for reason r: in the running engine, or, when
// no app runs, the status the app takes on its next start.
func (a *App) SetStatus(ctx context.Context, s status.Status, r status.Reason) error {
	if e := a.StatusEngine(); e != nil {
		return e.Set(ctx, s, r)
	}
	return status.SetStored(ctx, a.store, s)
}

// CallEnded tells the status engine a call ended (after-call work).
func (a *App) CallEnded(ctx context.Context) error {
	if e := a.StatusEngine(); e != nil {
		return e.CallEnded(ctx)
	}
	return nil
}

// Agent names the local agent in timeline exports and team reports: the SIP
// account (user@domain) as id, else the OS user; first and last name as
// name, else the account's display name, else the id.
func (a *App) Agent(ctx context.Context) (status.Agent, error) {
	var ag status.Agent
	acct, err := a.Account(ctx)
	switch {
	case err == nil:
		ag.ID = acct.User
		if acct.Domain != "" {
			ag.ID += "@" + acct.Domain
		}
		ag.Name = acct.DisplayName
	case errors.Is(err, ErrNoAccount):
		if u, err := user.Current(); err == nil {
			ag.ID = u.Username
		} else if h, err := os.Hostname(); err == nil {
			ag.ID = h
		}
	default:
		return ag, err
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		return ag, err
	}
	if n := strings.TrimSpace(v["general.first_name"] + " " + v["general.last_name"]); n != "" {
		ag.Name = n
	}
	if ag.Name == "" {
		ag.Name = ag.ID
	}
	return ag, nil
}

// openEnd returns where an open stint ends for reports: now while the engine
// runs (here, or in the app running for the same data directory), else the
// last heartbeat (the open stint is a crashed run's).
func (a *App) openEnd(ctx context.Context) (time.Time, error) {
	if e := a.StatusEngine(); e != nil {
		return e.Snapshot().Now, nil
	}
	if instance.Running(a.dir) {
		return time.Now(), nil
	}
	t, ok, err := status.LastAlive(ctx, a.store)
	if err != nil || !ok {
		return time.Now(), err
	}
	return t, nil
}

// StatusTimeline returns the local agent's stints overlapping [from, to)
// (zero: open-ended) and the time the open stint, if any, runs to.
func (a *App) StatusTimeline(ctx context.Context, from, to time.Time) (status.AgentTimeline, time.Time, error) {
	ag, err := a.Agent(ctx)
	if err != nil {
		return status.AgentTimeline{}, time.Time{}, err
	}
	stints, err := status.Timeline(ctx, a.store, from, to)
	if err != nil {
		return status.AgentTimeline{}, time.Time{}, err
	}
	end, err := a.openEnd(ctx)
	if err != nil {
		return status.AgentTimeline{}, time.Time{}, err
	}
	return status.AgentTimeline{Agent: ag, Stints: stints}, end, nil
}

// StatusMetrics computes the local agent's time in status over [from, to); a
// zero to is now.
func (a *App) StatusMetrics(ctx context.Context, from, to time.Time) (status.Metrics, error) {
	if to.IsZero() {
		to = time.Now()
		if e := a.StatusEngine(); e != nil {
			to = e.Snapshot().Now
		}
	}
	tl, end, err := a.StatusTimeline(ctx, from, to)
	if err != nil {
		return status.Metrics{}, err
	}
	m, err := status.Compute(tl.Stints, from, to, end)
	if err != nil {
		return status.Metrics{}, fmt.Errorf("report: %w", err)
	}
	m.Agent = tl.Agent
	return m, nil
}
