package app

// What the window needs of the audio library beyond the command line's
// verbs: a recording the user stops, hears and then keeps or discards.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/emiago/sipgo/sip"

	"github.com/ringside/ringside/audio"
	"github.com/ringside/ringside/softphone"
)

// StartRecording starts recording from the microphone (device "" for the
// setting audio.input_device), up to audio.MaxDuration, reporting levels
// about 20 times a second. Stop it with Recording.Stop; keep it with
// KeepRecording.
func (a *App) StartRecording(ctx context.Context, device string, levels func(audio.Level)) (*audio.Recording, error) {
	sys, err := a.audioSystem()
	if err != nil {
		return nil, err
	}
	dev, err := a.device(ctx, device, "audio.input_device")
	if err != nil {
		return nil, err
	}
	opts := []audio.RecordOption{audio.WithLimit(audio.MaxDuration)}
	if levels != nil {
		opts = append(opts, audio.WithLevels(levels))
	}
	return sys.StartRecording(ctx, dev, opts...)
}

// PlayRecording plays a recording not kept yet on a playback device ("" for
// audio.output_device) and returns when it ends or ctx is done.
func (a *App) PlayRecording(ctx context.Context, b *audio.Buffer, device string) error {
	sys, err := a.audioSystem()
	if err != nil {
		return err
	}
	dev, err := a.device(ctx, device, "audio.output_device")
	if err != nil {
		return err
	}
	return sys.Play(ctx, dev, b)
}

// KeepRecording trims, normalises and stores a recording as a library item.
func (a *App) KeepRecording(ctx context.Context, name, kind string, b *audio.Buffer) (Item, error) {
	if _, err := checkItemName(name); err != nil {
		return Item{}, err
	}
	if err := checkKind(kind); err != nil {
		return Item{}, err
	}
	p, err := audio.Prepare("recording", b)
	if err != nil {
		return Item{}, err
	}
	return a.AddItem(ctx, name, kind, SourceRecorded, "", p)
}

// Hold puts the call id on hold (on) or takes it off hold.
func (a *App) Hold(ctx context.Context, id string, on bool) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	if on {
		err = c.Hold(ctx)
	} else {
		err = c.Resume(ctx)
	}
	a.phoneChanged()
	return err
}

// Mute turns the microphone off (on true) or back on for the call id; the
// caller hears silence meanwhile.
func (a *App) Mute(id string, on bool) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	c.SetMute(on)
	ps := a.phoneState()
	ps.mu.Lock()
	if tc := ps.calls[id]; tc != nil {
		tc.muted = on
	}
	ps.mu.Unlock()
	a.phoneChanged()
	return nil
}

// SendDTMF sends digits (0-9, *, #, A-D) on the call id (RFC 4733).
func (a *App) SendDTMF(id, digits string) error {
	c, err := a.findCall(id)
	if err != nil {
		return err
	}
	return c.SendDTMF(digits)
}

// ErrBadTarget is matched by every *TargetError: a number or address that
// cannot be called or transferred to.
var ErrBadTarget = errors.New("not a number, extension, user name or SIP address")

// targetAllowed says what a call or transfer target may be.
const targetAllowed = "type a phone number (digits, + at the start, * and #), an extension, a user name, a tel: number or a SIP address such as sip:name@example.com"

// TargetError names a call or transfer target that cannot be called, and
// says what is allowed.
type TargetError struct {
	Target string // as typed
}

func (e *TargetError) Error() string {
	if strings.TrimSpace(e.Target) == "" {
		return "no number given: " + targetAllowed
	}
	return fmt.Sprintf("%q cannot be called: %s", e.Target, targetAllowed)
}

// Unwrap returns ErrBadTarget.
func (e *TargetError) Unwrap() error { return ErrBadTarget }

// CheckTarget checks that target can be dialled: a phone number or extension
// (digits, a leading +, * and #, with spaces, dashes, dots or brackets between
// them), a user name (optionally @host), a tel: number or a sip:/sips: URI.
// It returns a *TargetError otherwise. It needs no network: the window checks
// a transfer target with it before it changes anything.
func CheckTarget(target string) error {
	t := strings.TrimSpace(target)
	t = strings.TrimPrefix(strings.TrimSuffix(t, ">"), "<")
	bad := &TargetError{Target: target}
	lower := strings.ToLower(t)
	switch {
	case t == "":
		return bad
	case strings.HasPrefix(lower, "tel:"):
		num, _, _ := strings.Cut(t[4:], ";")
		if !isNumber(num) {
			return bad
		}
	case strings.HasPrefix(lower, "sip:") || strings.HasPrefix(lower, "sips:"):
		var u sip.Uri
		if strings.ContainsAny(t, " \t\r\n") || sip.ParseUri(t, &u) != nil || u.Host == "" {
			return bad
		}
	case isNumber(t):
	default:
		user, host, at := strings.Cut(t, "@")
		if !isUserName(user) || (at && !isHost(host)) {
			return bad
		}
	}
	return nil
}

// isNumber: digits, * and # with an optional leading +, and spaces, dashes,
// dots or brackets between them.
func isNumber(s string) bool {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "+")
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '*', r == '#':
			digits++
		case r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits > 0
}

// isUserName: letters and digits, then . _ - + too (the user names people
// type; anything else is written as a sip: URI).
func isUserName(s string) bool {
	for i, r := range s {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("-_.+", r)) {
			return false
		}
	}
	return s != ""
}

// isHost: a host name or IPv4 address, with an optional :port.
func isHost(s string) bool {
	host, port, hasPort := strings.Cut(s, ":")
	if host == "" || (hasPort && (port == "" || strings.Trim(port, "0123456789") != "")) {
		return false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// Consult starts an attended transfer of the call id to target ("talk
// first"): it checks target (a *TargetError changes nothing), puts the call
// on hold and calls target. It returns as Call does, with the consultation
// call. When the consultation cannot be placed, the first call stays on
// hold. CompleteTransfer joins the two, once the target answered or while
// it still rings; hanging up the consultation cancels.
func (a *App) Consult(ctx context.Context, id, target string) (LiveCall, error) {
	if err := CheckTarget(target); err != nil {
		return LiveCall{}, err
	}
	c, err := a.findCall(id)
	if err != nil {
		return LiveCall{}, err
	}
	if st := c.State(); st != softphone.CallActive {
		return LiveCall{}, fmt.Errorf("the call with %s is %s, not connected: %w", c.Remote(), st, softphone.ErrBadState)
	}
	if err := a.Hold(ctx, id, true); err != nil {
		return LiveCall{}, fmt.Errorf("putting %s on hold: %w", c.Remote(), err)
	}
	return a.Call(ctx, target)
}

// CompleteTransfer ends an attended transfer: the far end of the call
// heldID (the caller, on hold) is connected to the far end of consultID (the
// transfer target), and both our calls end.
//
// When the target answered, it sends the caller a REFER with Replaces (RFC
// 3891): the caller's call replaces ours at the target. It returns once the
// caller accepted the REFER.
//
// While the target still rings (a "semi-attended" transfer), it cancels the
// consultation (CANCEL), waits for the target's phone to stop ringing, and
// then blind-transfers the caller to the number dialled for the
// consultation (the REFER of Transfer): the caller rings the target, and
// the held call ends when the target answers (LiveCall.TransferCode follows
// that call; a failure leaves the caller on hold here). If the target
// answered just as the CANCEL went out (its 200 OK crossed our CANCEL), the
// consultation is active and the REFER with Replaces is sent instead: the
// target, who picked up, is connected to the caller at once rather than
// hung up on and rung again. If the target refused the call as the CANCEL
// went out, nothing is transferred.
//
// A transfer that does not take place returns a *TransferError saying why
// and where the calls are: the caller stays on hold in every case.
func (a *App) CompleteTransfer(ctx context.Context, heldID, consultID string) error {
	defer a.phoneChanged()
	held, err := a.findCall(heldID)
	if err != nil {
		return &TransferError{Target: a.dialled(consultID, ""),
			Err: &stepError{"the call on hold has ended (the caller hung up)", err}}
	}
	caller := callParty(held)
	other, err := a.findCall(consultID)
	if err != nil {
		return &TransferError{Caller: caller,
			Err: &stepError{"the call to the transfer target has ended (declined, not answered or hung up)", err},
			Now: caller + " is on hold: choose Resume to talk to them again"}
	}
	target := a.dialled(consultID, other.Remote())
	if st := held.State(); st != softphone.CallActive {
		return &TransferError{Caller: caller, Target: target,
			Err: fmt.Errorf("the call with %s is %s: %w", caller, st, softphone.ErrBadState)}
	}
	switch st := other.State(); st {
	case softphone.CallActive:
		return a.referReplaces(ctx, held, other, caller, target, false)
	case softphone.CallDialing, softphone.CallAlerting:
	default:
		return &TransferError{Caller: caller, Target: target,
			Err: fmt.Errorf("the call to %s is %s: %w", target, st, softphone.ErrBadState),
			Now: caller + " is on hold: choose Resume to talk to them again"}
	}
	err = other.Cancel(ctx)
	switch {
	case errors.Is(err, softphone.ErrAnswered):
		a.log.Info("semi-attended transfer: the target answered as we cancelled; transferring with Replaces", "call", heldID)
		return a.referReplaces(ctx, held, other, caller, target, true)
	case err != nil:
		now := caller + " is on hold: choose Resume to talk to them again"
		if ctx.Err() != nil {
			// The CANCEL is on its way; a late answer must not leave
			// the agent talking to the target unawares.
			hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			_, _ = a.Hangup(hctx, consultID)
			cancel()
			now = "the call to " + target + " was hung up; " + now
		}
		return &TransferError{Caller: caller, Target: target, Err: fmt.Errorf("cancelling the call to %s: %w", target, err), Now: now}
	}
	a.log.Info("semi-attended transfer: consultation cancelled; blind transfer", "call", heldID)
	if err := a.Transfer(ctx, heldID, target); err != nil {
		now := "the call to " + target + " was cancelled; " + caller + " is on hold: choose Resume to talk to them again, or Transfer… to try again"
		if held.State() == softphone.CallEnded {
			now = "the call to " + target + " was cancelled, and " + caller + " hung up"
		}
		return &TransferError{Caller: caller, Target: target, Err: err, Now: now}
	}
	return nil
}

// referReplaces is CompleteTransfer once the target answered: REFER with
// Replaces. crossed: the target answered just as we cancelled.
func (a *App) referReplaces(ctx context.Context, held, other *softphone.Call, caller, target string, crossed bool) error {
	if err := held.AttendedTransfer(ctx, other); err != nil {
		now := "you are still talking to " + target + "; " + caller + " is on hold: hang up to go back to them, or choose Cancel transfer"
		if held.State() == softphone.CallEnded {
			now = "you are still talking to " + target + "; " + caller + " hung up"
		}
		if crossed {
			now = target + " answered just as you completed the transfer: " + now
		}
		return &TransferError{Caller: caller, Target: target, Err: err, Now: now}
	}
	return nil
}

// dialled returns the target as dialled for the call id (Call), else def.
func (a *App) dialled(id, def string) string {
	ps := a.phoneState()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if tc := ps.calls[id]; tc != nil && tc.target != "" {
		return tc.target
	}
	return def
}

// callParty names the far end of a call for messages: its display name and
// address.
func callParty(c *softphone.Call) string {
	if n := displayName(c.RemoteName()); n != "" {
		return n + " <" + c.Remote() + ">"
	}
	return c.Remote()
}

// TransferError is a transfer that did not take place: who was to be
// transferred where, why not, and where the calls are now. Its message is
// written for the agent.
type TransferError struct {
	Caller string // the party to be transferred, on hold
	Target string // where to
	Err    error  // why: the REFER's refusal (*softphone.StatusError), ErrNoSuchCall...
	Now    string // where the calls are now; "" when nothing changed
}

func (e *TransferError) Error() string {
	who := e.Caller
	if who == "" {
		who = "the caller"
	}
	msg := who + " was not transferred"
	if e.Target != "" {
		msg += " to " + e.Target
	}
	msg += ": " + transferReason(e.Err)
	if e.Now != "" {
		msg += ". Now " + e.Now
	}
	return msg + "."
}

// Unwrap returns the cause.
func (e *TransferError) Unwrap() error { return e.Err }

// transferReason says why a transfer step failed, in the agent's words.
func transferReason(err error) string {
	var step *stepError
	if errors.As(err, &step) {
		return step.msg
	}
	var se *softphone.StatusError
	if errors.As(err, &se) {
		switch se.Method {
		case "REFER":
			return fmt.Sprintf("the caller's phone or the PBX refused the transfer request (SIP REFER answered %d %s)", se.Code, se.Reason)
		case "INVITE":
			return fmt.Sprintf("the target did not take the call (SIP %d %s) just as you completed the transfer", se.Code, se.Reason)
		}
	}
	switch {
	case errors.Is(err, ErrNoSuchCall):
		return "that call has ended"
	case errors.Is(err, softphone.ErrNotConnected):
		return "the softphone is not connected to the SIP server"
	case errors.Is(err, softphone.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "no answer in time (" + err.Error() + ")"
	}
	return err.Error()
}

// stepError is a cause of a TransferError with the words for the agent.
type stepError struct {
	msg string
	err error
}

func (e *stepError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }
