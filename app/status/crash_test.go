package status_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ringside/ringside/app/status"
)

const crashDirEnv = "RINGSIDE_STATUS_CRASH_DIR"

// TestCrashChild is the child process of TestCrashRecovery: it changes status
// every few milliseconds with a fast heartbeat, printing each change, until it
// is killed. It does nothing in a normal run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return
	}
	ctx := context.Background()
	st := openStore(t, dir)
	e, err := status.New(ctx, st, status.WithHeartbeat(20*time.Millisecond))
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	fmt.Println("started", e.Current())
	for i := 1; ; i++ {
		s := status.All[i%len(status.All)]
		if err := e.Set(ctx, s, status.ReasonCLI); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("set", s)
		time.Sleep(7 * time.Millisecond)
	}
}

// TestCrashRecovery runs a child that sets statuses with heartbeats, kills it
// with SIGKILL, restarts the engine and checks that the timeline still adds
// up: the first run's stints follow each other without gap or overlap, its
// last one ends at a heartbeat before the kill, and the new run resumes the
// last status.
func TestCrashRecovery(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	var printed []status.Status
	for lines.Scan() {
		f := strings.Fields(lines.Text())
		if len(f) == 2 && f[0] == "error" {
			t.Fatalf("child: %s", lines.Text())
		}
		if len(f) == 2 && (f[0] == "set" || f[0] == "started") {
			printed = append(printed, status.Status(f[1]))
		}
		if len(printed) >= 15 {
			break
		}
	}
	time.Sleep(60 * time.Millisecond) // a few heartbeats and changes more
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	cmd.Wait()
	if len(printed) < 15 {
		t.Fatalf("child printed %d changes before it stopped", len(printed))
	}

	ctx := context.Background()
	st := openStore(t, dir)
	e, err := status.New(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	stints, err := e.Timeline(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	n := len(stints)
	if n < len(printed)+1 {
		t.Fatalf("%d stints for %d recorded changes", n, len(printed))
	}
	first, crashed, resumed := stints[0], stints[n-2], stints[n-1]
	if first.Reason != status.ReasonAppStart || resumed.Reason != status.ReasonAppStart || !resumed.Open {
		t.Errorf("first %+v, resumed %+v: want app_start stints, the last open", first, resumed)
	}
	for i, s := range printed {
		if stints[i].Status != s {
			t.Fatalf("stint %d is %s, child printed %s", i, stints[i].Status, s)
		}
	}
	for i := 0; i < n-2; i++ {
		if !stints[i].End.Equal(stints[i+1].Start) || stints[i].Open {
			t.Fatalf("gap or overlap between stints %d and %d: %s then %s", i, i+1, stints[i].End, stints[i+1].Start)
		}
	}
	if crashed.EndReason != status.ReasonCrash || crashed.Open {
		t.Errorf("last stint of the killed run: %+v, want closed with reason crash", crashed)
	}
	if crashed.End.After(killedAt) || resumed.Start.Before(crashed.End) {
		t.Errorf("crashed run ends %s, killed %s, new run starts %s", crashed.End, killedAt, resumed.Start)
	}
	if resumed.Status != crashed.Status {
		t.Errorf("resumed %s, want the killed run's last status %s", resumed.Status, crashed.Status)
	}
	// Totals add up: every status's time sums to the two runs' lengths.
	now := time.Now()
	m, err := status.Compute(stints, first.Start, now.Add(time.Hour), now)
	if err != nil {
		t.Fatal(err)
	}
	want := crashed.End.Sub(first.Start) + now.Sub(resumed.Start)
	if m.Total != want {
		t.Errorf("total %s, want %s (first run %s + second run %s)", m.Total, want,
			crashed.End.Sub(first.Start), now.Sub(resumed.Start))
	}
	t.Logf("killed run: %d stints over %s; last alive %s before the kill",
		n-1, crashed.End.Sub(first.Start), killedAt.Sub(crashed.End).Round(time.Millisecond))
}
