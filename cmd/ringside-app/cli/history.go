package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/ringside/ringside/app"
)

func init() {
	register(&Command{Name: "history", Usage: "history [--missed] [--limit N] [--format table|json]",
		Summary: "call history, newest first (--missed: the missed-call list)", Run: runHistory})
}

func runHistory(ctx context.Context, e *Env, args []string) error {
	fs := newFlags("history")
	missed := fs.Bool("missed", false, "only missed calls")
	limit := fs.Int("limit", 100, "at most N calls")
	format := fs.String("format", "table", "table or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected %q", fs.Arg(0))
	}
	if *format != "table" && *format != "json" {
		return usagef("--format %q: use table or json", *format)
	}
	if *limit < 1 || *limit > 100000 {
		return usagef("--limit %d: use 1 to 100000", *limit)
	}
	h, err := e.App.History(ctx, app.HistoryQuery{MissedOnly: *missed, Limit: *limit})
	if err != nil {
		return err
	}
	if *format == "json" {
		if h == nil {
			h = []app.HistoryEntry{}
		}
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(h)
	}
	if len(h) == 0 {
		if *missed {
			fmt.Fprintln(e.Stdout, "no missed calls")
		} else {
			fmt.Fprintln(e.Stdout, "no calls yet")
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tDIRECTION\tPEER\tORIGIN\tRESULT\tENDED BY\tRING\tTALK")
	for _, c := range h {
		peer := c.Peer
		if c.PeerName != "" {
			peer = c.PeerName + " <" + c.Peer + ">"
		}
		result := c.Result
		if c.Target != "" {
			result += " -> " + c.Target
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Start.Local().Format("2006-01-02 15:04:05"), c.Direction, peer,
			c.Origin, result, orDash(c.EndedBy), clock(c.Ring), clock(c.Talk))
	}
	return tw.Flush()
}

// clock writes a duration as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
