package cli

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"
)

func init() {
	register(&Command{Name: "call", Usage: "call URI | call (list current calls)",
		Summary: "place a call in the running app (number, extension, tel: or sip: URI)", Run: runCall})
	register(&Command{Name: "hangup", Usage: "hangup [ID]",
		Summary: "end a call in the running app (every call without ID)", Run: runHangup})
}

// errNeedsApp is what call and hangup say without a running app.
func errNeedsApp(verb string) error {
	return fmt.Errorf("ringside %s needs the running app: start ringside first", verb)
}

func runCall(ctx context.Context, e *Env, args []string) error {
	if !e.InApp {
		return errNeedsApp("call")
	}
	switch len(args) {
	case 0:
		return listCalls(e)
	case 1:
	default:
		return usagef("call needs one URI (quote it if it has spaces)")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := e.App.Call(ctx, args[0])
	if err != nil {
		return fmt.Errorf("call %s: %w", args[0], err)
	}
	fmt.Fprintf(e.Stdout, "calling %s: %s (call %s)\n", c.Peer, c.State, c.ID)
	return nil
}

func listCalls(e *Env) error {
	calls := e.App.Calls()
	if len(calls) == 0 {
		fmt.Fprintln(e.Stdout, "no current calls")
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDIRECTION\tPEER\tSTATE\tORIGIN\tSINCE")
	for _, c := range calls {
		state := c.State
		if c.Held {
			state += " (held)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Direction, c.Peer, state, c.Origin, c.Start.Format("15:04:05"))
	}
	return tw.Flush()
}

func runHangup(ctx context.Context, e *Env, args []string) error {
	if !e.InApp {
		return errNeedsApp("hangup")
	}
	if len(args) > 1 {
		return usagef("hangup takes at most one call ID (see ringside call)")
	}
	id := ""
	if len(args) == 1 {
		id = args[0]
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	n, err := e.App.Hangup(ctx, id)
	if err != nil && !(errors.Is(err, context.DeadlineExceeded) && n > 0) {
		return err
	}
	switch {
	case n == 0:
		fmt.Fprintln(e.Stdout, "no current calls")
	case id != "":
		fmt.Fprintf(e.Stdout, "call %s ended\n", id)
	default:
		fmt.Fprintf(e.Stdout, "%d call(s) ended\n", n)
	}
	return nil
}
