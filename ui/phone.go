package ui

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// Softphone is what the phone page needs of the softphone engine. The lead
// wires the real one into Options.Softphone; until then the page says so.
type Softphone interface {
	// Registration says whether the account is registered, for people
	// ("Registered as 1001@pbx.example.com", "Not registered: ...").
	Registration() string
	// Calls lists the current calls.
	Calls() []Call
	// Dial places a call to a number or SIP URI.
	Dial(ctx context.Context, target string) error
	// Hangup ends the call id.
	Hangup(ctx context.Context, id string) error
	// Subscribe returns a channel that receives after every change of
	// registration or calls, and a function that stops it.
	Subscribe() (changed <-chan struct{}, cancel func())
}

// Call is one current call as the phone page shows it.
type Call struct {
	ID, Peer, State string
}

// phonePage is the dialpad, the number entry, the call button, the current
// calls and the registration state.
type phonePage struct {
	a   *app.App
	sp  Softphone
	log *slog.Logger

	reg    *widget.Label
	number *widget.Entry
	call   *widget.Button
	calls  *fyne.Container
	keys   map[string]*widget.Button // the dialpad
	hasAcc bool
	wg     sync.WaitGroup
}

func newPhonePage(a *app.App, sp Softphone, log *slog.Logger) *phonePage {
	return &phonePage{a: a, sp: sp, log: log}
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
	dialer := container.NewVBox(container.NewBorder(nil, nil, nil, back, p.number), pad, p.call)
	left := container.NewGridWrap(fyne.NewSize(300, dialer.MinSize().Height), dialer)
	head := widget.NewLabelWithStyle("Current calls", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	right := container.NewBorder(head, nil, nil, nil, container.NewVScroll(p.calls))
	return container.NewPadded(container.NewBorder(p.reg, nil, container.NewVBox(left), nil, right))
}

func (p *phonePage) shown() {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		acct, err := p.a.Account(ctx)
		var msg string
		switch {
		case errors.Is(err, app.ErrNoAccount):
			msg = noAccount
		case err != nil:
			msg = "The SIP account could not be read: " + err.Error()
		case p.sp == nil:
			msg = "Not registered: the softphone is not connected in this build (account " + acct.User + "@" + acct.Domain + ")."
		default:
			msg = p.sp.Registration()
		}
		fyne.Do(func() {
			p.hasAcc = err == nil
			p.reg.SetText(msg)
			p.updateCall()
			p.showCalls()
		})
	})
}

func (p *phonePage) updateCall() {
	if p.sp != nil && p.hasAcc && p.number.Text != "" {
		p.call.Enable()
	} else {
		p.call.Disable()
	}
}

func (p *phonePage) showCalls() {
	if p.sp == nil {
		return
	}
	calls := p.sp.Calls()
	if len(calls) == 0 {
		p.calls.Objects = []fyne.CanvasObject{widget.NewLabel("No current calls.")}
	} else {
		p.calls.Objects = nil
		for _, c := range calls {
			hang := widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), func() { p.hangup(c.ID) })
			hang.Importance = widget.DangerImportance
			p.calls.Add(container.NewBorder(nil, nil, nil, hang, widget.NewLabel(c.Peer+" — "+c.State)))
		}
	}
	p.calls.Refresh()
}

func (p *phonePage) dial() {
	target := p.number.Text
	if p.sp == nil || target == "" {
		return
	}
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := p.sp.Dial(ctx, target); err != nil {
			fyne.Do(func() { p.reg.SetText("Call to " + target + " failed: " + err.Error()) })
		}
		fyne.Do(p.showCalls)
	})
}

func (p *phonePage) hangup(id string) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := p.sp.Hangup(ctx, id); err != nil {
			p.log.Error("hang up failed", "err", err)
		}
		fyne.Do(p.showCalls)
	})
}
