package cli

import (
	"context"
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/instance"
	"github.com/ringside/ringside/app/status"
	"github.com/ringside/ringside/app/status/statustest"
)

func TestStatusCommandsWithoutApp(t *testing.T) {
	r := newRunner(t)
	tests := []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"status"}, 0, "Available (available); Ringside is not running and will start in this status\n", ""},
		{[]string{"status", "set", "on-break"}, 0, "On break (on_break); Ringside is not running and will start in this status\n", ""},
		{[]string{"status"}, 0, "On break (on_break)", ""},
		{[]string{"status", "set", "nap"}, 1, "", `unknown status "nap": use one of available, away, after_call_work, on_break, unavailable, do_not_disturb`},
		{[]string{"status"}, 0, "On break (on_break)", ""},
		{[]string{"status", "set"}, 2, "", "status set needs one KEY: available, away"},
		{[]string{"status", "frob"}, 2, "", "unknown status command"},
		{[]string{"report", "--format", "xml"}, 2, "", `--format "xml": use table, csv, json`},
		{[]string{"report", "--from", "last tuesday"}, 2, "", "use YYYY-MM-DD"},
		{[]string{"report", "--from", "2026-11-25", "--to", "2026-11-20"}, 1, "", "is not before --to"},
		{[]string{"report", "--team"}, 2, "", "--team needs at least one FILE"},
		{[]string{"report", "--team", "/nonexistent/ann.csv"}, 1, "", "team timeline /nonexistent/ann.csv: no such file or directory"},
		{[]string{"timeline"}, 2, "", "timeline needs export"},
		{[]string{"timeline", "export", "--format", "xml"}, 2, "", `use csv, json`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := r.run("", tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out, errOut, tt.code, tt.out, tt.err)
			}
		})
	}
}

// TestStatusInRunningApp runs the status verbs against a running app (through
// the instance socket): `status set` changes the engine at once.
func TestStatusInRunningApp(t *testing.T) {
	r := newRunner(t)
	ctx := context.Background()
	a, err := app.Open(ctx, r.home, app.WithKeyring(r.kr))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	clock := statustest.NewClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	eng, err := a.StartStatus(ctx, status.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer a.StopStatus()
	srv, err := instance.Listen(r.home, Handler(a, nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	clock.Advance(10 * time.Minute)
	code, out, errOut := r.run("", "status", "set", "on_break")
	if code != 0 || !strings.HasPrefix(out, "On break (on_break) since ") {
		t.Fatalf("status set: %d %q %q", code, out, errOut)
	}
	if eng.Current() != status.OnBreak || eng.Snapshot().Reason != status.ReasonCLI {
		t.Fatalf("engine %+v after status set", eng.Snapshot())
	}
	clock.Advance(5 * time.Minute)
	if code, out, _ := r.run("", "status"); code != 0 || !strings.Contains(out, "(0:05:00)") {
		t.Errorf("status: %d %q", code, out)
	}
	if code, _, errOut := r.run("", "status", "set", "lunch"); code != 1 || !strings.Contains(errOut, "do_not_disturb") {
		t.Errorf("status set lunch: %d %q", code, errOut)
	}

	// A report from another process (local verb) counts the running stint.
	clock.Advance(5 * time.Minute)
	eng.Set(ctx, status.Away, status.ReasonTray)
	code, out, errOut = r.run("", "report", "--from", "2026-11-25T09:00:00Z", "--to", "2026-11-25T09:20:00Z", "--format", "csv")
	if code != 0 {
		t.Fatalf("report: %d %q", code, errOut)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 7 {
		t.Fatalf("report CSV %q: %v", out, err)
	}
	got := map[string]string{}
	for _, rec := range recs[1:] {
		got[rec[4]] = rec[5] + "/" + rec[6]
	}
	if got["available"] != "600.000/1" || got["on_break"] != "600.000/1" || got["away"] != "0.000/0" {
		t.Errorf("report %v", got)
	}
}

// TestTimelineExportAndTeamReport exports one agent's timeline as CSV and
// JSON and merges the files into a team report.
func TestTimelineExportAndTeamReport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	var files []string
	for i, agent := range []struct{ first, format string }{{"Ann", "csv"}, {"Bob", "json"}} {
		r := newRunner(t)
		if code, _, e := r.run("", "prefs", "set", "general.first_name", agent.first); code != 0 {
			t.Fatal(e)
		}
		a, err := app.Open(ctx, r.home, app.WithKeyring(r.kr))
		if err != nil {
			t.Fatal(err)
		}
		clock := statustest.NewClock(t0)
		eng, err := a.StartStatus(ctx, status.WithClock(clock), status.WithAfterCallWork(60))
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Duration(i+1) * time.Hour)
		eng.CallEnded(ctx)
		clock.Advance(2 * time.Minute) // back to available after 60 s
		a.StopStatus()
		a.Close()
		f := filepath.Join(dir, agent.first+"."+agent.format)
		code, _, errOut := r.run("", "timeline", "export", f)
		if code != 0 || !strings.Contains(errOut, "exported 3 stints of "+agent.first) {
			t.Fatalf("export: %d %q", code, errOut)
		}
		files = append(files, f)
	}
	r := newRunner(t)
	code, out, errOut := r.run("", append([]string{"report", "--from", "2026-11-24T00:00:00Z", "--to", "2026-11-25T00:00:00Z", "--team"}, files...)...)
	if code != 0 {
		t.Fatalf("team report: %d %q", code, errOut)
	}
	for _, want := range []string{
		"AGENT  STATUS",
		"Ann    Available                 1:01:00  2",
		"Bob    Available                 2:01:00  2",
		"team   Available                 3:02:00  4       0:45:30",
		"team   After-call work per call  0:01:00  2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("team report lacks %q:\n%s", want, out)
		}
	}
}

func TestParsePeriodFlags(t *testing.T) {
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.Local)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.Local) }
	tests := []struct {
		args     []string
		from, to time.Time
		format   string
		team     []string
	}{
		{nil, day(25), now, "", nil},
		{[]string{"--from", "2026-11-20"}, day(20), now, "", nil},
		{[]string{"--from=2026-11-20", "--to=2026-11-22"}, day(20), day(23), "", nil},
		{[]string{"--to", "2026-11-22"}, day(22), day(23), "", nil},
		{[]string{"-from", "2026-11-20T08:30", "--format", "json"}, day(20).Add(8*time.Hour + 30*time.Minute), now, "json", nil},
		{[]string{"--team", "a.csv", "b.json", "--format", "csv", "--team=c.csv"}, day(25), now, "csv", []string{"a.csv", "b.json", "c.csv"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			p, err := parsePeriodFlags(tt.args, []string{"table", "csv", "json"}, true, now)
			if err != nil {
				t.Fatal(err)
			}
			if !p.from.Equal(tt.from) || !p.to.Equal(tt.to) || p.format != tt.format || strings.Join(p.team, ",") != strings.Join(tt.team, ",") {
				t.Errorf("got from %s to %s format %q team %q", p.from, p.to, p.format, p.team)
			}
		})
	}
}

func FuzzParsePeriodFlags(f *testing.F) {
	f.Add("--from\x002026-11-20\x00--to\x002026-11-22\x00--team\x00a.csv")
	f.Add("--format=csv\x00--to\x002026-11-22T08:00:00Z")
	f.Add("--team\x00--from")
	now := time.Date(2026, 11, 25, 15, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePeriodFlags(strings.Split(s, "\x00"), []string{"table", "csv", "json"}, true, now)
		if err == nil && !p.to.After(p.from) {
			t.Fatalf("accepted an empty period %s..%s", p.from, p.to)
		}
	})
}
