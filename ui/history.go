package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
)

// historyPage lists the latest calls, newest first, missed ones marked;
// "Missed only" narrows it to the missed-call list.
type historyPage struct {
	a   *app.App
	log *slog.Logger

	state   *widget.Label
	missed  *widget.Check
	list    *widget.List
	entries []app.HistoryEntry
	wg      sync.WaitGroup
}

func newHistoryPage(a *app.App, log *slog.Logger) *historyPage { return &historyPage{a: a, log: log} }

func (p *historyPage) buildUI() fyne.CanvasObject {
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	p.missed = widget.NewCheck("Missed only", func(bool) { p.shown() })
	p.list = widget.NewList(func() int { return len(p.entries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			e := p.entries[i]
			l.SetText(historyLine(e))
			if e.Missed {
				l.Importance = widget.DangerImportance
			} else {
				l.Importance = widget.MediumImportance
			}
			l.Refresh()
		})
	head := widget.NewLabelWithStyle("Call history", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewPadded(container.NewBorder(container.NewVBox(container.NewBorder(nil, nil, head, p.missed), p.state), nil, nil, nil, p.list))
}

func historyLine(e app.HistoryEntry) string {
	dir := "Outgoing"
	switch {
	case e.Missed:
		dir = "Missed"
	case e.Direction == "incoming":
		dir = "Incoming"
	}
	who := e.Peer
	if e.PeerName != "" {
		who = e.PeerName + " <" + e.Peer + ">"
	}
	line := e.Start.Local().Format("Mon 2 Jan 15:04") + "   " + dir + "   " + who + "   " + e.Result
	if e.Talk > 0 {
		line += ", " + e.Talk.Round(time.Second).String()
	}
	return line
}

func (p *historyPage) shown() {
	missed := p.missed.Checked
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		es, err := p.a.History(ctx, app.HistoryQuery{MissedOnly: missed, Limit: 500})
		fyne.Do(func() {
			switch {
			case err != nil:
				p.state.SetText("The call history could not be read: " + err.Error())
			case len(es) == 0 && missed:
				p.state.SetText("No missed calls.")
			case len(es) == 0:
				p.state.SetText("No calls yet.")
			default:
				p.state.SetText("")
			}
			p.entries = es
			p.list.Refresh()
		})
	})
}
