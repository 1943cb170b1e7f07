package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/cmd/ringside/cli"
	"github.com/ringside/ringside/ui"
)

// runGUI opens the app window, or brings the running app's window forward.
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
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Open(ctx, dir, app.WithLogger(log))
	if err != nil {
		fmt.Fprintf(os.Stderr, "ringside: %v\n", err)
		return cli.ExitRefused
	}
	defer a.Close()

	fa := fyneapp.NewWithID("dev.ringside.app")
	w := ui.New(fa, a, ui.Options{Minimized: o.Minimized})
	srv, err := instance.Listen(dir, cli.Handler(a, w.Show), log)
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
		w.Quit()
	}()
	w.Run()
	return cli.ExitOK
}
