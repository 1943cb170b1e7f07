package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// blindTransfer is a blind transfer ("Transfer now") whose REFER the
// caller accepted: their phone calls target, and our call ends when the
// target answers; if it does not, the caller stays here.
type blindTransfer struct {
	who    string // the caller
	target string // as typed
}

// transferNow sends the caller of c to target (app.Transfer, a blind
// REFER). Once the caller accepted, the call's card follows their call to
// the target (followBlind); a transfer refused outright is shown at once,
// with the SIP code and where the caller is.
func (p *phonePage) transferNow(c app.LiveCall, target string) {
	caller := who(c)
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := p.a.Transfer(ctx, c.ID, target)
		if err != nil {
			now := ""
			for _, lc := range p.a.Calls() {
				if lc.ID == c.ID {
					now = stillHere(caller, lc.Held)
				}
			}
			err = &app.TransferError{Caller: caller, Target: target, Err: err, Now: now}
		}
		fyne.Do(func() {
			if err != nil {
				p.showNotTransferred(err)
				return
			}
			p.blind[c.ID] = blindTransfer{who: caller, target: target}
		})
		p.refresh()
	})
}

// followBlind matches the blind transfers under way to the current calls:
// a call that has left the list was transferred (or hung up), and nothing
// is said; a caller whose call to the target failed stays here, and the
// agent is told why.
func (p *phonePage) followBlind(calls []app.LiveCall) {
	here := map[string]app.LiveCall{}
	for _, c := range calls {
		here[c.ID] = c
	}
	for id, bt := range p.blind {
		c, ok := here[id]
		switch {
		case !ok:
			delete(p.blind, id)
		case c.TransferDone && c.TransferCode >= 300:
			delete(p.blind, id)
			p.showNotTransferred(notTransferred(bt.who, bt.target, c.TransferCode, stillHere(bt.who, c.Held)))
		}
	}
}

// blindCard draws a call whose caller is being sent to the target of a
// blind transfer: where their call is, and Hang up.
func (p *phonePage) blindCard(c app.LiveCall, bt blindTransfer) fyne.CanvasObject {
	hang := widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), func() { p.hangup(c.ID) })
	hang.Importance = widget.DangerImportance
	p.keep(c.ID, hang)
	icon := phoneIcon
	if c.Held {
		icon = theme.MediaPauseIcon()
	}
	line := wrapped(fmt.Sprintf("%s — %s, %s", who(c), c.Direction, callState(c)))
	return widget.NewCard("", "Transfer", container.NewVBox(
		wrapped(sendingMsg(bt.who, bt.target, c.TransferCode, c.Held)),
		container.NewBorder(nil, nil, widget.NewIcon(icon), nil, line),
		container.New(layout.NewRowWrapLayout(), hang),
	))
}

// sendingMsg says that the caller who is being sent to target (their phone
// accepted the transfer and calls target; code is its progress: 180 the
// target rings, 2xx it answered) and what happens next. held: our call
// with them is on hold.
func sendingMsg(who, target string, code int, held bool) string {
	stay := who + " stays here"
	if held {
		stay += ", on hold"
	}
	switch {
	case code >= 200 && code < 300:
		return fmt.Sprintf("%s answered: %s is being connected to them, and you leave the call.", target, who)
	case code == 180 || code == 183:
		return fmt.Sprintf("Sending %s to %s: %s's phone is ringing with their call. You leave the call when %s answers; if %s does not, %s.",
			who, target, target, target, target, stay)
	}
	return fmt.Sprintf("Sending %s to %s: their phone is calling %s. You leave the call when %s answers; if %s does not, %s.",
		who, target, target, target, target, stay)
}

// stillHere says where the caller who is after a transfer that did not take
// place: on the line, or on hold (held), and what the agent can do.
func stillHere(who string, held bool) string {
	if held {
		return who + " is on hold: choose Resume to talk to them again, or Transfer… to try again"
	}
	return who + " is still on the line with you: choose Transfer… to try again"
}

// notTransferred is the failure of the caller's call to the target of a
// transfer they accepted (SIP code, from their NOTIFY): who was not
// transferred, why, and now where the calls are.
func notTransferred(who, target string, code int, now string) error {
	return &app.TransferError{Caller: who, Target: target, Now: now,
		Err: fmt.Errorf("the call to %s ended with SIP %d (%s)", target, code, sipMeaning(code))}
}

// showNotTransferred shows a transfer that did not take place
// (*app.TransferError): its message starts with the caller's address, which
// dialog.ShowError would capitalise ("Sip:…").
func (p *phonePage) showNotTransferred(err error) {
	dialog.NewInformation("Not transferred", err.Error(), p.w).Show()
}
