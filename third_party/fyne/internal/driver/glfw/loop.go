package glfw

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/internal/app"
	"fyne.io/fyne/v2/internal/async"
	"fyne.io/fyne/v2/internal/cache"
	"fyne.io/fyne/v2/internal/driver/common"
	"fyne.io/fyne/v2/internal/painter"
	"fyne.io/fyne/v2/internal/scale"
)

type funcData struct {
	f    func()
	done chan struct{} // Zero allocation signalling channel
}

// Ringside: the functions queued for the main thread are kept in a slice
// under a mutex rather than in an async.UnboundedChan, so that the main loop,
// woken from glfw.WaitEventsTimeout, sees every function queued before the
// wake (the channel's goroutine could still be holding it).
var (
	queueMu sync.Mutex
	queue   []funcData // functions waiting for the main thread, under queueMu
	spare   []funcData // the previous batch's backing array, reused, under queueMu

	running, drained atomic.Bool
)

// Arrange that main.main runs on main thread.
func init() {
	runtime.LockOSThread()
	async.SetMainGoroutine()
}

// force a function f to run on the main thread
func runOnMain(f func()) {
	runOnMainWithWait(f, true)
}

// force a function f to run on the main thread and specify if we should wait for it to return
func runOnMainWithWait(f func(), wait bool) {
	// If we are on main before app run just execute - otherwise add it to the main queue and wait.
	// We also need to run it as-is if the app is in the process of shutting down as the queue will be stopped.
	if (!running.Load() && async.IsMainGoroutine()) || drained.Load() {
		f()
		return
	}

	var done chan struct{}
	if wait {
		done = common.DonePool.Get()
		defer common.DonePool.Put(done)
	}
	queueMu.Lock()
	if drained.Load() { // the loop ended while we were deciding
		queueMu.Unlock()
		f()
		return
	}
	queue = append(queue, funcData{f: f, done: done})
	queueMu.Unlock()
	wakeMain()
	if wait {
		<-done
	}
}

// runQueued runs the functions queued for the main thread so far, in order.
// Functions they queue in turn wait for the next pass (wakeMain made sure
// there is one), so that events and frames are not starved.
// Two backing arrays take turns, so that queueing allocates nothing once warm.
func runQueued() {
	queueMu.Lock()
	batch := queue
	queue, spare = spare, nil
	queueMu.Unlock()
	for i, f := range batch {
		f.f()
		if f.done != nil {
			f.done <- struct{}{}
		}
		batch[i] = funcData{}
	}
	queueMu.Lock()
	spare = batch[:0]
	queueMu.Unlock()
}

// drainQueue releases whoever waits on a queued function without running it,
// and makes later callers of runOnMain run their function themselves.
func drainQueue() {
	queueMu.Lock()
	batch := queue
	queue = nil
	drained.Store(true)
	queueMu.Unlock()
	for _, f := range batch {
		if f.done != nil {
			f.done <- struct{}{}
		}
	}
}

// Ringside: the main loop sleeps in glfw.WaitEventsTimeout while nothing
// changes. wakeMain ends that sleep: it is called after queueing a function
// for the main thread, starting an animation, marking a canvas dirty and on
// Quit. It posts a GLFW empty event only while the loop waits (or is about
// to), so it never calls into GLFW before Init or after Terminate.
var (
	wakeMu      sync.Mutex
	wakePending bool // something changed since the loop last looked, under wakeMu
	wakeWaiting bool // the loop waits in (or is about to enter) waitEvents, under wakeMu
)

func wakeMain() {
	wakeMu.Lock()
	wakePending = true
	if wakeWaiting {
		wakeWaiting = false
		postEmptyEvent()
	}
	wakeMu.Unlock()
}

// waitEvents processes window events, waiting up to timeout for the first one
// unless wakeMain was called since the last wait.
func (d *gLDriver) waitEvents(timeout time.Duration) {
	wakeMu.Lock()
	if wakePending || timeout <= 0 {
		wakePending = false
		wakeMu.Unlock()
		d.pollEvents()
		return
	}
	wakeWaiting = true
	wakeMu.Unlock()

	waitEventsTimeout(timeout)

	wakeMu.Lock()
	wakeWaiting = false
	wakePending = false
	wakeMu.Unlock()
}

const (
	// frameInterval paces frames while something animates or changes.
	frameInterval = time.Second / 60
	// idleWait is the longest sleep while nothing changes: the loop then
	// wakes only to keep the object caches alive and clean them (see
	// drawSingleFrame and cache.Clean, which count in tens of seconds).
	idleWait = 5 * time.Second
)

// busy says whether the loop has frames to draw: an animation runs, a
// visible window has changes to paint or must grow to fit its content.
func (d *gLDriver) busy() bool {
	if d.animation.Running() {
		return true
	}
	for _, win := range d.windowList() {
		w := win.(*window)
		if w.closing || w.viewport == nil {
			continue
		}
		if w.shouldExpand || (w.visible && w.canvas.IsDirty()) {
			return true
		}
	}
	return false
}

func (d *gLDriver) drawSingleFrame() {
	refreshed := false
	for _, win := range d.windowList() {
		w := win.(*window)
		if w.closing {
			continue
		}

		// CheckDirtyAndClear must be checked after visibility,
		// because when a window becomes visible, it could be
		// showing old content without a dirty flag set to true.
		// Do the clear if and only if the window is visible.
		if !w.visible || !w.canvas.CheckDirtyAndClear() {
			// Window hidden or not being redrawn, mark canvasForObject
			// cache alive if it hasn't been done recently
			// n.b. we need to make sure threshold is a bit *after*
			// time.Now() - CacheDuration()
			threshold := time.Now().Add(10*time.Second - cache.ValidDuration)
			if w.lastWalkedTime.Before(threshold) {
				w.canvas.WalkTrees(nil, func(node *common.RenderCacheNode, _ fyne.Position) {
					// marks canvas for object cache entry alive
					_ = cache.GetCanvasForObject(node.Obj())
					// marks renderer cache entry alive
					if wid, ok := node.Obj().(fyne.Widget); ok {
						_, _ = cache.CachedRenderer(wid)
					}
				})
				w.lastWalkedTime = time.Now()
			}
			continue
		}

		w.RunWithContext(func() {
			if w.driver.repaintWindow(w) {
				refreshed = true
			}
		})
	}
	cache.Clean(refreshed)
}

func (d *gLDriver) runGL() {
	if !running.CompareAndSwap(false, true) {
		return // Run was called twice.
	}

	d.init()
	if d.trayStart != nil {
		d.trayStart()
	}

	fyne.CurrentApp().Settings().AddListener(func(set fyne.Settings) {
		painter.ClearFontCache()
		cache.ResetThemeCaches()
		app.ApplySettingsWithCallback(set, fyne.CurrentApp(), func(w fyne.Window) {
			c, ok := w.Canvas().(*glCanvas)
			if !ok {
				return
			}
			c.applyThemeOutOfTreeObjects()
			c.reloadScale()
		})
	})

	if f := fyne.CurrentApp().Lifecycle().(*app.Lifecycle).OnStarted(); f != nil {
		f()
	}

	// Ringside: instead of a 60 Hz ticker, wait for events while idle and
	// pace frames at 60 Hz only while busy (see waitEvents and busy).
	var lastFrame time.Time
	for {
		now := time.Now()
		if !d.busy() {
			d.waitEvents(idleWait - now.Sub(lastFrame))
		} else if next := lastFrame.Add(frameInterval); now.Before(next) {
			d.waitEvents(next.Sub(now))
		} else {
			d.waitEvents(0)
		}
		runQueued()

		select {
		case <-d.done:
			d.terminateLoop()
			return
		default:
		}

		if now = time.Now(); now.Sub(lastFrame) < frameInterval {
			continue
		}
		lastFrame = now
		for i := 0; i < len(d.windows); i++ {
			w := d.windows[i].(*window)
			if w.viewport == nil {
				continue
			}

			if w.viewport.ShouldClose() {
				d.destroyWindow(w, i)
				i-- // Trailing windows are moved forward one step.
				continue
			}

			expand := w.shouldExpand
			fullScreen := w.fullScreen

			if expand && !fullScreen {
				w.fitContent()
				shouldExpand := w.shouldExpand
				w.shouldExpand = false
				view := w.viewport

				if shouldExpand && runtime.GOOS != "js" {
					view.SetSize(w.shouldWidth, w.shouldHeight)
				}
			}
		}

		d.animation.TickAnimations()
		d.drawSingleFrame()
	}
}

// terminateLoop ends GLFW and releases the functions still queued for the
// main thread, as the loop ends on Quit.
func (d *gLDriver) terminateLoop() {
	d.Terminate()
	l := fyne.CurrentApp().Lifecycle().(*app.Lifecycle)
	if f := l.OnStopped(); f != nil {
		l.QueueEvent(f)
	}

	// as we are shutting down make sure we drain the pending queue and close it out.
	drainQueue()
}

func (d *gLDriver) destroyWindow(w *window, index int) {
	w.visible = false
	w.destroyScreen()
	w.viewport.Destroy()
	w.destroy(d)

	if index < len(d.windows)-1 {
		copy(d.windows[index:], d.windows[index+1:])
	}
	d.windows[len(d.windows)-1] = nil
	d.windows = d.windows[:len(d.windows)-1]

	if len(d.windows) == 0 {
		d.Quit()
	}
}

func (d *gLDriver) repaintWindow(w *window) bool {
	canvas := w.canvas
	freed := false
	if canvas.EnsureMinSize() {
		w.shouldExpand = true
	}
	freed = canvas.FreeDirtyTextures() > 0

	updateGLContext(w)
	canvas.paint(canvas.Size())

	view := w.viewport
	visible := w.visible

	if view != nil && visible {
		w.presentFrame() // Ringside: SwapBuffers, or the CPU-painted frame put on screen
	}

	// mark that we have walked the window and don't
	// need to walk it again to mark caches alive
	w.lastWalkedTime = time.Now()
	return freed
}

// refreshWindow requests that the specified window be redrawn
func refreshWindow(w *window) {
	w.canvas.SetDirty()
}

func updateGLContext(w *window) {
	canvas := w.canvas
	size := canvas.Size()

	// w.width and w.height are not correct if we are maximised, so figure from canvas
	winWidth := float32(scale.ToScreenCoordinate(canvas, size.Width)) * canvas.texScale
	winHeight := float32(scale.ToScreenCoordinate(canvas, size.Height)) * canvas.texScale

	canvas.Painter().SetFrameBufferScale(canvas.texScale)
	canvas.Painter().SetOutputSize(int(winWidth), int(winHeight))
}
