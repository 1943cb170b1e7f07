package ui

import (
	"context"
	"image/color"
	"log/slog"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/status"
)

// statusColors are the statuses' colours, the same as the tray icons'.
var statusColors = map[status.Status]color.NRGBA{
	status.Available:     {0x1f, 0x9d, 0x55, 0xff},
	status.Away:          {0xd9, 0x8e, 0x04, 0xff},
	status.AfterCallWork: {0x25, 0x63, 0xeb, 0xff},
	status.OnBreak:       {0x7c, 0x3a, 0xed, 0xff},
	status.Unavailable:   {0x6b, 0x72, 0x80, 0xff},
	status.DoNotDisturb:  {0xdc, 0x26, 0x26, 0xff},
}

// StatusColor returns the colour of s (grey for an unknown status).
func StatusColor(s status.Status) color.Color {
	if c, ok := statusColors[s]; ok {
		return c
	}
	return statusColors[status.Unavailable]
}

// statusCorner is the bottom of the navigation: the user's name and status
// (a coloured dot and its name). Tapping it opens the status list and
// "My preferences", as the product documentation describes.
type statusCorner struct {
	a         *app.App
	eng       StatusEngine // nil: the stored status, changed through the App
	log       *slog.Logger
	openPrefs func()

	btn    *widget.Button
	dot    *canvas.Circle
	name   *widget.Label
	state  *widget.Label
	cur    status.Status
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newStatusCorner(a *app.App, eng StatusEngine, log *slog.Logger, openPrefs func()) *statusCorner {
	return &statusCorner{a: a, eng: eng, log: log, openPrefs: openPrefs}
}

func (c *statusCorner) buildUI() fyne.CanvasObject {
	c.dot = canvas.NewCircle(StatusColor(status.Unavailable))
	dot := container.NewGridWrap(fyne.NewSize(14, 14), c.dot)
	c.name = widget.NewLabelWithStyle("…", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	c.name.Truncation = fyne.TextTruncateEllipsis
	c.state = widget.NewLabel("")
	// The button under the labels takes taps and keyboard focus (Tab, then
	// Space); the labels draw the name and status over it.
	c.btn = widget.NewButton("", c.openMenu)
	c.btn.Importance = widget.LowImportance
	text := container.New(&tightVBox{}, c.name, c.state)
	body := container.NewBorder(nil, nil, container.NewCenter(dot), nil, text)
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	c.reloadName()
	c.follow(ctx)
	return container.NewStack(c.btn, container.NewPadded(body))
}

// follow shows the status now and after every change of the engine's.
func (c *statusCorner) follow(ctx context.Context) {
	if c.eng == nil {
		background(&c.wg, func() { c.showStored(ctx) })
		return
	}
	changed, unsubscribe := c.eng.Subscribe()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer unsubscribe()
		for {
			c.show(c.eng.Snapshot().Status)
			select {
			case <-ctx.Done():
				return
			case _, ok := <-changed:
				if !ok {
					return
				}
			}
		}
	}()
}

func (c *statusCorner) showStored(ctx context.Context) {
	snap, _, err := c.a.Status(ctx)
	if err != nil {
		c.log.Error("status not read", "err", err)
		return
	}
	c.show(snap.Status)
}

func (c *statusCorner) show(s status.Status) {
	fyne.Do(func() {
		c.cur = s
		c.dot.FillColor = StatusColor(s)
		c.dot.Refresh()
		c.state.SetText(s.Name())
	})
}

// reloadName reads the user's name again (after a save).
func (c *statusCorner) reloadName() {
	background(&c.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		name := "Set your name"
		if v, err := c.a.Prefs(ctx); err == nil {
			if n := strings.TrimSpace(v["general.first_name"] + " " + v["general.last_name"]); n != "" {
				name = n
			}
		} else {
			c.log.Error("settings not read", "err", err)
		}
		fyne.Do(func() { c.name.SetText(name) })
	})
}

// menu is the list opened from the corner: the six statuses, the current
// one checked, and "My preferences".
func (c *statusCorner) menu() *fyne.Menu {
	var items []*fyne.MenuItem
	for _, s := range status.All {
		it := fyne.NewMenuItem(s.Name(), func() { c.set(s) })
		it.Checked = s == c.cur
		it.Icon = StatusIcon(s)
		items = append(items, it)
	}
	items = append(items, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("My preferences", c.openPrefs))
	return fyne.NewMenu("Status", items...)
}

func (c *statusCorner) openMenu() {
	cv := fyne.CurrentApp().Driver().CanvasForObject(c.btn)
	if cv == nil {
		return
	}
	m := widget.NewPopUpMenu(c.menu(), cv)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(c.btn)
	size := m.MinSize()
	m.ShowAtPosition(fyne.NewPos(pos.X, pos.Y-size.Height))
	cv.Focus(m)
}

// set asks for s off the Fyne thread; the engine's event redraws.
func (c *statusCorner) set(s status.Status) {
	background(&c.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		if c.eng != nil {
			err = c.eng.Set(ctx, s, status.ReasonManual)
		} else {
			err = c.a.SetStatus(ctx, s, status.ReasonManual)
			if err == nil {
				c.show(s)
			}
		}
		if err != nil {
			c.log.Error("status not changed", "status", string(s), "err", err)
		}
	})
}

func (c *statusCorner) close() {
	if c.cancel != nil {
		c.cancel()
	}
	c.wg.Wait()
}

// tightVBox stacks objects with no padding between them.
type tightVBox struct{}

func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - 8
	}
	return s
}

func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height - 8
		o.Move(fyne.NewPos(0, y-4))
		o.Resize(fyne.NewSize(size.Width, h+8))
		y += h
	}
}
