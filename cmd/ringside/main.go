// Command ringside is Ringside's command line and launcher. With no verb it
// starts the app; with a verb it runs that command. It answers
// `prefs get KEY` and `prefs set KEY VALUE` itself, in the running app when
// there is one and on the data directory otherwise, without loading the GUI,
// audio or SIP stacks, so that scripts calling it in a loop stay quick. Every
// other verb (and a change that needs more than the settings store, such as a
// new name for the automatic recorded name) is handed to ringside-app,
// installed beside it, which runs every verb the same way.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/app/settings"
)

// Exit codes, as ringside-app's.
const (
	exitOK      = 0
	exitRefused = 1
	exitNoApp   = 3
)

func main() {
	args := os.Args[1:]
	home, verb, ok := quickVerb(args)
	if !ok {
		os.Exit(handOff(args))
	}
	code, handoff := runQuick(context.Background(), home, verb, os.Stdout, os.Stderr)
	if handoff {
		code = handOff(args)
	}
	os.Exit(code)
}

// quickVerb reports whether args are a verb this command answers itself:
// [--home DIR] prefs get KEY, or [--home DIR] prefs set KEY VALUE...; any
// other global flag, or anything unusual, goes to ringside-app, which has
// the full command line and its messages.
func quickVerb(args []string) (home string, verb []string, ok bool) {
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name, val, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
		if name != "home" || strings.HasPrefix(args[0], "---") {
			return "", nil, false
		}
		if !hasVal {
			if len(args) < 2 {
				return "", nil, false
			}
			val, args = args[1], args[1:]
		}
		if val == "" {
			return "", nil, false
		}
		home, args = val, args[1:]
	}
	switch {
	case len(args) == 3 && args[0] == "prefs" && args[1] == "get",
		len(args) >= 4 && args[0] == "prefs" && args[1] == "set":
		return home, args, true
	}
	return "", nil, false
}

// runQuick runs `prefs get KEY` or `prefs set KEY VALUE...` and returns the
// exit code, or handoff when ringside-app must run the verb instead (before
// anything was changed or printed).
func runQuick(ctx context.Context, home string, verb []string, stdout, stderr io.Writer) (code int, handoff bool) {
	fail := func(err error) (int, bool) {
		fmt.Fprintf(stderr, "ringside: %v\n", err)
		return exitRefused, false
	}
	dir, err := settings.DataDir(home)
	if err != nil {
		return fail(err)
	}
	if resp, err := instance.Call(ctx, dir, verb, nil); err == nil {
		stdout.Write(resp.Stdout)
		stderr.Write(resp.Stderr)
		return resp.Code, false
	} else if !errors.Is(err, instance.ErrNotRunning) {
		return fail(err)
	}
	s, err := settings.Open(ctx, dir, slog.New(slog.DiscardHandler))
	if err != nil {
		return fail(err)
	}
	defer s.Close()
	cur, err := settings.Load(ctx, s)
	if err != nil {
		return fail(err)
	}
	key := verb[2]
	if verb[1] == "get" {
		k, err := prefs.Lookup(key)
		if err != nil {
			return fail(err)
		}
		notice(s.Notice(), stderr)
		fmt.Fprintln(stdout, cur[k.Name])
		return exitOK, false
	}
	change := prefs.Change{Key: key, Value: strings.Join(verb[3:], " ")}
	next, diff, err := prefs.Apply(cur, cur.Role(), []prefs.Change{change}, settings.Env(s))
	if err != nil {
		return fail(err)
	}
	if len(diff) > 0 {
		if settings.NameChanged(cur, next) {
			return 0, true
		}
		if err := s.SavePrefs(ctx, diff); err != nil {
			return fail(fmt.Errorf("save settings: %w", err))
		}
	}
	notice(s.Notice(), stderr)
	fmt.Fprintf(stdout, "%s = %s\n", key, next[key])
	return exitOK, false
}

// notice prints what the user must be told about opening the data, such as a
// damaged database restored from its backup.
func notice(n string, stderr io.Writer) {
	if n != "" {
		fmt.Fprintf(stderr, "ringside: %s\n", n)
	}
}
