package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// History is what the history page needs of the call history. The lead
// wires the real one into Options.History; until then the page says so.
type History interface {
	// Recent returns the latest calls, newest first.
	Recent(ctx context.Context, limit int) ([]HistoryEntry, error)
}

// HistoryEntry is one call in the history.
type HistoryEntry struct {
	Start    time.Time
	Peer     string
	Incoming bool
	Missed   bool
	Duration time.Duration
}

// historyPage lists the latest calls, missed ones marked.
type historyPage struct {
	h   History
	log *slog.Logger

	state   *widget.Label
	list    *widget.List
	entries []HistoryEntry
	wg      sync.WaitGroup
}

func newHistoryPage(h History, log *slog.Logger) *historyPage { return &historyPage{h: h, log: log} }

func (p *historyPage) buildUI() fyne.CanvasObject {
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.entries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(historyLine(p.entries[i])) })
	head := widget.NewLabelWithStyle("Call history", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewPadded(container.NewBorder(container.NewVBox(head, p.state), nil, nil, nil, p.list))
}

func historyLine(e HistoryEntry) string {
	dir := "Outgoing"
	switch {
	case e.Missed:
		dir = "Missed"
	case e.Incoming:
		dir = "Incoming"
	}
	return e.Start.Local().Format("Mon 2 Jan 15:04") + "  " + dir + "  " + e.Peer + "  " + e.Duration.Round(time.Second).String()
}

func (p *historyPage) shown() {
	if p.h == nil {
		p.state.SetText("No call history: the softphone is not connected in this build, so no calls have been placed or received.")
		return
	}
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		es, err := p.h.Recent(ctx, 500)
		fyne.Do(func() {
			switch {
			case err != nil:
				p.state.SetText("The call history could not be read: " + err.Error())
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
