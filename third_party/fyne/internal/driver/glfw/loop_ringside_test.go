//go:build !wasm && !test_web_driver

package glfw

import (
	"sync"
	"testing"
)

// Ringside: functions queued for the main thread run in order on the next
// pass, waiters are released by the pass or by the drain at Quit, and after
// the drain callers run their function themselves. No GLFW call is made: the
// loop is not waiting, so wakeMain only records that something changed.
func TestRingsideMainQueue(t *testing.T) {
	running.Store(true)
	defer func() {
		running.Store(false)
		drained.Store(false)
		wakeMu.Lock()
		wakePending = false
		wakeMu.Unlock()
	}()

	var got []int
	for i := 0; i < 5; i++ {
		i := i // the module is go 1.19: one i per loop otherwise
		runOnMainWithWait(func() { got = append(got, i) }, false)
	}
	wakeMu.Lock()
	pending := wakePending
	wakeMu.Unlock()
	if !pending {
		t.Fatal("queueing did not record a wake")
	}

	var wg sync.WaitGroup
	wg.Add(1)
	waited := false
	go func() {
		defer wg.Done()
		runOnMainWithWait(func() { waited = true }, true)
	}()
	for { // until the goroutine has queued its function
		queueMu.Lock()
		n := len(queue)
		queueMu.Unlock()
		if n == 6 {
			break
		}
	}
	runQueued()
	wg.Wait()
	if len(got) != 5 || got[0] != 0 || got[4] != 4 || !waited {
		t.Fatalf("ran %v, waited %v; want 0..4 in order and the waiting function", got, waited)
	}

	// A function queued by a queued function runs in the next pass.
	second := false
	runOnMainWithWait(func() { runOnMainWithWait(func() { second = true }, false) }, false)
	runQueued()
	if second {
		t.Fatal("a function queued during a pass ran in the same pass")
	}
	runQueued()
	if !second {
		t.Fatal("a function queued during a pass did not run in the next one")
	}

	// Quit: a waiter is released without running, later calls run directly.
	wg.Add(1)
	ranAfterQuit := false
	go func() {
		defer wg.Done()
		runOnMainWithWait(func() { ranAfterQuit = true }, true)
	}()
	for {
		queueMu.Lock()
		n := len(queue)
		queueMu.Unlock()
		if n == 1 {
			break
		}
	}
	drainQueue()
	wg.Wait()
	if ranAfterQuit {
		t.Fatal("the drain ran a queued function")
	}
	direct := false
	runOnMainWithWait(func() { direct = true }, true)
	if !direct {
		t.Fatal("after the drain a call did not run its function")
	}
}
