package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ringside/ringside/app/status"
)

func init() {
	register(&Command{Name: "status", Usage: "status | status set KEY",
		Summary: "show or change availability (" + strings.Join(status.Keys(), ", ") + ")", Run: runStatus})
	register(&Command{Name: "report",
		Usage:   "report [--from DATE] [--to DATE] [--format table|csv|json] [--team FILE...]",
		Summary: "time in each status; --team merges agents' exported timelines",
		// Reads files named relative to the caller's directory, and only
		// reads the store: runs in this process.
		Local: true, Run: runReport})
	register(&Command{Name: "timeline",
		Usage:   "timeline export [--from DATE] [--to DATE] [--format csv|json] [FILE]",
		Summary: "export your status timeline for a team report",
		Local:   true, Run: runTimeline})
}

func runStatus(ctx context.Context, e *Env, args []string) error {
	switch {
	case len(args) == 0:
		snap, running, err := e.App.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, describe(snap, running))
		return nil
	case args[0] == "set":
		if len(args) != 2 {
			return usagef("status set needs one KEY: %s", strings.Join(status.Keys(), ", "))
		}
		s, err := status.Parse(args[1])
		if err != nil {
			return err
		}
		if err := e.App.SetStatus(ctx, s, status.ReasonCLI); err != nil {
			return err
		}
		snap, running, err := e.App.Status(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.Stdout, describe(snap, running))
		return nil
	}
	return usagef("unknown status command %q", args[0])
}

// describe says the status in one line: "Away since 14:02 (0:12:30)".
func describe(snap status.Snapshot, running bool) string {
	line := fmt.Sprintf("%s (%s)", snap.Status.Name(), snap.Status)
	if !running {
		return line + "; Ringside is not running and will start in this status"
	}
	line += fmt.Sprintf(" since %s (%s)", snap.Since.Local().Format("15:04"), status.FormatDuration(snap.In()))
	if !snap.AfterCallWorkUntil.IsZero() {
		line += fmt.Sprintf("; back to %s at %s", snap.ReturnTo.Name(), snap.AfterCallWorkUntil.Local().Format("15:04:05"))
	}
	return line
}

// periodFlags are the options of report and timeline export.
type periodFlags struct {
	from, to time.Time
	format   string
	team     []string
	rest     []string
}

// parsePeriodFlags reads --from, --to, --format (one of formats) and, when
// team is true, --team FILE... (every argument up to the next flag).
func parsePeriodFlags(args []string, formats []string, team bool, now time.Time) (periodFlags, error) {
	var p periodFlags
	var fromSet, toSet bool
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			p.rest = append(p.rest, a)
			continue
		}
		next := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", usagef("--%s needs a value", name)
			}
			i++
			return args[i], nil
		}
		switch name {
		case "from", "to":
			v, err := next()
			if err != nil {
				return p, err
			}
			t, err := parseDate(v, name == "to")
			if err != nil {
				return p, err
			}
			if name == "from" {
				p.from, fromSet = t, true
			} else {
				p.to, toSet = t, true
			}
		case "format":
			v, err := next()
			if err != nil {
				return p, err
			}
			ok := false
			for _, f := range formats {
				ok = ok || v == f
			}
			if !ok {
				return p, usagef("--format %q: use %s", v, strings.Join(formats, ", "))
			}
			p.format = v
		case "team":
			if !team {
				return p, usagef("unknown option %s", a)
			}
			if hasVal {
				p.team = append(p.team, val)
				continue
			}
			n := 0
			for i+1 < len(args) && (!strings.HasPrefix(args[i+1], "-") || args[i+1] == "-") {
				i++
				p.team = append(p.team, args[i])
				n++
			}
			if n == 0 {
				return p, usagef("--team needs at least one FILE (an exported timeline)")
			}
		default:
			return p, usagef("unknown option %s", a)
		}
	}
	if !fromSet {
		y, m, d := now.Date()
		p.from = time.Date(y, m, d, 0, 0, 0, 0, now.Location())
		if toSet && !p.to.After(p.from) {
			p.from = p.to.AddDate(0, 0, -1)
		}
	}
	if !toSet {
		p.to = now
	}
	if !p.to.After(p.from) {
		return p, fmt.Errorf("--from %s is not before --to %s", p.from.Format(time.RFC3339), p.to.Format(time.RFC3339))
	}
	return p, nil
}

// parseDate reads YYYY-MM-DD (local time; as --to, the end of that day),
// YYYY-MM-DDTHH:MM (local) or RFC 3339.
func parseDate(v string, end bool) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", v, time.Local); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", v, time.Local); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("date %q: use YYYY-MM-DD, YYYY-MM-DDTHH:MM or RFC 3339 (2026-11-25T09:00:00Z)", v)
}

func runReport(ctx context.Context, e *Env, args []string) error {
	p, err := parsePeriodFlags(args, []string{"table", "csv", "json"}, true, time.Now())
	if err != nil {
		return err
	}
	if len(p.rest) > 0 {
		return usagef("unexpected argument %q", p.rest[0])
	}
	var rep status.Report
	if len(p.team) > 0 {
		var tls []status.AgentTimeline
		for _, f := range p.team {
			tl, err := readTimelineFile(f)
			if err != nil {
				return err
			}
			tls = append(tls, tl)
		}
		team, err := status.ComputeTeam(tls, p.from, p.to, p.to)
		if err != nil {
			return err
		}
		rep = status.TeamReport(team)
	} else {
		m, err := e.App.StatusMetrics(ctx, p.from, p.to)
		if err != nil {
			return err
		}
		rep = status.LocalReport(m)
	}
	switch p.format {
	case "csv":
		return rep.WriteCSV(e.Stdout)
	case "json":
		return rep.WriteJSON(e.Stdout)
	}
	return rep.WriteTable(e.Stdout, time.Local)
}

func readTimelineFile(path string) (status.AgentTimeline, error) {
	f, err := os.Open(path)
	if err != nil {
		return status.AgentTimeline{}, fmt.Errorf("team timeline %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	return status.ReadTimeline(f, path)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func runTimeline(ctx context.Context, e *Env, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return usagef("timeline needs export")
	}
	p, err := parsePeriodFlags(args[1:], []string{"csv", "json"}, false, time.Now())
	if err != nil {
		return err
	}
	// Without --from, the whole timeline.
	hasFrom := false
	for _, a := range args[1:] {
		hasFrom = hasFrom || a == "--from" || a == "-from" || strings.HasPrefix(a, "--from=") || strings.HasPrefix(a, "-from=")
	}
	if !hasFrom {
		p.from = time.Time{}
	}
	if len(p.rest) > 1 {
		return usagef("timeline export takes at most one FILE")
	}
	file := "-"
	if len(p.rest) == 1 {
		file = p.rest[0]
	}
	format := p.format
	if format == "" {
		format = "csv"
		if strings.EqualFold(filepath.Ext(file), ".json") {
			format = "json"
		}
	}
	tl, end, err := e.App.StatusTimeline(ctx, p.from, p.to)
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		if format == "json" {
			return status.WriteTimelineJSON(w, tl, end)
		}
		return status.WriteTimelineCSV(w, tl, end)
	}
	if file == "-" {
		return write(e.Stdout)
	}
	var b strings.Builder
	if err := write(&b); err != nil {
		return err
	}
	if err := writeFileAtomic(file, []byte(b.String())); err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "exported %d stints of %s to %s\n", len(tl.Stints), tl.Agent, file)
	return nil
}
