package status

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/ringside/ringside/app/store"
)

// DefaultHeartbeat is how often a running Engine records that the app is
// alive; after a crash, the open stint ends at the last heartbeat.
const DefaultHeartbeat = 30 * time.Second

// MaxAfterCallWorkSeconds is the longest after-call work time
// (status.after_call_work_seconds).
const MaxAfterCallWorkSeconds = 600

// Snapshot is the engine's state at one moment, for the tray, the window and
// the command line.
type Snapshot struct {
	Status Status
	Since  time.Time // when the current stint started
	Reason Reason    // why it started
	// ReturnTo is the status after-call work goes back to and
	// AfterCallWorkUntil when; both are zero unless the timer runs.
	ReturnTo           Status
	AfterCallWorkUntil time.Time
	// AfterCallWorkSeconds is the configured after-call work time (0: off).
	AfterCallWorkSeconds int
	// Now is the engine clock's time when the snapshot was taken.
	Now time.Time
}

// In returns how long the current stint has lasted at the snapshot's time.
func (s Snapshot) In() time.Duration {
	if s.Now.Before(s.Since) {
		return 0
	}
	return s.Now.Sub(s.Since)
}

// Option configures an Engine.
type Option func(*config)

type config struct {
	clock     Clock
	log       *slog.Logger
	heartbeat time.Duration
	acw       int
	initial   Status
}

// WithClock sets the clock (default SystemClock).
func WithClock(c Clock) Option { return func(cf *config) { cf.clock = c } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(cf *config) { cf.log = l } }

// WithHeartbeat sets how often the engine records that the app is alive
// (default DefaultHeartbeat).
func WithHeartbeat(d time.Duration) Option { return func(cf *config) { cf.heartbeat = d } }

// WithAfterCallWork sets status.after_call_work_seconds (0, the default, is off).
func WithAfterCallWork(seconds int) Option { return func(cf *config) { cf.acw = seconds } }

// WithInitialStatus sets the status of the very first start, when the store
// holds none (default Available).
func WithInitialStatus(s Status) Option { return func(cf *config) { cf.initial = s } }

// Engine holds the current status, records every change in the store's
// timeline, keeps a heartbeat and runs the after-call work timer. Its methods
// are safe for concurrent use; Close stops its timers and ends the current
// stint.
type Engine struct {
	st        *store.Store
	clock     Clock
	log       *slog.Logger
	heartbeat time.Duration
	ctx       context.Context
	cancel    context.CancelFunc
	timers    sync.WaitGroup // scheduled or running timer callbacks

	mu       sync.Mutex
	closed   bool
	cur      Status
	since    time.Time
	reason   Reason
	acw      int
	returnTo Status // non-empty while the after-call work timer runs
	acwUntil time.Time
	acwTimer Timer
	acwGen   uint64
	hbTimer  Timer
	subs     map[chan struct{}]struct{}
}

// New starts the engine on st. A stint left open by a run that crashed is
// closed at that run's last heartbeat; then the status of the last run (or
// the initial status on the very first start) is resumed with reason
// app_start.
func New(ctx context.Context, st *store.Store, opts ...Option) (*Engine, error) {
	cf := config{clock: SystemClock{}, heartbeat: DefaultHeartbeat, initial: Available}
	for _, o := range opts {
		o(&cf)
	}
	if cf.log == nil {
		cf.log = slog.New(slog.DiscardHandler)
	}
	if err := checkACW(cf.acw); err != nil {
		return nil, err
	}
	if !cf.initial.Valid() {
		return nil, &UnknownStatusError{Key: string(cf.initial)}
	}
	if cf.heartbeat <= 0 {
		cf.heartbeat = DefaultHeartbeat
	}
	e := &Engine{st: st, clock: cf.clock, log: cf.log, heartbeat: cf.heartbeat, acw: cf.acw,
		subs: map[chan struct{}]struct{}{}}
	e.ctx, e.cancel = context.WithCancel(context.Background())

	resume, ok, err := Stored(ctx, st)
	if err != nil {
		e.cancel()
		return nil, err
	}
	if !ok {
		resume = cf.initial
	}
	now := e.clock.Now()
	var crashed bool
	var lastAlive time.Time
	err = st.Tx(ctx, func(tx *sql.Tx) error {
		if crashed, lastAlive, err = recoverCrash(ctx, tx); err != nil {
			return err
		}
		// A clock set back since the last run must not make stints overlap.
		if last, err := lastEnd(ctx, tx); err != nil {
			return err
		} else if now.Before(last) {
			e.log.Warn("status: clock is behind the timeline; starting at its end", "now", now, "timeline_end", last)
			now = last
		}
		if err := openStint(ctx, tx, resume, ReasonAppStart, now); err != nil {
			return err
		}
		if err := saveResume(ctx, tx, resume); err != nil {
			return err
		}
		return saveHeartbeat(ctx, tx, now)
	})
	if err != nil {
		e.cancel()
		return nil, fmt.Errorf("start status timeline: %w", err)
	}
	if crashed {
		e.log.Warn("status: previous run ended without quitting; its last stint closed at its last heartbeat",
			"last_alive", lastAlive)
	}
	e.cur, e.since, e.reason = resume, now, ReasonAppStart
	e.mu.Lock()
	e.hbTimer = e.schedule(e.heartbeat, e.beat)
	e.mu.Unlock()
	e.log.Info("status: started", "status", string(resume))
	return e, nil
}

func checkACW(seconds int) error {
	if seconds < 0 || seconds > MaxAfterCallWorkSeconds {
		return fmt.Errorf("%w (got %d)", ErrAfterCallWorkRange, seconds)
	}
	return nil
}

// schedule runs f after d, counted in e.timers so Close can join it. Call with
// e.mu held.
func (e *Engine) schedule(d time.Duration, f func()) Timer {
	e.timers.Add(1)
	return e.clock.AfterFunc(d, func() {
		defer e.timers.Done()
		f()
	})
}

// unschedule stops t; call with e.mu held.
func (e *Engine) unschedule(t Timer) {
	if t != nil && t.Stop() {
		e.timers.Done()
	}
}

// beat records the heartbeat and schedules the next one.
func (e *Engine) beat() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return
	}
	now := e.clock.Now()
	err := e.st.Tx(e.ctx, func(tx *sql.Tx) error { return saveHeartbeat(e.ctx, tx, now) })
	if err != nil {
		e.log.Warn("status: heartbeat not recorded", "err", err)
	}
	e.hbTimer = e.schedule(e.heartbeat, e.beat)
}

// Current returns the current status.
func (e *Engine) Current() Status {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.cur
}

// Snapshot returns the engine's state.
func (e *Engine) Snapshot() Snapshot {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Snapshot{Status: e.cur, Since: e.since, Reason: e.reason, ReturnTo: e.returnTo,
		AfterCallWorkUntil: e.acwUntil, AfterCallWorkSeconds: e.acw, Now: e.clock.Now()}
}

// Set changes the status for reason r (manual, tray, cli, idle...). Setting the
// current status again changes nothing. Any other status stops a running
// after-call work timer: the agent's choice wins.
func (e *Engine) Set(ctx context.Context, s Status, r Reason) error {
	if !s.Valid() {
		return &UnknownStatusError{Key: string(s)}
	}
	if err := checkChangeReason(r); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if s == e.cur {
		return nil
	}
	if err := e.change(ctx, s, r, s); err != nil {
		return err
	}
	e.stopACW()
	e.notify()
	return nil
}

// change records a new stint of s for reason r, with resume as the status the
// next start takes. Call with e.mu held.
func (e *Engine) change(ctx context.Context, s Status, r Reason, resume Status) error {
	now := e.now()
	err := e.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := closeOpen(ctx, tx, now, r); err != nil {
			return err
		}
		if err := openStint(ctx, tx, s, r, now); err != nil {
			return err
		}
		if err := saveResume(ctx, tx, resume); err != nil {
			return err
		}
		return saveHeartbeat(ctx, tx, now)
	})
	if err != nil {
		return fmt.Errorf("record status %s: %w", s, err)
	}
	e.log.Info("status: changed", "from", string(e.cur), "to", string(s), "reason", string(r))
	e.cur, e.since, e.reason = s, now, r
	return nil
}

// now returns the clock's time, never before the current stint's start (a
// clock set back must not make stints overlap); call with e.mu held.
func (e *Engine) now() time.Time {
	now := e.clock.Now()
	if now.Before(e.since) {
		return e.since
	}
	return now
}

// stopACW stops the after-call work timer; call with e.mu held.
func (e *Engine) stopACW() {
	e.unschedule(e.acwTimer)
	e.acwTimer = nil
	e.acwGen++
	e.returnTo = ""
	e.acwUntil = time.Time{}
}

// SetAfterCallWork changes status.after_call_work_seconds (0 to 600, 0 is
// off) for the calls that end from now on.
func (e *Engine) SetAfterCallWork(seconds int) error {
	if err := checkACW(seconds); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.acw = seconds
	e.notify()
	return nil
}

// CallEnded starts after-call work when it is on: a new After-call work
// stint, and a timer that returns to the status before the call once the time
// is up, unless the agent picks another status meanwhile. A call that ends
// during after-call work starts a new stint and restarts the timer, and the
// return status stays the one before the first call.
func (e *Engine) CallEnded(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	if e.acw == 0 {
		return nil
	}
	back := e.cur
	if e.returnTo != "" {
		back = e.returnTo
	}
	if err := e.change(ctx, AfterCallWork, ReasonAfterCallWork, back); err != nil {
		return err
	}
	e.stopACW()
	gen := e.acwGen
	d := time.Duration(e.acw) * time.Second
	e.returnTo, e.acwUntil = back, e.since.Add(d)
	e.acwTimer = e.schedule(d, func() { e.acwDone(gen) })
	e.notify()
	return nil
}

// acwDone ends after-call work started as generation gen, if still current.
func (e *Engine) acwDone(gen uint64) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed || gen != e.acwGen {
		return
	}
	back := e.returnTo
	e.acwTimer = nil
	e.stopACW()
	if back != e.cur {
		if err := e.change(e.ctx, back, ReasonAfterCallWork, back); err != nil {
			e.log.Error("status: after-call work could not end", "err", err)
		}
	}
	e.notify()
}

// Subscribe returns a channel that receives a value (buffer 1, coalesced)
// after every change of the engine's state; read Snapshot to see it. The
// channel is closed by cancel or by the engine's Close.
func (e *Engine) Subscribe() (changed <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		close(ch)
		return ch, func() {}
	}
	e.subs[ch] = struct{}{}
	return ch, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		if _, ok := e.subs[ch]; ok {
			delete(e.subs, ch)
			close(ch)
		}
	}
}

// notify wakes every subscriber; call with e.mu held.
func (e *Engine) notify() {
	for ch := range e.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Timeline returns the local stints overlapping [from, to) (see Timeline).
func (e *Engine) Timeline(ctx context.Context, from, to time.Time) ([]Stint, error) {
	return Timeline(ctx, e.st, from, to)
}

// Metrics computes the local agent's metrics over [from, to), counting the
// running stint up to now.
func (e *Engine) Metrics(ctx context.Context, from, to time.Time) (Metrics, error) {
	stints, err := Timeline(ctx, e.st, from, to)
	if err != nil {
		return Metrics{}, err
	}
	return Compute(stints, from, to, e.clock.Now())
}

// Close stops the heartbeat and the after-call work timer, ends the current
// stint (reason app_quit) and keeps the status for the next start: the status
// before the call if after-call work was running. It waits for running timer
// callbacks and closes the subscribers' channels.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	resume := e.cur
	if e.returnTo != "" {
		resume = e.returnTo
	}
	e.unschedule(e.hbTimer)
	e.stopACW()
	now := e.now()
	ctx := context.Background()
	err := e.st.Tx(ctx, func(tx *sql.Tx) error {
		if err := closeOpen(ctx, tx, now, ReasonAppQuit); err != nil {
			return err
		}
		if err := saveResume(ctx, tx, resume); err != nil {
			return err
		}
		return saveHeartbeat(ctx, tx, now)
	})
	for ch := range e.subs {
		delete(e.subs, ch)
		close(ch)
	}
	e.mu.Unlock()
	e.timers.Wait()
	e.cancel()
	if err != nil {
		return fmt.Errorf("end status timeline: %w", err)
	}
	e.log.Info("status: stopped", "status", string(resume))
	return nil
}
