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
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func newPhonePage(a *app.App, w fyne.Window, log *slog.Logger) *phonePage {
	return &phonePage{a: a, w: w, log: log, notified: map[string]bool{}}
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
	p.banner = container.NewVBox()
	dialer := container.NewVBox(container.NewBorder(nil, nil, nil, back, p.number), pad, p.call)
	left := container.NewGridWrap(fyne.NewSize(300, dialer.MinSize().Height), dialer)
	head := widget.NewLabelWithStyle("Current calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	right := container.NewBorder(head, nil, nil, nil, container.NewVScroll(p.calls))
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	p.follow(ctx)
	return container.NewPadded(container.NewBorder(container.NewVBox(p.banner, p.reg), nil, container.NewVBox(left), nil, right))
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

// showCalls draws the current calls and the incoming-call banner.
func (p *phonePage) showCalls(calls []app.LiveCall) {
	p.calls.Objects = nil
	p.banner.Objects = nil
	for _, c := range calls {
		who := c.Peer
		if c.PeerName != "" {
			who = c.PeerName + " <" + c.Peer + ">"
		}
		state := c.State
		if c.Held {
			state += ", on hold"
		}
		hang := widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), func() { p.hangup(c.ID) })
		hang.Importance = widget.DangerImportance
		row := container.NewHBox(hang)
		if ringingHere(c) {
			answer := widget.NewButtonWithIcon("Answer", phoneIcon, func() { p.answer(c.ID) })
			answer.Importance = widget.SuccessImportance
			hang.SetText("Decline")
			row = container.NewHBox(answer, hang)
			card := widget.NewCard("Incoming call", who+" ("+strings.ReplaceAll(c.Origin, "_", " ")+")", row)
			p.banner.Add(card)
			if !p.notified[c.ID] {
				p.notified[c.ID] = true
				fyne.CurrentApp().SendNotification(fyne.NewNotification("Incoming call", who))
			}
			continue
		}
		if c.State == "active" {
			tr := widget.NewButtonWithIcon("Transfer…", theme.MailForwardIcon(), func() { p.transfer(c.ID) })
			hold := widget.NewButtonWithIcon("Hold", theme.MediaPauseIcon(), func() { p.hold(c.ID, true) })
			if c.Held {
				hold = widget.NewButtonWithIcon("Resume", theme.MediaPlayIcon(), func() { p.hold(c.ID, false) })
			}
			mute := widget.NewButtonWithIcon("Mute", theme.VolumeMuteIcon(), func() { p.mute(c.ID, true) })
			if c.Muted {
				mute = widget.NewButtonWithIcon("Unmute", theme.VolumeUpIcon(), func() { p.mute(c.ID, false) })
				state += ", muted"
			}
			pad := widget.NewButtonWithIcon("Keypad…", theme.GridIcon(), func() { p.keypad(c.ID) })
			row = container.NewHBox(mute, hold, pad, tr, hang)
		}
		p.calls.Add(container.NewBorder(nil, nil, nil, row,
			widget.NewLabel(fmt.Sprintf("%s — %s, %s", who, c.Direction, state))))
	}
	if len(p.calls.Objects) == 0 {
		p.calls.Add(widget.NewLabel("No current calls."))
	}
	p.calls.Refresh()
	p.banner.Refresh()
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

func (p *phonePage) transfer(id string) {
	e := widget.NewEntry()
	e.SetPlaceHolder("Number or SIP URI")
	dialog.ShowForm("Transfer the call", "Transfer", "Cancel", []*widget.FormItem{widget.NewFormItem("To", e)}, func(ok bool) {
		if ok {
			t := e.Text
			p.act("Transfer to "+t, func(ctx context.Context) error { return p.a.Transfer(ctx, id, t) })
		}
	}, p.w)
}

func (p *phonePage) close() {
	if p.cancel != nil {
		p.cancel()
	}
	p.wg.Wait()
}
