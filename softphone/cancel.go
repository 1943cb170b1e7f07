package softphone

import (
	"context"
	"errors"
)

// Cancel stops an outgoing call that has not been answered yet (CANCEL,
// RFC 3261 section 9) and returns once the INVITE has its final response.
// Unlike Hangup it tells how the call ended, which a semi-attended transfer
// needs:
//   - nil: the call was cancelled (487) and has ended;
//   - ErrAnswered: the far end answered before the CANCEL reached it (a
//     2xx crossed it, RFC 3261 section 9.1) or had answered already; the
//     call is kept, active, and Hangup ends it;
//   - a *StatusError: the far end refused the call (486, 603...) before
//     the CANCEL reached it; the call has ended;
//   - ErrCallEnded: the call had already ended;
//   - ErrBadState: c is an incoming call;
//   - ctx's error when ctx ended first; the call goes on being cancelled
//     and may still end up answered (then active).
func (c *Call) Cancel(ctx context.Context) error {
	c.mu.Lock()
	if c.dir != Outgoing {
		c.mu.Unlock()
		return ErrBadState
	}
	switch c.state {
	case CallActive:
		c.mu.Unlock()
		return ErrAnswered
	case CallEnded:
		c.mu.Unlock()
		return ErrCallEnded
	}
	c.keepAnswer = true
	dc := c.dcancel
	c.mu.Unlock()
	if dc != nil {
		dc() // Dial sends CANCEL and waits for the INVITE's final response
	}
	select {
	case <-c.up:
	case <-c.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if c.State() == CallActive {
		return ErrAnswered
	}
	select {
	case <-c.up:
		// Answered, then ended at once (its SDP answer was unusable).
		return ErrCallEnded
	default:
	}
	if ev := c.Ended(); ev != nil && ev.Reason == EndRejected {
		var se *StatusError
		if errors.As(ev.Err, &se) {
			return se
		}
	}
	return nil
}
