package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/cmd/ringside-app/cli"
	"github.com/ringside/ringside/ui"
)

// runGUI opens the app window, or brings the running app's window forward.
// It starts the status engine, the tray (only where a tray host shows it,
// which implies a session D-Bus: Fyne 2.7.1 panics on quit without one) and
// the window.
//
// Test hooks: RINGSIDE_SCREENSHOTS=1 brings every page forward in turn,
// printing "ringside: screenshot NAME" on standard output and waiting for a
// line on standard input before the next one (the test captures the window
// from the X server meanwhile), then quits; RINGSIDE_BENCH_FIRST_FRAME=1 prints the wall-clock time of the
// first frame on standard error ("ringside: first frame UNIXNANO").
func runGUI(ctx context.Context, o cli.Options) int {
	dir, err := app.DataDir(o.Home)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n", err)
		return cli.ExitRefused
	}
	if _, err := instance.Call(ctx, dir, nil, nil); err == nil {
		fmt.Fprintln(os.Stderr, "ringside: already running; brought its window forward")
		return cli.ExitOK
	}
	// Off the main thread while it opens the data directory, needed only for
	// the window: the renderer (renderer_linux.go: one X round trip) and the
	// tray host's presence (a D-Bus round trip).
	renderer := startRendererChoice(os.Stderr)
	trayc := make(chan ui.TraySupport, 1)
	go func() { trayc <- ui.DetectTray() }()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, dir, app.WithLogger(log))
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n", err)
		return cli.ExitRefused
	}
	defer a.Close()

	// The GL driver's libraries load on a thread of their own while the
	// window's content is built; not earlier, because the dynamic loader
	// is one lock and GLFW's own start (NewWindow) loads X libraries. None
	// are loaded when the window is painted on the CPU.
	opts := ui.Options{Logger: log}
	if renderer() == rendererGL {
		opts.OnWindow = preloadGL
	}
	if os.Getenv("RINGSIDE_SCREENSHOTS") != "" {
		in := bufio.NewReader(os.Stdin)
		opts.Screenshot = func(name string) {
			fmt.Printf("ringside: screenshot %s\n", name)
			in.ReadString('\n')
		}
	}
	bench := os.Getenv("RINGSIDE_BENCH_FIRST_FRAME") != ""
	opts.OnFirstFrame = func() {
		if bench {
			fmt.Fprintf(os.Stderr, "ringside: first frame %d\n", time.Now().UnixNano())
		}
		// Start-up garbage (font parsing, SQL, the pages' first layout) is
		// dead once the window shows: hand it back to the OS now rather than
		// idling on a heap sized for start-up (bench/app.sh measures it).
		time.AfterFunc(2*time.Second, debug.FreeOSMemory)
	}
	if eng, err := a.StartStatus(ctx); err != nil {
		log.Error("availability status not started", "err", err)
	} else {
		opts.Status = eng
		defer a.StopStatus()
	}
	// The softphone registers in the background; the phone page shows how
	// it goes. Close stops it.
	opts.StartPhone = func(ctx context.Context) error {
		return a.StartPhone(ctx, app.WithCallMedia(a.DeviceMedia()))
	}
	go func() {
		if err := opts.StartPhone(ctx); err != nil && !errors.Is(err, app.ErrNoAccount) {
			log.Warn("softphone not started", "err", err)
		}
	}()
	tray := <-trayc
	if !tray.Visible {
		log.Info("no tray icon", "why", tray.Why)
	}
	v, err := a.Prefs(ctx)
	if err != nil {
		log.Warn("settings not read for the window", "err", err)
	}
	// Hide on close and start minimized only with a tray icon to come back from.
	opts.ForDesktop(tray, v, o.Minimized)

	// Quitting (tray, window close without a tray, SIGTERM, Ctrl-C) ends the
	// engines in order (the status stint is closed as app_quit, the phone
	// un-registers) and exits without tearing the window down: Fyne 2.7.1
	// can crash when a window is destroyed while a pointer event for it is
	// still queued (glfw SetInputMode on a destroyed window, seen under Xvfb).
	var srv *instance.Server
	var quitOnce sync.Once
	quit := func() {
		quitOnce.Do(func() {
			if srv != nil {
				srv.Close()
			}
			if err := a.Close(); err != nil {
				log.Warn("closing the data directory", "err", err)
			}
			os.Exit(cli.ExitOK)
		})
	}
	opts.OnQuit = quit
	fa := fyneapp.NewWithID("dev.ringside.app")
	a.OnMissedCall(func(m app.MissedCall) {
		fa.SendNotification(fyne.NewNotification("Missed call", m.Title()))
	})
	a.StartRinger()
	// Re-fetch an administrator's provisioning document, as desk phones do.
	a.StartProvisioningRefresh(time.Hour)
	w := ui.New(fa, a, opts)
	// Only where a tray host shows the icon: Fyne's tray opens a hidden
	// "SystrayMonitor" window with its own GL context before the first frame
	// (about a second and tens of MiB under software GL), for nothing when
	// no host shows it. CanSetUp (a session bus) is implied by Visible.
	if tray.Visible && opts.Status != nil {
		if t, ok := ui.NewTray(fa, opts.Status, w.Show, w.Quit, ui.WithTrayLogger(log)); ok {
			t.Start()
			defer t.Close()
		}
	}
	srv, err = instance.Listen(dir, cli.Handler(a, w.Show), log)
	if errors.Is(err, instance.ErrRunning) {
		// Lost a race with another launch: hand over to it.
		instance.Call(ctx, dir, nil, nil)
		return cli.ExitOK
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n", err)
		return cli.ExitRefused
	}
	defer srv.Close()
	go func() {
		<-ctx.Done()
		quit()
	}()
	w.Run()
	return cli.ExitOK
}
