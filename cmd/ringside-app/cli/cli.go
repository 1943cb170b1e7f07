// Package cli is Ringside's command line: `ringside VERB ...` for scripting,
// support and tests. Each verb runs in the running app when there is one (over
// the instance socket, so the window and tray change at once) and on the data
// directory directly otherwise. Refusals print a message naming the setting,
// file or value and what is allowed, exit non-zero and change nothing.
package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/term"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitRefused  = 1 // the request was understood and refused, or failed
	ExitUsage    = 2 // the command line itself is wrong
	ExitInternal = 3
)

// Env is what a verb works with.
type Env struct {
	App    *app.App
	Stdout io.Writer
	Stderr io.Writer
	// Input holds the secrets the caller typed at prompts or piped on
	// standard input, one per line, in the order of the command's Prompts.
	Input []string
	// InApp is true when the verb runs inside the running app.
	InApp bool
	// Dir is the caller's working directory ("" for this process's).
	Dir string
}

// Path resolves a file name given by the caller against the caller's
// working directory, also when the verb runs in the running app.
func (e *Env) Path(name string) string {
	if e.Dir == "" || filepath.IsAbs(name) || name == "-" {
		return name
	}
	return filepath.Join(e.Dir, name)
}

// Command is one verb.
type Command struct {
	Name    string
	Usage   string // e.g. "prefs get [KEY] | prefs set KEY VALUE"
	Summary string
	// Prompts returns the secrets the verb reads for these arguments, as
	// prompts shown when standard input is a terminal; nil when it reads none.
	Prompts func(args []string) []string
	// Local verbs never go to the running app (for example, those that play
	// audio in this process). Most verbs leave it false.
	Local bool
	Run   func(ctx context.Context, e *Env, args []string) error
}

var commands = map[string]*Command{}

func register(c *Command) { commands[c.Name] = c }

// UsageError is a wrong command line; its message says what is expected.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, a ...any) error { return &UsageError{fmt.Sprintf(format, a...)} }

// Options are the global flags before the verb.
type Options struct {
	Home      string
	Minimized bool
	Args      []string // the verb and its arguments; empty: open the app
}

// ParseGlobal reads the global flags.
func ParseGlobal(args []string, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("ringside", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o Options
	fs.StringVar(&o.Home, "home", "", "data directory (default $RINGSIDE_HOME or the user config dir)")
	fs.BoolVar(&o.Minimized, "minimized", false, "start in the tray without opening the window")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return o, err
		}
		return o, usagef("%v", err)
	}
	o.Args = fs.Args()
	return o, nil
}

// Help writes the list of verbs.
func Help(w io.Writer) {
	fmt.Fprintln(w, "Usage: ringside [--home DIR] [--minimized]          open Ringside")
	fmt.Fprintln(w, "       ringside [--home DIR] VERB [ARGS]             run one command")
	fmt.Fprintln(w, "\nVerbs:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  ringside %s\n      %s\n", commands[n].Usage, commands[n].Summary)
	}
}

// Run runs one verb (o.Args non-empty) and returns the exit code: in the
// running app when there is one, else on the data directory.
func Run(ctx context.Context, o Options, stdin io.Reader, stdout, stderr io.Writer, opts ...app.Option) int {
	cmd, ok := commands[o.Args[0]]
	if !ok {
		fmt.Fprintf(stderr, "ringside: unknown command %q\n\n", o.Args[0])
		Help(stderr)
		return ExitUsage
	}
	dir, err := app.DataDir(o.Home)
	if err != nil {
		fmt.Fprintf(stderr, "ringside: %v\n", err)
		return ExitRefused
	}
	var input []string
	if cmd.Prompts != nil {
		if prompts := cmd.Prompts(o.Args[1:]); len(prompts) > 0 {
			input, err = readSecrets(stdin, stderr, prompts)
			if err != nil {
				fmt.Fprintf(stderr, "ringside: %v\n", err)
				return ExitRefused
			}
		}
	}
	if !cmd.Local {
		resp, err := instance.Call(ctx, dir, o.Args, []byte(strings.Join(input, "\n")))
		if err == nil {
			stdout.Write(resp.Stdout)
			stderr.Write(resp.Stderr)
			return resp.Code
		}
		if !errors.Is(err, instance.ErrNotRunning) {
			fmt.Fprintf(stderr, "ringside: %v\n", err)
			return ExitRefused
		}
	}
	a, err := app.Open(ctx, dir, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "ringside: %v\n", err)
		return ExitRefused
	}
	defer a.Close()
	if n := a.Notice(); n != "" {
		fmt.Fprintf(stderr, "ringside: %s\n", n)
	}
	return Exec(ctx, &Env{App: a, Stdout: stdout, Stderr: stderr, Input: input}, o.Args)
}

// Exec runs a verb with an open App and returns its exit code. It never
// panics: an internal error is reported as such.
func Exec(ctx context.Context, e *Env, args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(e.Stderr, "ringside: internal error in %q: %v (please report it)\n", args[0], r)
			code = ExitInternal
		}
	}()
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.Stderr, "ringside: unknown command %q\n", args[0])
		return ExitUsage
	}
	err := cmd.Run(ctx, e, args[1:])
	var ue *UsageError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.Stderr, "ringside: %v\nusage: ringside %s\n", err, cmd.Usage)
		return ExitUsage
	default:
		fmt.Fprintf(e.Stderr, "ringside: %v\n", err)
		return ExitRefused
	}
}

// Handler serves verbs sent to the running app over the instance socket.
// show is called for an empty request (a second launch): bring the window forward.
func Handler(a *app.App, show func()) instance.Handler {
	return func(ctx context.Context, req instance.Request) instance.Response {
		args, stdin := req.Args, req.Stdin
		if len(args) == 0 {
			if show != nil {
				show()
			}
			return instance.Response{}
		}
		var out, errb bytes.Buffer
		var input []string
		if len(stdin) > 0 {
			input = strings.Split(string(stdin), "\n")
		}
		code := Exec(ctx, &Env{App: a, Stdout: &out, Stderr: &errb, Input: input, InApp: true, Dir: req.Dir}, args)
		return instance.Response{Stdout: out.Bytes(), Stderr: errb.Bytes(), Code: code}
	}
}

// readSecrets reads one secret per prompt: typed without echo on a terminal,
// else one line each from standard input.
func readSecrets(stdin io.Reader, stderr io.Writer, prompts []string) ([]string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		var out []string
		for _, p := range prompts {
			fmt.Fprint(stderr, p)
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(stderr)
			if err != nil {
				return nil, fmt.Errorf("reading the password: %w", err)
			}
			out = append(out, string(b))
		}
		return out, nil
	}
	data, err := io.ReadAll(io.LimitReader(stdin, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\r\n"), "\n")
	if len(data) == 0 || len(lines) < len(prompts) {
		return nil, fmt.Errorf("expected %d line(s) on standard input (%s), got %d", len(prompts), strings.Join(prompts, " / "), min(len(lines), len(bytes.TrimSpace(data))))
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], "\r")
	}
	return lines[:len(prompts)], nil
}

// Secret returns the i-th secret the caller gave, or an error naming it.
func (e *Env) Secret(i int, what string) (string, error) {
	if i >= len(e.Input) || e.Input[i] == "" {
		return "", fmt.Errorf("%s: empty; give it at the prompt or on standard input", what)
	}
	return e.Input[i], nil
}

// newFlags returns a flag set for a verb that reports errors as usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usagef("%v", err)
	}
	return nil
}

// parseWithPassword parses the flags of a verb that may read a password
// (--password-stdin, already declared as withPW) and returns it, or nil
// when the flag is off. Passwords are never arguments.
func parseWithPassword(e *Env, fs *flag.FlagSet, args []string, withPW *bool, what string) (*string, error) {
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected %q: passwords are never arguments; use --password-stdin", fs.Arg(0))
	}
	if !*withPW {
		return nil, nil
	}
	p, err := e.Secret(0, what)
	if err != nil {
		return nil, err
	}
	return &p, nil
}
