// Package statustest provides a fake clock for tests of the status engine and
// of code above it: time moves only when the test says so.
package statustest

import (
	"sort"
	"sync"
	"time"

	"github.com/ringside/ringside/app/status"
)

// Clock is a manual clock: Now stays put until Advance or Set, which run the
// AfterFunc calls that fall due, in order of their due time, synchronously in
// the caller's goroutine.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers []*timer
}

type timer struct {
	c    *Clock
	when time.Time
	seq  int
	f    func()
	done bool
}

// NewClock returns a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc schedules f for Now()+d.
func (c *Clock) AfterFunc(d time.Duration, f func()) status.Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	t := &timer{c: c, when: c.now.Add(d), seq: c.seq, f: f}
	c.timers = append(c.timers, t)
	return t
}

// Stop cancels the timer.
func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	return true
}

// Pending returns how many timers are waiting.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if !t.done {
			n++
		}
	}
	return n
}

// Advance moves the clock forward by d, running due timers one by one (a timer
// scheduled by a running timer runs too if it falls due within d).
func (c *Clock) Advance(d time.Duration) {
	c.Set(c.Now().Add(d))
}

// Set moves the clock to t (never backwards), running due timers.
func (c *Clock) Set(to time.Time) {
	for {
		c.mu.Lock()
		var next *timer
		live := c.timers[:0]
		for _, t := range c.timers {
			if !t.done {
				live = append(live, t)
			}
		}
		c.timers = live
		sort.Slice(live, func(i, j int) bool {
			if !live[i].when.Equal(live[j].when) {
				return live[i].when.Before(live[j].when)
			}
			return live[i].seq < live[j].seq
		})
		if len(live) > 0 && !live[0].when.After(to) {
			next = live[0]
			next.done = true
			if next.when.After(c.now) {
				c.now = next.when
			}
		} else if to.After(c.now) {
			c.now = to
		}
		c.mu.Unlock()
		if next == nil {
			return
		}
		next.f()
	}
}
