package store

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// killChildEnv makes the test binary a writer child for TestKillDuringWrites.
const killChildEnv = "RINGSIDE_STORE_KILL_CHILD_DIR"

func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir)
		os.Exit(2) // killChild never returns on its own
	}
	os.Exit(m.Run())
}

// killChild writes preferences until killed: it opens the store, counts up
// from the stored counter for a few commits, printing each counter once it
// is committed, closes the store and starts again, so kills also land in
// Open (check, migrations, backup) and Close (checkpoint).
func killChild(dir string) {
	ctx := context.Background()
	blob := strings.Repeat("x", 700)
	for {
		s, err := Open(ctx, dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child Open:", err)
			os.Exit(3)
		}
		prefs, err := s.LoadPrefs(ctx)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child LoadPrefs:", err)
			os.Exit(3)
		}
		n, _ := strconv.Atoi(prefs["test.counter"])
		for range 20 {
			n++
			err := s.SavePrefs(ctx, map[string]string{
				"test.counter": strconv.Itoa(n),
				"test.blob":    strconv.Itoa(n) + blob,
				"test.other":   strconv.Itoa(n % 7),
			})
			if err != nil {
				fmt.Fprintln(os.Stderr, "child SavePrefs:", err)
				os.Exit(3)
			}
			fmt.Fprintln(os.Stdout, n) // os.Stdout is unbuffered: printed means committed
		}
		if err := s.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "child Close:", err)
			os.Exit(3)
		}
	}
}

// TestKillDuringWrites kills a writing process with SIGKILL at random moments
// and checks, each time, that the last counter it reported committed is
// stored, that the database passes integrity_check and that Open had nothing
// to restore.
func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("kill -9 loop skipped in -short mode")
	}
	ctx := context.Background()
	dir := t.TempDir()
	const rounds = 30
	last, commits := 0, 0
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		first, reported := make(chan struct{}), make(chan int)
		go func() {
			r, sc := 0, bufio.NewScanner(out)
			for sc.Scan() {
				if n, err := strconv.Atoi(sc.Text()); err == nil {
					if r == 0 {
						close(first)
					}
					r = n
				}
			}
			reported <- r
		}()
		// A third of the kills land early (start-up, Open, the first
		// commits); the others after the child has started committing.
		if round%3 != 0 {
			select {
			case <-first:
			case <-time.After(10 * time.Second):
			}
		}
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		r := <-reported
		werr := cmd.Wait()
		if stderr.Len() > 0 || werr == nil || !strings.Contains(werr.Error(), "killed") {
			t.Fatalf("round %d: child ended by itself (%v): %s", round, werr, stderr.String())
		}
		if r > 0 {
			commits += r - last
			last = r
		}

		s, err := Open(ctx, dir)
		if err != nil {
			t.Fatalf("round %d: Open after kill: %v", round, err)
		}
		if n := s.Notice(); n != "" {
			t.Fatalf("round %d: Open had to restore: %s", round, n)
		}
		prefs, err := s.LoadPrefs(ctx)
		if err != nil {
			t.Fatalf("round %d: LoadPrefs: %v", round, err)
		}
		got, _ := strconv.Atoi(prefs["test.counter"])
		if got < last {
			t.Fatalf("round %d: counter %d stored, but %d was reported committed", round, got, last)
		}
		if want := strconv.Itoa(got) + strings.Repeat("x", 700); got > 0 && prefs["test.blob"] != want {
			t.Fatalf("round %d: test.blob does not match counter %d: the commit was torn", round, got)
		}
		integrityOK(t, s)
		s.Close()
		last = got
	}
	t.Logf("%d kills, %d commits reported before them, final counter %d", rounds, commits, last)
}
