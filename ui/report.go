package ui

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/status"
)

// reportPage shows the time in each status today or this week as bars, with
// totals, from the status timeline. It reads the metrics when shown and when
// asked; it never redraws on a timer.
type reportPage struct {
	a   *app.App
	log *slog.Logger
	now func() time.Time

	period *widget.RadioGroup
	chart  *fyne.Container
	totals *widget.Label
	scroll *container.Scroll
	wg     sync.WaitGroup
}

// The periods the report offers.
const (
	periodToday = "Today"
	periodWeek  = "This week"
)

func newReportPage(a *app.App, log *slog.Logger) *reportPage {
	return &reportPage{a: a, log: log, now: time.Now}
}

func (r *reportPage) buildUI() fyne.CanvasObject {
	r.period = widget.NewRadioGroup([]string{periodToday, periodWeek}, func(string) { r.refresh() })
	r.period.Horizontal = true
	r.period.Required = true
	r.period.Selected = periodToday
	refresh := widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), r.refresh)
	r.chart = container.NewVBox()
	r.totals = widget.NewLabel("")
	r.totals.Wrapping = fyne.TextWrapWord
	title := widget.NewLabelWithStyle("Time in status", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewBorder(nil, nil, title, refresh, container.NewCenter(r.period))
	r.scroll = container.NewVScroll(container.NewVBox(r.chart, widget.NewSeparator(), r.totals))
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, r.scroll))
}

func (r *reportPage) shown() { r.refresh() }

// periodStart returns where the chosen period starts: local midnight today,
// or Monday's midnight this week.
func periodStart(now time.Time, period string) time.Time {
	y, m, d := now.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	if period == periodWeek {
		off := (int(start.Weekday()) + 6) % 7 // days since Monday
		start = start.AddDate(0, 0, -off)
	}
	return start
}

// refresh reads the metrics off the Fyne thread and redraws the chart.
func (r *reportPage) refresh() {
	period := r.period.Selected
	from := periodStart(r.now(), period)
	background(&r.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		m, err := r.a.StatusMetrics(ctx, from, time.Time{})
		fyne.Do(func() {
			if err != nil {
				r.log.Error("report not read", "err", err)
				r.chart.Objects = []fyne.CanvasObject{widget.NewLabel("The report could not be read: " + err.Error())}
				r.totals.SetText("")
				r.scroll.Content.Refresh()
				return
			}
			r.show(m, period)
			r.scroll.Content.Refresh()
		})
	})
}

// show draws one bar per status, longest total = full width.
func (r *reportPage) show(m status.Metrics, period string) {
	var longest time.Duration
	for _, sm := range m.ByStatus {
		longest = max(longest, sm.Total)
	}
	grid := container.New(layout.NewFormLayout())
	for _, sm := range m.ByStatus {
		frac := float32(0)
		if longest > 0 {
			frac = float32(sm.Total) / float32(longest)
		}
		bar := canvas.NewRectangle(StatusColor(sm.Status))
		bar.CornerRadius = 3
		bar.Hidden = frac == 0
		label := fmt.Sprintf("%s  (%d×, avg %s)", status.FormatDuration(sm.Total), sm.Stints, status.FormatDuration(sm.Average))
		if sm.Stints == 0 {
			label = "none"
		}
		value := widget.NewLabel(label)
		grid.Add(widget.NewLabel(sm.Status.Name()))
		grid.Add(container.NewBorder(nil, nil, nil, value, container.New(&barLayout{frac: frac}, bar)))
	}
	r.chart.Objects = []fyne.CanvasObject{grid}
	if m.Total == 0 {
		r.totals.SetText("No time recorded " + map[string]string{periodToday: "today", periodWeek: "this week"}[period] +
			" yet: the timeline records while Ringside runs.")
		return
	}
	txt := fmt.Sprintf("Total %s since %s.", status.FormatDuration(m.Total), m.From.Local().Format("Mon 2 Jan 15:04"))
	if m.Calls > 0 {
		txt += fmt.Sprintf(" After-call work: %d call(s), %s per call on average.", m.Calls, status.FormatDuration(m.AfterCallWorkPerCall))
	}
	r.totals.SetText(txt)
}

// barLayout draws its one object as a bar frac of the width, vertically
// centred, at least 2 px when frac > 0.
type barLayout struct{ frac float32 }

func (b *barLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(120, 18) }

func (b *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := size.Width * b.frac
	if b.frac > 0 && w < 2 {
		w = 2
	}
	h := float32(18)
	for _, o := range objs {
		o.Move(fyne.NewPos(0, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
	}
}
