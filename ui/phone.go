package ui

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// phonePage is the dialpad, the number entry, the call button, the current
// calls (answer, decline, transfer, hang up), an incoming-call banner with a
// desktop notification, and the registration state. It follows the App's
// phone events; it never polls.
type phonePage struct {
	a   *app.App
	w   fyne.Window
	log *slog.Logger

	reg      *widget.Label
	number   *widget.Entry
	call     *widget.Button
	calls    *fyne.Container
	banner   *fyne.Container // incoming call: Answer / Decline
	keys     map[string]*widget.Button
	hasAcc   bool
	notified map[string]bool // incoming calls already notified
	// consult is the attended transfer under way ("Talk first"), nil when
	// none; only the Fyne thread touches it.
	consult *consultation
	// blind are the blind transfers ("Transfer now") under way, by call
	// id; only the Fyne thread touches them.
	blind map[string]blindTransfer
	// done says how the last attended transfer ended ("" when none).
	done      *widget.Label
	focusNext fyne.Focusable  // focused once the calls are drawn
	right     *fyne.Container // the calls and their heading
	drawn     string          // what showCalls drew last
	// keys4focus names the drawn buttons by call and label.
	keys4focus map[fyne.Focusable]string
	cancel     context.CancelFunc
	wg         sync.WaitGroup
}

func newPhonePage(a *app.App, w fyne.Window, log *slog.Logger) *phonePage {
	return &phonePage{a: a, w: w, log: log, notified: map[string]bool{}, blind: map[string]blindTransfer{}}
}

// noAccount is shown while no SIP account is set up.
const noAccount = "No SIP account set up — set one in My preferences > General or with `ringside account set`."

func (p *phonePage) buildUI() fyne.CanvasObject {
	p.reg = widget.NewLabel("Reading the account…")
	p.reg.Wrapping = fyne.TextWrapWord
	p.number = widget.NewEntry()
	p.number.SetPlaceHolder("Number or SIP URI (type or paste)")
	p.number.OnSubmitted = func(string) { p.dial() }
	p.number.OnChanged = func(string) { p.updateCall() }
	back := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() {
		if t := p.number.Text; t != "" {
			p.number.SetText(t[:len(t)-1])
		}
	})
	pad := container.NewGridWithColumns(3)
	p.keys = map[string]*widget.Button{}
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"} {
		p.keys[k] = widget.NewButton(k, func() { p.number.SetText(p.number.Text + k) })
		pad.Add(p.keys[k])
	}
	p.call = widget.NewButtonWithIcon("Call", phoneIcon, p.dial)
	p.call.Importance = widget.SuccessImportance
	p.call.Disable()
	p.calls = container.NewVBox(widget.NewLabel("No current calls."))
	p.done = widget.NewLabel("")
	p.done.Wrapping = fyne.TextWrapWord
	p.done.Hide()
	p.banner = container.NewVBox()
	dialer := container.NewVBox(container.NewBorder(nil, nil, nil, back, p.number), pad, p.call)
	left := container.NewGridWrap(fyne.NewSize(300, dialer.MinSize().Height), dialer)
	head := widget.NewLabelWithStyle("Current calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.right = container.NewBorder(container.NewVBox(head, p.done), nil, nil, nil, container.NewVScroll(p.calls))
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.follow(ctx)
	return container.NewPadded(container.NewBorder(container.NewVBox(p.banner, p.reg), nil, container.NewVBox(left), nil, p.right))
}

// follow redraws after every change of registration or calls.
func (p *phonePage) follow(ctx context.Context) {
	changed, unsubscribe := p.a.SubscribePhone()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer unsubscribe()
		for {
			select {
			case <-ctx.Done():
				return
			case <-changed:
				p.refresh()
			}
		}
	}()
}

func (p *phonePage) shown() { background(&p.wg, p.refresh) }

// refresh reads the account, the registration and the calls (off the Fyne
// thread) and shows them.
func (p *phonePage) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := p.a.Account(ctx)
	var msg string
	switch {
	case errors.Is(err, app.ErrNoAccount):
		msg = noAccount
	case err != nil:
		msg = "The SIP account could not be read: " + err.Error()
	default:
		msg = capitalise(p.a.RegistrationState()) + "."
	}
	calls := p.a.Calls()
	fyne.Do(func() {
		p.hasAcc = err == nil
		p.reg.SetText(msg)
		p.updateCall()
		p.showCalls(calls)
	})
}

func (p *phonePage) updateCall() {
	if p.hasAcc && strings.TrimSpace(p.number.Text) != "" {
		p.call.Enable()
	} else {
		p.call.Disable()
	}
}

func ringingHere(c app.LiveCall) bool {
	return c.Direction == "incoming" && (c.State == "ringing" || c.State == "offered")
}

// showCalls draws the current calls and the incoming-call banner; the two
// calls of an attended transfer are drawn together, with Complete transfer
// and Cancel transfer.
func (p *phonePage) showCalls(calls []app.LiveCall) {
	pair := p.followConsult(calls)
	p.followBlind(calls)
	if len(calls) > 0 && p.done.Visible() && (p.consult == nil || !p.consult.completing) {
		p.done.Hide() // the next call
	}
	// The softphone reports audio levels twice a second: redraw only what
	// changed, so that the keyboard focus stays where it is.
	drawn := fmt.Sprint(calls, p.done.Visible(), p.done.Text, p.blind)
	if cs := p.consult; cs != nil {
		drawn += fmt.Sprint(cs.held, cs.call, cs.completing, cs.early, cs.referred)
	}
	if drawn == p.drawn && p.focusNext == nil {
		return
	}
	p.drawn = drawn
	focused := p.keys4focus[p.w.Canvas().Focused()]
	p.keys4focus = map[fyne.Focusable]string{}
	p.calls.Objects = nil
	p.banner.Objects = nil
	for _, c := range calls {
		if pair != nil && (c.ID == pair.held.ID || c.ID == pair.call.ID) {
			if c.ID == pair.held.ID {
				p.calls.Add(p.consultCard(pair))
			}
			continue
		}
		if ringingHere(c) {
			p.showIncoming(c)
			continue
		}
		if bt, ok := p.blind[c.ID]; ok {
			p.calls.Add(p.blindCard(c, bt))
			continue
		}
		p.calls.Add(p.callRow(c))
	}
	if len(p.calls.Objects) == 0 {
		p.calls.Add(widget.NewLabel("No current calls."))
	}
	p.right.Refresh() // the heading's height follows p.done
	p.banner.Refresh()
	if p.focusNext == nil && focused != "" {
		// The same button of the same call keeps the focus.
		for o, k := range p.keys4focus {
			if b, ok := o.(*widget.Button); k == focused && ok && !b.Disabled() {
				p.focusNext = b
			}
		}
	}
	if p.focusNext != nil {
		p.w.Canvas().Focus(p.focusNext)
		p.focusNext = nil
	}
}

// keep notes the buttons of call id, so that a redraw gives the focus back
// to the same button.
func (p *phonePage) keep(id string, bs ...*widget.Button) {
	for _, b := range bs {
		p.keys4focus[b] = id + "\x00" + b.Text
	}
}

// who names the far end of c.
func who(c app.LiveCall) string {
	if c.PeerName != "" {
		return c.PeerName + " <" + c.Peer + ">"
	}
	return c.Peer
}

// callState says what c is doing, for its line.
func callState(c app.LiveCall) string {
	state := c.State
	if c.State == "alerting" {
		state = "ringing"
	}
	if c.Held {
		state += ", on hold"
	}
	if c.Muted {
		state += ", muted"
	}
	return state
}

func (p *phonePage) showIncoming(c app.LiveCall) {
	answer := widget.NewButtonWithIcon("Answer", phoneIcon, func() { p.answer(c.ID) })
	answer.Importance = widget.SuccessImportance
	decline := widget.NewButtonWithIcon("Decline", theme.CancelIcon(), func() { p.hangup(c.ID) })
	decline.Importance = widget.DangerImportance
	p.keep(c.ID, answer, decline)
	card := widget.NewCard("Incoming call", who(c)+" ("+strings.ReplaceAll(c.Origin, "_", " ")+")", container.NewHBox(answer, decline))
	p.banner.Add(card)
	if !p.notified[c.ID] {
		p.notified[c.ID] = true
		fyne.CurrentApp().SendNotification(fyne.NewNotification("Incoming call", who(c)))
	}
}

// callRow is one call's line with its buttons: hang up, and for a connected
// call mute, hold, keypad and transfer.
func (p *phonePage) callRow(c app.LiveCall) fyne.CanvasObject {
	hang := widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), func() { p.hangup(c.ID) })
	hang.Importance = widget.DangerImportance
	bs := []*widget.Button{hang}
	if c.State == "active" {
		tr := widget.NewButtonWithIcon("Transfer…", theme.MailForwardIcon(), func() { p.transfer(c) })
		bs = []*widget.Button{p.muteButton(c), p.holdButton(c), p.keypadButton(c), tr, hang}
	}
	p.keep(c.ID, bs...)
	row := make([]fyne.CanvasObject, len(bs))
	for i, b := range bs {
		row[i] = b
	}
	return container.NewVBox(wrapped(fmt.Sprintf("%s — %s, %s", who(c), c.Direction, callState(c))),
		container.New(layout.NewRowWrapLayout(), row...), widget.NewSeparator())
}

// wrapped is a label that wraps at word boundaries.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (p *phonePage) muteButton(c app.LiveCall) *widget.Button {
	if c.Muted {
		return widget.NewButtonWithIcon("Unmute", theme.VolumeUpIcon(), func() { p.mute(c.ID, false) })
	}
	return widget.NewButtonWithIcon("Mute", theme.VolumeMuteIcon(), func() { p.mute(c.ID, true) })
}

func (p *phonePage) holdButton(c app.LiveCall) *widget.Button {
	if c.Held {
		return widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { p.hold(c.ID, false) })
	}
	return widget.NewButtonWithIcon("Hold", theme.MediaPauseIcon(), func() { p.hold(c.ID, true) })
}

func (p *phonePage) keypadButton(c app.LiveCall) *widget.Button {
	return widget.NewButtonWithIcon("Keypad…", theme.GridIcon(), func() { p.keypad(c.ID) })
}

// act runs fn off the Fyne thread and shows its error; the phone's event
// redraws.
func (p *phonePage) act(what string, fn func(context.Context) error) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := fn(ctx); err != nil {
			fyne.Do(func() { dialog.ShowError(fmt.Errorf("%s: %w", what, err), p.w) })
		}
	})
}

func (p *phonePage) dial() {
	target := strings.TrimSpace(p.number.Text)
	if !p.hasAcc || target == "" {
		return
	}
	p.act("Call to "+target, func(ctx context.Context) error {
		_, err := p.a.Call(ctx, target)
		return err
	})
}

func (p *phonePage) answer(id string) {
	p.act("Answer", func(ctx context.Context) error { return p.a.Answer(ctx, id) })
}

func (p *phonePage) hangup(id string) {
	p.act("Hang up", func(ctx context.Context) error {
		_, err := p.a.Hangup(ctx, id)
		return err
	})
}

func (p *phonePage) mute(id string, on bool) {
	p.act("Mute", func(context.Context) error { return p.a.Mute(id, on) })
}

func (p *phonePage) hold(id string, on bool) {
	p.act("Hold", func(ctx context.Context) error { return p.a.Hold(ctx, id, on) })
}

// keypad sends DTMF tones on the call id, one per key (keyboard or mouse).
func (p *phonePage) keypad(id string) {
	sent := widget.NewLabel("")
	grid := container.NewGridWithColumns(3)
	for _, k := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"} {
		grid.Add(widget.NewButton(k, func() {
			sent.SetText(sent.Text + k)
			p.act("Keypad", func(context.Context) error { return p.a.SendDTMF(id, k) })
		}))
	}
	d := dialog.NewCustom("Keypad", "Close", container.NewVBox(sent, grid), p.w)
	d.Resize(fyne.NewSize(280, 0))
	d.Show()
}

// transfer asks where to transfer the call c, and how: "Talk first"
// (attended: the caller waits on hold while the agent talks to the target;
// Enter) or "Transfer now" (blind: transferNow; the call's card follows the
// caller's call to the target). A target that cannot be called is named in
// the dialog, which stays open; nothing changes.
func (p *phonePage) transfer(c app.LiveCall) {
	e := newDialogEntry()
	e.SetPlaceHolder("Number, extension or SIP address")
	msg := widget.NewLabel("")
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	msg.Hide()
	var d *dialog.CustomDialog
	size := fyne.NewSize(480, 0) // as high as the content needs
	target := func() (string, bool) {
		err := app.CheckTarget(e.Text)
		if err != nil {
			msg.SetText(capitalise(err.Error()) + ".")
			msg.Show()
		} else {
			msg.Hide()
		}
		d.Resize(size) // lays the message out
		return strings.TrimSpace(e.Text), err == nil
	}
	e.OnChanged = func(string) {
		if msg.Visible() {
			target()
		}
	}
	first := func() {
		if t, ok := target(); ok {
			d.Hide()
			p.talkFirst(c, t)
		}
	}
	e.OnSubmitted = func(string) { first() }
	talk := widget.NewButtonWithIcon("Talk first", phoneIcon, first)
	talk.Importance = widget.HighImportance
	now := widget.NewButtonWithIcon("Transfer now", theme.MailForwardIcon(), func() {
		if t, ok := target(); ok {
			d.Hide()
			p.transferNow(c, t)
		}
	})
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.Hide() })
	e.onEscape = cancel.OnTapped
	help := widget.NewLabel("Talk first puts " + who(c) + " on hold and calls the target; Transfer now hands the call over at once.")
	help.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(widget.NewForm(widget.NewFormItem("To", e)), msg, help,
		container.NewHBox(layout.NewSpacer(), cancel, now, talk))
	d = dialog.NewCustomWithoutButtons("Transfer "+who(c), content, p.w)
	d.Resize(size)
	d.Show()
	p.w.Canvas().Focus(e)
}

// dialogEntry is an entry in a dialog: Escape cancels the dialog.
type dialogEntry struct {
	widget.Entry
	onEscape func()
}

func newDialogEntry() *dialogEntry {
	e := &dialogEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey cancels on Escape and types the rest.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// consultation is an attended transfer under way: held waits on hold while
// the agent talks to target on call.
type consultation struct {
	held       string // the first call's id
	heldWho    string
	target     string // as typed
	call       string // the consultation's id; "" while it is being placed
	completing bool   // Complete transfer was chosen
	// early: Complete transfer was chosen while the target still rang
	// (semi-attended): the consultation is cancelled and the caller rings
	// the target; our call with the caller ends when the target answers.
	early bool
	// referred: the caller accepted the transfer request; from then on a
	// failure of their call to the target brings the transfer back here.
	referred bool
	focused  bool // Complete transfer was given the focus once
	last     consultPair
}

// consultPair is an attended transfer's two calls as they are now.
type consultPair struct {
	held, call app.LiveCall
}

// talkFirst puts c on hold and calls target (app.Consult).
func (p *phonePage) talkFirst(c app.LiveCall, target string) {
	p.consult = &consultation{held: c.ID, heldWho: who(c), target: target}
	p.done.Hide()
	cs := p.consult
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		lc, err := p.a.Consult(ctx, c.ID, target)
		fyne.Do(func() {
			if err != nil {
				if p.consult == cs {
					p.consult = nil
				}
				var te *app.TargetError
				if !errors.As(err, &te) {
					err = fmt.Errorf("%w\n\n%s is on hold: choose Resume to talk to them again", err, cs.heldWho)
				}
				dialog.ShowError(fmt.Errorf("Talk first to %s: %w", target, err), p.w)
				return
			}
			cs.call = lc.ID
		})
		p.refresh()
	})
}

// followConsult matches the attended transfer to the current calls: it
// ends when either call ends (the target declined or hung up, the caller
// hung up, Cancel transfer, or the transfer completed).
func (p *phonePage) followConsult(calls []app.LiveCall) *consultPair {
	cs := p.consult
	if cs == nil {
		return nil
	}
	var pair consultPair
	var heldOK, callOK bool
	for _, c := range calls {
		switch c.ID {
		case cs.held:
			pair.held, heldOK = c, true
		case cs.call:
			pair.call, callOK = c, true
		}
	}
	if cs.call == "" && heldOK {
		pair.call = app.LiveCall{Peer: cs.target, Direction: "outgoing", State: "dialing"}
		return &pair
	}
	if cs.completing && cs.referred && heldOK && pair.held.TransferDone && pair.held.TransferCode >= 300 {
		// The caller's call to the target failed: they stay here, on
		// hold, and the consultation (if still up) goes on.
		cs.completing, cs.early, cs.referred = false, false, false
		now := stillHere(cs.heldWho, true)
		if callOK {
			now = "you are still talking to " + cs.target + "; " + cs.heldWho + " is on hold"
		}
		p.showNotTransferred(notTransferred(cs.heldWho, cs.target, pair.held.TransferCode, now))
	}
	if heldOK && callOK {
		cs.last = pair
		return &pair
	}
	if cs.completing && (heldOK || callOK) {
		// One call has ended, the other ends in a moment.
		if !heldOK {
			pair.held = cs.last.held
			pair.held.State = "transferred"
		}
		if !callOK {
			pair.call = cs.last.call
			pair.call.State = "ended"
		}
		return &pair
	}
	p.consult = nil
	if cs.completing && !heldOK && !callOK {
		p.done.SetText(fmt.Sprintf("Transferred: %s is now talking to %s.", cs.heldWho, cs.target))
		p.done.Show()
	}
	return nil
}

// consultCard draws an attended transfer: both calls, Complete transfer
// (once the target answered) and Cancel transfer.
func (p *phonePage) consultCard(pair *consultPair) fyne.CanvasObject {
	cs := p.consult
	talking := pair.call.State == "active"
	complete := widget.NewButtonWithIcon("Complete transfer", theme.ConfirmIcon(), func() {
		cs.completing, cs.early, cs.referred = true, !talking, false
		p.completeTransfer(cs)
	})
	complete.Importance = widget.SuccessImportance
	cancel := widget.NewButtonWithIcon("Cancel transfer", theme.CancelIcon(), func() {
		p.act("Cancel the transfer to "+cs.target, func(ctx context.Context) error {
			_, err := p.a.Hangup(ctx, cs.call)
			return err
		})
	})
	cancel.Importance = widget.DangerImportance
	var sub string
	switch {
	case cs.call == "":
		sub = fmt.Sprintf("Calling %s…", cs.target)
		complete.Disable()
		cancel.Disable()
	case cs.completing && (talking || cs.last.call.State == "active"):
		// Answered (or it answered just as the call was being stopped):
		// the caller's call replaces ours at the target.
		sub = fmt.Sprintf("Connecting %s to %s…", cs.heldWho, cs.target)
		complete.Disable()
	case cs.completing && cs.early && cs.referred:
		sub = sendingMsg(cs.heldWho, cs.target, pair.held.TransferCode, true)
		complete.Disable()
		cancel.Disable() // the transfer is in the caller's hands now
	case cs.completing && cs.early:
		sub = fmt.Sprintf("Stopping the call to %s, then sending %s there…", cs.target, cs.heldWho)
		complete.Disable()
		cancel.Disable()
	case cs.completing:
		sub = fmt.Sprintf("Connecting %s to %s…", cs.heldWho, cs.target)
		complete.Disable()
	case talking:
		sub = fmt.Sprintf("Talking to %s. Complete transfer connects them with %s, and you leave both calls.", cs.target, cs.heldWho)
	default:
		sub = fmt.Sprintf("Ringing %s. Complete transfer sends %s there without waiting: your call to %s stops and their phone rings with %s's call instead; you leave both calls. Cancel transfer hangs up on %s.",
			cs.target, cs.heldWho, cs.target, cs.heldWho, cs.target)
	}
	held := wrapped(fmt.Sprintf("%s — %s, %s", who(pair.held), pair.held.Direction, callState(pair.held)))
	consultState := callState(pair.call)
	if cs.early && cs.referred && pair.call.State == "ended" && cs.last.call.State != "active" {
		consultState = "cancelled, " + who(pair.held) + " rings there instead"
	}
	consult := wrapped(fmt.Sprintf("%s — talk first, %s", who(pair.call), consultState))
	buttons := []fyne.CanvasObject{complete, cancel}
	p.keep(pair.held.ID, complete, cancel)
	if talking {
		mute, pad := p.muteButton(pair.call), p.keypadButton(pair.call)
		p.keep(pair.call.ID, mute, pad)
		buttons = append(buttons, mute, pad)
	}
	card := widget.NewCard("", "Transfer", container.NewVBox(
		wrapped(sub),
		container.NewBorder(nil, nil, widget.NewIcon(theme.MediaPauseIcon()), nil, held),
		container.NewBorder(nil, nil, widget.NewIcon(phoneIcon), nil, consult),
		container.New(layout.NewRowWrapLayout(), buttons...),
	))
	if talking && !cs.completing && !cs.focused && p.w.Canvas().Focused() == nil {
		// The target answered: Space completes the transfer.
		cs.focused = true
		p.focusNext = complete
	}
	return card
}

// completeTransfer runs app.CompleteTransfer for the transfer cs; a
// transfer that does not take place is shown as the App says it (why, and
// where the calls are).
func (p *phonePage) completeTransfer(cs *consultation) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := p.a.CompleteTransfer(ctx, cs.held, cs.call)
		fyne.Do(func() {
			if err == nil {
				cs.referred = true
				return
			}
			cs.completing, cs.early = false, false
			var te *app.TransferError
			if errors.As(err, &te) {
				p.showNotTransferred(err)
				return
			}
			dialog.ShowError(fmt.Errorf("Complete the transfer to %s: %w", cs.target, err), p.w)
		})
		p.refresh()
	})
}

// sipMeaning says in words what a final SIP status of a call means.
func sipMeaning(code int) string {
	switch {
	case code == 486 || code == 600:
		return "busy"
	case code == 603:
		return "declined"
	case code == 480 || code == 408:
		return "not answered or not reachable"
	case code == 404 || code == 410 || code == 484 || code == 604:
		return "no such number"
	case code == 403:
		return "the phone system does not allow that call"
	case code == 487:
		return "the call was cancelled"
	case code >= 500 && code < 600:
		return "the phone system failed to connect them"
	}
	return "the call failed"
}

func (p *phonePage) close() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}
